"""Tests of course_lib.data.fsdd.

Part A reads the real recordings from the local mirror ($COURSE_DATA_DIR/fsdd/recordings).
Part B checks download, checksums and the atomic cache without internet: each test builds a
tiny release archive of generated WAV files and serves it from a loopback HTTP server.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
from scipy.io import wavfile

from course_lib.data import fsdd
from course_lib.data.fsdd import FSDD, ChecksumError, load_fsdd

# ---------------------------------------------------------------- A. the real data set (mirror)


def _mirror() -> Path | None:
    root = os.environ.get("COURSE_DATA_DIR")
    if root and (Path(root) / "fsdd" / "recordings").is_dir():
        return Path(root) / "fsdd"
    return None


needs_mirror = pytest.mark.skipif(
    _mirror() is None,
    reason="FSDD mirror not available: set COURSE_DATA_DIR to a folder holding fsdd/recordings/",
)


@pytest.fixture(scope="module")
def fsdd_all() -> FSDD:
    return load_fsdd("all", download=False)


@needs_mirror
def test_mirror_sizes_dtypes_and_values(fsdd_all) -> None:
    assert len(fsdd_all) == 3000 and fsdd_all.sample_rate == 8000
    assert fsdd_all.labels.dtype == np.int64 and fsdd_all.takes.dtype == np.int64
    assert np.bincount(fsdd_all.labels).tolist() == [300] * 10
    assert sorted(set(fsdd_all.speakers)) == sorted(
        ["george", "jackson", "lucas", "nicolas", "theo", "yweweler"]
    )
    assert set(fsdd_all.takes.tolist()) == set(range(50))
    for wave in fsdd_all.waveforms:
        assert wave.dtype == np.float32 and wave.ndim == 1 and len(wave) > 1000
        assert wave.min() >= -1.0 and wave.max() < 1.0
    assert max(np.abs(w).max() for w in fsdd_all.waveforms) > 0.5  # not silent or rescaled


@needs_mirror
def test_mirror_waveform_is_int16_over_32768(fsdd_all) -> None:
    i = fsdd_all.filenames.index("7_jackson_32.wav")
    rate, samples = wavfile.read(_mirror() / "recordings" / "7_jackson_32.wav")
    assert rate == 8000 and fsdd_all.labels[i] == 7 and fsdd_all.takes[i] == 32
    assert fsdd_all.speakers[i] == "jackson"
    np.testing.assert_array_equal(fsdd_all.waveforms[i], samples.astype(np.float32) / 32768)


@needs_mirror
def test_mirror_sorted_by_label_speaker_take(fsdd_all) -> None:
    columns = (fsdd_all.labels.tolist(), fsdd_all.speakers, fsdd_all.takes.tolist())
    keys = list(zip(*columns, strict=True))
    assert keys == sorted(keys)
    assert [f"{d}_{s}_{t}.wav" for d, s, t in keys] == fsdd_all.filenames


@needs_mirror
def test_mirror_official_split_by_take(fsdd_all) -> None:
    train, test = load_fsdd("train", download=False), load_fsdd("test", download=False)
    assert (len(train), len(test)) == (2700, 300)
    assert train.takes.min() == 5 and train.takes.max() == 49
    assert test.takes.min() == 0 and test.takes.max() == 4
    assert not set(train.filenames) & set(test.filenames)
    assert set(train.filenames) | set(test.filenames) == set(fsdd_all.filenames)
    assert np.bincount(test.labels).tolist() == [30] * 10


@needs_mirror
def test_mirror_loading_is_deterministic(fsdd_all) -> None:
    again = load_fsdd("all", download=False)
    assert again.filenames == fsdd_all.filenames
    for a, b in zip(again.waveforms, fsdd_all.waveforms, strict=True):
        np.testing.assert_array_equal(a, b)


@needs_mirror
def test_mirror_data_dir_may_hold_recordings_or_fsdd_recordings() -> None:
    by_fsdd_folder = load_fsdd("test", data_dir=_mirror(), download=False)
    by_parent = load_fsdd("test", data_dir=str(_mirror().parent), download=False)
    assert by_fsdd_folder.filenames == by_parent.filenames and len(by_parent) == 300


@needs_mirror
def test_package_checksums_equal_the_mirror_list() -> None:
    mirror = {}
    for line in (_mirror() / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        mirror[name] = digest
    assert fsdd._load_checksums() == mirror


@needs_mirror
def test_speaker_table_equals_the_mirror_metadata(fsdd_all) -> None:
    metadata = json.loads((_mirror() / "speakers.json").read_text())
    assert metadata == fsdd.SPEAKERS
    assert set(fsdd.SPEAKERS) == set(fsdd_all.speakers)


def test_speaker_table_names_the_speakers_of_the_checksum_list() -> None:
    speakers = {fsdd._parse_name(name)[1] for name in fsdd._load_checksums()}
    assert set(fsdd.SPEAKERS) == speakers
    assert all(set(info) == {"accent", "gender", "language"} for info in fsdd.SPEAKERS.values())


def test_package_checksum_list_names_every_recording() -> None:
    table = fsdd._load_checksums()
    assert len(table) == 3000
    assert all(len(d) == 64 and set(d) <= set("0123456789abcdef") for d in table.values())
    parsed = {fsdd._parse_name(name) for name in table}
    speakers = {speaker for _, speaker, _ in parsed}
    assert len(speakers) == 6
    expected = {(d, s, t) for d in range(10) for s in speakers for t in range(50)}
    assert parsed == expected


# ------------------------------------------------- B. download, checksums, cache (no internet)

TOP = "free-spoken-digit-dataset-1.0.10"


def _wav_bytes(seed: int, rate: int = 8000, dtype=np.int16, channels: int = 1) -> bytes:
    rng = np.random.default_rng(seed)
    samples = rng.integers(-20000, 20000, size=(400, channels)).astype(dtype).squeeze()
    buffer = io.BytesIO()
    wavfile.write(buffer, rate, samples)
    return buffer.getvalue()


@pytest.fixture
def recordings() -> dict[str, bytes]:
    """Twelve tiny recordings: digits 0-1, speakers ann and bo, takes 0, 5 and 6."""
    names = [f"{d}_{s}_{t}.wav" for d in (1, 0) for s in ("bo", "ann") for t in (6, 0, 5)]
    return {name: _wav_bytes(i) for i, name in enumerate(names)}


@pytest.fixture
def table(recordings, monkeypatch) -> dict[str, str]:
    """The checksum list of the tiny recordings, used by the loader instead of the real one."""
    sums = {name: hashlib.sha256(data).hexdigest() for name, data in recordings.items()}
    monkeypatch.setattr(fsdd, "_load_checksums", lambda: dict(sums))
    return sums


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """An empty cache and no mirror, so nothing touches the user's real folders."""
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    return tmp_path / "cache"


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:  # keep the test output clean
        pass


