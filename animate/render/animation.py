"""A recording as matplotlib's own ``Animation``, for people who compose their own.

``render`` streams frames to our encoders; some users want matplotlib's object instead, to call
``to_jshtml()`` (a scrubber with play/pause in a notebook), ``save`` with a writer of their own, or
tweak the figure first. This is a ``FuncAnimation`` over the same figure (``AnimatedFigure``) and
the same video frames (``video_frames``, spaced as ``frames=`` says) that ``render`` draws. Its
frame function updates the same panels; matplotlib's writers then draw the whole figure per frame
(``savefig``), so it is slower than ``render``, which blits.
"""
from __future__ import annotations

from typing import Any

from matplotlib.animation import FuncAnimation

from animate.recording import Recording
from animate.render.figure import AnimatedFigure
from animate.render.frames import video_frames
from animate.render.options import RenderOptions


def animation(recording: Recording | Any, options: RenderOptions | None = None, **option_values: Any) -> FuncAnimation:
    """``recording`` (a Recording or a path to one) as a ``matplotlib.animation.FuncAnimation``.

    The options are ``render``'s (a ``RenderOptions``, or its fields as keywords); the animation runs
    at ``fps`` over ``render``'s video frames (the GIF's own options do not apply). Its figure is
    ``anim._fig`` (matplotlib's name) and also ``anim.animated_figure.figure``."""
    options = RenderOptions.of(options, **option_values)
    if not isinstance(recording, Recording):
        recording = Recording.load(recording)
    # Full redraws: matplotlib's writers draw the whole figure (savefig) for every frame.
    figure = AnimatedFigure(recording, options, full_redraw=True)
    indices = video_frames(figure.recording, options)  # render's frames, spaced as options.frames says

    def draw_frame(index: int) -> list[Any]:
        figure.update(int(index))
        return figure.animated

    draw_frame(int(indices[0]))
    anim = FuncAnimation(figure.figure, draw_frame, frames=[int(i) for i in indices], interval=1000 / options.fps,
                         blit=False, repeat=True, cache_frame_data=False)
    anim.animated_figure = figure  # type: ignore[attr-defined]  # ours, beside matplotlib's anim._fig
    return anim
