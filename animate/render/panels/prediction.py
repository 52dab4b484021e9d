"""Training data as light points, the target where known, each run's prediction of one output as a line.

Classifier pictures reuse it for P(positive class) against x: ``points`` are then the 0/1 labels
and ``threshold`` draws the 0.5 line. Which panels a picture gets (one per run, one per output, one
per ``--vary`` value, or all runs overlaid) is decided in ``instances``.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.text import Text

from animate.render.panel import Panel, PanelContext
from animate.render.panel_kit import prediction_limits, recorded, sample_points, text_box

FEW_POINTS = 50  # up to this many training points, each is drawn large and dark
OVERLAY_FROM_RUNS = 4  # side by side, four panels would be too narrow to read: overlay them instead


class PredictionPanel(Panel):
    """The runs' predictions of one output against the one input feature."""

    @classmethod
    def shares_value_axis(cls, context: PanelContext) -> bool:
        """One value scale for every panel, unless each panel is an output of its own."""
        return context.picture.kind != "curves" or len(context.picture.outputs) == 1

    @classmethod
    def instances(cls, context: PanelContext) -> list[dict[str, Any]]:
        picture, recording, view = context.picture, context.recording, context.view
        runs = list(range(len(recording.runs)))
        if picture.kind == "probability_curves":
            name = picture.class_names[picture.positive]
            labels = (picture.labels == picture.positive).astype(float) if picture.labels is not None else None
            shared: dict[str, Any] = {
                "output": picture.positive_output, "ylabel": view.get("ylabel", f"P({name})"), "threshold": 0.5,
                "points": None if labels is None else (recorded(recording.x_train, "training inputs")[:, 0], labels),
                "limits": (-0.06, 1.06)}
        elif len(picture.outputs) > 1:  # one panel per output, every run in each
            names = view.get("output_names") or [f"output {k}" for k in picture.outputs]
            # No panel title names a lone run here (each panel is an output's): the legend does.
            lone_name = context.run_title(0) if len(runs) == 1 else None
            return [{"runs": runs, "limits": prediction_limits(recording, k), "output": k, "ylabel": name,
                     "legend_label": lone_name if k == picture.outputs[0] else None}
                    for k, name in zip(picture.outputs, names, strict=False)]
        else:
            shared = {"output": picture.outputs[0], "limits": prediction_limits(recording, picture.outputs[0])}
        layout = view.get("layout") or ("side_by_side" if len(runs) < OVERLAY_FROM_RUNS else "overlay")
        if layout == "overlay":
            return [{"runs": runs, **shared}]
        groups = [group for group in view.get("run_groups", []) if max(group["runs"]) < len(runs)]
        if groups:  # --vary (animate/vary.py): one panel per value, that value's runs overlaid in it
            return [{"runs": group["runs"], "title": group["title"], "group_names": group["names"], **shared}
                    for group in groups]
        return [{"runs": [run], "title": context.run_title(run), **shared} for run in runs]

    def draw(self, ax: Axes, *, runs: Sequence[int], limits: tuple[float, float], output: int = 0,
             title: str | None = None, ylabel: str | None = None,
             points: tuple[np.ndarray, np.ndarray] | None = None, threshold: float | None = None,
             group_names: Sequence[str] | None = None, legend_label: str | None = None) -> list[Artist]:
        recording, view, theme = self.recording, self.view, self.theme
        self.runs = list(runs)
        self.output = output
        x = recording.grid[:, 0]
        self.order = np.argsort(x)
        self.x = x[self.order]
        self._draw_data(ax, points, threshold)
        self.lines = []
        for run in self.runs:
            # In side-by-side panels the title names the run; the legend then explains only the data.
            label = recording.runs[run] if len(self.runs) > 1 else "_nolegend_"
            (line,) = ax.plot([], [], lw=2.4, color=theme.run_colour(run), zorder=3, label=label)
            self.lines.append(line)
        ax.set_xlim(float(self.x[0]), float(self.x[-1]))
        ax.set_ylim(*limits)
        ax.set_xlabel(view.get("xlabel", self.context.picture.input_label or "x"))
        ax.set_ylabel(ylabel or view.get("ylabel", "y"))
        if title:
            ax.set_title(title, color=theme.run_colour(self.runs[0]), fontsize=theme.points(10), fontweight="bold")
        self.timed_notes = self._draw_notes(ax)
        self.readouts = self._draw_readouts(ax)
        if legend_label:
            self.lines[0].set_label(legend_label)
        if group_names is not None:
            self._draw_group_legend(ax, group_names)
        return [*self.lines, *self.readouts, *(artist for artist, _ in self.timed_notes)]

    def _draw_data(self, ax: Axes, points: tuple[np.ndarray, np.ndarray] | None, threshold: float | None) -> None:
        recording, view, theme, output = self.recording, self.view, self.theme, self.output
        shade = view.get("shade")
        if shade:
            ax.axvspan(shade[0], shade[1], color=theme.shade, zorder=0, lw=0,
                       label=view.get("shade_label", "training range"))
        if points is None and recording.x_train is not None:
            points = recording.x_train[:, 0], recorded(recording.y_train, "training targets")[:, output]
        if points is not None:
            pick = sample_points(len(points[0]))
            if len(pick) <= FEW_POINTS:  # a handful of points is the lesson itself: each must be seen
                ax.scatter(points[0][pick], points[1][pick], s=34, color=theme.text, lw=0, zorder=2,
                           label="training data")
            else:
                ax.scatter(points[0][pick], points[1][pick], s=9, color=theme.data, alpha=0.55, lw=0, zorder=1,
                           label="training data")
        if recording.x_val is not None and recording.y_val is not None and threshold is None:
            pick = sample_points(len(recording.x_val))
            ax.scatter(recording.x_val[pick, 0], recording.y_val[pick, output], s=12, facecolors="none",
                       edgecolors=theme.muted, linewidths=0.7, alpha=0.6, zorder=1, label="validation data")
        if recording.target is not None and threshold is None:
            ax.plot(self.x, recording.target[self.order, output], ls="--", lw=1.2, color=theme.target, zorder=2,
                    label=view.get("target_label", "target"))
        if threshold is not None:
            ax.axhline(threshold, color=theme.muted, lw=0.8, ls="--", zorder=1)

    def _draw_notes(self, ax: Axes) -> list[tuple[Text, int]]:
        """A run's note is a text, or {"text": ..., "from_step": N} to keep it hidden until step N."""
        theme, notes = self.theme, self.view.get("run_notes", {})
        timed = []
        for row, run in enumerate(self.runs):
            note = notes.get(self.recording.runs[run])
            if not note:
                continue
            text, from_step = (note, 0) if isinstance(note, str) else (note["text"], note.get("from_step", 0))
            artist = ax.text(0.03, 0.95 - 0.12 * theme.font_scale * row, text, transform=ax.transAxes,
                             fontsize=theme.points(8.5), va="top",
                             color=theme.run_colour(run), linespacing=1.3, zorder=5, bbox=text_box(theme))
            if from_step:
                timed.append((artist, int(from_step)))
        return timed

    def _draw_readouts(self, ax: Axes) -> list[Text]:
        """A one- or two-parameter net's weights, read out as numbers."""
        weights, theme = self.recording.weights, self.theme
        if weights is None or weights.shape[2] > 2:
            return []
        return [ax.text(0.97, 0.14 + 0.09 * theme.font_scale * row, "", transform=ax.transAxes,
                        fontsize=theme.points(9), ha="right",
                        color=theme.run_colour(run), family="monospace", va="bottom", bbox=text_box(theme))
                for row, run in enumerate(self.runs)]

    def _draw_group_legend(self, ax: Axes, names: Sequence[str]) -> None:
        """A --vary panel names its runs itself; the figure's legend explains the data."""
        theme = self.theme
        for line in self.lines:
            line.set_label("_nolegend_")
        keys = [ax.plot([], [], lw=2.4, color=theme.run_colour(run))[0] for run in self.runs]
        ax.legend(keys, names, loc="best", fontsize=theme.points(7.5), frameon=False, handlelength=1.2)

    def update(self, frame: int) -> None:
        for artist, from_step in self.timed_notes:
            artist.set_visible(self.recording.steps[frame] >= from_step)
        predictions = self.recording.predictions
        for line, run in zip(self.lines, self.runs, strict=True):
            line.set_data(self.x, predictions[run, frame, self.order, self.output])
        names = ("w", "b")
        for text, run in zip(self.readouts, self.runs, strict=False):
            values = recorded(self.recording.weights, "weights")[run, frame]
            text.set_text("  ".join(f"{names[i]} = {v:+.2f}" for i, v in enumerate(values)))
