"""Recurrent models over padded sequences (PyTorch).

A batch of sequences of different lengths T_i is stored padded to a common length T: x [N, T, F]
with lengths [N]. ``SequenceEncoder`` returns the state at each sequence's own last step and
never lets the padding change a state:

- a left-to-right RNN never looks ahead, so its state at t < T_i is that of the sequence alone;
  it runs over the padded batch cut at the longest sequence, and h_{T_i - 1} is read off;
- a bidirectional RNN would start its backward pass in the padding, so the batch is packed
  (``pack_padded_sequence``): each direction reads the valid steps only. Packing gives the
  same numbers but its backward pass is several times slower on a CPU.

Weights in ``torch.nn.LSTM`` are stacked in the gate order (input, forget, cell candidate g,
output), the same order as Keras' (i, f, c, o); PyTorch has two bias vectors b_ih + b_hh where
the Keras LSTM has one (same function, but Adam moves the sum of two trained biases about
twice as fast, so the loss curves agree only if b_hh is frozen). As Keras does
(``unit_forget_bias=True``), the LSTM's forget-gate bias starts at 1 (b_ih = 1, b_hh = 0 in that
block), so that the cell state is kept by default at the start of training: long sequences
(100 audio frames) then learn much faster. ``torch.nn.GRU`` stacks
(reset, update, new) where Keras stacks (update, reset, candidate); both use the "reset after"
GRU, n = tanh(W_in x + b_in + r * (W_hn h + b_hn)).

Book: Chapter 3, "Learning from one modality" (RNN/LSTM for sequences, the sequence loss).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from course_lib._models_common import (
    check_lengths,
    check_sequence_shapes,
    check_token_ids,
    keep_settings,
    next_word_settings,
    sequence_arrays,
    sequence_encoder_settings,
    token_arrays,
)
from course_lib._training_common import check_dropout, check_positive_int
from course_lib.torch._tensors import check_tensor

__all__ = ["NextWordModel", "SequenceClassifier", "SequenceEncoder"]

_RNNS = {"lstm": nn.LSTM, "gru": nn.GRU}


def _recurrent_layer(cell: str, input_size: int, hidden_size: int, **kwargs: object) -> nn.Module:
    """``nn.LSTM``/``nn.GRU`` with batch_first; an LSTM's forget-gate biases start at 1 (Keras')."""
    rnn = _RNNS[cell](input_size, hidden_size, batch_first=True, **kwargs)
    if cell == "lstm":
        forget = slice(hidden_size, 2 * hidden_size)  # blocks: input, forget, cell, output
        with torch.no_grad():
            for name, bias in rnn.named_parameters():
                if name.startswith("bias_"):
                    bias[forget] = 1.0 if name.startswith("bias_ih") else 0.0
    return rnn


class SequenceEncoder(nn.Module):
    """LSTM or GRU over padded sequences: returns (last valid state, all states).

    For x [N, T, F] and lengths [N] (T_i valid steps, then padding) every state is that of the
    valid steps alone (see the module docstring). With D = 2 if ``bidirectional`` else 1:

    - ``states`` [N, T, D H]: h_t of the top layer at every step, zeros at padded steps;
    - ``last`` [N, D H]: the state after reading the whole sequence, h_{T_i - 1} (for a
      bidirectional encoder, the forward state at t = T_i - 1 next to the backward state at
      t = 0, each having read every valid step).

    The outputs do not depend on how much padding follows the sequences.

    Book: Chapter 3, "Learning from one modality".
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int = 64,
        cell: str = "lstm",
        num_layers: int = 1,
        bidirectional: bool = False,
    ) -> None:
        super().__init__()
        keep_settings(
            self,
            sequence_encoder_settings(input_size, hidden_size, cell, num_layers, bidirectional),
        )
        self.output_size = self.hidden_size * (2 if self.bidirectional else 1)
        self.rnn = _recurrent_layer(
            self.cell,
            self.input_size,
            self.hidden_size,
            num_layers=self.num_layers,
            bidirectional=self.bidirectional,
        )

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(last [N, D H], states [N, T, D H]) for padded x [N, T, F] and lengths [N]."""
        x, lengths = check_tensor(x, "x"), check_tensor(lengths, "lengths")
        check_sequence_shapes(tuple(x.shape), tuple(lengths.shape), self.input_size)
        if not x.is_floating_point():
            raise TypeError(f"x: expected a floating-point tensor, got {x.dtype}")
        n_steps = x.shape[1]
        cpu_lengths = torch.from_numpy(check_lengths(lengths.cpu().numpy(), n_steps))
        if self.bidirectional:
            packed = pack_padded_sequence(x, cpu_lengths, batch_first=True, enforce_sorted=False)
            packed_states, final = self.rnn(packed)
            states, _ = pad_packed_sequence(packed_states, batch_first=True, total_length=n_steps)
            h_n = final[0] if self.cell == "lstm" else final  # [layers * 2, N, H]
            last = torch.cat([h_n[-2], h_n[-1]], dim=1)  # forward at T_i - 1, backward at 0
            return last, states
        longest = int(cpu_lengths.max())
        states, _ = self.rnn(x[:, :longest])
        steps = torch.arange(longest, device=x.device)
        valid = steps[None, :] < cpu_lengths.to(x.device)[:, None]
        states = states * valid.unsqueeze(-1).to(states.dtype)
        last = states[torch.arange(x.shape[0], device=x.device), cpu_lengths.to(x.device) - 1]
        states = F.pad(states, (0, 0, 0, n_steps - longest))
        return last, states


class SequenceClassifier(nn.Module):
    """One label per sequence: logits = W Dropout(last) + b, with ``SequenceEncoder``'s last.

    ``model(x, lengths)`` gives logits [N, n_classes] for padded x [N, T, F] and lengths [N];
    ``course_lib.torch.fit/predict/evaluate`` take ``inputs=(padded, lengths)`` as NumPy
    arrays (float, and int lengths).

    Book: Chapter 3, "Learning from one modality".
    """

    def __init__(
        self,
        input_size: int,
        n_classes: int = 10,
        hidden_size: int = 64,
        cell: str = "lstm",
        num_layers: int = 1,
        bidirectional: bool = False,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        self.n_classes = check_positive_int(n_classes, "n_classes", minimum=2)
        self.dropout = check_dropout(dropout)
        self.encoder = SequenceEncoder(input_size, hidden_size, cell, num_layers, bidirectional)
        self.head = nn.Sequential(
            *([nn.Dropout(self.dropout)] if self.dropout > 0 else []),
            nn.Linear(self.encoder.output_size, self.n_classes),
        )

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Class logits [N, n_classes]."""
        last, _ = self.encoder(x, lengths)
        return self.head(last)

    def numpy_inputs(self, inputs: object, name: str = "inputs") -> list:
        """Check and convert ``(padded, lengths)`` for fit/predict/evaluate."""
        return sequence_arrays(inputs, self.encoder.input_size, name)