@pytest.fixture
def server(tmp_path, monkeypatch):
    """A loopback HTTP server for tmp_path/served; the loader's URL points at fsdd.tar.gz there."""
    served = tmp_path / "served"
    served.mkdir()
    hits: list[str] = []

    class Counting(_Handler):
        def do_GET(self) -> None:
            hits.append(self.path)
            super().do_GET()

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Counting, directory=str(served)))
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    for variable in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(variable, "127.0.0.1,localhost")
    url = f"http://127.0.0.1:{httpd.server_address[1]}/fsdd.tar.gz"
    monkeypatch.setattr(fsdd, "FSDD_URL", url)
    yield served, hits
    httpd.shutdown()
    httpd.server_close()


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def _write_archive(path: Path, members: dict[str, bytes], extra=None) -> None:
    with tarfile.open(path / "fsdd.tar.gz", "w:gz") as tar:
        _add(tar, f"{TOP}/README.md", b"spoken digits\n")
        _add(tar, f"{TOP}/utils/spectrogram.py", b"print('not a recording')\n")
        for name, data in members.items():
            _add(tar, f"{TOP}/recordings/{name}", data)
        if extra is not None:
            extra(tar)


def _write_folder(folder: Path, recordings: dict[str, bytes]) -> Path:
    (folder / "recordings").mkdir(parents=True)
    for name, data in recordings.items():
        (folder / "recordings" / name).write_bytes(data)
    return folder


def _assert_cache_untouched(cache: Path) -> None:
    assert not (cache / "fsdd" / "recordings").exists()
    left = [p for p in cache.rglob("*")] if cache.exists() else []
    assert not left, f"a failed download left {left}"


def test_download_lands_in_cache_and_is_reused(recordings, table, cache, server, capsys) -> None:
    served, hits = server
    _write_archive(served, recordings)
    train = load_fsdd("train")
    assert len(hits) == 1
    assert "Downloading" in capsys.readouterr().out
    assert sorted(p.name for p in (cache / "fsdd").iterdir()) == ["recordings"]  # no temp left
    assert sorted(p.name for p in (cache / "fsdd" / "recordings").iterdir()) == sorted(table)

    assert train.filenames == [
        "0_ann_5.wav", "0_ann_6.wav", "0_bo_5.wav", "0_bo_6.wav",
        "1_ann_5.wav", "1_ann_6.wav", "1_bo_5.wav", "1_bo_6.wav",
    ]  # fmt: skip
    assert train.labels.tolist() == [0, 0, 0, 0, 1, 1, 1, 1]
    assert train.speakers[:4] == ["ann", "ann", "bo", "bo"]
    assert train.takes.tolist() == [5, 6, 5, 6, 5, 6, 5, 6]
    expected = wavfile.read(io.BytesIO(recordings["0_bo_6.wav"]))[1].astype(np.float32) / 32768
    np.testing.assert_array_equal(train.waveforms[3], expected)

    test = load_fsdd("test")
    everything = load_fsdd("all")
    assert len(hits) == 1, "a second call must use the cache, not download again"
    assert test.takes.tolist() == [0, 0, 0, 0] and len(everything) == 12


