"""Re-rendering each lesson against the encode-only floor: what a renderer that drew for free would pay.

    python bench/render_floor.py [--recordings DIR] [--lessons a,b] [--repeats N] [--plain] [--before SRC]

Per lesson, with its own recording (DIR/LESSON.npz; missing ones are trained first with
``nn-animate run LESSON --no-render`` into DIR, default output/):

- ours: the whole process ``nn-animate render LESSON.npz --format gif,mp4,png --quiet``, start-up
  included, timed end to end as a subprocess;
- the floor: the same frames, drawn beforehand and held in memory, fed to the very same encoders
  with the same settings (GIF palette fitted from the same samples, GIF at its own frame rate,
  MP4, PNG poster), each from its own thread as ``render`` does: only encoding is timed;
- frames drawn per second: ``AnimatedFigure.frame`` over the video's frames, in this process, each
  pass by a new figure (cold caches, as in a render);
- the GIF's bytes as ``render`` wrote it.

Ours and the floor alternate (A B, B A, ...); medians of ``--repeats`` (default 3). Ours is the
fast path (animate/render/fast): ``NN_ANIMATE_FAST_DRAWING`` is removed from this process's
environment and the render's, so a stray ``=0`` cannot turn it off.

``--plain`` also measures the fallback, frames drawn by matplotlib's own blitting with no trick
reaching under its private API (what a user gets with ``NN_ANIMATE_FAST_DRAWING=0``, or where the
tricks turn themselves off under an older matplotlib): the same whole-process render with that
variable set to 0, timed in the same alternation (A B C, C B A, ...) against the same floor (the
floor encodes the same pictures either way), and its frames drawn per second by
``AnimatedFigure(recording, fast=False)``, the figure the switch gives. Why: the fast path's
figures say what its tricks buy; the fallback's say what is left when they are off. The fallback
has no target against the floor here; bench/render_speed.py holds it to >= 5x the plain
FuncAnimation way. A table at the end puts both paths side by side.

With ``--before SRC`` (a source tree of an older version, e.g. from ``git archive``) its
whole-process render is timed in the same alternation, for a before/after table. Nothing asserts a
timing.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import BIN, ROOT, alternate, report, timed

import numpy as np

from animate.recording import Recording
from animate.render import (GIF_COLOURS, GIF_FPS, PALETTE_SAMPLES, AnimatedFigure, gif_frame_positions,
                            video_frame_indices)
from animate.render.writers import GifWriter, Mp4Writer, PngWriter, ThreadedWriter

SWITCH = "NN_ANIMATE_FAST_DRAWING"  # "0": the fallback, matplotlib's own blitting
LESSONS = ("dying_relu", "batch_jitter", "local_optimum", "square", "activations", "classifier")


def drawn_frames(recording: Recording, repeats: int = 1,
                 fast: bool = True) -> tuple[list[np.ndarray], float, AnimatedFigure]:
    """The video's frames as render draws them, and the frames drawn per second: the median of
    ``repeats`` passes, each by a new figure (so each is as cold as a render's); ``fast=False``
    draws them as the fallback does."""
    indices = video_frame_indices(len(recording.steps), fps=20)
    rates, kept = [], None
    for _ in range(repeats):
        figure = AnimatedFigure(recording, fast=fast)
        frames: list[np.ndarray] = []
        started = time.perf_counter()
        shown = -1
        for index in indices:
            if index != shown:
                pixels = figure.frame(int(index)).copy()
                shown = index
            frames.append(pixels)
        rates.append(len(set(indices.tolist())) / (time.perf_counter() - started))
        kept = kept or (frames, figure)
    return kept[0], float(np.median(rates)), kept[1]


def encode_only(frames: list[np.ndarray], figure: AnimatedFigure, recording: Recording, folder: Path) -> float:
    """Seconds to encode ``frames`` to GIF, MP4 and PNG with render's writers and settings."""
    look = "map" if figure.picture.is_map else "curves"
    gif_fps, colours = GIF_FPS[look], GIF_COLOURS[look]
    indices = video_frame_indices(len(recording.steps), fps=20)
    picks = np.unique(np.round(np.linspace(0, len(recording.steps) - 1, PALETTE_SAMPLES)).astype(int))
    samples = [frames[int(np.searchsorted(indices, pick))] for pick in picks if pick in set(indices.tolist())]
    gif_frames = [frames[position] for position in gif_frame_positions(len(frames), fps=20, gif_fps=gif_fps)]
    started = time.perf_counter()
    writers = [
        (ThreadedWriter(lambda: GifWriter(folder / "floor.gif", figure.size, gif_fps, samples, colours=colours),
                        folder / "floor.gif"), gif_frames),
        (ThreadedWriter(lambda: Mp4Writer(folder / "floor.mp4", figure.size, 20, []), folder / "floor.mp4"), frames),
        (ThreadedWriter(lambda: PngWriter(folder / "floor.png", figure.size, 20, []), folder / "floor.png"),
         frames[-1:]),
    ]
    for position in range(len(frames)):
        for writer, share in writers:
            if position < len(share):
                writer.write(share[position])
    for writer, _ in writers:  # as render does: every encoder finishes at once, then each is waited for
        writer.close()
    for writer, _ in writers:
        writer.finish()
    return time.perf_counter() - started


def lesson_row(args: argparse.Namespace, lesson: str, plain_environment: dict[str, str]) -> list:
    """Time one lesson's render against its floor (and the fallback, and an older version, if asked),
    report it, and return its row of the table."""
    path = (args.recordings / f"{lesson}.npz").resolve()
    if not path.exists():
        subprocess.run([BIN / "nn-animate", "run", lesson, "--out", args.recordings, "--no-render", "--quiet"],
                       check=True)
    recording = Recording.load(path)
    frames, drawn_per_second, figure = drawn_frames(recording, args.repeats)
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as folder:
        folder = Path(folder)
        command = [BIN / "nn-animate", "render", path, "--out", folder / lesson, "--format", "gif,mp4,png",
                   "--quiet"]
        measures = [lambda: timed(lambda: subprocess.run(command, check=True)),
                    lambda: encode_only(frames, figure, recording, folder)]
        if args.plain:
            plain_drawn_per_second = drawn_frames(recording, args.repeats, fast=False)[1]
            plain_command = [BIN / "nn-animate", "render", path, "--out", folder / "plain", "--format",
                             "gif,mp4,png", "--quiet"]
            measures.append(lambda: timed(lambda: subprocess.run(plain_command, check=True,
                                                                 env=plain_environment)))
        if args.before is not None:
            before_command = [sys.executable, "-m", "animate", "render", path, "--out", folder / "before",
                              "--format", "gif,mp4,png", "--quiet"]
            environment = {**os.environ, "PYTHONPATH": str(args.before)}
            measures.append(lambda: timed(lambda: subprocess.run(before_command, check=True, env=environment,
                                                                 cwd=folder)))
        results = alternate(*measures, repeats=args.repeats)
        ours, floor = results[0], results[1]
        before = results[3 if args.plain else 2] if args.before is not None else None
        gif_bytes = (folder / f"{lesson}.gif").stat().st_size
        note = (f"ratio = ours/floor, target <= 2; {drawn_per_second:.0f} frames drawn/s (target >= 150); "
                f"GIF {gif_bytes / 1e3:,.0f} kB (target <= 1,500); {len(frames)} video frames; "
                f"median of {args.repeats}")
        if args.before is not None:
            before_gif = (folder / "before.gif").stat().st_size
            note += f"; before: {before:.1f} s, GIF {before_gif / 1e3:,.0f} kB"
        report(f"render {lesson} gif+mp4+png, whole process vs encode-only floor", f"{ours:.1f} s",
               f"{floor:.1f} s", ours / floor, note)
        row = [lesson, ours, floor, drawn_per_second]
        if args.plain:
            plain = results[2]
            plain_gif = (folder / "plain.gif").stat().st_size
            report(f"render {lesson} gif+mp4+png, fallback ({SWITCH}=0), whole process vs encode-only floor",
                   f"{plain:.1f} s", f"{floor:.1f} s", plain / floor,
                   f"ratio = fallback/floor, no target; {plain_drawn_per_second:.0f} frames drawn/s by the "
                   f"fallback (fast path {drawn_per_second:.0f}); fallback/fast {plain / ours:.2f}x; "
                   f"GIF {plain_gif / 1e3:,.0f} kB; median of {args.repeats}")
            row += [plain, plain_drawn_per_second]
        return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recordings", type=Path, default=ROOT / "output")
    parser.add_argument("--lessons", default=",".join(LESSONS))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--plain", action="store_true", help=f"also time the fallback ({SWITCH}=0)")
    parser.add_argument("--before", type=Path, default=None, help="source tree of an older version to time too")
    args = parser.parse_args()
    os.environ.pop(SWITCH, None)  # ours is the fast path, here and in the renders started from here
    plain_environment = {**os.environ, SWITCH: "0"}

    rows = [lesson_row(args, lesson, plain_environment)
            for lesson in [name.strip() for name in args.lessons.split(",") if name.strip()]]

    header = f"\n{'lesson':<14} {'floor s':>8} {'fast s':>7} {'fast/floor':>11} {'fast fr/s':>10}"
    if args.plain:
        header += f" {'fallback s':>11} {'fallback/floor':>15} {'fallback fr/s':>14}"
    print(header)
    for lesson, ours, floor, drawn_per_second, *plain in rows:
        line = f"{lesson:<14} {floor:>8.1f} {ours:>7.1f} {ours / floor:>10.2f}x {drawn_per_second:>10.0f}"
        if plain:
            line += f" {plain[0]:>11.1f} {plain[0] / floor:>14.2f}x {plain[1]:>14.0f}"
        print(line)
    print("targets: fast/floor <= 2, fast frames drawn/s >= 150"
          + ("; the fallback has none here" if args.plain else ""))


if __name__ == "__main__":
    main()
