"""A binary classifier over two features: P(positive class) and its 0.5 contour, the decision boundary."""
from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patheffects import withStroke

from animate.render.panel_kit import recorded
from animate.render.panels.lattice_map import BOUNDARY, LatticeMap, contour_segments


class ProbabilityMap(LatticeMap):
    """A binary classifier: P(positive class) with its 0.5 contour, the decision boundary."""

    def draw_map(self, ax: Axes) -> list[Artist]:
        picture, view, theme = self.picture, self.view, self.theme
        self.image = ax.imshow(np.zeros((len(self.ys), len(self.xs))), origin="lower", extent=self.extent,
                               aspect="auto", cmap=theme.map_two_class, vmin=0, vmax=1, interpolation="bilinear",
                               alpha=0.9, zorder=0)
        # White and black read on every shade of the map, whatever the reader's colour vision.
        styles: tuple[dict[str, Any], ...] = ({"marker": "o", "color": "white", "edgecolors": "#222222"},
                                              {"marker": "^", "color": "#111111", "edgecolors": "white"})
        names = picture.class_names
        self.points = []
        points = self.training_points()
        if points is not None:
            positive = recorded(picture.labels, "class labels")[self.pick] == picture.positive
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
        self.unchanging = [*self.points]  # animated only to stay above the map
        return [self.image, *self.points, self.boundary, *self.notes]

    def update(self, frame: int) -> None:
        surface = self.surface(frame, self.picture.positive_output)
        self.image.set_data(surface)
        self.boundary.set_segments(contour_segments(self.xs, self.ys, surface, BOUNDARY))
