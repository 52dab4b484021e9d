"""Rendering a lesson's recording to GIF and MP4: nn-animate versus plain matplotlib FuncAnimation.

    python bench/render_speed.py [REC.npz] [--repeats N]

Without REC.npz we train dying_relu once (``nn-animate run dying_relu --no-render``, which calls
``animate.train.train`` and saves the recording) into a temporary folder.

Ours: the whole process ``nn-animate render REC.npz --out x.gif --quiet`` (and ``x.mp4``), timed
end to end as a subprocess, start-up included.

Baseline, the "plain way": bench/_baseline_funcanimation.py, also a whole subprocess: a pyplot
figure of the same size with the same panels, ``FuncAnimation(blit=False)`` updating the same
data, saved with ``PillowWriter(fps=20)`` / ``FFMpegWriter(fps=20)``; the same number of video
frames as ours (``len(video_frame_indices(F, fps=20))``, the final hold included). It is what the
matplotlib documentation teaches for saving an animation.

The baseline redraws the whole figure each frame (~0.1-0.2 s), so one baseline render takes
about a minute: by default each side runs once per format;
``--repeats 3`` gives medians of alternating repeats and takes several minutes.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import BIN, alternate, report, timed

from animate.recording import Recording
from animate.render import video_frame_indices

BASELINE = Path(__file__).with_name("_baseline_funcanimation.py")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recording", nargs="?", type=Path)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-render-") as folder:
        folder = Path(folder)
        recording = args.recording
        if recording is None:
            subprocess.run([BIN / "nn-animate", "run", "dying_relu", "--out", folder, "--no-render", "--quiet"],
                           check=True)
            recording = folder / "dying_relu.npz"
        frames = len(video_frame_indices(len(Recording.load(recording).steps), fps=20))
        sizes = {}
        for suffix in ("gif", "mp4"):
            ours_out, baseline_out = folder / f"ours.{suffix}", folder / f"baseline.{suffix}"

            def ours() -> float:
                return timed(lambda: subprocess.run(
                    [BIN / "nn-animate", "render", recording, "--out", ours_out, "--quiet"], check=True))

            def baseline() -> float:
                return timed(lambda: subprocess.run(
                    [sys.executable, BASELINE, recording, baseline_out, "--frames", str(frames)], check=True))

            mine, theirs = alternate(ours, baseline, repeats=args.repeats)
            sizes[suffix] = ours_out.stat().st_size, baseline_out.stat().st_size
            report(f"render {recording.name} -> {suffix.upper()}, {frames} frames, whole process",
                   f"{mine:.1f} s ({frames / mine:.0f} frames/s)",
                   f"{theirs:.1f} s ({frames / theirs:.1f} frames/s)", theirs / mine,
                   f"ratio = baseline/ours, target >= 10; {args.repeats} run(s) each")
        ours_size, baseline_size = sizes["gif"]
        report("GIF file size", f"{ours_size / 1e3:.0f} kB", f"{baseline_size / 1e3:.0f} kB", ours_size / baseline_size,
               "ratio = ours/baseline, target <= 0.5")
        ours_size, baseline_size = sizes["mp4"]
        report("MP4 file size (context)", f"{ours_size / 1e3:.0f} kB", f"{baseline_size / 1e3:.0f} kB",
               ours_size / baseline_size, "ratio = ours/baseline")


if __name__ == "__main__":
    main()
