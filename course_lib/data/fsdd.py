"""The Free Spoken Digit Dataset (FSDD): 3,000 recordings of spoken digits.

Six speakers say each digit 0-9 fifty times (takes 0-49); every recording is a mono 16-bit
WAV file at 8 kHz named ``{digit}_{speaker}_{take}.wav``. Official split: takes 0-4 are the
test set (300 recordings), takes 5-49 the training set (2,700). Licence: CC BY-SA 4.0,
by Zohar Jackson and the dataset's contributors (github.com/Jakobovski/free-spoken-digit-dataset).

Where ``load_fsdd`` finds the recordings, in this order:

1. ``data_dir`` if given: a folder holding ``recordings/`` or ``fsdd/recordings/`` (a given
   ``data_dir`` must hold them: there is no fallback to the other places);
2. ``$COURSE_DATA_DIR/fsdd/recordings/`` if that folder exists;
3. the cache: ``$COURSE_CACHE_DIR/fsdd/recordings/`` if ``COURSE_CACHE_DIR`` is set, else
   ``fsdd/recordings/`` inside ``pooch.os_cache("course_lib")`` (e.g. ``~/.cache/course_lib``);
4. otherwise (``download=True``) the release archive is downloaded once into the cache.

Whatever the location, every recording is checked against the SHA-256 list kept in
``course_lib/data/fsdd_sha256.txt`` each time the data set is loaded (hashing the 27 MB takes
well under a second). A download is unpacked into a temporary folder inside the cache, checked,
and only then moved into place, so a broken download never leaves a half-filled cache.

Book: Chapter 2 (Multimodal data and preprocessing), the audio modality.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath

import numpy as np
import pooch
from scipy.io import wavfile

FSDD_URL = (
    "https://github.com/Jakobovski/free-spoken-digit-dataset/archive/refs/tags/v1.0.10.tar.gz"
)
SAMPLE_RATE = 8000
N_TEST_TAKES = 5
"""Takes 0..N_TEST_TAKES-1 form the official test split, the other takes the training split."""
SPLITS = ("train", "test", "all")
SPEAKERS = {
    "george": {"accent": "GRC/Greek", "gender": "male", "language": "english"},
    "jackson": {"accent": "USA/neutral", "gender": "male", "language": "english"},
    "lucas": {"accent": "DEU/German", "gender": "male", "language": "english"},
    "nicolas": {"accent": "BEL/French", "gender": "male", "language": "english"},
    "theo": {"accent": "USA/neutral", "gender": "male", "language": "english"},
    "yweweler": {"accent": "DEU/German", "gender": "male", "language": "english"},
}
"""The six speakers of release v1.0.10, as the data set's metadata describes them.

Every one speaks English as a man; only the accents differ. Book: Chapter 3, "Speech digits"
(a speaker-independent split).
"""

_HOW_TO_GET = (
    "Call load_fsdd(download=True) to download the recordings once into the cache, or set "
    "the environment variable COURSE_DATA_DIR to a folder holding fsdd/recordings/."
)


class ChecksumError(ValueError):
    """A recording whose SHA-256 differs from the course's list of FSDD checksums."""


@dataclass
class FSDD:
    """Recordings of one split of FSDD, sorted by (label, speaker, take).

    waveforms: one float32 1-D array per recording, x = int16_sample / 32768, in [-1, 1).
    """

    waveforms: list[np.ndarray]
    labels: np.ndarray
    speakers: list[str]
    takes: np.ndarray
    filenames: list[str]
    sample_rate: int = SAMPLE_RATE

    def __len__(self) -> int:
        return len(self.labels)


def _load_checksums() -> dict[str, str]:
    """File name -> expected SHA-256, read from the package file ``fsdd_sha256.txt``."""
    text = resources.files("course_lib.data").joinpath("fsdd_sha256.txt").read_text("ascii")
    table = {}
    for line in text.splitlines():
        if line.strip():
            digest, name = line.split()
            table[name.lstrip("*")] = digest.lower()
    return table


def _parse_name(name: str) -> tuple[int, str, int]:
    """``"7_jackson_32.wav"`` -> ``(7, "jackson", 32)``."""
    label, rest = name.removesuffix(".wav").split("_", 1)
    speaker, take = rest.rsplit("_", 1)
    return int(label), speaker, int(take)