class NextWordModel(nn.Module):
    """Next-token prediction: Embedding -> LSTM/GRU over all steps -> per-step logits.

    For token ids [N, T]: e_t = E[x_t], h_t = RNN(e_t, h_{t-1}), logits_t = W h_t + b, output
    [N, T, vocab_size]; logits_t scores the token at step t + 1. Sequences are padded at the end
    with ``pad_id``; the RNN reads left to right, so padding never changes earlier logits, and
    ``fit(..., loss="sequence")`` ignores the steps whose target is ``pad_id``.

    Book: Chapter 3, "Learning from one modality" (a sequence task with the per-step loss).
    """

    def __init__(
        self,
        vocab_size: int,
        embed_dim: int = 32,
        hidden_size: int = 64,
        cell: str = "lstm",
        pad_id: int = 0,
    ) -> None:
        super().__init__()
        keep_settings(self, next_word_settings(vocab_size, embed_dim, hidden_size, cell, pad_id))
        self.n_classes = self.vocab_size  # one class per vocabulary entry at every step
        self.embedding = nn.Embedding(self.vocab_size, self.embed_dim)
        self.rnn = _recurrent_layer(self.cell, self.embed_dim, self.hidden_size)
        self.head = nn.Linear(self.hidden_size, self.vocab_size)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """Per-step logits [N, T, vocab_size] for token ids [N, T]."""
        check_token_ids(check_tensor(ids, "ids").cpu().numpy(), self.vocab_size, "ids")
        states, _ = self.rnn(self.embedding(ids))
        return self.head(states)

    def numpy_inputs(self, inputs: object, name: str = "inputs") -> list:
        """Check and convert token ids [N, T] for fit/predict/evaluate."""
        return token_arrays(inputs, self.vocab_size, name)
