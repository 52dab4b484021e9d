"""The 2-D panel for classifiers: a class's probability over two input features, with its 0.5 contour.

The grid must be a regular lattice over the two plotted features (any other features held fixed);
the panel reshapes predictions into an image and redraws the decision boundary every frame.
"""
from __future__ import annotations

from typing import Any, Mapping

import contourpy  # matplotlib's own contouring engine; lets us update one line set per frame
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection

from animate.errors import RenderError
from animate.recording import Recording
from animate.render.panels import _animated

MAP_COLOURS = "coolwarm"  # light in the middle (the uncertain band), blue and red at the ends
# White and black read on every shade of the map, whatever the reader's colour vision.
CLASS_STYLES = ({"marker": "o", "color": "white", "edgecolors": "#222222"},
                {"marker": "^", "color": "#111111", "edgecolors": "white"})
BOUNDARY = 0.5
MAX_POINTS = 400  # more only makes an unreadable carpet


class MapPanel:
    """One run's predicted probability of ``view["map_class"]`` over features ``view["map_axes"]``."""

    def __init__(self, ax: Axes, recording: Recording, run: int, view: Mapping[str, Any], *, title: str) -> None:
        self.recording = recording
        self.run = run
        first, second = view.get("map_axes", (0, 1))
        self.category = int(view.get("map_class", 1))
        grid = recording.grid
        if recording.predictions.shape[3] <= self.category:
            raise RenderError(f"map_class {self.category} is not one of the recording's "
                              f"{recording.predictions.shape[3]} outputs")
        self.xs, self.ys = np.unique(grid[:, first]), np.unique(grid[:, second])
        if len(self.xs) * len(self.ys) != len(grid):
            raise RenderError("a 2-D map needs the grid to be a regular lattice over the two plotted features")
        self.order = np.lexsort((grid[:, first], grid[:, second]))  # rows by the second feature
        extent = (self.xs[0], self.xs[-1], self.ys[0], self.ys[-1])
        self.image = ax.imshow(np.zeros((len(self.ys), len(self.xs))), origin="lower", extent=extent, aspect="auto",
                               cmap=MAP_COLOURS, vmin=0, vmax=1, interpolation="bilinear", alpha=0.9, zorder=0)
        names = view.get("class_names", [f"class {k}" for k in range(recording.predictions.shape[3])])
        self.points = []
        if recording.x_train is not None:
            labels = recording.y_train.argmax(axis=1) if recording.y_train.shape[1] > 1 else recording.y_train[:, 0]
            pick = np.arange(len(labels))
            if len(pick) > MAX_POINTS:
                pick = np.sort(np.random.default_rng(0).choice(len(pick), MAX_POINTS, replace=False))
            for label in (0, 1):
                chosen = pick[labels[pick] == label]
                self.points.append(ax.scatter(
                    recording.x_train[chosen, first], recording.x_train[chosen, second], s=15, linewidths=0.6,
                    zorder=2, label=names[label] if label < len(names) else f"class {label}", **CLASS_STYLES[label]))
        self.boundary = LineCollection([], colors="black", linewidths=1.8, zorder=3,
                                       label=f"P = {BOUNDARY} (decision boundary)")
        ax.add_collection(self.boundary)
        ax.set_xlim(extent[0], extent[1])
        ax.set_ylim(extent[2], extent[3])
        labels_ = view.get("map_labels", [f"feature {first}", f"feature {second}"])
        ax.set_xlabel(labels_[0])
        ax.set_ylabel(labels_[1])
        ax.set_title(title, fontsize=10, fontweight="bold")
        # The image changes, and the points and boundary must stay on top of it: all three are animated.
        self.animated = _animated(self.image, *self.points, self.boundary)

    def update(self, frame: int) -> None:
        probability = self.recording.predictions[self.run, frame, self.order, self.category]
        surface = probability.reshape(len(self.ys), len(self.xs))
        self.image.set_data(surface)
        finite = np.where(np.isfinite(surface), surface, BOUNDARY)
        lines = contourpy.contour_generator(self.xs, self.ys, finite).lines(BOUNDARY)
        self.boundary.set_segments(lines)
