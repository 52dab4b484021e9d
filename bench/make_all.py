"""Wall time of ``make all`` from a clean output/ (target: under 3 minutes on two cores).

We copy the working tree (uncommitted edits included; without .git, .venv and output/'s files)
into a temporary folder, link the existing .venv into it and run ``make all QUIET=--quiet``
there, so the real output/ is never touched. ``-o .venv/.installed`` tells make the virtualenv is
installed (it is), so it never reinstalls the shared .venv from the copy; PYTHONPATH points at
the copy so its own ``animate`` and ``scenarios`` are the ones run.

There is no other implementation to compare with, so the "baseline" column is the target.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from _common import ROOT, report

TARGET_SECONDS = 180
SKIP = shutil.ignore_patterns(".git", ".venv", "__pycache__", ".pytest_cache", ".hypothesis", "*.egg-info", "build")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-make-all-") as folder:
        copy = Path(folder) / "repo"
        shutil.copytree(ROOT, copy, ignore=SKIP)
        for item in (copy / "output").glob("*"):
            item.unlink()
        (copy / ".venv").symlink_to(ROOT / ".venv")
        lessons = sorted(path.stem for path in (copy / "scenarios").glob("[!_]*.py"))
        environment = {**os.environ, "PYTHONPATH": str(copy)}
        start = time.perf_counter()
        subprocess.run(["make", "-o", ".venv/.installed", "all", "QUIET=--quiet"], cwd=copy, env=environment,
                       check=True, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        made = len(list((copy / "output").glob("*.gif")))
    report(f"make all from a clean output/ ({len(lessons)} lessons, {made} GIFs made), one job per core",
           f"{seconds:.0f} s", f"{TARGET_SECONDS} s (the target)", seconds / TARGET_SECONDS,
           "ratio = wall time / target, target <= 1")


if __name__ == "__main__":
    main()
