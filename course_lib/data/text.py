"""Text as arrays in NumPy: tokens, a vocabulary, bag-of-words, TF-IDF and count-based embeddings.

With the same settings the numbers equal scikit-learn's: ``tokenize`` with ``TOKEN_PATTERN`` and
``lowercase=True`` splits text like ``CountVectorizer``'s default analyser, ``bag_of_words`` gives
its counts (columns in alphabetical order) and ``tfidf`` gives ``TfidfVectorizer``'s defaults:

    tf-idf(d, t) = tf(d, t) * idf(t),   idf(t) = ln((1 + n) / (1 + df(t))) + 1,

each row then divided by its L2 norm (n documents; df(t) = the number of documents holding t).

Word vectors are built from data, without training: count how often words occur near each other,
weight the counts by positive pointwise mutual information (PPMI) and keep the strongest
directions of a singular value decomposition (truncated SVD).

Book: Chapter 2, "Text: tokens, vocabularies, bag-of-words, TF-IDF, embeddings".
"""

from __future__ import annotations

import numbers
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "ANY_WORD_PATTERN",
    "PAD",
    "TOKEN_PATTERN",
    "UNK",
    "Vocabulary",
    "bag_of_words",
    "cooccurrence_matrix",
    "cosine_similarity_matrix",
    "idf_weights",
    "nearest_neighbours",
    "ppmi",
    "tfidf",
    "tokenize",
    "truncated_svd",
]

TOKEN_PATTERN = r"(?u)\b\w\w+\b"
"""scikit-learn's default token: a run of 2 or more word characters (drops "a", "I", "7")."""
ANY_WORD_PATTERN = r"(?u)\b\w+\b"
"""Every run of word characters, one-letter words included (keeps the "a" of a caption)."""
PAD = "<pad>"
"""The padding token: fills short sequences up to the length of the longest in a batch."""
UNK = "<unk>"
"""The unknown token: stands for every word that is not in the vocabulary."""

_NORMS = ("l2", "l1", None)


# ------------------------------------------------------------------------------------ validation
def _count(value: object, name: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name}: expected an int >= {minimum}, got {type(value).__name__} {value!r}"
        )
    if value < minimum:
        raise ValueError(f"{name}: expected an int >= {minimum}, got {value}")
    return int(value)


def _flag(value: object, name: str) -> bool:
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name}: expected True or False, got {type(value).__name__} {value!r}")
    return bool(value)


def _token_list(tokens: object, name: str) -> list[str]:
    """A list of str from a list or tuple of str (a bare str is the usual mistake)."""
    if isinstance(tokens, str):
        raise TypeError(
            f"{name}: expected a list of tokens (str), got the str {tokens[:40]!r}; "
            "split it first, e.g. with tokenize()"
        )
    if not isinstance(tokens, Sequence):
        raise TypeError(f"{name}: expected a list of tokens (str), got {type(tokens).__name__}")
    for i, token in enumerate(tokens):
        if not isinstance(token, str):
            raise TypeError(
                f"{name}: expected every token to be a str, got {type(token).__name__} "
                f"{token!r} at position {i}"
            )
    return list(tokens)


def _token_lists(docs: object, name: str) -> list[list[str]]:
    """A non-empty list of token lists (one per document)."""
    if isinstance(docs, str) or not isinstance(docs, Sequence):
        raise TypeError(
            f"{name}: expected a list of token lists (one per document), got {type(docs).__name__}"
        )
    if len(docs) == 0:
        raise ValueError(f"{name}: expected at least one document, got an empty list")
    return [_token_list(doc, f"{name}[{i}]") for i, doc in enumerate(docs)]


def _matrix(values: ArrayLike, name: str, what: str) -> NDArray[np.float64]:
    """A finite 2-D float64 array of real numbers."""
    arr = np.asarray(values)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name}: expected {what} of real numbers, got dtype {arr.dtype}")
    if arr.ndim != 2:
        raise ValueError(f"{name}: expected {what} (a 2-D array), got shape {arr.shape}")
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: expected finite values, got NaN or inf")
    return arr


def _counts(values: ArrayLike, name: str = "counts") -> NDArray[np.float64]:
    arr = _matrix(values, name, "a count matrix [documents, words]")
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(f"{name}: expected at least one document and one word, got {arr.shape}")
    if np.any(arr < 0):
        raise ValueError(f"{name}: expected non-negative counts, got a minimum of {arr.min()}")
    return arr


