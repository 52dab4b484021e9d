"""A value per recorded step, one line per run: the shared base of the loss and accuracy panels.

Each run's whole curve is drawn faint once; the part up to now is drawn over it, with a marker and
a cursor at the current step. While a recording still grows (``view["expected_steps"]``, the live
view), the step axis reaches the expected last step and the value axis leaves room below, so most
redraws fit in the axes of the first. A curve of more points than two per pixel column (20,000
steps) is drawn as its envelope, each column's lowest and highest value (``ColumnEnvelope``).
"""
from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from animate.recording import Recording
from animate.render.panel import Panel
from animate.render.panel_kit import PAD, plain_powers_of_ten, robust_limits

LOG_SPAN = 30  # a positive series spanning more than this factor is drawn on a log axis
DIVERGED_CEILING = 100  # a diverging run's loss can reach 1e30: cap the axis at this many times the highest start
# The envelope keeps at most two points a pixel column (and the ends): a curve with fewer points is drawn
# as it is, so today's lessons (a few hundred steps) draw as they always did.
POINTS_PER_COLUMN = 2


def column_extremes(ax: Axes, steps: np.ndarray, values: np.ndarray) -> np.ndarray | None:
    """Which points to draw of a curve in ``ax``: per pixel column, the lowest and the highest (in step order),
    and the first and last points; None where the curve has no more than ``POINTS_PER_COLUMN`` a column."""
    if len(steps) <= POINTS_PER_COLUMN * max(1.0, ax.bbox.width):
        return None
    xy = np.column_stack([np.asarray(steps, dtype=float), np.ones(len(steps))])  # y = 1 is on any y scale
    column = np.floor(ax.transData.transform(xy)[:, 0])
    starts = np.flatnonzero(np.concatenate([[True], column[1:] != column[:-1]]))
    owner = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(column))))
    finite = np.isfinite(values)
    kept = [np.array([0, len(steps) - 1])]
    for extreme, missing in ((np.minimum, np.inf), (np.maximum, -np.inf)):
        usable = np.where(finite, values, missing)  # a column of NaN alone keeps one: the line breaks there
        reached = np.flatnonzero(usable == extreme.reduceat(usable, starts)[owner])
        kept.append(reached[np.concatenate([[True], owner[reached][1:] != owner[reached][:-1]])])
    return np.unique(np.concatenate(kept))


class ColumnEnvelope(Line2D):
    """A line that, given more than two points a pixel column of its axes, draws each column's lowest and
    highest: a 20,000-step curve then reads as its outline, not as a band of strokes overlapping, and
    draws from a few hundred points. Its data stays every point (``set_data``); only drawing thins it."""

    def draw(self, renderer: Any) -> None:
        steps, values = (np.asarray(data) for data in self.get_data(orig=True))
        kept = column_extremes(self.axes, steps, values) if isinstance(self.axes, Axes) else None
        if kept is None:
            super().draw(renderer)
            return
        self.set_data(steps[kept], values[kept])
        try:
            super().draw(renderer)
        finally:
            self.set_data(steps, values)


class CurvePanel(Panel):
    """Each run's ``series`` (the recording's array of that name) against the optimizer step."""

    series = "loss"  # the recording's array drawn
    allow_log = True  # a positive series spanning decades is drawn on a log axis

    def value_label(self) -> str:
        return self.series

    def value_limits(self) -> tuple[float, float] | None:
        """Fixed limits of the value axis; None: from the values (see ``_set_value_axis``)."""
        return None

    def draw(self, ax: Axes) -> list[Artist]:
        self.bind(self.recording)
        theme, values, steps = self.theme, self.values, self.recording.steps
        runs = len(self.recording.runs)
        for run in range(runs):
            ax.add_line(ColumnEnvelope(steps, values[run], color=theme.run_colour(run), lw=1.0, alpha=0.25, zorder=1))
        # The first run is drawn on top: lessons put the run that shows the effect first.
        self.so_far = [ax.add_line(ColumnEnvelope([], [], color=theme.run_colour(r), lw=1.6,
                                                  zorder=2 + (runs - r) / runs))
                       for r in range(runs)]
        # Unclipped: at the first and last steps the dot sits on the axes' edge, and half a dot reads as a glitch.
        self.markers = [
            ax.plot([], [], "o", ms=6, color=theme.run_colour(r), mec=theme.background, mew=1.0, zorder=3,
                    clip_on=False)[0]
            for r in range(runs)
        ]
        for marker in self.markers:  # the layout must not make room for them (an empty line's box is NaN)
            marker.set_in_layout(False)
        self.cursor = ax.axvline(steps[0], color=theme.muted, lw=0.8, ls=":", zorder=0)
        self._set_value_axis(ax)
        self._set_step_axis(ax)
        ax.set_ylabel(self.value_label())
        ax.grid(True, which="major", color=theme.grid, lw=0.6)
        return [*self.so_far, *self.markers, self.cursor]

    def _set_value_axis(self, ax: Axes) -> None:
        values, limits = self.values, self.value_limits()
        growing = bool(self.view.get("expected_steps"))
        finite = values[np.isfinite(values)]
        positive = finite[finite > 0]
        self.log = (self.allow_log and positive.size > 0 and positive.size == finite.size
                    and positive.max() / positive.min() > LOG_SPAN)
        if limits is not None:
            ax.set_ylim(*limits)
        elif self.log:
            ax.set_yscale("log")
            plain_powers_of_ten(ax.yaxis)
            starts = values[:, 0][np.isfinite(values[:, 0]) & (values[:, 0] > 0)]
            ceiling = positive.max() if starts.size == 0 else min(positive.max(), DIVERGED_CEILING * starts.max())
            low, high = np.log10(positive.min()), np.log10(ceiling)
            margin = (high - low) * PAD
            ax.set_ylim(10 ** (low - margin - growing), 10 ** (high + margin))  # growing: a decade to fall
        else:
            low, high = robust_limits(values, quantile=0.0)
            if growing and finite.size and finite.min() >= 0:  # a loss falls towards 0: leave it the room
                low = min(low, -(high - low) * PAD)
            ax.set_ylim(low, high)

    def _set_step_axis(self, ax: Axes) -> None:
        steps, view = self.recording.steps, self.view
        if view.get("step_scale", "linear") == "symlog":  # linear up to the first step after 0, which stays on the axis
            positive = steps[steps > 0]
            ax.set_xscale("symlog", linthresh=max(1, int(positive[0] if positive.size else 1)))
            plain_powers_of_ten(ax.xaxis)
        last = max(int(steps[-1]), int(view.get("expected_steps") or 0))
        ax.set_xlim(steps[0], last if last > steps[0] else steps[0] + 1)
        ax.set_xlabel("optimizer step")

    def bind(self, recording: Recording) -> bool:
        self.recording = recording
        self.values = getattr(recording, self.series)
        return True

    def update(self, frame: int) -> None:
        steps = self.recording.steps
        for run, (line, marker) in enumerate(zip(self.so_far, self.markers, strict=True)):
            line.set_data(steps[: frame + 1], self.values[run, : frame + 1])
            marker.set_data([steps[frame]], [self.values[run, frame]])
        self.cursor.set_xdata([steps[frame], steps[frame]])