def _cache_root() -> Path:
    cache = os.environ.get("COURSE_CACHE_DIR")
    return Path(cache) if cache else Path(pooch.os_cache("course_lib"))


def _find_recordings(data_dir: str | os.PathLike | None) -> Path | None:
    """The first folder of recordings in the lookup order, or None if there is none yet."""
    if data_dir is not None:
        root = Path(data_dir)
        for candidate in (root / "recordings", root / "fsdd" / "recordings"):
            if candidate.is_dir():
                return candidate
        raise FileNotFoundError(
            f"data_dir: expected a folder holding recordings/ or fsdd/recordings/, got {root} "
            "(neither exists). Leave data_dir=None to use COURSE_DATA_DIR or the download cache."
        )
    shared = os.environ.get("COURSE_DATA_DIR")
    if shared and (Path(shared) / "fsdd" / "recordings").is_dir():
        return Path(shared) / "fsdd" / "recordings"
    cached = _cache_root() / "fsdd" / "recordings"
    return cached if cached.is_dir() else None


def _check_complete(folder: Path, names: Iterable[str]) -> None:
    missing = [name for name in names if not (folder / name).is_file()]
    if missing:
        shown = ", ".join(missing[:3]) + (", ..." if len(missing) > 3 else "")
        raise FileNotFoundError(
            f"FSDD: {len(missing)} expected recording(s) missing from {folder}: {shown}"
        )


def _verified_bytes(path: Path, expected: str, hint: str) -> bytes:
    data = path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise ChecksumError(
            f"FSDD: {path} has SHA-256 {actual}, expected {expected}; the file is damaged or "
            f"not the FSDD v1.0.10 recording. {hint}"
        )
    return data


def _read_wav(path: Path, data: bytes) -> np.ndarray:
    """Decode a mono 16-bit 8 kHz WAV file into float32 samples x = int16 / 32768."""
    try:
        rate, samples = wavfile.read(io.BytesIO(data))
    except ValueError as err:
        raise ValueError(f"FSDD: {path} is not a readable WAV file ({err})") from err
    if rate != SAMPLE_RATE or samples.dtype != np.int16 or samples.ndim != 1:
        channels = 1 if samples.ndim == 1 else samples.shape[1]
        raise ValueError(
            f"FSDD: {path}: expected a mono 16-bit WAV at {SAMPLE_RATE} Hz, got "
            f"{channels} channel(s) of {samples.dtype} at {rate} Hz"
        )
    return samples.astype(np.float32) / np.float32(32768.0)


def _retrieve_archive(folder: Path) -> Path:
    """Download the release archive into ``folder`` with pooch."""
    logger = pooch.get_logger()
    level = logger.level
    # pooch would log the archive's hash and suggest pinning it; the archive is generated by
    # GitHub and its bytes may change, so every recording inside is checked instead.
    logger.setLevel("WARNING")
    try:
        return Path(
            pooch.retrieve(
                FSDD_URL, known_hash=None, fname="fsdd.tar.gz", path=folder, progressbar=True
            )
        )
    except OSError as err:
        raise ConnectionError(
            f"FSDD: could not download {FSDD_URL} ({err}). Without internet, set "
            "COURSE_DATA_DIR to a folder holding fsdd/recordings/."
        ) from err
    finally:
        logger.setLevel(level)


def _extract_recordings(archive: Path, target: Path, names: set[str]) -> None:
    """Copy the members ``<top>/recordings/<name>.wav`` listed in ``names`` into ``target``.

    Refuses the whole archive if any member has an absolute path or a ``..`` component, or if a
    recording is not a regular file (e.g. a link).
    """
    target.mkdir()
    try:
        with tarfile.open(archive, "r:*") as tar:
            for member in tar:
                path = PurePosixPath(member.name)
                if path.is_absolute() or ".." in path.parts:
                    raise ValueError(
                        f"FSDD: refusing the archive, unsafe member path {member.name!r}"
                    )
                parts = path.parts
                if len(parts) != 3 or parts[1] != "recordings" or parts[2] not in names:
                    continue
                if not member.isfile():
                    raise ValueError(
                        f"FSDD: refusing the archive, member {member.name!r} is not a regular file"
                    )
                (target / parts[2]).write_bytes(tar.extractfile(member).read())
    except (tarfile.TarError, EOFError) as err:
        raise ValueError(
            f"FSDD: the download from {FSDD_URL} is not a readable archive ({err})"
        ) from err


