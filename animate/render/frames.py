"""Which recording frame each output frame shows: planned once, before anything is drawn.

The video plays ``fps`` frames a second for ``duration`` seconds, then holds the last frame. A
format with a frame rate of its own (the GIF) shows the video frame nearest each of its frames'
times; a poster takes only the last. Palette samples are frames spread over the animation, drawn
early for formats that must see them before their first frame (see ``formats.Format``).

The video's frames are spread over the recording's evenly in frame index (``linear``), in
log(step) (``log``), or along how much the picture changes (``change``): a 20,000-step run that
learns in its first 150 steps would otherwise spend all but one second of the video on a plateau.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from animate.errors import RenderError
from animate.recording import Recording
from animate.render.formats import LAST, Format
from animate.render.options import RenderOptions

SHORTEST_SECONDS, LONGEST_SECONDS = 3.0, 10.0  # default length: long enough to follow, short enough to loop
CHANGE_OVER = 4  # by default, a recording of more than this many times the video's frames is spaced by change
EVEN_SHARE = 0.1  # of a "change" video's frames, spread evenly too: a plateau still shows time passing
CHANGE_POINTS = 32  # grid points (and outputs) a picture's change is measured at: a tiny net's curve is smooth
# Each frame's picture is averaged over this share of the frames before it is compared with the next: the
# jitter of a minibatch run adds up over 20,000 steps to more than its learning, and smoothed it adds up
# evenly in log(frame), like a "log" spacing, rather than evenly in frames.
SMOOTHING = 0.1
CHANGE_QUANTILES = (1, 99)  # a run's range, robust to the last values of one that diverged
RANGE_FRAMES = 2000  # ...taken from this many frames: a percentile of every value would cost most of the time


def video_frame_count(frame_count: int, *, fps: float, duration: float | None = None) -> int:
    """How many video frames play before the final hold: ``duration`` seconds, by default 3 to 10 s
    from the frame count."""
    if not fps > 0 or fps > 100:
        raise RenderError(f"fps must be between 0 (exclusive) and 100, got {fps}")
    if duration is None:
        duration = min(max(frame_count / fps, SHORTEST_SECONDS), LONGEST_SECONDS)
    if not duration > 0 or duration > 600:
        raise RenderError(f"duration must be between 0 (exclusive) and 600 seconds, got {duration}")
    return max(1, int(round(duration * fps)))


def video_frame_indices(frame_count: int, *, fps: float, duration: float | None = None,
                        hold: float = 1.0, positions: np.ndarray | None = None) -> np.ndarray:
    """Which recording frame each video frame shows: subsampled or held to fit ``duration`` seconds,
    then the last frame held for ``hold`` seconds so the viewer sees the result before the loop restarts.

    ``positions`` (one non-decreasing number per recording frame) spreads the video's frames evenly
    along them instead of evenly in frame index; the first and last recording frames are shown either way."""
    count = video_frame_count(frame_count, fps=fps, duration=duration)
    if not hold >= 0 or hold > 60:
        raise RenderError(f"hold must be between 0 and 60 seconds, got {hold}")
    if positions is None:
        indices = np.round(np.linspace(0, frame_count - 1, count)).astype(int)
    else:
        indices = _evenly_along(np.asarray(positions, dtype=float), count)
    held = np.full(int(round(hold * fps)), frame_count - 1, dtype=int)
    return np.concatenate([indices, held])


def _evenly_along(positions: np.ndarray, count: int) -> np.ndarray:
    """``count`` frames, each the one nearest an even division of ``positions``, from the first to the last."""
    last = len(positions) - 1
    if last < 1:
        return np.zeros(count, dtype=int)
    targets = np.linspace(positions[0], positions[-1], count)
    after = np.clip(np.searchsorted(positions, targets), 1, last)
    before = after - 1
    nearest = np.where(targets - positions[before] <= positions[after] - targets, before, after)
    nearest[0], nearest[-1] = 0, last
    return np.maximum.accumulate(nearest).astype(int)


def frame_spacing(frame_count: int, options: RenderOptions) -> str:
    """``options.frames``, or by default: ``change`` where the video shows few of many frames, else ``linear``
    (every lesson's recording has at most twice the video's frames: its video is what it always was)."""
    if options.frames is not None:  # one of FRAME_SPACINGS: RenderOptions checks it
        return options.frames
    count = video_frame_count(frame_count, fps=options.fps, duration=options.duration)
    return "change" if frame_count > CHANGE_OVER * count else "linear"


def video_frames(recording: Recording, options: RenderOptions) -> np.ndarray:
    """The recording frame each video frame shows, spaced as ``options.frames`` says, with the final hold."""
    frame_count = len(recording.steps)
    spacing = frame_spacing(frame_count, options)
    positions = None
    if spacing == "log":
        positions = np.log1p(np.maximum(recording.steps - recording.steps[0], 0).astype(float))
    elif spacing == "change":
        change = picture_change(recording)
        even = np.arange(frame_count) * (EVEN_SHARE / (1 - EVEN_SHARE) * change[-1] / max(1, frame_count - 1))
        positions = change + (even if change[-1] > 0 else np.arange(frame_count))
    return video_frame_indices(frame_count, fps=options.fps, duration=options.duration, hold=options.hold,
                               positions=positions)


def picture_change(recording: Recording) -> np.ndarray:
    """How much the picture has changed by each frame, accumulated from the first (0) on: per run, the mean
    change of the predictions (at a few grid points) as a share of their range, plus that of the loss (in
    log where it is positive, as its axis draws it), summed over the runs."""
    frame_count = len(recording.steps)
    runs = len(recording.runs)
    predictions = recording.predictions.reshape(runs, frame_count, -1)
    points = predictions.shape[2]
    taken = np.unique(np.round(np.linspace(0, points - 1, min(points, CHANGE_POINTS))).astype(int))
    per_step = np.zeros(max(0, frame_count - 1))
    for run in range(runs):
        loss = np.asarray(recording.loss[run], dtype=float)
        finite = loss[np.isfinite(loss)]
        if finite.size and finite.min() > 0:
            with np.errstate(divide="ignore", invalid="ignore"):
                loss = np.log(loss)
        # One row per grid point, its frames side by side: the sums below run along memory.
        paths = np.ascontiguousarray(np.take(predictions[run], taken, axis=1).T, dtype=float)
        per_step += _mean_change(paths) + _mean_change(loss[None, :])
    return np.concatenate([[0.0], np.cumsum(per_step)])


def _mean_change(paths: np.ndarray) -> np.ndarray:
    """(F - 1,) how far the smoothed ``paths`` (C rows of F frames) move between frames, as a share of
    their range; NaN and inf (a diverged run) count as no change, and no step counts more than the range."""
    frames = paths.shape[1]
    sampled = paths[:, :: max(1, frames // RANGE_FRAMES)]
    finite = sampled[np.isfinite(sampled)]
    if finite.size == 0 or frames < 2:
        return np.zeros(max(0, frames - 1))
    low, high = np.percentile(finite, CHANGE_QUANTILES)
    span = high - low if high > low else 1.0
    moved = np.abs(np.diff(_smoothed(paths), axis=1)).mean(axis=0) / span
    return np.minimum(np.nan_to_num(moved, nan=0.0, posinf=0.0), 1.0)


def _smoothed(paths: np.ndarray) -> np.ndarray:
    """Each frame of ``paths`` averaged over the last ``SMOOTHING`` share of the frames up to it (itself alone
    early on, where learning is fast); NaN and inf are left out of every average they would spoil."""
    frames = paths.shape[1]
    ends = np.arange(1, frames + 1)
    starts = ends - np.maximum(1, np.round(SMOOTHING * ends).astype(int))
    usable = np.isfinite(paths)
    every = bool(usable.all())
    totals = np.zeros((paths.shape[0], frames + 1))
    np.cumsum(paths if every else np.where(usable, paths, 0.0), axis=1, out=totals[:, 1:])
    if every:
        return (totals[:, 1:] - totals[:, starts]) / (ends - starts)
    counts = np.zeros_like(totals)
    np.cumsum(usable, axis=1, out=counts[:, 1:])
    with np.errstate(invalid="ignore", divide="ignore"):
        return (totals[:, 1:] - totals[:, starts]) / (counts[:, 1:] - counts[:, starts])


def gif_frame_positions(video_frames: int, *, fps: float, gif_fps: float) -> np.ndarray:
    """Which of the video's frames a format at ``gif_fps`` shows: the one nearest each of its frames'
    times, so it lasts as long as the video and never needs a frame the video does not draw."""
    gif_fps = min(gif_fps, fps)
    count = max(1, int(round(video_frames * gif_fps / fps)))
    return np.minimum(np.round(np.arange(count) * fps / gif_fps).astype(int), video_frames - 1)


@dataclass(frozen=True)
class FramePlan:
    """The recording frame of each video frame, each format's share of them, and the palette samples."""

    indices: np.ndarray  # (V,) recording frame shown by each video frame
    shares: list[np.ndarray]  # per format: how often each video frame is written to it (a held frame repeats)
    samples: list[int]  # recording frames to hand to the formats that need palette samples

    def __len__(self) -> int:
        return len(self.indices)


def plan_frames(recording: Recording, options: RenderOptions, formats: Sequence[Format], look: str) -> FramePlan:
    frame_count = len(recording.steps)
    indices = video_frames(recording, options)
    if all(chosen.frames == LAST for chosen in formats):  # posters alone need one frame, not the animation
        indices = indices[-1:]
    count = len(indices)
    shares = [np.bincount([count - 1], minlength=count) if chosen.frames == LAST else
              np.bincount(gif_frame_positions(count, fps=options.fps, gif_fps=chosen.frame_rate(options, look)),
                          minlength=count)
              for chosen in formats]
    wanted = max((chosen.palette_samples for chosen in formats), default=0)
    samples: list[int] = []
    if wanted:
        # Spread over the recording's frames, or over the video's where they are not even in frames.
        spread = (np.unique(np.round(np.linspace(0, frame_count - 1, wanted)).astype(int))
                  if frame_spacing(frame_count, options) == "linear" else
                  np.unique(indices[np.round(np.linspace(0, count - 1, wanted)).astype(int)]))
        shown = set(indices.tolist())
        samples = [int(i) for i in spread if i in shown] or [int(indices[-1])]
    return FramePlan(indices, shares, samples)
