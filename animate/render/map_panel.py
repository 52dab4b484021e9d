"""Maps over two input features, one class per picture: a value surface, P(positive), or class regions.

The grid must be a regular lattice over the two plotted features (any other features held fixed,
see ``animate.grids``); each panel reshapes one run's predictions into an image per frame and
recomputes its contour lines with contourpy, matplotlib's own contouring engine, which lets us
replace one line set per frame instead of rebuilding a ``ContourSet``.
"""
from __future__ import annotations

from typing import Any, Mapping

import contourpy
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize, to_rgb
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.patheffects import withStroke

from animate.grids import lattice_axes
from animate.render.panels import Panel, _animated, robust_limits, sample_points, text_box
from animate.render.pictures import Picture
from animate.render.theme import LIGHT, Theme

BOUNDARY = 0.5
CLASS_MARKERS = ("o", "^", "s", "D", "v", "P", "X", "*")  # a shape per class, so colour is never the only cue
VALUE_LEVELS = 7  # contour lines of a regression surface: enough to read its shape, few enough to follow


def _segments(xs: np.ndarray, ys: np.ndarray, surface: np.ndarray, level: float) -> list[np.ndarray]:
    finite = np.where(np.isfinite(surface), surface, level)  # a diverged frame draws no line, not an error
    return contourpy.contour_generator(xs, ys, finite).lines(level)


def varying_features(grid: np.ndarray) -> tuple[int, int]:
    """The two features a lattice spans (the others held), so a grid from ``grids.lattice(axes=(1, 3))``
    maps itself; any other grid gets (0, 1), and the lattice check explains what is wrong."""
    varying = [k for k in range(grid.shape[1]) if np.ptp(grid[:, k]) > 0]
    return (varying[0], varying[1]) if len(varying) == 2 else (0, 1)


class _LatticeMap(Panel):
    """What every map shares: the lattice, the axes, the run's title; subclasses draw the picture."""

    colourbar_label: str | None = None  # set by maps that are read on a colour scale

    def __init__(self, ax: Axes, picture: Picture, run: int, view: Mapping[str, Any], *, theme: Theme,
                 title: str | None) -> None:
        self.recording = picture.recording
        self.picture = picture
        self.run = run
        self.theme = theme
        self.features = tuple(int(axis) for axis in view.get("map_axes") or varying_features(self.recording.grid))
        self.xs, self.ys, self.order = lattice_axes(self.recording.grid, self.features)
        self.extent = (self.xs[0], self.xs[-1], self.ys[0], self.ys[-1])
        ax.set_xlim(self.extent[0], self.extent[1])
        ax.set_ylim(self.extent[2], self.extent[3])
        first, second = self.features
        grid = self.recording.grid
        names = list(view.get("feature_names") or [])
        names += [f"feature {k}" for k in range(len(names), grid.shape[1])]
        labels = view.get("map_labels") or [None, None]
        ax.set_xlabel(labels[0] or names[first])
        ax.set_ylabel(labels[1] or names[second])
        if title:
            ax.set_title(title, fontsize=theme.points(10), fontweight="bold", color=theme.run_colour(run))
        held = [f"{names[k]} = {grid[0, k]:g}" for k in range(grid.shape[1]) if k not in self.features]
        self.notes = []
        if held:  # a slice of a wider input space: say where the other features sit (drawn over the image)
            self.notes.append(ax.text(0.02, 0.02, "held: " + ", ".join(held), transform=ax.transAxes,
                                      fontsize=theme.points(8), color=theme.text,
                    zorder=5, bbox=text_box(theme)))
        self.ax = ax
        self.pick = sample_points(len(self.recording.x_train)) if self.recording.x_train is not None else None

    def surface(self, frame: int, output: int) -> np.ndarray:
        values = self.recording.predictions[self.run, frame, self.order, output]
        return values.reshape(len(self.ys), len(self.xs))

    def training_points(self) -> tuple[np.ndarray, np.ndarray] | None:
        if self.pick is None:
            return None
        x = self.recording.x_train[self.pick]
        return x[:, self.features[0]], x[:, self.features[1]]


