"""Layout of the whole figure and fast frame drawing by blitting.

A full ``canvas.draw()`` per frame redraws ticks, labels, data points and faint curves that never
change (~16 frames/s here). We draw those once, keep the pixels, and per frame restore them and
draw only the artists that change (an order of magnitude faster). ``full_redraw=True`` draws every
frame from scratch; tests compare the two.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from animate.errors import RenderError
from animate.recording import Recording
from animate.render.hidden_panel import HiddenUnitPanel
from animate.render.map_panel import MapPanel
from animate.render.panels import CurvePanel, LossPanel, PredictionPanel, WeightPathPanel, robust_limits

LAYOUTS = ("side_by_side", "overlay")
MACRO_BLOCK = 16  # H.264 encodes whole 16x16 blocks: sizes that are multiples need no padding


@dataclass(frozen=True)
class FigureOptions:
    width: int = 720  # pixels
    height: int = 480
    dpi: int = 100
    layout: str | None = None  # "side_by_side" | "overlay"; None lets the recording's view decide


class _Lenient(dict):
    """str.format_map mapping that leaves unknown {names} as they are."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def prediction_limits(recording: Recording) -> tuple[float, float]:
    """Y limits that hold the data and nearly all predictions, but never let a wild run (one that is
    diverging, or the wild first steps of a big net) squash the rest: predictions may widen the data's
    range by at most a quarter of its span each way."""
    predicted = robust_limits(recording.predictions[..., 0].ravel())
    known = [values[:, 0] for values in (recording.y_train, recording.target) if values is not None]
    if not known:
        return predicted
    low, high = robust_limits(np.concatenate(known), quantile=0.0)
    reach = (high - low) * 0.25
    return min(low, max(predicted[0], low - reach)), max(high, min(predicted[1], high + reach))


def _check_size(width: int, height: int) -> None:
    if width < 160 or height < 160 or width > 3840 or height > 2160:
        raise RenderError(f"size {width}x{height} is outside 160x160 .. 3840x2160 pixels")
    if width % MACRO_BLOCK or height % MACRO_BLOCK:
        raise RenderError(f"size {width}x{height}: width and height must be multiples of {MACRO_BLOCK} (H.264)")


