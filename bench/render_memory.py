"""Peak memory of rendering a 4,000-frame recording versus a 400-frame one (target ratio <= 1.5).

The renderer streams frames into ffmpeg, so its memory should not grow with the animation's
length. We render a synthetic recording (NumPy only, as in tests/conftest.py: 2 runs, 50 grid
points, 2 weights) to GIF and MP4 in one pass, with ``duration = frames / fps`` so that every
recording frame is drawn and encoded, in a fresh Python child process per size. The 400-frame
render is the "baseline": the same work, ten times shorter.

Reported: ru_maxrss (peak resident memory) of the Python process that renders, and of the
largest ffmpeg encoder it starts (from its RUSAGE_CHILDREN), each measured in that child.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from _common import report

from animate import Recording

FPS = 20
CHILD = """
import json, resource, sys
from animate import Recording, render
recording, out, duration = sys.argv[1], sys.argv[2], float(sys.argv[3])
render(Recording.load(recording), out, formats=("gif", "mp4"), fps=20, duration=duration)
print(json.dumps({"python": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "ffmpeg": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def synthetic_recording(frames: int, runs: int = 2, grid_points: int = 50) -> Recording:
    """Runs whose prediction slides from 0 towards x**2 while the loss falls (as tests/conftest.py)."""
    grid = np.linspace(-1, 1, grid_points)[:, None]
    progress = np.linspace(0, 1, frames)
    predictions = np.stack([progress[:, None, None] * (r + 1) / runs * grid**2 for r in range(runs)])
    loss = np.stack([np.geomspace(1.0, 0.01 * (r + 1), frames) for r in range(runs)])
    weights = np.stack([np.outer(progress, [1, 2]) * (r + 1) for r in range(runs)])
    x_train = np.linspace(-1, 1, 20)[:, None]
    return Recording(runs=tuple(f"run {r}" for r in range(runs)), steps=np.arange(frames) * 10, grid=grid,
                     predictions=predictions, loss=loss, weights=weights, x_train=x_train, y_train=x_train**2,
                     target=grid**2, meta={"lesson": "synthetic", "message": "A synthetic recording for benchmarks."})


def peak_kib(folder: Path, frames: int) -> dict[str, int]:
    path = folder / f"synthetic-{frames}.npz"
    synthetic_recording(frames).save(path)
    result = subprocess.run([sys.executable, "-c", CHILD, path, folder / f"out-{frames}", str(frames / FPS)],
                            check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as folder:
        short, long = peak_kib(Path(folder), 400), peak_kib(Path(folder), 4000)
    for process in ("python", "ffmpeg"):
        report(f"peak RSS of the {process} process, GIF+MP4, 4,000 frames vs 400 frames",
               f"{long[process] / 1024:.0f} MiB", f"{short[process] / 1024:.0f} MiB", long[process] / short[process],
               "ratio = 4,000/400, target <= 1.5; 'baseline' = the 400-frame render")


if __name__ == "__main__":
    main()