class ValueMap(_LatticeMap):
    """A regression surface: predicted value as colour on the targets' scale, moving contour lines,
    and the training points coloured by their target on the same scale (a match makes them vanish)."""

    def __init__(self, ax: Axes, picture: Picture, run: int, view: Mapping[str, Any], *, theme: Theme = LIGHT,
                 title: str | None = None) -> None:
        super().__init__(ax, picture, run, view, theme=theme, title=title)
        recording = self.recording
        self.output = picture.outputs[0]
        known = [values[:, self.output] for values in (recording.y_train, recording.target) if values is not None]
        scale = np.concatenate(known) if known else recording.predictions[..., -1:, :, self.output].ravel()
        low, high = robust_limits(scale, quantile=0.0, pad=0.0)
        self.norm = Normalize(low, high)
        self.levels = np.linspace(low, high, VALUE_LEVELS + 2)[1:-1]
        self.image = ax.imshow(np.zeros((len(self.ys), len(self.xs))), origin="lower", extent=self.extent,
                               aspect="auto", cmap=theme.map_values, norm=self.norm, interpolation="bilinear",
                               zorder=0)
        self.points = []
        points = self.training_points()
        if points is not None:
            targets = recording.y_train[self.pick, self.output]
            self.points.append(ax.scatter(*points, c=targets, cmap=theme.map_values, norm=self.norm, s=16,
                                          linewidths=0.6, edgecolors=theme.text, zorder=2, label="training data"))
        self.contours = LineCollection([], colors=theme.background, linewidths=0.8, alpha=0.8, zorder=1)
        ax.add_collection(self.contours)
        self.colourbar_label = view.get("map_label", "prediction (points: targets)")
        self.animated = _animated(self.image, self.contours, *self.points, *self.notes)
        self.unchanging = [*self.points]  # animated only to stay above the map

    def update(self, frame: int) -> None:
        surface = self.surface(frame, self.output)
        self.image.set_data(surface)
        self.contours.set_segments([line for level in self.levels for line in _segments(self.xs, self.ys, surface,
                                                                                           level)])


class ProbabilityMap(_LatticeMap):
    """A binary classifier: P(positive class) with its 0.5 contour, the decision boundary."""

    def __init__(self, ax: Axes, picture: Picture, run: int, view: Mapping[str, Any], *, theme: Theme = LIGHT,
                 title: str | None = None) -> None:
        super().__init__(ax, picture, run, view, theme=theme, title=title)
        self.image = ax.imshow(np.zeros((len(self.ys), len(self.xs))), origin="lower", extent=self.extent,
                               aspect="auto", cmap=theme.map_two_class, vmin=0, vmax=1, interpolation="bilinear",
                               alpha=0.9, zorder=0)
        # White and black read on every shade of the map, whatever the reader's colour vision.
        styles = ({"marker": "o", "color": "white", "edgecolors": "#222222"},
                  {"marker": "^", "color": "#111111", "edgecolors": "white"})
        names = picture.class_names
        self.points = []
        points = self.training_points()
        if points is not None:
            positive = picture.labels[self.pick] == picture.positive
            others = [k for k in range(picture.class_count) if k != picture.positive]
            negative_name = names[others[0]] if len(others) == 1 else "other classes"
            for chosen, style, name in ((~positive, styles[0], negative_name),
                                        (positive, styles[1], names[picture.positive])):
                self.points.append(ax.scatter(points[0][chosen], points[1][chosen], s=15, linewidths=0.6, zorder=2,
                                              label=name, **style))
        self.boundary = LineCollection([], colors="black", linewidths=1.8, zorder=3,
                                       label=f"P = {BOUNDARY} (decision boundary)")
        ax.add_collection(self.boundary)
        if theme.is_dark:  # the legend's black sample would vanish on a dark ground: outline it
            self.boundary.set_label("_nolegend_")
            ax.add_line(Line2D([], [], color="black", lw=1.8, label=f"P = {BOUNDARY} (decision boundary)",
                               path_effects=[withStroke(linewidth=3.4, foreground=theme.text)]))
        self.colourbar_label = view.get("map_label", f"P({names[picture.positive]})")
        # The image changes, and the points and boundary must stay on top of it: all three are animated.
        self.animated = _animated(self.image, *self.points, self.boundary, *self.notes)
        self.unchanging = [*self.points]  # animated only to stay above the map

    def update(self, frame: int) -> None:
        surface = self.surface(frame, self.picture.positive_output)
        self.image.set_data(surface)
        self.boundary.set_segments(_segments(self.xs, self.ys, surface, BOUNDARY))


