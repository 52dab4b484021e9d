"""A classifier's accuracy on the whole training set, per run: the loss's plainer twin."""
from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from animate.render.panel import PanelContext
from animate.render.panel_kit import recorded
from animate.render.panels.curve import CurvePanel

NARROW_TICKS = 3  # beside the loss, the panel is narrow: a few step ticks, or their labels collide


class AccuracyPanel(CurvePanel):
    """Accuracy from 0.5 (or lower) to 1, on a linear axis, for classifiers whose recorder measured it."""

    series = "accuracy"
    allow_log = False

    @classmethod
    def instances(cls, context: PanelContext) -> list[dict[str, Any]]:
        measured = context.recording.accuracy is not None and context.picture.task != "regression"
        return [{}] if measured else []

    def draw(self, ax: Axes) -> list[Artist]:
        if not self.context.picture.is_map:  # curves: a narrow panel in the row below the predictions
            ax.xaxis.set_major_locator(MaxNLocator(NARROW_TICKS))
        return super().draw(ax)

    def value_label(self) -> str:
        return "accuracy\nwhole training set"

    def value_limits(self) -> tuple[float, float]:
        accuracy = recorded(self.recording.accuracy, "accuracy")
        low = float(np.nanmin(accuracy)) if np.isfinite(accuracy).any() else 0.0
        return min(low, 0.5) - 0.02, 1.02  # room for a dot at 1.0
