"""Test-session settings shared by unit tests and notebook runs (``pytest`` from the repo root)."""

from __future__ import annotations

import os
from collections import defaultdict

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

_NOTEBOOK_SECONDS: dict[str, float] = defaultdict(float)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Add up the time of every cell of a notebook (kernel start included)."""
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        _NOTEBOOK_SECONDS[path] += report.duration


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print one line per notebook with its run time, the number the 60-second budget is about."""
    if not _NOTEBOOK_SECONDS:
        return
    terminalreporter.section("notebook run times")
    for path, seconds in sorted(_NOTEBOOK_SECONDS.items()):
        flag = "" if seconds < 60 else "   <-- over the 60 s budget"
        terminalreporter.write_line(f"{seconds:7.1f} s  {path}{flag}")
    terminalreporter.write_line(f"{sum(_NOTEBOOK_SECONDS.values()):7.1f} s  all notebooks")
