"""Three or more classes over two features: each point of the plane in its predicted class's colour."""
from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgb
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from animate.render.panel_kit import CLASS_MARKERS, recorded
from animate.render.panels.lattice_map import LatticeMap, contour_segments


class ClassMap(LatticeMap):
    """Three or more classes: each point of the plane in its predicted class's colour, paler where the
    model is less sure, the boundaries between classes, and every class's points with its own marker."""

    def draw_map(self, ax: Axes) -> list[Artist]:
        picture, theme = self.picture, self.theme
        count = picture.class_count
        self.class_rgb = np.array([to_rgb(theme.class_colour(k)) for k in range(count)])
        self.ground = np.array(to_rgb(theme.background))
        self.image = ax.imshow(np.zeros((len(self.ys), len(self.xs), 3)), origin="lower", extent=self.extent,
                               aspect="auto", interpolation="bilinear", zorder=0)
        self.points = []
        points = self.training_points()
        if points is not None:
            labels = recorded(picture.labels, "class labels")[self.pick]
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
        self.unchanging = [*self.points]  # animated only to stay above the map
        return [self.image, *self.points, self.boundary, *self.notes]

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
                segments += contour_segments(self.xs, self.ys, margin, 0.0)
        self.boundary.set_segments(segments)
