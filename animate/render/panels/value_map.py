"""A regression over two features: the predicted value as colour, with moving contour lines."""
from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize

from animate.render.panel_kit import recorded, robust_limits
from animate.render.panels.lattice_map import LatticeMap, contour_segments

VALUE_LEVELS = 7  # contour lines of a regression surface: enough to read its shape, few enough to follow


class ValueMap(LatticeMap):
    """A regression surface: predicted value as colour on the targets' scale, moving contour lines,
    and the training points coloured by their target on the same scale (a match makes them vanish)."""

    def draw_map(self, ax: Axes) -> list[Artist]:
        picture, view, theme = self.picture, self.view, self.theme
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
            targets = recorded(recording.y_train, "training targets")[self.pick, self.output]
            self.points.append(ax.scatter(*points, c=targets, cmap=theme.map_values, norm=self.norm, s=16,
                                          linewidths=0.6, edgecolors=theme.text, zorder=2, label="training data"))
        self.contours = LineCollection([], colors=theme.background, linewidths=0.8, alpha=0.8, zorder=1)
        ax.add_collection(self.contours)
        self.colourbar_label = view.get("map_label", "prediction (points: targets)")
        self.unchanging = [*self.points]  # animated only to stay above the map
        return [self.image, self.contours, *self.points, *self.notes]

    def update(self, frame: int) -> None:
        surface = self.surface(frame, self.output)
        self.image.set_data(surface)
        self.contours.set_segments([line for level in self.levels
                                    for line in contour_segments(self.xs, self.ys, surface, level)])