class ClassMap(_LatticeMap):
    """Three or more classes: each point of the plane in its predicted class's colour, paler where the
    model is less sure, the boundaries between classes, and every class's points with its own marker."""

    def __init__(self, ax: Axes, picture: Picture, run: int, view: Mapping[str, Any], *, theme: Theme = LIGHT,
                 title: str | None = None) -> None:
        super().__init__(ax, picture, run, view, theme=theme, title=title)
        count = picture.class_count
        self.class_rgb = np.array([to_rgb(theme.class_colour(k)) for k in range(count)])
        self.ground = np.array(to_rgb(theme.background))
        self.image = ax.imshow(np.zeros((len(self.ys), len(self.xs), 3)), origin="lower", extent=self.extent,
                               aspect="auto", interpolation="bilinear", zorder=0)
        self.points = []
        points = self.training_points()
        if points is not None:
            labels = picture.labels[self.pick]
            for k in range(count):
                chosen = labels == k
                self.points.append(ax.scatter(points[0][chosen], points[1][chosen], s=18, linewidths=0.7, zorder=2,
                                              marker=CLASS_MARKERS[k % len(CLASS_MARKERS)],
                                              color=theme.class_colour(k), edgecolors=theme.text,
                                              label=picture.class_names[k]))
        else:  # no training data: the legend still names each class's colour
            for k in range(count):
                ax.add_patch(Patch(color=theme.class_colour(k), label=picture.class_names[k], visible=False))
        self.boundary = LineCollection([], colors=theme.text, linewidths=1.4, zorder=3, label="class boundary")
        ax.add_collection(self.boundary)
        # The legend explains the shading: towards the ground's colour, lighter on a light one, darker on a dark one.
        ax.add_line(Line2D([], [], lw=0, label="darker: less sure" if theme.is_dark else "paler: less sure"))
        self.animated = _animated(self.image, *self.points, self.boundary, *self.notes)
        self.unchanging = [*self.points]  # animated only to stay above the map

    def update(self, frame: int) -> None:
        recording, count = self.recording, self.picture.class_count
        probabilities = recording.predictions[self.run, frame][self.order][:, :count]
        probabilities = np.where(np.isfinite(probabilities), probabilities, 1.0 / count)
        winner = probabilities.argmax(axis=1)
        top_two = np.sort(probabilities, axis=1)[:, -2:]
        # Confidence 0 where all classes tie (1/K each), 1 where one class is certain.
        confidence = np.clip((top_two[:, 1] - 1.0 / count) / (1.0 - 1.0 / count), 0.0, 1.0)
        strength = (0.2 + 0.65 * confidence)[:, None]
        pixels = self.ground * (1 - strength) + self.class_rgb[winner] * strength
        shape = (len(self.ys), len(self.xs))
        self.image.set_data(pixels.reshape(*shape, 3))
        # Class k's region ends where its probability stops beating every other class's.
        best_other = np.where(winner[:, None] == np.arange(count)[None, :], top_two[:, :1], top_two[:, 1:])
        segments = []
        for k in range(count):
            margin = (probabilities[:, k] - best_other[:, k]).reshape(shape)
            if (margin > 0).any():
                segments += _segments(self.xs, self.ys, margin, 0.0)
        self.boundary.set_segments(segments)


MAPS = {"value_map": ValueMap, "probability_map": ProbabilityMap, "class_map": ClassMap}
