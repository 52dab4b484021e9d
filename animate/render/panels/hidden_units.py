"""Hidden units of a one-hidden-layer ReLU net, one faint line each: why a wide net can still stall.

The prediction of 1 → H ReLU → 1 is c + Σ v_j · relu(w_j x + b_j): each unit adds one bent line
with its kink at x = -b_j / w_j. A unit that is zero on every training point gets no gradient and
never comes back; we grey those out and count them, frame by frame.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.ticker import MaxNLocator

from animate.errors import RenderError
from animate.recording import Recording
from animate.render.panel import Panel, PanelContext
from animate.render.panel_kit import prediction_limits, recorded, text_box

UNIT_ALPHA = 0.55  # faint: sixty units overlap


def hidden_layer(recording: Recording, run: int) -> tuple[np.ndarray, ...]:
    """(w, b, v, c) per frame for a 1 → H → 1 net, from its flattened weights (Keras order)."""
    weights = recorded(recording.weights, "weights")[run]
    count = int(np.sum(np.isfinite(weights[0])))  # runs of other sizes are padded with NaN
    units, remainder = divmod(count - 1, 3)
    if remainder or units < 1 or recording.grid.shape[1] != 1:
        raise RenderError(f"run '{recording.runs[run]}' is not a one-hidden-layer net on 1-D inputs")
    w, b = weights[:, :units], weights[:, units:2 * units]
    v, c = weights[:, 2 * units:3 * units], weights[:, 3 * units]
    return w, b, v, c


class HiddenUnitPanel(Panel):
    """Each unit's contribution v_j · relu(w_j x + b_j) as a line, dead ones grey, with a running count."""

    @classmethod
    def instances(cls, context: PanelContext) -> list[dict[str, Any]]:
        """One panel per run named in ``view["hidden_unit_runs"]``, on the predictions' scale."""
        recording = context.recording
        if recording.weights is None:
            return []
        limits = prediction_limits(recording)
        return [{"run": recording.runs.index(name), "y_limits": limits}
                for name in context.view.get("hidden_unit_runs", []) if name in recording.runs]

    def draw(self, ax: Axes, *, run: int, y_limits: tuple[float, float]) -> list[Artist]:
        recording, view, theme = self.recording, self.view, self.theme
        self.run = run
        self.x = np.sort(recording.grid[:, 0])
        self.bind(recording)
        self.colour = theme.run_colour(run)
        self.dead_colour = theme.dead
        self.live_rgba, self.dead_rgba = to_rgba(self.colour, UNIT_ALPHA), to_rgba(self.dead_colour, UNIT_ALPHA)
        # Each unit's three vertices live in one array whose rows the collection's paths view, so a
        # frame rewrites them in place instead of making sixty Path objects.
        self.vertices = np.zeros((self.w.shape[1], 3, 2))
        # An (N, 3, 2) array is a sequence of N segments (matplotlib's docs), narrower in its stub.
        self.units = LineCollection(self.vertices, linewidths=0.9, zorder=2)  # type: ignore[arg-type]
        self.in_place = all(np.shares_memory(path.vertices, self.vertices) for path in self.units.get_paths())
        ax.add_collection(self.units)
        ax.axhline(0, color=theme.muted, lw=0.6, zorder=1)
        self.kinks = ax.scatter([], [], marker="|", s=40, color=self.colour, zorder=3)
        self.count = ax.text(0.03, 0.95, "", transform=ax.transAxes, fontsize=theme.points(8.5), va="top",
                             color=self.colour,
                             fontweight="bold", zorder=5,
                             bbox=text_box(theme))
        ax.set_xlim(self.x[0], self.x[-1])
        half = (y_limits[1] - y_limits[0]) / 2
        ax.set_ylim(-half, half)
        ax.set_xlabel(view.get("xlabel", "x"))
        ax.set_title(f"{recording.runs[run]} units", fontsize=theme.points(9), color=self.colour)
        ax.xaxis.set_major_locator(MaxNLocator(3))
        ax.tick_params(labelleft=False, labelsize=theme.points(8))  # shapes and kinks matter here, not the scale
        self.bottom = -half * 0.92
        return [self.units, self.kinks, self.count]

    def bind(self, recording: Recording) -> bool:
        self.recording = recording
        self.w, self.b, self.v, _ = hidden_layer(recording, self.run)
        x_train = recording.x_train[:, 0] if recording.x_train is not None else self.x
        # Dead: zero on every training point at that frame.
        pre_activations = self.w[:, None, :] * x_train[None, :, None] + self.b[:, None, :]
        self.dead = np.all(pre_activations <= 0, axis=1)  # (F, H)
        return True

    def update(self, frame: int) -> None:
        w, b, v, dead = self.w[frame], self.b[frame], self.v[frame], self.dead[frame]
        with np.errstate(divide="ignore", invalid="ignore"):
            kinks = -b / w
        # Each unit is a bent line: straight on either side of its kink, so three vertices draw it
        # (the kink clipped into view: a unit without one there gets a middle point on its line).
        left, right = self.x[0], self.x[-1]
        middle = np.clip(np.where(np.isfinite(kinks), kinks, left), left, right)
        xs = np.stack([np.full_like(middle, left), middle, np.full_like(middle, right)], axis=1)  # (H, 3)
        ys = v[:, None] * np.maximum(w[:, None] * xs + b[:, None], 0)
        if self.in_place:
            self.vertices[..., 0], self.vertices[..., 1] = xs, ys
            self.units.stale = True
        else:
            self.units.set_segments(np.stack([xs, ys], axis=-1))  # type: ignore[arg-type]  # as above
        self.units.set_color(np.where(dead[:, None], self.dead_rgba, self.live_rgba))  # type: ignore[arg-type]
        shown = np.isfinite(kinks) & (kinks >= left) & (kinks <= right) & ~dead
        self.kinks.set_offsets(np.column_stack([kinks[shown], np.full(shown.sum(), self.bottom)]))
        self.count.set_text(f"dead: {int(dead.sum())} of {len(w)}")
