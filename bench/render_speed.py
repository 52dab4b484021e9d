"""Rendering recordings to GIF and MP4: nn-animate, fast path and fallback, versus matplotlib FuncAnimation.

    python bench/render_speed.py [REC.npz | --lessons a,b|all] [--recordings DIR] [--formats gif,mp4] [--repeats N]

Without REC.npz or ``--lessons`` it renders dying_relu, as ``make bench`` runs it. ``--lessons all``
means the six lessons dying_relu, batch_jitter, local_optimum, square, activations, classifier.
Each lesson's recording is DIR/LESSON.npz (``--recordings DIR``); missing ones are trained first
(``nn-animate run LESSON --no-render``, which calls ``animate.train.train`` and saves the
recording, a few seconds each) into DIR, by default a temporary folder.

Per lesson and format, three whole processes, each timed end to end as a subprocess, start-up
included, alternating (A B C, C B A, ...; medians of ``--repeats``, default 1):

- fast: ``nn-animate render REC.npz --out x.gif --quiet`` (and ``x.mp4``), frames drawn with the
  fast path (animate/render/fast: cached glyphs, sprites, map resampling, tick memo), as shipped;
- fallback: the same command with ``NN_ANIMATE_FAST_DRAWING=0`` in its environment, so every frame
  is drawn by matplotlib's own blitting, no trick reaching under its private API: what a user gets
  when a trick is off (an older matplotlib) or the switch says 0. Why measure it: the fallback must
  still beat the plain way by a wide margin (target >= 5x) for the fast path to be a bonus, not a
  crutch;
- baseline, the "plain way": bench/_baseline_funcanimation.py, a pyplot figure of the same size
  with the same panels (a map for the classifier), ``FuncAnimation(blit=False)`` updating the same
  data, saved with ``PillowWriter(fps=20)`` / ``FFMpegWriter(fps=20)``; the same number of video
  frames as ours (``len(video_frame_indices(F, fps=20))``, the final hold included). It is what the
  matplotlib documentation teaches for saving an animation.

Each (lesson, format) prints two lines, the fallback against the baseline (target >= 5) and the
fast path against it (target >= 10), then the GIF sizes; a table at the end puts the three
times side by side. The baseline redraws the whole figure twice a frame (~0.3 s), so one baseline
render takes about a minute: the default run takes about 3 minutes, ``--lessons all --formats gif``
about 10, and ``--repeats 3`` triples either. Nothing asserts a timing.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import BIN, alternate, report, timed

from animate.recording import Recording
from animate.render import video_frame_indices

BASELINE = Path(__file__).with_name("_baseline_funcanimation.py")
LESSONS = ("dying_relu", "batch_jitter", "local_optimum", "square", "activations", "classifier")
SWITCH = "NN_ANIMATE_FAST_DRAWING"


def environments() -> tuple[dict[str, str], dict[str, str]]:
    """The fast path's environment (the switch unset, whatever ours says) and the fallback's (switch 0)."""
    fast = {key: value for key, value in os.environ.items() if key != SWITCH}
    return fast, {**fast, SWITCH: "0"}


def recordings(args: argparse.Namespace, folder: Path) -> list[Path]:
    if args.recording is not None:
        return [args.recording.resolve()]
    names = LESSONS if args.lessons.strip() == "all" else [name.strip() for name in args.lessons.split(",")
                                                              if name.strip()]
    where = args.recordings or folder
    paths = []
    for lesson in names:
        path = (where / f"{lesson}.npz").resolve()
        if not path.exists():
            subprocess.run([BIN / "nn-animate", "run", lesson, "--out", where, "--no-render", "--quiet"], check=True)
        paths.append(path)
    return paths


def time_format(args: argparse.Namespace, recording: Path, suffix: str, frames: int, folder: Path,
                fast_environment: dict[str, str], fallback_environment: dict[str, str]) -> tuple[tuple, tuple]:
    """Ours (fast path and fallback) and the baseline rendering ``recording`` to ``suffix``, alternated and
    reported; their files' sizes and the table's row."""
    fast_out, fallback_out = folder / f"fast.{suffix}", folder / f"fallback.{suffix}"
    baseline_out = folder / f"baseline.{suffix}"

    def ours(out: Path, environment: dict[str, str]):
        command = [BIN / "nn-animate", "render", recording, "--out", out, "--quiet"]
        return lambda: timed(lambda: subprocess.run(command, check=True, env=environment))

    def baseline() -> float:
        return timed(lambda: subprocess.run(
            [sys.executable, BASELINE, recording, baseline_out, "--frames", str(frames)], check=True,
            env=fast_environment))

    fast, fallback, theirs = alternate(ours(fast_out, fast_environment),
                                       ours(fallback_out, fallback_environment), baseline,
                                       repeats=args.repeats)
    sizes = fast_out.stat().st_size, fallback_out.stat().st_size, baseline_out.stat().st_size
    figure = f"render {recording.name} -> {suffix.upper()}, {frames} frames, whole process"
    writer = "PillowWriter" if suffix == "gif" else "FFMpegWriter"
    runs = f"{args.repeats} run(s) each, alternating with the other two"
    report(f"{figure}, fallback ({SWITCH}=0)", f"{fallback:.1f} s ({frames / fallback:.0f} frames/s)",
           f"FuncAnimation+{writer} {theirs:.1f} s ({frames / theirs:.1f} frames/s)", theirs / fallback,
           f"ratio = baseline/fallback, target >= 5; fast path {fast:.1f} s; {runs}")
    report(f"{figure}, fast path", f"{fast:.1f} s ({frames / fast:.0f} frames/s)",
           f"FuncAnimation+{writer} {theirs:.1f} s ({frames / theirs:.1f} frames/s)", theirs / fast,
           f"ratio = baseline/fast, target >= 10; fallback {fallback:.1f} s; {runs}")
    return sizes, (recording.stem, suffix.upper(), frames, fast, fallback, theirs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recording", nargs="?", type=Path)
    parser.add_argument("--lessons", default="dying_relu", help="comma-separated lessons, or all")
    parser.add_argument("--recordings", type=Path, default=None, help="folder of LESSON.npz (default: a temporary one)")
    parser.add_argument("--formats", default="gif,mp4")
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    formats = [suffix.strip() for suffix in args.formats.split(",") if suffix.strip()]
    fast_environment, fallback_environment = environments()

    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-render-") as folder:
        folder = Path(folder)
        for recording in recordings(args, folder):
            frames = len(video_frame_indices(len(Recording.load(recording).steps), fps=20))
            sizes = {}
            for suffix in formats:
                sizes[suffix], row = time_format(args, recording, suffix, frames, folder, fast_environment,
                                                 fallback_environment)
                rows.append(row)
            if "gif" in sizes:
                fast_size, fallback_size, baseline_size = sizes["gif"]
                report(f"GIF file size, {recording.name}",
                       f"{fast_size / 1e3:.0f} kB (fallback {fallback_size / 1e3:.0f} kB)",
                       f"{baseline_size / 1e3:.0f} kB", fast_size / baseline_size,
                       "ratio = ours/baseline, target <= 0.5")
            if "mp4" in sizes:
                fast_size, fallback_size, baseline_size = sizes["mp4"]
                report(f"MP4 file size (context), {recording.name}",
                       f"{fast_size / 1e3:.0f} kB (fallback {fallback_size / 1e3:.0f} kB)",
                       f"{baseline_size / 1e3:.0f} kB", fast_size / baseline_size, "ratio = ours/baseline")

    print(f"\n{'lesson':<14} {'format':<6} {'frames':>6} {'fast s':>8} {'fallback s':>11} {'FuncAnim s':>11} "
          f"{'FA/fallback':>12} {'FA/fast':>8} {'fallback/fast':>14}")
    for lesson, suffix, frames, fast, fallback, theirs in rows:
        print(f"{lesson:<14} {suffix:<6} {frames:>6} {fast:>8.1f} {fallback:>11.1f} {theirs:>11.1f} "
              f"{theirs / fallback:>11.1f}x {theirs / fast:>7.1f}x {fallback / fast:>13.2f}x")
    print("targets: FA/fallback >= 5 (fallback, NN_ANIMATE_FAST_DRAWING=0), FA/fast >= 10 (fast path)")


if __name__ == "__main__":
    main()
