"""What every map over two input features shares: the lattice, its axes, the run's title, the points.

The grid must be a regular lattice over the two plotted features (any other features held fixed,
see ``animate.grids``); each map reshapes one run's predictions into an image per frame. Contour
lines are recomputed with contourpy, matplotlib's own contouring engine, which lets a map replace
one line set per frame instead of rebuilding a ``ContourSet``.
"""
from __future__ import annotations

from abc import abstractmethod
from typing import Any

import contourpy
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes

from animate.grids import lattice_axes
from animate.render.panel import Panel, PanelContext
from animate.render.panel_kit import recorded, sample_points, text_box

BOUNDARY = 0.5


def contour_segments(xs: np.ndarray, ys: np.ndarray, surface: np.ndarray, level: float) -> list[np.ndarray]:
    """The contour lines of ``surface`` at ``level``, as line segments for a ``LineCollection``."""
    finite = np.where(np.isfinite(surface), surface, level)  # a diverged frame draws no line, not an error
    lines = contourpy.contour_generator(xs, ys, finite, line_type=contourpy.LineType.Separate).lines(level)
    return list(lines)  # type: ignore[arg-type]  # LineType.Separate: a list of (N, 2) arrays, whatever the union says


def varying_features(grid: np.ndarray) -> tuple[int, int]:
    """The two features a lattice spans (the others held), so a grid from ``grids.lattice(axes=(1, 3))``
    maps itself; any other grid gets (0, 1), and the lattice check explains what is wrong."""
    varying = [k for k in range(grid.shape[1]) if np.ptp(grid[:, k]) > 0]
    return (varying[0], varying[1]) if len(varying) == 2 else (0, 1)


class LatticeMap(Panel):
    """What every map shares: the lattice, the axes, the run's title; subclasses draw the picture."""

    colourbar_label: str | None = None  # set by maps that are read on a colour scale
    image: Any = None  # the map's image, drawn by each kind

    @classmethod
    def instances(cls, context: PanelContext) -> list[dict[str, Any]]:
        """One map per run: each run's picture of the plane is its own."""
        return [{"run": run, "title": context.run_title(run)} for run in range(len(context.recording.runs))]

    def draw(self, ax: Axes, *, run: int, title: str | None) -> list[Artist]:
        self.picture = self.context.picture
        self.run = run
        self.draw_lattice(ax, title)
        return self.draw_map(ax)

    @abstractmethod
    def draw_map(self, ax: Axes) -> list[Artist]:
        """Draw this kind's picture over the lattice's axes; return the changing artists."""

    def colour_scale(self) -> tuple[Any, str] | None:
        return (self.image, self.colourbar_label) if self.colourbar_label else None

    def draw_lattice(self, ax: Axes, title: str | None) -> None:
        view, theme, run = self.view, self.theme, self.run
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
        x = recorded(self.recording.x_train, "training inputs")[self.pick]
        return x[:, self.features[0]], x[:, self.features[1]]
