"""A value per recorded step, one line per run: the shared base of the loss and accuracy panels.

Each run's whole curve is drawn faint once; the part up to now is drawn over it, with a marker and
a cursor at the current step. While a recording still grows (``view["expected_steps"]``, the live
view), the step axis reaches the expected last step and the value axis leaves room below, so most
redraws fit in the axes of the first.
"""
from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes

from animate.recording import Recording
from animate.render.panel import Panel
from animate.render.panel_kit import PAD, plain_powers_of_ten, robust_limits

LOG_SPAN = 30  # a positive series spanning more than this factor is drawn on a log axis
DIVERGED_CEILING = 100  # a diverging run's loss can reach 1e30: cap the axis at this many times the highest start


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
            ax.plot(steps, values[run], color=theme.run_colour(run), lw=1.0, alpha=0.25, zorder=1)
        # The first run is drawn on top: lessons put the run that shows the effect first.
        self.so_far = [ax.plot([], [], color=theme.run_colour(r), lw=1.6, zorder=2 + (runs - r) / runs)[0]
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
        if view.get("step_scale", "linear") == "symlog":
            ax.set_xscale("symlog", linthresh=max(1, int(steps[1] if len(steps) > 1 else 1)))
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

