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
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise AnimateError(f"cannot create output folder '{folder}': {error.strerror or error}") from None
    if not folder.is_dir():
        raise AnimateError(f"output path '{folder}' exists and is not a folder")
    # Creating a file is the only sure test: os.access says yes for root on /sys or /proc, and a
    # read-only mount may still allow listing. Checked before training, not after it.
    try:
        handle, probe = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=folder)
    except OSError as error:
        raise AnimateError(f"output folder '{folder}' is not writable: {error.strerror or error}") from None
    os.close(handle)
    os.unlink(probe)
    return folder


@contextlib.contextmanager
def atomic_path(final: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside ``final``; rename it over ``final`` only if the block succeeds.

    The temporary file lives in the same folder so that the rename is atomic (same file system).
    On any exception, KeyboardInterrupt included, the temporary file is removed and ``final`` is
    left exactly as it was.
    """
    final = Path(final)
    folder = ensure_writable_folder(final.parent if str(final.parent) else Path("."))
    try:
        handle, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=final.suffix, dir=folder)
    except OSError as error:
        raise AnimateError(f"cannot write into '{folder}': {error.strerror or error}") from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o644)  # mkstemp makes files 0600; outputs are meant to be shared
        os.replace(temporary, final)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