class AnimatedFigure:
    """The figure for one recording; ``frame(i)`` returns frame i as an (H, W, 4) uint8 array."""

    def __init__(self, recording: Recording, options: FigureOptions = FigureOptions(), *, full_redraw: bool = False):
        _check_size(options.width, options.height)
        self.recording = recording
        self.full_redraw = full_redraw
        self.view: Mapping[str, Any] = dict(recording.meta.get("view", {}))
        self.figure = Figure(figsize=(options.width / options.dpi, options.height / options.dpi), dpi=options.dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self.figure.set_layout_engine("constrained", h_pad=0.04, w_pad=0.04)
        title_points = 11.5
        # Bold sans-serif averages ~0.6 em per character: wrap before the title would be clipped.
        characters = int(options.width / (title_points * options.dpi / 72 * 0.6))
        message = recording.message or recording.lesson
        self.figure.suptitle(textwrap.fill(message, characters), fontsize=title_points, fontweight="bold")
        self.panels: list[Any] = []
        if recording.grid.shape[1] == 1:
            loss_ax, legend_ax = self._lay_out_curves(options)
        else:
            loss_ax, legend_ax = self._lay_out_maps()
        # One legend for the whole figure, along the bottom: it never covers data, whatever the lesson.
        handles, labels = legend_ax.get_legend_handles_labels()
        if handles:
            self.figure.legend(handles, labels, loc="outside lower center", ncol=len(handles), frameon=False,
                               fontsize=8.5, handlelength=1.6, columnspacing=1.4)
        caption = self.view.get("caption")
        if caption:  # "{seed}" and other parameters are filled in, so a caption stays true under --seed
            caption = caption.format_map(_Lenient(recording.meta.get("params", {})))
            loss_ax.text(0.99, 0.95, caption, transform=loss_ax.transAxes, ha="right", va="top", fontsize=8,
                         color="#555555", zorder=5,
                         bbox={"facecolor": "white", "alpha": 0.9, "edgecolor": "none", "pad": 2})
        # The step counter is the loss panel's right-hand title: the layout keeps room for it, so it
        # never meets a curve or a label. Laid out with its widest text, then animated.
        self.total_steps = int(recording.steps[-1])
        self.step_text = loss_ax.set_title(self._step_label(self.total_steps), loc="right", fontsize=10,
                                           family="monospace", fontweight="bold", color="#222222")
        self.step_text.set_animated(True)
        self.animated = [artist for panel in self.panels for artist in panel.animated] + [self.step_text]

        if full_redraw:
            for artist in self.animated:
                artist.set_animated(False)
        self.canvas.draw()  # lays out (constrained layout runs here) and draws the static parts
        self.figure.set_layout_engine("none")  # freeze the layout: later draws must not move axes
        self.background = None if full_redraw else self.canvas.copy_from_bbox(self.figure.bbox)
        self.size = (int(self.canvas.get_width_height()[0]), int(self.canvas.get_width_height()[1]))

    def _lay_out_curves(self, options: FigureOptions) -> tuple[Axes, Axes]:
        """1-D inputs: predictions as lines on top (one panel per run, or overlaid), loss below."""
        recording, view = self.recording, self.view
        run_count = len(recording.runs)
        layout = options.layout or view.get("layout") or ("side_by_side" if run_count <= 3 else "overlay")
        if layout not in LAYOUTS:
            raise RenderError(f"unknown layout '{layout}'; choose from: {', '.join(LAYOUTS)}")
        with_weights = recording.weights is not None and recording.weights.shape[2] == 2
        top_columns = run_count if layout == "side_by_side" else 1
        grid = self.figure.add_gridspec(2, top_columns, height_ratios=(1.35, 1))
        y_limits = prediction_limits(recording)
        top_axes: list[Axes] = []
        if layout == "side_by_side":
            for run in range(run_count):
                ax = self.figure.add_subplot(grid[0, run], sharey=top_axes[0] if top_axes else None)
                self.panels.append(PredictionPanel(ax, recording, [run], view, y_limits, title=recording.runs[run]))
                if run:
                    ax.tick_params(labelleft=False)
                    ax.set_ylabel("")
                top_axes.append(ax)
        else:
            ax = self.figure.add_subplot(grid[0, :])
            self.panels.append(PredictionPanel(ax, recording, range(run_count), view, y_limits))
            top_axes.append(ax)
        # "hidden_unit_runs": one-hidden-layer runs whose units get a panel of their own beside the loss.
        hidden_runs = [recording.runs.index(name) for name in view.get("hidden_unit_runs", [])
                       if name in recording.runs and recording.weights is not None]
        extras = len(hidden_runs) + int(with_weights)
        bottom = grid[1, :].subgridspec(1, 1 + extras, width_ratios=(2.2,) + (1,) * extras) if extras else None
        loss_ax = self.figure.add_subplot(bottom[0, 0] if bottom is not None else grid[1, :])
        self.panels.append(LossPanel(loss_ax, recording, view))
        if with_weights:
            self.panels.append(WeightPathPanel(self.figure.add_subplot(bottom[0, 1]), recording, view))
        for column, run in enumerate(hidden_runs, start=1 + int(with_weights)):
            ax = self.figure.add_subplot(bottom[0, column])
            self.panels.append(HiddenUnitPanel(ax, recording, run, view, y_limits))
        return loss_ax, top_axes[0]

    def _lay_out_maps(self) -> tuple[Axes, Axes]:
        """2-D inputs: one probability map per run on the left, loss and accuracy stacked on the right."""
        recording, view = self.recording, self.view
        run_count = len(recording.runs)
        grid = self.figure.add_gridspec(2, run_count + 1, width_ratios=(1.25,) * run_count + (1,))
        map_axes = []
        for run in range(run_count):
            ax = self.figure.add_subplot(grid[:, run])
            self.panels.append(MapPanel(ax, recording, run, view, title=recording.runs[run]))
            map_axes.append(ax)
        with_accuracy = recording.accuracy is not None
        loss_ax = self.figure.add_subplot(grid[0, -1] if with_accuracy else grid[:, -1])
        self.panels.append(LossPanel(loss_ax, recording, view))
        if with_accuracy:
            loss_ax.set_xlabel("")
            accuracy_ax = self.figure.add_subplot(grid[1, -1], sharex=loss_ax)
            low = float(np.nanmin(recording.accuracy)) if np.isfinite(recording.accuracy).any() else 0.0
            self.panels.append(CurvePanel(accuracy_ax, recording, recording.accuracy, view,
                                          ylabel="accuracy, training set", allow_log=False,
                                          limits=(min(low, 0.5) - 0.02, 1.0)))
        colourbar = self.figure.colorbar(self.panels[0].image, ax=map_axes, fraction=0.05, pad=0.02)
        colourbar.set_label(view.get("map_label", "predicted probability"))
        return loss_ax, map_axes[0]

    def _step_label(self, step: int) -> str:
        width = len(f"{self.total_steps:,}")
        return f"step {step:>{width},} / {self.total_steps:,}"

    def __len__(self) -> int:
        return len(self.recording.steps)

    def frame(self, index: int) -> np.ndarray:
        """Draw recording frame ``index`` and return the canvas pixels (a view, valid until the next call)."""
        for panel in self.panels:
            panel.update(index)
        self.step_text.set_text(self._step_label(int(self.recording.steps[index])))
        if self.full_redraw:
            self.canvas.draw()
        else:
            self.canvas.restore_region(self.background)
            renderer = self.canvas.get_renderer()
            for artist in self.animated:
                artist.draw(renderer)
        return np.asarray(self.canvas.buffer_rgba())