def _download(checksums: dict[str, str]) -> Path:
    """Download, verify and atomically install the recordings into the cache; return them."""
    fsdd_dir = _cache_root() / "fsdd"
    final = fsdd_dir / "recordings"
    created = not fsdd_dir.exists()
    fsdd_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".download-", dir=fsdd_dir))
    print(f"Downloading the Free Spoken Digit Dataset from {FSDD_URL} into {final} (once).")
    try:
        archive = _retrieve_archive(staging)
        recordings = staging / "recordings"
        _extract_recordings(archive, recordings, set(checksums))
        _check_complete(recordings, checksums)
        hint = "The download was discarded; nothing was written to the cache."
        for name, expected in checksums.items():
            _verified_bytes(recordings / name, expected, hint)
        try:
            os.replace(recordings, final)
        except OSError:
            if not final.is_dir():  # another process may have installed its copy first
                raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created:
            with suppress(OSError):
                fsdd_dir.rmdir()
        raise
    shutil.rmtree(staging, ignore_errors=True)
    return final


def load_fsdd(
    split: str = "train", data_dir: str | os.PathLike | None = None, download: bool = True
) -> FSDD:
    """Load one split of the Free Spoken Digit Dataset, checked file by file.

    Parameters
    ----------
    split : "train", "test" or "all"
        Official split: takes 0-4 are "test" (300 recordings), takes 5-49 "train" (2,700).
    data_dir : folder or None
        A folder holding ``recordings/`` or ``fsdd/recordings/`` (used as is, never downloaded
        into). If None, look in ``$COURSE_DATA_DIR/fsdd/recordings/``, then in the cache (see
        the module docstring).
    download : bool
        Download the release archive into the cache when no copy is found.

    Returns
    -------
    FSDD
        waveforms (float32 in [-1, 1), x = int16 / 32768), labels (int64), speakers, takes
        (int64), filenames and sample_rate (8000), sorted by (label, speaker, take).

    Raises
    ------
    FileNotFoundError
        No copy found and ``download=False``, ``data_dir`` holds no recordings, or an expected
        recording is missing.
    ChecksumError
        A recording's SHA-256 differs from the list (a subclass of ValueError).

    Book: Chapter 2 (Multimodal data and preprocessing).
    """
    if split not in SPLITS:
        raise ValueError(f"split: expected one of {SPLITS}, got {split!r}")
    if data_dir is not None and not isinstance(data_dir, str | os.PathLike):
        raise TypeError(f"data_dir: expected a folder path (str or Path) or None, got {data_dir!r}")
    if not isinstance(download, bool):
        raise TypeError(f"download: expected True or False, got {download!r}")

    checksums = _load_checksums()
    folder = _find_recordings(data_dir)
    if folder is None:
        if not download:
            raise FileNotFoundError(
                f"FSDD recordings not found (no fsdd/recordings/ under COURSE_DATA_DIR, nothing "
                f"in the cache {_cache_root() / 'fsdd'}). {_HOW_TO_GET}"
            )
        folder = _download(checksums)

    names = sorted(checksums, key=_parse_name)
    _check_complete(folder, names)
    if folder == _cache_root() / "fsdd" / "recordings":
        hint = f"Remove the folder {folder} and call load_fsdd() again to download a fresh copy."
    else:
        hint = "Replace it with a good copy of the FSDD v1.0.10 recording."
    waveforms, labels, speakers, takes, filenames = [], [], [], [], []
    for name in names:
        data = _verified_bytes(folder / name, checksums[name], hint)
        label, speaker, take = _parse_name(name)
        is_test = take < N_TEST_TAKES
        if split == "all" or is_test == (split == "test"):
            waveforms.append(_read_wav(folder / name, data))
            labels.append(label)
            speakers.append(speaker)
            takes.append(take)
            filenames.append(name)
    return FSDD(
        waveforms=waveforms,
        labels=np.asarray(labels, dtype=np.int64),
        speakers=speakers,
        takes=np.asarray(takes, dtype=np.int64),
        filenames=filenames,
    )
