"""Atomic output: every file we write appears whole or not at all.

People regenerate blog media with ``make`` and commit what comes out, so an interrupted or failed
run must never leave a half-written GIF (or a damaged older one) behind.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator

from animate.errors import AnimateError

TEMP_PREFIX = ".nn-animate-"  # hidden, and easy to recognise if a crash ever leaves one


def ensure_writable_folder(folder: Path) -> Path:
    """Create ``folder`` if needed and check we can write into it, with a one-line error if not."""
    folder = _made_folder(folder)
    _temporary_file(folder).unlink()  # checked before training, not after it
    return folder


def _made_folder(folder: Path) -> Path:
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise AnimateError(f"cannot create output folder '{folder}': {error.strerror or error}") from None
    if not folder.is_dir():
        raise AnimateError(f"output path '{folder}' exists and is not a folder")
    return folder


def _temporary_file(folder: Path, suffix: str = "") -> Path:
    """A new hidden file in ``folder``. Creating one is the only sure test that we may write there:
    ``os.access`` says yes to root on /sys or /proc, and a read-only mount may still be listed."""
    try:
        handle, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=suffix, dir=folder)
    except OSError as error:
        raise AnimateError(f"output folder '{folder}' is not writable: {error.strerror or error}") from None
    os.close(handle)
    return Path(name)


@contextlib.contextmanager
def atomic_path(final: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside ``final``; rename it over ``final`` only if the block succeeds.

    The temporary file lives in the same folder so that the rename is atomic (same file system).
    On any exception, KeyboardInterrupt included, the temporary file is removed and ``final`` is
    left exactly as it was.
    """
    final = Path(final)
    temporary = _temporary_file(_made_folder(final.parent if str(final.parent) else Path(".")), final.suffix)
    try:
        yield temporary
        os.chmod(temporary, 0o644)  # mkstemp makes files 0600; outputs are meant to be shared
        os.replace(temporary, final)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
