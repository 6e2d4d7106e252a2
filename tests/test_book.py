"""The book: its structure, its notebooks' conventions, and a full `jupyter-book build . -W`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*/*.ipynb"))
NOTEBOOK_NAME = re.compile(r"^(\d\d)_[a-z0-9_]+/\1\.\d_[a-z0-9_]+\.ipynb$")
CHECK_TAGS = {"remove-input", "remove-cell"}


def _toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections", []))
            walk(entry.get("chapters", []))

    walk(toc.get("parts", []))
    return files


def _source_of(toc_entry: str) -> Path:
    for suffix in (".md", ".ipynb"):
        path = ROOT / f"{toc_entry}{suffix}"
        if path.exists():
            return path
    raise AssertionError(f"_toc.yml names {toc_entry!r}, but no .md or .ipynb file has that name")


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS, "no notebooks found under notebooks/NN_topic/"


def test_every_toc_entry_exists_and_every_notebook_is_listed() -> None:
    listed = {_source_of(entry) for entry in _toc_files()}
    missing = [str(p.relative_to(ROOT)) for p in NOTEBOOKS if p not in listed]
    assert not missing, f"notebooks missing from _toc.yml: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_follows_the_conventions(path: Path) -> None:
    rel = path.relative_to(ROOT / "notebooks").as_posix()
    assert NOTEBOOK_NAME.match(rel), f"{rel}: expected notebooks/NN_topic/NN.M_short_title.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    cells = notebook["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), (
        f"{rel}: stored with outputs; clear them before saving"
    )
    first = "".join(cells[0]["source"])
    chapter, section = re.match(r"(\d\d)\.(\d)_", path.name).groups()
    number = f"{int(chapter)}.{section}"
    assert first.startswith(f"# {number} "), f"{rel}: the first cell should be '# {number} Title'"
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert re.search(r"learning goals", text, re.I), f"{rel}: no learning goals"
    assert re.search(r"what we learned", text, re.I), f"{rel}: no 'What we learned' section"
    assert text.count("```{exercise}") + text.count(":::{exercise}") >= 2, f"{rel}: < 2 exercises"
    checks = [c for c in code if CHECK_TAGS & set(c.get("metadata", {}).get("tags", []))]
    assert checks, f"{rel}: no hidden check cell (tagged remove-input or remove-cell)"
    for cell in checks:
        first_line = "".join(cell["source"]).lstrip().splitlines()[0]
        assert first_line.startswith("#"), f"{rel}: a hidden check cell must open with a comment"
        assert "assert" in "".join(cell["source"]), f"{rel}: a hidden check cell asserts nothing"
    sources = "\n".join("".join(c["source"]) for c in code)
    assert "course_lib.exercises" in sources, f"{rel}: no exercise checked by course_lib.exercises"


@pytest.mark.slow
def test_book_builds_with_warnings_as_errors(tmp_path: Path) -> None:
    """Execute every notebook afresh and build the HTML book; any warning fails."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    # The test session draws off-screen (MPLBACKEND=Agg); the book's kernels must draw inline.
    env = {key: value for key, value in os.environ.items() if key != "MPLBACKEND"}
    result = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "-W", "--path-output", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    log = result.stdout[-6000:] + result.stderr[-6000:]
    assert result.returncode == 0, log
    html = tmp_path / "_build" / "html"
    assert (html / "index.html").exists()
    for entry in _toc_files():
        page = html / f"{entry}.html"
        assert page.exists(), f"missing page {page.relative_to(html)}"
    for notebook in NOTEBOOKS:  # every cell that shows a figure puts at least one in the page
        shown = sum("plt.show()" in "".join(cell["source"]) for cell in _cells(notebook))
        page = html / notebook.relative_to(ROOT).with_suffix(".html")
        drawn = re.findall(r'src="[./]*_images/[^"]+\.png"', page.read_text(encoding="utf-8"))
        assert len(drawn) >= shown, f"{page.name}: {shown} cells show a figure, {len(drawn)} drawn"
    assert not (html / "README.html").exists(), "README.md must stay out of the book"
    assert not list(html.glob("tests/**/*.html")), "tests/ must stay out of the book"
