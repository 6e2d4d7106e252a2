"""Tests of course_lib.utils and of the package's cheap import."""

from __future__ import annotations

import logging
import os
import random
import subprocess
import sys

import numpy as np
import pytest

from course_lib import utils


def _imported_modules(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


@pytest.mark.parametrize(
    "statement",
    [
        "import course_lib",
        "import course_lib.data",
        "import course_lib.metrics",
        "import course_lib.exercises",
        "import course_lib.utils",
    ],
)
def test_light_imports_do_not_load_a_framework(statement: str) -> None:
    loaded = _imported_modules(statement)
    assert not {"torch", "tensorflow", "keras"} & loaded


def test_set_seed_makes_python_and_numpy_repeat() -> None:
    utils.set_seed(3)
    first = (random.random(), np.random.rand(3))  # noqa: NPY002 - the legacy generator is what is seeded
    utils.set_seed(3)
    second = (random.random(), np.random.rand(3))  # noqa: NPY002
    assert first[0] == second[0]
    np.testing.assert_array_equal(first[1], second[1])


def test_set_seed_seeds_torch_when_imported() -> None:
    torch = pytest.importorskip("torch")
    utils.set_seed(7)
    a = torch.rand(4)
    utils.set_seed(7)
    b = torch.rand(4)
    assert torch.equal(a, b)
    utils.set_seed(8)
    assert not torch.equal(a, torch.rand(4))


def test_set_seed_seeds_tensorflow_when_imported() -> None:
    utils.quiet_tensorflow()
    tf = pytest.importorskip("tensorflow")
    utils.set_seed(7)
    a = tf.random.uniform((4,)).numpy()
    utils.set_seed(7)
    b = tf.random.uniform((4,)).numpy()
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("bad", [1.5, "1", None, True])
def test_set_seed_rejects_non_integers(bad: object) -> None:
    with pytest.raises(TypeError, match="seed: expected an int"):
        utils.set_seed(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [-1, 2**32])
def test_set_seed_rejects_out_of_range(bad: int) -> None:
    with pytest.raises(ValueError, match=r"seed: expected an int in \[0, "):
        utils.set_seed(bad)


def test_get_device_defaults_to_an_available_device() -> None:
    torch = pytest.importorskip("torch")
    device = utils.get_device()
    assert isinstance(device, torch.device)
    torch.zeros(1, device=device)  # the device really works
    assert utils.get_device("cpu") == torch.device("cpu")


@pytest.mark.parametrize(("bad", "error"), [("tpu", ValueError), (0, TypeError)])
def test_get_device_rejects_unknown_names(bad: object, error: type[Exception]) -> None:
    with pytest.raises(error, match="prefer: expected"):
        utils.get_device(bad)  # type: ignore[arg-type]


def test_quiet_tensorflow_sets_log_level_without_importing_it(monkeypatch) -> None:
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)
    utils.quiet_tensorflow()
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "3"
    assert logging.getLogger("tensorflow").level == logging.ERROR


def test_quiet_tensorflow_leaves_no_startup_noise() -> None:
    code = (
        "from course_lib.utils import quiet_tensorflow; quiet_tensorflow(); "
        "import tensorflow as tf; tf.constant(1.0) + 1"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    noisy = [line for line in out.stderr.splitlines() if line.strip()]
    assert noisy == [], noisy


def test_timer_measures_and_prints(capsys) -> None:
    with utils.timer("work") as t:
        sum(range(1000))
    assert t["seconds"] >= 0
    assert capsys.readouterr().out.startswith("work: ")
    with pytest.raises(TypeError, match="label: expected a str"), utils.timer(3):  # type: ignore[arg-type]
        pass