def test_corrupt_archive_member_is_named_and_leaves_no_trace(
    recordings, table, cache, server
) -> None:
    served, _ = server
    damaged = dict(recordings)
    damaged["1_bo_5.wav"] = recordings["1_bo_5.wav"][:-2] + b"\x00\x01"
    _write_archive(served, damaged)
    with pytest.raises(ChecksumError) as info:
        load_fsdd("train")
    message = str(info.value)
    assert "1_bo_5.wav" in message and table["1_bo_5.wav"] in message
    assert hashlib.sha256(damaged["1_bo_5.wav"]).hexdigest() in message
    assert isinstance(info.value, ValueError)
    _assert_cache_untouched(cache)


def test_failed_download_keeps_an_existing_cache_folder_as_it_was(
    recordings, table, cache, server
) -> None:
    served, _ = server
    (cache / "fsdd").mkdir(parents=True)
    (cache / "fsdd" / "notes.txt").write_text("mine")
    missing = {k: v for k, v in recordings.items() if k != "0_ann_0.wav"}
    _write_archive(served, missing)
    with pytest.raises(FileNotFoundError, match="0_ann_0.wav"):
        load_fsdd("all")
    assert sorted(p.name for p in (cache / "fsdd").iterdir()) == ["notes.txt"]


def test_unreachable_server_gives_a_connection_error(table, cache, server) -> None:
    with pytest.raises(ConnectionError) as info:  # nothing is served: 404
        load_fsdd("train")
    assert fsdd.FSDD_URL in str(info.value) and "COURSE_DATA_DIR" in str(info.value)
    _assert_cache_untouched(cache)


def test_a_download_that_is_not_an_archive_is_refused(table, cache, server) -> None:
    served, _ = server
    (served / "fsdd.tar.gz").write_text("<html>rate limited</html>")
    with pytest.raises(ValueError, match="not a readable archive"):
        load_fsdd("train")
    _assert_cache_untouched(cache)


@pytest.mark.parametrize(
    "name",
    [f"{TOP}/recordings/../../evil.wav", "/tmp/evil.wav", f"{TOP}/../evil.wav"],
)
def test_unsafe_archive_member_is_refused(recordings, table, cache, server, tmp_path, name) -> None:
    served, _ = server
    _write_archive(served, recordings, extra=lambda tar: _add(tar, name, b"RIFF"))
    with pytest.raises(ValueError, match="unsafe member path"):
        load_fsdd("train")
    _assert_cache_untouched(cache)
    assert not list(tmp_path.rglob("evil.wav"))


def test_link_in_place_of_a_recording_is_refused(recordings, table, cache, server) -> None:
    served, _ = server
    without = {k: v for k, v in recordings.items() if k != "0_ann_5.wav"}

    def add_link(tar: tarfile.TarFile) -> None:
        link = tarfile.TarInfo(f"{TOP}/recordings/0_ann_5.wav")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        tar.addfile(link)

    _write_archive(served, without, extra=add_link)
    with pytest.raises(ValueError, match="not a regular file"):
        load_fsdd("train")
    _assert_cache_untouched(cache)


def test_copy_installed_meanwhile_by_another_process_is_kept(
    recordings, table, cache, server, monkeypatch
) -> None:
    served, hits = server
    _write_archive(served, recordings)
    download = fsdd._retrieve_archive

    def download_while_another_process_finishes(folder: Path) -> Path:
        archive = download(folder)
        _write_folder(cache / "fsdd", recordings)
        return archive

    monkeypatch.setattr(fsdd, "_retrieve_archive", download_while_another_process_finishes)
    assert len(load_fsdd("all")) == 12 and len(hits) == 1
    assert sorted(p.name for p in (cache / "fsdd").iterdir()) == ["recordings"]


def test_a_file_blocking_the_cache_folder_is_an_error(recordings, table, cache, server) -> None:
    served, _ = server
    _write_archive(served, recordings)
    (cache / "fsdd").mkdir(parents=True)
    (cache / "fsdd" / "recordings").write_text("not a folder")
    with pytest.raises(OSError):
        load_fsdd("train")
    assert sorted(p.name for p in (cache / "fsdd").iterdir()) == ["recordings"]