# ------------------------------------------------------------------------------------ tokenising
def tokenize(text: str, lowercase: bool = True, token_pattern: str = TOKEN_PATTERN) -> list[str]:
    """Split ``text`` into tokens: every match of ``token_pattern``, after lower-casing.

    The default pattern is scikit-learn's (``CountVectorizer(token_pattern=...)``): runs of 2 or
    more word characters, so "a small red circle" gives ["small", "red", "circle"]. Use
    ``ANY_WORD_PATTERN`` to keep one-letter words. A pattern with one capture group keeps the
    group, as in scikit-learn; more than one group is an error.

    Book: Chapter 2, section "Tokenising".
    """
    if not isinstance(text, str):
        raise TypeError(f"text: expected a str, got {type(text).__name__} {text!r:.60}")
    lowercase = _flag(lowercase, "lowercase")
    if not isinstance(token_pattern, str):
        raise TypeError(
            "token_pattern: expected a regular expression (str), "
            f"got {type(token_pattern).__name__}"
        )
    try:
        pattern = re.compile(token_pattern)
    except re.error as exc:
        raise ValueError(f"token_pattern: {token_pattern!r} is not a valid regex ({exc})") from exc
    if pattern.groups > 1:
        raise ValueError(
            f"token_pattern: expected at most one capture group, got {pattern.groups} in "
            f"{token_pattern!r}"
        )
    return pattern.findall(text.lower() if lowercase else text)


