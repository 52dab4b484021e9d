"""The whole-training-set loss of every run, log-scaled where it spans decades.

Its axis names the loss the runs were compiled with; a diverged run's step is marked and said once
the animation gets there; ``view["count_rises"]`` counts how often each run's loss went up so far
(the batch-jitter lesson's number). The figure hangs its step counter and caption on this panel.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes

from animate.recording import Recording
from animate.render.panel_kit import row_transform, text_box
from animate.render.panels.curve import CurvePanel
from animate.render.panels.validation import ValidationCurves

LOSS_NAMES = {
    "mse": "MSE", "mean_squared_error": "MSE", "mae": "MAE", "mean_absolute_error": "MAE",
    "msle": "MSLE", "mean_squared_logarithmic_error": "MSLE", "mape": "MAPE",
    "mean_absolute_percentage_error": "MAPE", "huber": "Huber", "log_cosh": "log-cosh", "logcosh": "log-cosh",
    "binary_crossentropy": "binary cross-entropy", "categorical_crossentropy": "categorical cross-entropy",
    "sparse_categorical_crossentropy": "categorical cross-entropy",  # the same loss, integer labels
    "binary_focal_crossentropy": "binary focal cross-entropy", "hinge": "hinge", "squared_hinge": "squared hinge",
    "categorical_hinge": "categorical hinge", "kl_divergence": "KL divergence", "poisson": "Poisson",
}


def loss_label(recording: Recording) -> str:
    """The loss axis names the loss the runs were compiled with (from the recording's meta), where known."""
    names = set()
    for run in recording.meta.get("runs", []):
        if isinstance(run, Mapping):
            loss = str(run.get("loss", "")).lower()
            names.add(LOSS_NAMES.get(loss) or str(run.get("loss_label") or loss.replace("_", " ") or "loss"))
    name = names.pop() if len(names) == 1 else "loss"
    if any(isinstance(run, Mapping) and run.get("weighted") for run in recording.meta.get("runs", [])):
        name += " (weighted)"
    # Two short lines: a long loss name on one line would not fit beside a half-height panel.
    return f"{name}\n{'whole sets' if recording.val_loss is not None else 'whole training set'}"


class LossPanel(CurvePanel):
    """Every run's loss on the whole training set, with its divergences and rises."""

    series = "loss"

    def value_label(self) -> str:
        return self.view.get("loss_label", loss_label(self.recording))

    def draw(self, ax: Axes) -> list[Artist]:
        recording, theme = self.recording, self.theme
        self.divergences: dict[int, int] | None = None  # set below; bind() while drawing compares nothing
        animated = super().draw(ax)
        runs = len(recording.runs)
        self.rise_texts = []
        if self.view.get("count_rises"):
            for run in range(runs):
                self.rise_texts.append(ax.text(0.99, 0.95, "", transform=row_transform(ax, run, theme.points(8.5)),
                                               ha="right", va="top", fontsize=theme.points(8.5),
                                               color=theme.run_colour(run)))
        self.divergence_texts = self._draw_divergences(ax)
        self._say_if_unmeasured(ax)
        self.validation = ValidationCurves(ax, recording, theme) if recording.val_loss is not None else None
        validation = self.validation.animated if self.validation is not None else []
        return [*animated, *self.rise_texts, *self.divergence_texts.values(), *validation]

    def _draw_divergences(self, ax: Axes) -> dict[int, Artist]:
        """A diverged run: mark its step, and say so once the animation gets there."""
        recording, theme = self.recording, self.theme
        self.divergences = self.divergence_frames = recording.divergence_frames()
        texts: dict[int, Artist] = {}
        for row, (run, frame) in enumerate(sorted(self.divergences.items())):
            step = recording.steps[frame]
            ax.axvline(step, color=theme.run_colour(run), lw=1.2, ls="--", zorder=1)
            texts[run] = ax.text(
                0.02, 0.06, f"{recording.runs[run]} diverged at step {step:,} (NaN/inf)",
                transform=row_transform(ax, row, theme.points(8.5) * 1.15, up=True), fontsize=theme.points(8.5),
                fontweight="bold", color=theme.run_colour(run), va="bottom",
                bbox=text_box(theme))
        return texts

    def _say_if_unmeasured(self, ax: Axes) -> None:
        """A recorder given no x and y measures no loss: say so, rather than leave a blank panel."""
        recording, theme = self.recording, self.theme
        unknown = recording.loss_unknown_runs()
        if not unknown:
            return
        runs = len(recording.runs)
        who = "" if len(unknown) == runs else ", ".join(recording.runs[run] for run in unknown) + ": "
        why = ("the recorder was given no training set, x= and y=" if recording.x_train is None
               else "NaN at every recorded step")
        ax.text(0.5, 0.5, f"{who}loss not measured\n({why})", transform=ax.transAxes, ha="center",
                va="center", fontsize=theme.points(9), color=theme.muted)
        if len(unknown) == runs:  # nothing to read off the value axis
            ax.tick_params(axis="y", labelleft=False, left=False)

    def bind(self, recording: Recording) -> bool:
        super().bind(recording)
        runs = len(recording.runs)
        with np.errstate(invalid="ignore"):  # inf - inf in a diverged run is no rise
            rose = np.diff(recording.loss, axis=1) > 0
        self.rises = np.cumsum(np.concatenate([np.zeros((runs, 1)), rose], axis=1), axis=1)
        validation = getattr(self, "validation", None)  # None while the panel is first drawn
        if validation is not None and not validation.bind(recording):
            return False
        # A run that diverged since the figure was built needs its marker line: a static part.
        return self.divergences is None or recording.divergence_frames() == self.divergences

    def update(self, frame: int) -> None:
        super().update(frame)
        if self.validation is not None:
            self.validation.update(frame)
        for run, text in self.divergence_texts.items():
            text.set_visible(frame >= self.divergence_frames[run])
        for run, text in enumerate(self.rise_texts):
            text.set_text(f"{self.recording.runs[run]}: loss rose at {int(self.rises[run, frame])} steps")
