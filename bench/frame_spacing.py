"""Choosing a long run's video frames by how much the picture changes versus evenly (target: under 0.1 s).

A 20,000-step run recorded at every step learns in its first 150 steps; spaced evenly in frames its
video shows that in one frame, so ``frames="change"`` (the default for a recording of more than 4x
the video's frames) measures the picture's change at every frame first. This times that choice
(``animate.render.frames.video_frames``) against ``frames="linear"`` on a synthetic recording
(NumPy only: 20,001 frames, 241 grid points like the lessons', minibatch-like jitter on the plateau),
for one run and for eight (the most one animation shows), alternately, medians of ``--repeats``
(default 7). Each line's note says the share of the video's 200 frames that fall in the first 10% of
the steps, for both spacings: what the time buys.
"""
from __future__ import annotations

import argparse

import numpy as np
from _common import alternate, report, timed

from animate import Recording
from animate.render import RenderOptions, video_frames
from animate.render.frames import video_frame_count

STEPS = 20_000
LEARNED_BY = 150  # the step by which the synthetic run has learned
GRID_POINTS = 241


def long_run(runs: int, jitter: float = 0.01) -> Recording:
    """Runs whose prediction rises to sin(3x) by step ~150, then jitters about it for 19,850 steps."""
    rng = np.random.default_rng(0)
    grid = np.linspace(-1, 1, GRID_POINTS)[:, None]
    steps = np.arange(STEPS + 1)
    learned = 1 - np.exp(-steps / (LEARNED_BY / 5))
    predictions = np.stack([learned[:, None, None] * np.sin(3 * grid) * (1 + 0.1 * run) for run in range(runs)])
    predictions = predictions + jitter * rng.standard_normal(predictions.shape)
    loss = np.stack([0.02 + np.exp(-steps / (LEARNED_BY / 5))] * runs)
    loss = loss * np.exp(jitter * rng.standard_normal(loss.shape))
    return Recording(runs=tuple(f"run {run}" for run in range(runs)), steps=steps, grid=grid, predictions=predictions,
                     loss=loss, meta={"lesson": "long_run"})


def measure(recording: Recording, repeats: int) -> None:
    """One line: the time to choose ``recording``'s video frames by change and evenly, and what each chose."""
    change, linear = RenderOptions(frames="change"), RenderOptions(frames="linear")
    video_frames(recording, change)  # warm-up: the first call pays for NumPy's first allocations
    ours, baseline = alternate(lambda: timed(lambda: video_frames(recording, change)),
                               lambda: timed(lambda: video_frames(recording, linear)), repeats=repeats)
    count = video_frame_count(len(recording.steps), fps=change.fps)  # the frames before the final hold
    early = [float(np.mean(recording.steps[video_frames(recording, options)[:count]] < STEPS / 10))
             for options in (change, linear)]
    report(f"choose {count} video frames of a {STEPS + 1:,}-frame recording, {len(recording.runs)} run(s) x "
           f"{GRID_POINTS} grid points: frames=change vs linear (median of {repeats})", f"{ours * 1000:.1f} ms",
           f"{baseline * 1000:.2f} ms", ours / baseline,
           note=f"target: change < 100 ms; video frames in the first 10% of steps: change {early[0]:.0%}, "
                f"linear {early[1]:.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="timings of each, alternately; medians are reported")
    args = parser.parse_args()
    for runs in (1, 8):
        measure(long_run(runs), args.repeats)


if __name__ == "__main__":
    main()
