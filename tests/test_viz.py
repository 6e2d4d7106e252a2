"""Tests of course_lib.viz: what each helper draws, its labels, and its input errors."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex

from course_lib import viz

matplotlib.use("Agg")  # no window: figures are only inspected


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def image_axes(fig):
    return [ax for ax in fig.axes if ax.images]


# ------------------------------------------------------------------------------------- show_images
def test_show_images_grayscale_grid_with_titles():
    images = np.random.default_rng(0).random((10, 8, 8))
    fig = viz.show_images(images, titles=[f"digit {i}" for i in range(10)], ncols=4)
    assert len(fig.axes) == 12  # 3 rows of 4, the last two cells empty
    shown = image_axes(fig)
    assert len(shown) == 10
    assert [ax.get_title() for ax in shown] == [f"digit {i}" for i in range(10)]
    np.testing.assert_array_equal(shown[3].images[0].get_array(), images[3])
    assert not any(ax.axison for ax in fig.axes)


def test_show_images_rgb_into_given_figure_and_few_images():
    fig = plt.figure()
    images = np.random.default_rng(1).random((3, 5, 5, 3))
    out = viz.show_images(images, ncols=8, fig=fig, vmin=0.0, vmax=1.0)
    assert out is fig
    assert len(fig.axes) == 3  # ncols shrinks to the number of images
    assert image_axes(fig)[0].images[0].get_array().shape == (5, 5, 3)
    assert all(ax.get_title() == "" for ax in fig.axes)


def test_show_images_errors():
    with pytest.raises(
        ValueError, match=r"images: expected grayscale images \[N, H, W\].*\(8, 8\)"
    ):
        viz.show_images(np.zeros((8, 8)))
    with pytest.raises(ValueError, match=r"images: .*got shape \(2, 8, 8, 4\)"):
        viz.show_images(np.zeros((2, 8, 8, 4)))
    with pytest.raises(ValueError, match=r"images: expected at least one value"):
        viz.show_images(np.zeros((0, 8, 8)))
    with pytest.raises(TypeError, match="images: expected real numbers, got dtype"):
        viz.show_images(np.array([[["a"]]]))
    with pytest.raises(ValueError, match=r"titles: expected a sequence of 2 strings .* length 3"):
        viz.show_images(np.zeros((2, 8, 8)), titles=["a", "b", "c"])
    with pytest.raises(ValueError, match="titles: .* got a single string"):
        viz.show_images(np.zeros((2, 8, 8)), titles="ab")
    for bad in (0, 2.5, True):
        with pytest.raises(ValueError, match="ncols: expected a positive int"):
            viz.show_images(np.zeros((2, 8, 8)), ncols=bad)


# ----------------------------------------------------------------------------------- plot_waveform
def test_plot_waveform_time_axis_in_seconds():
    sr = 8000
    y = np.sin(np.linspace(0, 20, 4000))
    ax = viz.plot_waveform(y, sr, title="a spoken digit")
    (line,) = ax.get_lines()
    t = line.get_xdata()
    assert t[0] == 0.0
    assert t[-1] == pytest.approx(3999 / sr)
    assert ax.get_xlabel() == "time (s)"
    assert ax.get_ylabel() == "amplitude"
    assert ax.get_title() == "a spoken digit"


def test_plot_waveform_into_existing_axes():
    _, ax = plt.subplots()
    assert viz.plot_waveform([0.0], 100, ax=ax) is ax


def test_plot_waveform_errors():
    with pytest.raises(ValueError, match=r"y: expected a 1-D waveform \[n_samples\], got shape"):
        viz.plot_waveform(np.zeros((2, 10)), 8000)
    with pytest.raises(ValueError, match="sr: expected a positive number, got 0"):
        viz.plot_waveform(np.zeros(10), 0)
    with pytest.raises(TypeError, match="sr: expected a positive number, got str"):
        viz.plot_waveform(np.zeros(10), "8000")


# -------------------------------------------------------------------------------- plot_spectrogram
def test_plot_spectrogram_mel_axes_and_extent():
    S = np.random.default_rng(2).normal(size=(40, 50))
    ax = viz.plot_spectrogram(S, sr=8000, hop_length=80, title="log-mel")
    (image,) = ax.images
    left, right, bottom, top = image.get_extent()
    assert (bottom, top) == (-0.5, 39.5)
    assert left == pytest.approx(-0.005)  # frames are centred: half a hop before 0
    assert right == pytest.approx(49.5 * 80 / 8000)
    assert ax.get_xlabel() == "time (s)"
    assert ax.get_ylabel() == "mel band"
    assert ax.get_title() == "log-mel"
    assert len(ax.figure.axes) == 2  # the colour bar
    assert ax.figure.axes[1].get_ylabel() == "level (dB)"


def test_plot_spectrogram_linear_frequency_in_hz():
    S = np.zeros((129, 10))  # n_fft = 256
    ax = viz.plot_spectrogram(S, sr=8000, hop_length=80, y_axis="linear", colorbar=False)
    _, _, bottom, top = ax.images[0].get_extent()
    bin_hz = 8000 / 256
    assert bottom == pytest.approx(-bin_hz / 2)
    assert top == pytest.approx(4000 + bin_hz / 2)  # the last bin is centred on sr / 2
    assert ax.get_ylabel() == "frequency (Hz)"
    assert len(ax.figure.axes) == 1


def test_plot_spectrogram_errors():
    S = np.zeros((4, 5))
    with pytest.raises(ValueError, match=r"S_db: expected a 2-D array \[n_freq, n_frames\]"):
        viz.plot_spectrogram(np.zeros(5), 8000, 80)
    with pytest.raises(TypeError, match="hop_length: expected a positive int, got float"):
        viz.plot_spectrogram(S, 8000, 80.0)
    with pytest.raises(ValueError, match="hop_length: expected a positive int, got 0"):
        viz.plot_spectrogram(S, 8000, 0)
    with pytest.raises(ValueError, match="y_axis: expected 'mel' or 'linear', got 'log'"):
        viz.plot_spectrogram(S, 8000, 80, y_axis="log")
    with pytest.raises(ValueError, match="sr: expected a positive number, got -1"):
        viz.plot_spectrogram(S, -1, 80)


# ------------------------------------------------------------------------------------ plot_history
HISTORY = {
    "loss": [2.0, 1.5, 1.2],
    "val_loss": [2.1, 1.7, 1.6],
    "accuracy": [0.3, 0.5, 0.6],
    "val_accuracy": [0.25, 0.45, 0.5],
}


def test_plot_history_train_and_validation_against_epoch():
    ax = viz.plot_history(HISTORY)
    train, val = ax.get_lines()
    np.testing.assert_array_equal(train.get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(train.get_ydata(), HISTORY["loss"])
    np.testing.assert_array_equal(val.get_ydata(), HISTORY["val_loss"])
    assert train.get_linestyle() == "-" and val.get_linestyle() == "--"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["train", "validation"]
    assert ax.get_xlabel() == "epoch"
    assert ax.get_ylabel() == "loss"


def test_plot_history_several_metrics_give_one_axes_each():
    axes = viz.plot_history(HISTORY, metrics=("loss", "accuracy"))
    assert isinstance(axes, list) and len(axes) == 2
    assert [ax.get_ylabel() for ax in axes] == ["loss", "accuracy"]
    np.testing.assert_array_equal(axes[1].get_lines()[1].get_ydata(), HISTORY["val_accuracy"])


def test_plot_history_list_of_runs_without_validation():
    runs = [{"accuracy": [0.1, 0.2]}, {"accuracy": [0.3, 0.4, 0.5]}]
    _, ax = plt.subplots()
    out = viz.plot_history(runs, metrics="accuracy", ax=ax, labels=["image", "audio"])
    assert out is ax
    lines = ax.get_lines()
    assert len(lines) == 2
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["image train", "audio train"]
    np.testing.assert_array_equal(lines[1].get_xdata(), [1, 2, 3])
    default = viz.plot_history(runs, metrics="accuracy")
    assert [t.get_text() for t in default.get_legend().get_texts()] == [
        "run 1 train",
        "run 2 train",
    ]


def test_plot_history_errors():
    with pytest.raises(ValueError, match=r"metrics: 'acc' is not in the history; available keys"):
        viz.plot_history(HISTORY, metrics=("acc",))
    with pytest.raises(ValueError, match="metrics: expected at least one metric name"):
        viz.plot_history(HISTORY, metrics=())
    with pytest.raises(TypeError, match="history: expected a dict of metric lists"):
        viz.plot_history([1.0, 2.0])
    with pytest.raises(TypeError, match="history: expected a dict of metric lists"):
        viz.plot_history([])
    with pytest.raises(ValueError, match=r"history: expected 'loss' to be a non-empty list"):
        viz.plot_history({"loss": []})
    with pytest.raises(ValueError, match=r"ax: expected 2 Axes \(one per metric\), got 1"):
        _, ax = plt.subplots()
        viz.plot_history(HISTORY, metrics=("loss", "accuracy"), ax=ax)
    with pytest.raises(ValueError, match=r"labels: expected a sequence of 1 strings"):
        viz.plot_history(HISTORY, labels=["a", "b"])


# --------------------------------------------------------------------------- plot_confusion_matrix
def cell_texts(ax):
    return [t.get_text() for t in ax.texts]


def test_plot_confusion_matrix_counts_in_cells():
    cm = np.array([[5, 1, 0], [2, 3, 0], [0, 0, 0]])
    ax = viz.plot_confusion_matrix(cm, class_names=["zero", "one", "two"], title="test set")
    assert cell_texts(ax) == ["5", "1", "0", "2", "3", "0", "0", "0", "0"]
    assert ax.get_xlabel() == "predicted label"
    assert ax.get_ylabel() == "true label"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["zero", "one", "two"]
    assert ax.get_xticklabels()[0].get_rotation() == 45  # long names are slanted
    assert ax.get_title() == "test set"
    assert ax.texts[0].get_color() == "white"  # the darkest cell
    assert ax.texts[1].get_color() == "black"


def test_plot_confusion_matrix_normalised_rows():
    cm = np.array([[3, 1], [0, 0]])
    ax = viz.plot_confusion_matrix(cm, normalize=True)
    assert cell_texts(ax) == ["0.75", "0.25", "0.00", "0.00"]
    np.testing.assert_allclose(ax.images[0].get_array(), [[0.75, 0.25], [0.0, 0.0]])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0", "1"]
    assert ax.get_xticklabels()[0].get_rotation() == 0
    assert ax.figure.axes[1].get_ylabel() == "rate (row-normalised)"


def test_plot_confusion_matrix_non_integer_counts_use_decimals():
    ax = viz.plot_confusion_matrix(np.array([[1.5, 0.5], [0.0, 2.0]]))
    assert cell_texts(ax) == ["1.50", "0.50", "0.00", "2.00"]


def test_plot_confusion_matrix_errors():
    with pytest.raises(ValueError, match=r"cm: expected a square 2-D array \[C, C\].*\(2, 3\)"):
        viz.plot_confusion_matrix(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="cm: expected finite, non-negative counts"):
        viz.plot_confusion_matrix(np.array([[1, -1], [0, 1]]))
    with pytest.raises(ValueError, match=r"class_names: expected a sequence of 2 strings"):
        viz.plot_confusion_matrix(np.eye(2), class_names=["a"])


# ---------------------------------------------------------------------------------- plot_retrieval
def spine_colours(ax):
    return {to_hex(spine.get_edgecolor()) for spine in ax.spines.values()}


def test_plot_retrieval_rows_frames_and_titles():
    rng = np.random.default_rng(3)
    images = rng.random((2, 3, 8, 8))
    hits = np.array([[True, False, False], [False, False, True]])
    fig = viz.plot_retrieval(
        ["'seven' (spoken)", "'two' (spoken)"],
        images,
        hits,
        gallery_titles=[["7", "1", "9"], ["3", "5", "2"]],
        title="audio to image retrieval",
    )
    grid = np.array(fig.axes).reshape(2, 4)
    assert sum(len(ax.images) for ax in fig.axes) == 6
    assert [grid[q, 0].texts[0].get_text() for q in range(2)] == [
        "'seven' (spoken)",
        "'two' (spoken)",
    ]
    assert [grid[0, j].get_title() for j in (1, 2, 3)] == ["rank 1", "rank 2", "rank 3"]
    assert grid[1, 1].get_title() == ""
    assert grid[1, 3].get_xlabel() == "2"
    for q in range(2):
        for j in range(3):
            want = viz.HIT_COLOUR if hits[q, j] else viz.MISS_COLOUR
            assert spine_colours(grid[q, j + 1]) == {want}
    assert fig.get_suptitle() == "audio to image retrieval"


def test_plot_retrieval_rgb_into_given_figure():
    fig = plt.figure()
    out = viz.plot_retrieval(
        ["a red circle"], np.zeros((1, 2, 4, 4, 3)), np.array([[1, 0]]) > 0, fig=fig
    )
    assert out is fig
    assert len(fig.axes) == 3
    assert fig.axes[1].get_xlabel() == ""


def test_plot_retrieval_errors():
    images = np.zeros((2, 3, 8, 8))
    hits = np.zeros((2, 3), dtype=bool)
    with pytest.raises(
        ValueError, match=r"gallery_images: expected grayscale images \[Q, K, H, W\]"
    ):
        viz.plot_retrieval(["a", "b"], np.zeros((2, 8, 8)), hits)
    with pytest.raises(ValueError, match=r"query_titles: expected a sequence of 2 strings"):
        viz.plot_retrieval(["a"], images, hits)
    with pytest.raises(TypeError, match="hits: expected a boolean array"):
        viz.plot_retrieval(["a", "b"], images, np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"hits: expected shape \(2, 3\) \(Q, K\), got \(3, 2\)"):
        viz.plot_retrieval(["a", "b"], images, np.zeros((3, 2), dtype=bool))
    with pytest.raises(ValueError, match=r"gallery_titles: expected 2 rows of 3 strings"):
        viz.plot_retrieval(["a", "b"], images, hits, gallery_titles=[["x"] * 3])


# ---------------------------------------------------------------------------------------- plot_bar
def test_plot_bar_values_written_on_bars():
    values = {"image": 0.91, "audio": 0.83, "image + audio": 0.97}
    ax = viz.plot_bar(values, title="test accuracy", ylim=(0, 1))
    heights = [p.get_height() for p in ax.patches]
    assert heights == [0.91, 0.83, 0.97]
    assert [t.get_text() for t in ax.get_xticklabels()] == list(values)
    assert cell_texts(ax) == ["0.91", "0.83", "0.97"]
    assert ax.get_ylabel() == "accuracy"
    assert ax.get_ylim() == (0.0, 1.0)
    assert ax.get_title() == "test accuracy"


def test_plot_bar_with_error_bars():
    _, ax = plt.subplots()
    out = viz.plot_bar({"a": 1.0, "b": 2.0}, errors={"b": 0.2, "a": 0.1}, ax=ax, fmt=".1f")
    assert out is ax
    bars = ax.containers[1]
    errorbar_segments = bars.errorbar.lines[2][0].get_segments()
    np.testing.assert_allclose([s[:, 1] for s in errorbar_segments], [[0.9, 1.1], [1.8, 2.2]])
    assert cell_texts(ax) == ["1.0", "2.0"]


def test_plot_bar_errors():
    with pytest.raises(TypeError, match="values: expected a non-empty dict"):
        viz.plot_bar({})
    with pytest.raises(TypeError, match="values: expected a non-empty dict"):
        viz.plot_bar([0.5])
    with pytest.raises(ValueError, match="values: expected finite numbers"):
        viz.plot_bar({"a": np.nan})
    with pytest.raises(TypeError, match="values: expected real numbers"):
        viz.plot_bar({"a": "high"})
    with pytest.raises(ValueError, match=r"errors: expected a dict with the same keys .*\['a'\]"):
        viz.plot_bar({"a": 1.0}, errors={"b": 0.1})
    with pytest.raises(ValueError, match="errors: expected finite, non-negative"):
        viz.plot_bar({"a": 1.0}, errors={"a": -0.1})
