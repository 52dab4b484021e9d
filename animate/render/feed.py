"""Hand each drawn frame to every format's writer, each encoding in a thread of its own.

A writer that needs palette samples starts once they are drawn; until then its frames wait here,
so no frame is drawn twice. Every file is written to a temporary path and renamed only when every
writer has finished: all files appear, or none (``animate.files.atomic_path``).
"""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from animate.files import atomic_path
from animate.render.formats import LAST, Format, WriterRequest
from animate.render.frames import FramePlan
from animate.render.options import RenderOptions
from animate.render.writers import ThreadedWriter

QUEUE_FRAMES = 16  # frames waiting for each encoder: ~22 MB at 720x480, enough to ride out a slow frame


class _Target:
    """One output file: its format, where it is written for now, its share of the frames, its writer."""

    def __init__(self, chosen: Format, temporary: Path, share: np.ndarray) -> None:
        self.format, self.temporary, self.share = chosen, temporary, share
        self.writer: ThreadedWriter | None = None
        self.waiting: list[np.ndarray] = []  # its frames so far, until its palette samples are drawn
        self.finished = False


class Feed:
    """The writers of one render, fed by its drawing loop; enter it on ``stack`` (see ``render``)."""

    def __init__(self, stack: contextlib.ExitStack, targets: Sequence[tuple[Format, Path]], plan: FramePlan, *,
                 size: tuple[int, int], options: RenderOptions, look: str, poster: Callable[[], np.ndarray],
                 say: Callable[[str], None] | None) -> None:
        self.stack, self.size, self.options, self.look, self.say = stack, size, options, look, say
        self.poster = poster  # the last frame drawn afresh, for formats given only the LAST frame
        self.targets = [_Target(chosen, stack.enter_context(atomic_path(path)), share)
                        for (chosen, path), share in zip(targets, plan.shares, strict=True)]
        for target in self.targets:
            if not target.format.palette_samples:
                self._start(target, [])

    @property
    def waiting(self) -> bool:
        """Whether a writer still waits for its palette samples."""
        return any(target.writer is None for target in self.targets)

    def write(self, position: int, pixels: np.ndarray) -> None:
        """Video frame ``position`` is ``pixels``: write it to each writer as often as its share says."""
        for target in self.targets:
            copies = int(target.share[position])
            if target.writer is None:
                target.waiting += [pixels] * copies
                continue
            for _ in range(copies):
                target.writer.write(self.poster() if target.format.frames == LAST else pixels)

    def samples_drawn(self, samples: list[np.ndarray]) -> None:
        """Start the writers that waited for palette samples, and give them their frames so far."""
        for target in self.targets:
            if target.writer is None:
                writer = self._start(target, samples[:target.format.palette_samples])
                for frame in target.waiting:
                    writer.write(frame)
                target.waiting = []

    def finish(self) -> None:
        """Every encoder finishes its file at once, each in its own thread; then wait for each."""
        started = [(target, target.writer) for target in self.targets if target.writer is not None]
        for _, writer in started:
            writer.close()
        for target, writer in started:
            writer.finish()
            target.finished = True

    def _start(self, target: _Target, samples: list[np.ndarray]) -> ThreadedWriter:
        fps = target.format.frame_rate(self.options, self.look)
        request = WriterRequest(path=target.temporary, size=self.size, fps=fps, samples=samples,
                                options=self.options, look=self.look, say=self.say)
        writer = ThreadedWriter(lambda: target.format.open(request), target.temporary, depth=QUEUE_FRAMES)
        target.writer = writer
        self.stack.callback(lambda: None if target.finished else writer.abort())
        return writer
