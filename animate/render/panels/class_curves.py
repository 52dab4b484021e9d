"""A classifier over one input: each class's probability against x, one curve per class.

Classes are told apart by colour *and* line style, and the training points sit in one row per
class under the curves (a rug), each with the class's marker, so the reader sees where each class
lives on x and which curve rises there.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes

from animate.render.panel import Panel, PanelContext
from animate.render.panel_kit import CLASS_MARKERS, recorded, sample_points

LINE_STYLES = ("-", "--", "-.", ":")
RUG_ROW = 0.07  # height of one class's row of points below P = 0


def class_curve_limits(class_count: int) -> tuple[float, float]:
    return -RUG_ROW * (class_count + 0.5), 1.04


class ClassCurvePanel(Panel):
    """One run's P(class k | x) for every class k, with the training points as rows of class markers."""

    @classmethod
    def instances(cls, context: PanelContext) -> list[dict[str, Any]]:
        """Classes have the colours here, so runs cannot share a panel: one per run."""
        return [{"run": run, "title": context.run_title(run)} for run in range(len(context.recording.runs))]

    @classmethod
    def shares_value_axis(cls, context: PanelContext) -> bool:
        return True  # probabilities, 0 to 1 in every panel

    def draw(self, ax: Axes, *, run: int, title: str | None) -> Sequence[Artist]:
        picture, recording, view, theme = self.context.picture, self.recording, self.view, self.theme
        self.recording, self.run = recording, run
        self.classes = picture.class_count
        x = recording.grid[:, 0]
        self.order = np.argsort(x)
        self.x = x[self.order]
        if recording.x_train is not None:
            pick = sample_points(len(recording.x_train))
            labels = recorded(picture.labels, "class labels")[pick]
            for k in range(self.classes):
                chosen = pick[labels == k]
                ax.scatter(recording.x_train[chosen, 0], np.full(len(chosen), -RUG_ROW * (k + 0.5)), s=14,
                           marker=CLASS_MARKERS[k % len(CLASS_MARKERS)], color=theme.class_colour(k),
                           edgecolors=theme.text, linewidths=0.4, alpha=0.8, zorder=1)
        ax.axhline(0, color=theme.muted, lw=0.6, zorder=1)
        self.lines = [
            ax.plot([], [], lw=2.2, color=theme.class_colour(k), ls=LINE_STYLES[k % len(LINE_STYLES)], zorder=3,
                    label=f"P({picture.class_names[k]})")[0]
            for k in range(self.classes)
        ]
        ax.set_xlim(float(self.x[0]), float(self.x[-1]))
        ax.set_ylim(*class_curve_limits(self.classes))
        ax.set_yticks([0, 0.5, 1])
        ax.set_xlabel(view.get("xlabel", self.context.picture.input_label or "x"))
        ax.set_ylabel(view.get("ylabel", "probability"))
        if title:
            ax.set_title(title, color=theme.run_colour(run), fontsize=theme.points(10), fontweight="bold")
        return self.lines

    def update(self, frame: int) -> None:
        probabilities = self.recording.predictions[self.run, frame, self.order]
        for k, line in enumerate(self.lines):
            line.set_data(self.x, probabilities[:, k])
