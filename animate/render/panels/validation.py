"""The validation loss beside the training loss: dashed, in each run's colour, with the step it was lowest.

Overfitting is the picture people ask about most: the training loss keeps falling while the
validation loss turns up. The step where validation was lowest is where training should have
stopped (what ``keras.callbacks.EarlyStopping`` would pick); once the animation reaches it, a
marker and a note say so. Drawn by the loss panel into its own axes.
"""
from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from animate.recording import Recording
from animate.render.panel_kit import PAD
from animate.render.panels.curve import ColumnEnvelope
from animate.render.theme import Theme

TURNED_UP = 1.05  # validation ended this much above its lowest: a best step worth pointing at
EARLY_SHARE = 0.9  # ...and the lowest came before this share of the steps


def best_validation_frames(recording: Recording) -> dict[int, int]:
    """Per run, the frame whose validation loss is lowest, where it turned up clearly after it."""
    best: dict[int, int] = {}
    if recording.val_loss is None:
        return best
    steps = recording.steps
    for run, values in enumerate(recording.val_loss):
        finite = np.isfinite(values)
        if not finite.any():
            continue
        frame = int(np.nanargmin(np.where(finite, values, np.nan)))
        last = values[finite][-1]
        if steps[frame] < steps[0] + EARLY_SHARE * (steps[-1] - steps[0]) and last > TURNED_UP * values[frame]:
            best[run] = frame
    return best


class ValidationCurves:
    """Each run's validation loss as the loss panel draws the training loss, but dashed and hollow."""

    def __init__(self, ax: Axes, recording: Recording, theme: Theme) -> None:
        self.recording, self.theme = recording, theme
        values = recording.val_loss
        assert values is not None
        self.values = values
        steps = recording.steps
        runs = len(recording.runs)
        # As the training loss: a line of more points than pixel columns is drawn as its envelope.
        for run in range(runs):
            ax.add_line(ColumnEnvelope(steps, values[run], color=theme.run_colour(run), lw=1.0, ls="--", alpha=0.3,
                                       zorder=1))
        self.so_far = [ax.add_line(ColumnEnvelope([], [], color=theme.run_colour(run), lw=1.5, ls="--", zorder=2))
                       for run in range(runs)]
        self.markers = [ax.plot([], [], "o", ms=5.5, mfc=theme.background, mec=theme.run_colour(run), mew=1.4,
                                zorder=3, clip_on=False)[0] for run in range(runs)]
        for marker in self.markers:
            marker.set_in_layout(False)
        self.best = best_validation_frames(recording)
        self.best_marks: list[Artist] = []
        for run, frame in sorted(self.best.items()):
            mark = ax.plot([int(steps[frame])], [values[run, frame]], marker="v", ms=9, color=theme.run_colour(run),
                           lw=0, zorder=4, clip_on=False)[0]
            mark.set_in_layout(False)
            self.best_marks.append(mark)
        self.first_best = min(self.best.values(), default=0)
        # The note is the panel's left-hand title: the layout keeps room for it, clear of every curve.
        said = [f"{recording.runs[run] + ' ' if runs > 1 else ''}{int(steps[frame]):,}"
                for run, frame in sorted(self.best.items())]
        self.note = ax.set_title(f"validation lowest at step {', '.join(said)}: stop there" if said else "",
                                 loc="left", fontsize=theme.points(8.5), fontweight="bold",
                                 color=theme.run_colour(min(self.best, default=0)))
        muted = theme.muted
        keys = [Line2D([], [], color=muted, lw=1.6), Line2D([], [], color=muted, lw=1.5, ls="--")]
        legend = ax.legend(keys, ["training", "validation"], loc="best", fontsize=theme.points(7.5),
                           frameon=False, handlelength=1.8)
        legend.set_in_layout(False)
        self._widen_value_axis(ax)

    @property
    def animated(self) -> list[Artist]:
        return [*self.so_far, *self.markers, *self.best_marks, *([self.note] if self.best else [])]

    def _widen_value_axis(self, ax: Axes) -> None:
        """The loss panel's limits were set from the training loss: make room for validation too."""
        finite = self.values[np.isfinite(self.values)]
        if finite.size == 0:
            return
        low, high = ax.get_ylim()
        if ax.get_yscale() == "log":
            positive = finite[finite > 0]
            if positive.size:
                span = np.log10(high) - np.log10(low)
                low = min(low, 10 ** (np.log10(positive.min()) - PAD * span))
                high = max(high, 10 ** (np.log10(positive.max()) + PAD * span))
        else:
            margin = (high - low) * PAD
            low, high = min(low, finite.min() - margin), max(high, finite.max() + margin)
        ax.set_ylim(low, high)

    def bind(self, recording: Recording) -> bool:
        """A longer recording of the same runs (the live view): shown in these axes unless the step
        where validation was lowest has moved (its marker and note are static in placement)."""
        if recording.val_loss is None or best_validation_frames(recording) != self.best:
            return False
        self.recording, self.values = recording, recording.val_loss
        return True

    def update(self, frame: int) -> None:
        steps = self.recording.steps
        for run, (line, marker) in enumerate(zip(self.so_far, self.markers, strict=True)):
            line.set_data(steps[: frame + 1], self.values[run, : frame + 1])
            marker.set_data([steps[frame]], [self.values[run, frame]])
        for mark, best in zip(self.best_marks, [self.best[run] for run in sorted(self.best)], strict=True):
            mark.set_visible(frame >= best)
        if self.best:
            self.note.set_visible(frame >= self.first_best)