def test_no_data_and_no_download_says_how_to_get_it(table, cache, server) -> None:
    _, hits = server
    with pytest.raises(FileNotFoundError) as info:
        load_fsdd("train", download=False)
    message = str(info.value)
    assert "download=True" in message and "COURSE_DATA_DIR" in message
    assert "fsdd/recordings" in message
    assert not hits
    _assert_cache_untouched(cache)


def test_course_data_dir_is_used_before_the_cache(
    recordings, table, cache, server, tmp_path, monkeypatch
) -> None:
    _, hits = server
    _write_folder(tmp_path / "shared" / "fsdd", recordings)
    damaged = {k: b"damaged" for k in recordings}
    _write_folder(cache / "fsdd", damaged)  # would fail if it were read
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "shared"))
    assert len(load_fsdd("all", download=False)) == 12
    assert not hits


def test_data_dir_argument_is_used_before_course_data_dir(
    recordings, table, cache, tmp_path, monkeypatch
) -> None:
    _write_folder(tmp_path / "mine", recordings)
    _write_folder(tmp_path / "shared" / "fsdd", {k: b"damaged" for k in recordings})
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "shared"))
    assert len(load_fsdd("test", data_dir=tmp_path / "mine")) == 4
    _write_folder(tmp_path / "parent" / "fsdd", recordings)
    assert len(load_fsdd("test", data_dir=tmp_path / "parent")) == 4


def test_data_dir_without_recordings_is_an_error(table, cache, tmp_path) -> None:
    with pytest.raises(FileNotFoundError) as info:
        load_fsdd("train", data_dir=tmp_path / "empty")
    assert "data_dir" in str(info.value) and "empty" in str(info.value)
    assert "data_dir=None" in str(info.value)


def test_corrupt_file_in_data_dir_is_named(recordings, table, cache, tmp_path) -> None:
    folder = _write_folder(tmp_path / "mine", recordings)
    (folder / "recordings" / "0_bo_0.wav").write_bytes(b"RIFF....")
    with pytest.raises(ChecksumError) as info:
        load_fsdd("train", data_dir=folder)  # a test-split file: every file is checked
    message = str(info.value)
    assert "0_bo_0.wav" in message and table["0_bo_0.wav"] in message
    assert "good copy" in message


def test_corrupt_file_in_cache_says_to_remove_the_cache(recordings, table, cache) -> None:
    folder = _write_folder(cache / "fsdd", recordings)
    (folder / "recordings" / "1_ann_6.wav").write_bytes(b"RIFF....")
    with pytest.raises(ChecksumError, match="1_ann_6.wav") as info:
        load_fsdd("test")
    assert "download a fresh copy" in str(info.value)


def test_missing_file_in_data_dir_is_named(recordings, table, cache, tmp_path) -> None:
    folder = _write_folder(tmp_path / "mine", recordings)
    (folder / "recordings" / "1_ann_0.wav").unlink()
    with pytest.raises(FileNotFoundError, match="1_ann_0.wav"):
        load_fsdd("all", data_dir=folder)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_wav_bytes(0, rate=16000), "1 channel(s) of int16 at 16000 Hz"),
        (_wav_bytes(0, channels=2), "2 channel(s) of int16 at 8000 Hz"),
        (_wav_bytes(0, dtype=np.float32), "1 channel(s) of float32 at 8000 Hz"),
        (b"RIFF" + bytes(40), "not a readable WAV file"),
    ],
)
def test_other_wav_formats_are_rejected_by_name(
    recordings, cache, tmp_path, monkeypatch, data, message
) -> None:
    recordings = {**recordings, "1_bo_6.wav": data}
    sums = {name: hashlib.sha256(d).hexdigest() for name, d in recordings.items()}
    monkeypatch.setattr(fsdd, "_load_checksums", lambda: sums)
    folder = _write_folder(tmp_path / "mine", recordings)
    with pytest.raises(ValueError) as info:
        load_fsdd("train", data_dir=folder)
    assert "1_bo_6.wav" in str(info.value) and message in str(info.value)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"split": "validation"}, ValueError, "split: expected one of ('train', 'test', 'all')"),
        ({"data_dir": 3}, TypeError, "data_dir: expected a folder path"),
        ({"download": "yes"}, TypeError, "download: expected True or False, got 'yes'"),
    ],
)
def test_bad_arguments_raise_clear_errors(kwargs, error, message) -> None:
    with pytest.raises(error) as info:
        load_fsdd(**kwargs)
    assert message in str(info.value)


def test_import_does_not_load_a_framework() -> None:
    code = "import sys, course_lib.data.fsdd; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert not {"torch", "tensorflow", "keras"} & set(out.stdout.split())
