"""The repository's own promises: pinned requirements, the two README commands, CI entry point."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^[A-Za-z0-9_.\-\[\]]+==[0-9][A-Za-z0-9.+\-]*(\s*;\s*.+)?$")


def _requirement_lines() -> list[str]:
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    kept = [line for line in lines if line.strip() and not line.startswith("#")]
    return [line.split(" #", 1)[0].strip() for line in kept]


def test_every_requirement_is_pinned_exactly() -> None:
    loose = [line for line in _requirement_lines() if line != "-e ." and not PIN.match(line)]
    assert not loose, f"requirements.txt: pin exact versions (name==version), not {loose}"


def test_requirements_install_course_lib_and_a_cpu_torch() -> None:
    lines = _requirement_lines()
    assert "-e ." in lines
    assert "torch==2.13.0" in lines, "an unpinned torch pulls a multi-GB CUDA build"
    assert not [line for line in lines if line.startswith(("torchvision", "torchaudio"))]


def test_readme_names_the_two_commands_and_the_makefile_has_them() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make book" in readme and "make test" in readme
    makefile = (ROOT / "Makefile").read_text()
    for target in ("book", "test", "lab", "clean"):
        assert re.search(rf"^{target}:", makefile, re.M), f"Makefile has no '{target}' target"
    # A matplotlib backend set for `make book` or `make lab` would keep figures out of the pages.
    assert not re.search(r"^export MPLBACKEND", makefile, re.M)


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
    assert "COURSE_DATA_DIR" in ci


def test_code_and_notebooks_are_ruff_clean() -> None:
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run(
        [str(ruff), "check", "--no-cache", str(ROOT)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-4000:]
