"""Which recording frame each output frame shows: planned once, before anything is drawn.

The video plays ``fps`` frames a second for ``duration`` seconds, then holds the last frame. A
format with a frame rate of its own (the GIF) shows the video frame nearest each of its frames'
times; a poster takes only the last. Palette samples are frames spread over the animation, drawn
early for formats that must see them before their first frame (see ``formats.Format``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from animate.errors import RenderError
from animate.render.formats import LAST, Format
from animate.render.options import RenderOptions

SHORTEST_SECONDS, LONGEST_SECONDS = 3.0, 10.0  # default length: long enough to follow, short enough to loop


def video_frame_indices(frame_count: int, *, fps: float, duration: float | None = None,
                        hold: float = 1.0) -> np.ndarray:
    """Which recording frame each video frame shows: subsampled or held to fit ``duration`` seconds,
    then the last frame held for ``hold`` seconds so the viewer sees the result before the loop restarts."""
    if not fps > 0 or fps > 100:
        raise RenderError(f"fps must be between 0 (exclusive) and 100, got {fps}")
    if duration is None:
        duration = min(max(frame_count / fps, SHORTEST_SECONDS), LONGEST_SECONDS)
    if not duration > 0 or duration > 600:
        raise RenderError(f"duration must be between 0 (exclusive) and 600 seconds, got {duration}")
    if not hold >= 0 or hold > 60:
        raise RenderError(f"hold must be between 0 and 60 seconds, got {hold}")
    count = max(1, int(round(duration * fps)))
    indices = np.round(np.linspace(0, frame_count - 1, count)).astype(int)
    held = np.full(int(round(hold * fps)), frame_count - 1, dtype=int)
    return np.concatenate([indices, held])


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


def plan_frames(frame_count: int, options: RenderOptions, formats: Sequence[Format], look: str) -> FramePlan:
    indices = video_frame_indices(frame_count, fps=options.fps, duration=options.duration, hold=options.hold)
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
        spread = np.unique(np.round(np.linspace(0, frame_count - 1, wanted)).astype(int))
        shown = set(indices.tolist())
        samples = [int(i) for i in spread if i in shown] or [int(indices[-1])]
    return FramePlan(indices, shares, samples)