# ------------------------------------------------------------------------------------ vocabulary
class Vocabulary:
    """A fixed list of tokens; token ``tokens[i]`` has id ``i``.

    ``PAD`` ("<pad>") and ``UNK`` ("<unk>"), when present, get their roles: ``pad_id`` fills
    short sequences in ``encode_batch`` and ``unk_id`` replaces words that are not in the
    vocabulary in ``encode``. Build one from a corpus with ``Vocabulary.build``.

    Book: Chapter 2, section "A vocabulary".
    """

    def __init__(self, tokens: Iterable[str]) -> None:
        if isinstance(tokens, str) or not isinstance(tokens, Iterable):
            raise TypeError(f"tokens: expected a list of str, got {type(tokens).__name__}")
        tokens = _token_list(list(tokens), "tokens")
        if not tokens:
            raise ValueError("tokens: expected at least one token, got an empty list")
        seen: set[str] = set()
        for token in tokens:
            if token in seen:
                raise ValueError(f"tokens: expected distinct tokens, got {token!r} twice")
            seen.add(token)
        self._tokens = tuple(tokens)
        self._ids = {token: i for i, token in enumerate(tokens)}

    @classmethod
    def build(
        cls,
        corpus_tokens: Sequence[Sequence[str]],
        min_count: int = 1,
        max_size: int | None = None,
        specials: Sequence[str] = (PAD, UNK),
        order: str = "frequency",
    ) -> Vocabulary:
        """The vocabulary of a tokenised corpus (a list of token lists, one per document).

        Words occurring fewer than ``min_count`` times in the whole corpus are left out; then at
        most ``max_size`` words are kept, the most frequent (the specials are not counted in
        ``max_size``). Order: the ``specials`` first, in the given order, then the words by
        count, highest first, ties alphabetically (``order="frequency"``), or all words
        alphabetically (``order="alphabetical"``, scikit-learn's column order; with
        ``specials=()`` and ``min_count=1`` it is ``CountVectorizer``'s vocabulary).
        """
        docs = _token_lists(corpus_tokens, "corpus_tokens")
        min_count = _count(min_count, "min_count")
        if max_size is not None:
            max_size = _count(max_size, "max_size")
        specials = _token_list(specials, "specials")
        if order not in ("frequency", "alphabetical"):
            raise ValueError(f"order: expected 'frequency' or 'alphabetical', got {order!r}")
        counts = Counter(token for doc in docs for token in doc if token not in specials)
        if not counts and not specials:
            raise ValueError("corpus_tokens: expected at least one token, got only empty documents")
        kept = sorted(
            (word for word, count in counts.items() if count >= min_count),
            key=lambda word: (-counts[word], word),
        )[:max_size]
        if counts and not kept and not specials:
            raise ValueError(
                f"min_count: {min_count} leaves no word (the most frequent word occurs "
                f"{max(counts.values())} times) and no specials were asked for"
            )
        if order == "alphabetical":
            kept.sort()
        return cls([*specials, *kept])

    @property
    def tokens(self) -> tuple[str, ...]:
        """All tokens in id order."""
        return self._tokens

    @property
    def pad_id(self) -> int | None:
        """The id of "<pad>", or None when the vocabulary has none."""
        return self._ids.get(PAD)

    @property
    def unk_id(self) -> int | None:
        """The id of "<unk>", or None when the vocabulary has none."""
        return self._ids.get(UNK)

    def __len__(self) -> int:
        return len(self._tokens)

    def __contains__(self, token: object) -> bool:
        return token in self._ids

    def __iter__(self) -> Iterator[str]:
        return iter(self._tokens)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Vocabulary):
            return NotImplemented
        return self._tokens == other._tokens

    def __hash__(self) -> int:
        return hash(self._tokens)

    def __repr__(self) -> str:
        shown = ", ".join(map(repr, self._tokens[:8]))
        more = ", ..." if len(self) > 8 else ""
        return f"Vocabulary({len(self)} tokens: {shown}{more})"

    def encode(self, tokens: Sequence[str]) -> NDArray[np.int64]:
        """The ids [T] of a token list; unknown tokens get ``unk_id``.

        Without "<unk>" in the vocabulary, an unknown token raises ValueError.
        """
        tokens = _token_list(tokens, "tokens")
        unk = self.unk_id
        ids = np.empty(len(tokens), dtype=np.int64)
        for i, token in enumerate(tokens):
            index = self._ids.get(token, unk)
            if index is None:
                raise ValueError(
                    f"tokens: {token!r} (position {i}) is not in the vocabulary, which has no "
                    f"{UNK!r} token to stand for it"
                )
            ids[i] = index
        return ids

    def decode(self, ids: ArrayLike) -> list[str]:
        """The tokens of a 1-D sequence of ids (each in 0 .. len(self) - 1)."""
        arr = np.asarray(ids)
        if arr.size == 0:
            return []
        if arr.dtype.kind not in "iu":
            raise TypeError(f"ids: expected integer ids, got dtype {arr.dtype}")
        if arr.ndim != 1:
            raise ValueError(f"ids: expected a 1-D sequence of ids, got shape {arr.shape}")
        bad = np.flatnonzero((arr < 0) | (arr >= len(self)))
        if bad.size:
            raise ValueError(
                f"ids: expected ids in 0..{len(self) - 1}, got {arr[bad[0]]} at position {bad[0]}"
            )
        return [self._tokens[i] for i in arr.tolist()]

    def encode_batch(
        self, batch_tokens: Sequence[Sequence[str]], max_len: int | None = None
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Encode token lists and pad them with ``pad_id`` to one length.

        Returns ``ids`` int64 [N, T] and ``lengths`` int64 [N], where T is the longest length,
        or ``max_len`` when given (longer sequences are cut to their first ``max_len`` tokens).
        Position t of row i is a real token when t < lengths[i] and padding otherwise.
        """
        docs = _token_lists(batch_tokens, "batch_tokens")
        if max_len is not None:
            max_len = _count(max_len, "max_len")
        pad = self.pad_id
        if pad is None:
            raise ValueError(f"encode_batch needs a {PAD!r} token, and this vocabulary has none")
        encoded = [self.encode(doc)[:max_len] for doc in docs]
        lengths = np.array([len(ids) for ids in encoded], dtype=np.int64)
        width = max_len if max_len is not None else int(lengths.max())
        padded = np.full((len(docs), width), pad, dtype=np.int64)
        for row, ids in zip(padded, encoded, strict=True):
            row[: len(ids)] = ids
        return padded, lengths


# -------------------------------------------------------------------------------- bag-of-words
def _tokenised_docs(docs: object, lowercase: bool, token_pattern: str) -> list[list[str]]:
    """Each document as a token list: str documents are tokenised, token lists kept as they are."""
    if isinstance(docs, str) or not isinstance(docs, Sequence):
        raise TypeError(
            f"docs: expected a list of documents (str or token lists), got {type(docs).__name__}"
        )
    if len(docs) == 0:
        raise ValueError("docs: expected at least one document, got an empty list")
    return [
        tokenize(doc, lowercase, token_pattern)
        if isinstance(doc, str)
        else _token_list(doc, f"docs[{i}]")
        for i, doc in enumerate(docs)
    ]


def _select_words(token_docs: list[list[str]], min_df: int, max_features: int | None) -> list[str]:
    """scikit-learn's vocabulary: df >= min_df, then the max_features most frequent, sorted."""
    df = Counter(word for doc in token_docs for word in set(doc))
    if not df:
        raise ValueError("docs: expected at least one token, got only empty documents")
    words = sorted(word for word, count in df.items() if count >= min_df)
    if not words:
        raise ValueError(
            f"min_df: {min_df} leaves no word (the most common word is in {max(df.values())} "
            "documents)"
        )
    if max_features is not None and len(words) > max_features:
        total = Counter(word for doc in token_docs for word in doc)
        words = sorted(sorted(words, key=lambda word: -total[word])[:max_features])
    return words


def bag_of_words(
    docs: Sequence[str | Sequence[str]],
    vocabulary: Vocabulary | Sequence[str] | None = None,
    *,
    lowercase: bool = True,
    token_pattern: str = TOKEN_PATTERN,
    min_df: int = 1,
    max_features: int | None = None,
) -> tuple[NDArray[np.int64], Vocabulary]:
    """Count matrix ``counts[i, j]`` = how often word ``vocabulary.tokens[j]`` occurs in doc i.

    docs: str documents (tokenised with ``lowercase`` and ``token_pattern``) or token lists.
    Without a ``vocabulary``, one is built from ``docs`` like ``CountVectorizer``'s: words in at
    least ``min_df`` documents, at most ``max_features`` of them (the highest total counts;
    ties alphabetically, where scikit-learn leaves them to an unstable sort), in alphabetical
    order, with no special tokens. With a given vocabulary (as a list of words like
    scikit-learn's ``vocabulary=``, or a ``Vocabulary``), words outside it are counted in its
    "<unk>" column when it has one, and dropped otherwise (what scikit-learn does).

    Returns ``counts`` int64 [N, V] and the vocabulary.

    Book: Chapter 2, section "Bag-of-words".
    """
    min_df = _count(min_df, "min_df")
    if max_features is not None:
        max_features = _count(max_features, "max_features")
    token_docs = _tokenised_docs(docs, _flag(lowercase, "lowercase"), token_pattern)
    if vocabulary is None:
        vocabulary = Vocabulary(_select_words(token_docs, min_df, max_features))
    elif min_df != 1 or max_features is not None:
        raise ValueError(
            "min_df, max_features: they choose the words of a new vocabulary; with a given "
            f"vocabulary leave them at 1 and None, got min_df={min_df}, max_features={max_features}"
        )
    elif not isinstance(vocabulary, Vocabulary):
        if isinstance(vocabulary, str) or not isinstance(vocabulary, Sequence):
            raise TypeError(
                "vocabulary: expected a Vocabulary or a list of words, "
                f"got {type(vocabulary).__name__}"
            )
        vocabulary = Vocabulary(vocabulary)
    size = len(vocabulary)
    rows, cols = [], []
    for i, doc in enumerate(token_docs):
        known = doc if vocabulary.unk_id is not None else [w for w in doc if w in vocabulary]
        ids = vocabulary.encode(known)
        rows.append(np.full(len(ids), i, dtype=np.int64))
        cols.append(ids)
    flat = np.concatenate(rows) * size + np.concatenate(cols)
    counts = np.bincount(flat, minlength=len(token_docs) * size).astype(np.int64)
    return counts.reshape(len(token_docs), size), vocabulary


# ---------------------------------------------------------------------------------------- TF-IDF
def idf_weights(counts: ArrayLike, smooth_idf: bool = True) -> NDArray[np.float64]:
    """Inverse document frequency [V] of every column of a count matrix [N, V].

    idf(t) = ln((1 + n) / (1 + df(t))) + 1 with ``smooth_idf`` (as if one extra document held
    every word once), else ln(n / df(t)) + 1; df(t) = the number of rows where column t > 0.
    A word in every document gets idf 1, the lowest; rare words get high weights.

    Book: Chapter 2, section "TF-IDF".
    """
    counts = _counts(counts)
    smooth_idf = _flag(smooth_idf, "smooth_idf")
    n = counts.shape[0]
    df = np.count_nonzero(counts, axis=0).astype(np.float64)
    if not smooth_idf and np.any(df == 0):
        first = int(np.flatnonzero(df == 0)[0])
        raise ValueError(
            f"counts: column {first} is zero in every document, so its idf ln(n / 0) is infinite; "
            "use smooth_idf=True or drop the column"
        )
    extra = 1.0 if smooth_idf else 0.0
    return np.log((n + extra) / (df + extra)) + 1.0


def tfidf(
    counts: ArrayLike,
    idf: ArrayLike | None = None,
    *,
    smooth_idf: bool = True,
    sublinear_tf: bool = False,
    norm: str | None = "l2",
) -> NDArray[np.float64]:
    """TF-IDF matrix [N, V] of a count matrix [N, V]: x[d, t] = tf(d, t) * idf(t), rows normalised.

    tf = the count (``sublinear_tf``: 1 + ln(count) where count > 0). ``idf``: weights [V]
    learned on training documents (``idf_weights(train_counts)``) to transform new ones; when
    None, computed from ``counts`` itself with ``smooth_idf``. ``norm``: "l2" divides each row
    by its Euclidean length, "l1" by the sum of its absolute values, None leaves it; rows of
    zeros stay zero. The defaults give ``TfidfVectorizer``'s numbers.

    Book: Chapter 2, section "TF-IDF".
    """
    counts = _counts(counts)
    sublinear_tf = _flag(sublinear_tf, "sublinear_tf")
    if norm not in _NORMS:
        raise ValueError(f"norm: expected 'l2', 'l1' or None, got {norm!r}")
    if idf is None:
        weights = idf_weights(counts, smooth_idf)
    else:
        weights = np.asarray(idf)
        if weights.dtype.kind not in "biuf":
            raise TypeError(f"idf: expected real-valued weights, got dtype {weights.dtype}")
        if weights.shape != (counts.shape[1],):
            raise ValueError(
                f"idf: expected shape ({counts.shape[1]},) (one weight per column of counts), "
                f"got {weights.shape}"
            )
        if not np.all(np.isfinite(weights)) or np.any(weights <= 0):
            raise ValueError("idf: expected finite positive weights (idf >= 1 by its formula)")
    tf = counts
    if sublinear_tf:
        tf = np.where(counts > 0, 1.0 + np.log(np.where(counts > 0, counts, 1.0)), 0.0)
    x = tf * weights
    if norm is None:
        return x
    lengths = np.sqrt((x**2).sum(axis=1)) if norm == "l2" else np.abs(x).sum(axis=1)
    return x / np.where(lengths > 0, lengths, 1.0)[:, None]


# ---------------------------------------------------------------------------------- embeddings
def cosine_similarity_matrix(a: ArrayLike, b: ArrayLike | None = None) -> NDArray[np.float64]:
    """sim[i, j] = a_i . b_j / (|a_i| |b_j|) for rows a_i of a [M, D] and b_j of b [K, D].

    ``b`` defaults to ``a``. A zero row has similarity 0 with everything (as in scikit-learn).

    Book: Chapter 2, section "Word embeddings".
    """
    a = _matrix(a, "a", "vectors [M, D]")
    b = a if b is None else _matrix(b, "b", "vectors [K, D]")
    if a.shape[1] != b.shape[1]:
        raise ValueError(
            f"b: expected vectors of the same dimension as a ({a.shape[1]}), got {b.shape[1]}"
        )

    def unit(x: NDArray[np.float64]) -> NDArray[np.float64]:
        lengths = np.linalg.norm(x, axis=1, keepdims=True)
        return x / np.where(lengths > 0, lengths, 1.0)

    return unit(a) @ unit(b).T


def nearest_neighbours(
    embeddings: ArrayLike, query: int | ArrayLike, k: int = 5, exclude_self: bool = True
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The ``k`` rows of ``embeddings`` [V, D] most similar (cosine) to ``query``.

    query: a row index (then, with ``exclude_self``, that row itself is skipped) or a vector
    [D]. Returns ``indices`` int64 [k] and their ``similarities`` [k], most similar first;
    ties go to the lower index.

    Book: Chapter 2, section "Word embeddings".
    """
    table = _matrix(embeddings, "embeddings", "an embedding table [V, D]")
    exclude_self = _flag(exclude_self, "exclude_self")
    size = table.shape[0]
    if isinstance(query, numbers.Integral) and not isinstance(query, bool):
        if not 0 <= query < size:
            raise ValueError(f"query: expected a row index in 0..{size - 1}, got {query}")
        vector, skip = table[int(query)], int(query) if exclude_self else None
    else:
        vector = np.asarray(query)
        if vector.dtype.kind not in "biuf" or vector.shape != (table.shape[1],):
            raise ValueError(
                f"query: expected a row index or a vector of shape ({table.shape[1]},), "
                f"got {vector.dtype} shape {vector.shape}"
            )
        skip = None
    available = size - (skip is not None)
    k = _count(k, "k")
    if k > available:
        raise ValueError(f"k: expected at most {available} neighbours, got {k}")
    similarity = cosine_similarity_matrix(vector[None, :], table)[0]
    order = np.argsort(-similarity, kind="stable")
    if skip is not None:
        order = order[order != skip]
    top = order[:k].astype(np.int64)
    return top, similarity[top]


def cooccurrence_matrix(
    corpus_tokens: Sequence[Sequence[str]], vocabulary: Vocabulary, window: int = 2
) -> NDArray[np.float64]:
    """Word-word counts [V, V]: C[i, j] = how often word j occurs within ``window`` positions of
    word i in the same document (on either side; symmetric).

    Words outside the vocabulary count as "<unk>" (the vocabulary must then have it).

    Book: Chapter 2, section "Word embeddings".
    """
    docs = _token_lists(corpus_tokens, "corpus_tokens")
    if not isinstance(vocabulary, Vocabulary):
        raise TypeError(f"vocabulary: expected a Vocabulary, got {type(vocabulary).__name__}")
    window = _count(window, "window")
    ids = np.concatenate([vocabulary.encode(doc) for doc in docs])
    doc_of = np.repeat(np.arange(len(docs)), [len(doc) for doc in docs])
    size = len(vocabulary)
    pairs = np.zeros(size * size, dtype=np.int64)
    for offset in range(1, window + 1):
        same_doc = doc_of[:-offset] == doc_of[offset:]
        left, right = ids[:-offset][same_doc], ids[offset:][same_doc]
        pairs += np.bincount(left * size + right, minlength=size * size)
    counts = pairs.reshape(size, size)
    return (counts + counts.T).astype(np.float64)


def ppmi(cooccurrence: ArrayLike) -> NDArray[np.float64]:
    """Positive pointwise mutual information of a count matrix [V, C] (words x contexts).

    PPMI(i, j) = max(0, ln(p(i, j) / (p(i) p(j)))) with p(i, j) = C_ij / sum(C),
    p(i) = sum_j C_ij / sum(C) and p(j) = sum_i C_ij / sum(C); 0 where C_ij = 0. It is high
    when i and j occur together more often than if they were independent.

    Book: Chapter 2, section "Word embeddings".
    """
    counts = _counts(cooccurrence, "cooccurrence")
    total = counts.sum()
    if total == 0:
        raise ValueError("cooccurrence: expected at least one positive count, got all zeros")
    expected = counts.sum(axis=1, keepdims=True) * counts.sum(axis=0, keepdims=True) / total
    seen = counts > 0
    ratio = np.where(seen, counts, 1.0) / np.where(seen, expected, 1.0)
    return np.where(seen, np.maximum(np.log(ratio), 0.0), 0.0)


def truncated_svd(matrix: ArrayLike, dim: int) -> NDArray[np.float64]:
    """Row vectors [V, dim] = U_k S_k from the ``dim`` largest singular values of M = U S V^T.

    The rows keep as much of M's structure as ``dim`` numbers can (Eckart-Young). Signs are
    fixed so that each column's largest-magnitude entry is positive (an SVD's signs are
    arbitrary). scikit-learn's ``TruncatedSVD(dim).fit_transform(M)`` gives the same up to
    the signs of columns.

    Book: Chapter 2, section "Word embeddings".
    """
    arr = _matrix(matrix, "matrix", "a matrix [V, C]")
    dim = _count(dim, "dim")
    if dim > min(arr.shape):
        raise ValueError(
            f"dim: expected at most min{arr.shape} = {min(arr.shape)} directions, got {dim}"
        )
    u, s, _ = np.linalg.svd(arr, full_matrices=False)
    vectors = u[:, :dim] * s[:dim]
    biggest = vectors[np.argmax(np.abs(vectors), axis=0), np.arange(dim)]
    return vectors * np.where(biggest < 0, -1.0, 1.0)
