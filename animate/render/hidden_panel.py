"""Hidden units of a one-hidden-layer ReLU net, one faint line each: why a wide net can still stall.

The prediction of 1 → H ReLU → 1 is c + Σ v_j · relu(w_j x + b_j): each unit adds one bent line
with its kink at x = -b_j / w_j. A unit that is zero on every training point gets no gradient and
never comes back; we grey those out and count them, frame by frame.
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.ticker import MaxNLocator

from animate.errors import RenderError
from animate.recording import Recording
from animate.render.panels import _animated, text_box
from animate.render.theme import LIGHT, Theme


def hidden_layer(recording: Recording, run: int) -> tuple[np.ndarray, ...]:
    """(w, b, v, c) per frame for a 1 → H → 1 net, from its flattened weights (Keras order)."""
    weights = recording.weights[run]
    count = int(np.sum(np.isfinite(weights[0])))  # runs of other sizes are padded with NaN
    units, remainder = divmod(count - 1, 3)
    if remainder or units < 1 or recording.grid.shape[1] != 1:
        raise RenderError(f"run '{recording.runs[run]}' is not a one-hidden-layer net on 1-D inputs")
    w, b = weights[:, :units], weights[:, units:2 * units]
    v, c = weights[:, 2 * units:3 * units], weights[:, 3 * units]
    return w, b, v, c


class HiddenUnitPanel:
    """Each unit's contribution v_j · relu(w_j x + b_j) as a line, dead ones grey, with a running count."""

    def __init__(self, ax: Axes, recording: Recording, run: int, view: Mapping[str, Any],
                 y_limits: tuple[float, float], *, theme: Theme = LIGHT) -> None:
        self.recording = recording
        self.w, self.b, self.v, _ = hidden_layer(recording, run)
        self.x = np.sort(recording.grid[:, 0])
        self.colour = theme.run_colour(run)
        self.dead_colour = theme.dead
        x_train = recording.x_train[:, 0] if recording.x_train is not None else self.x
        # Dead: zero on every training point at that frame.
        pre_activations = self.w[:, None, :] * x_train[None, :, None] + self.b[:, None, :]
        self.dead = np.all(pre_activations <= 0, axis=1)  # (F, H)
        self.units = LineCollection([], linewidths=0.9, zorder=2)
        ax.add_collection(self.units)
        ax.axhline(0, color=theme.muted, lw=0.6, zorder=1)
        self.kinks = ax.scatter([], [], marker="|", s=40, color=self.colour, zorder=3)
        self.count = ax.text(0.03, 0.95, "", transform=ax.transAxes, fontsize=8.5, va="top", color=self.colour,
                             fontweight="bold", zorder=5,
                             bbox=text_box(theme))
        ax.set_xlim(self.x[0], self.x[-1])
        half = (y_limits[1] - y_limits[0]) / 2
        ax.set_ylim(-half, half)
        ax.set_xlabel(view.get("xlabel", "x"))
        ax.set_title(f"{recording.runs[run]} units", fontsize=9, color=self.colour)
        ax.xaxis.set_major_locator(MaxNLocator(3))
        ax.tick_params(labelleft=False, labelsize=8)  # shapes and kinks matter here, not the scale
        self.bottom = -half * 0.92
        self.animated = _animated(self.units, self.kinks, self.count)

    def update(self, frame: int) -> None:
        w, b, v, dead = self.w[frame], self.b[frame], self.v[frame], self.dead[frame]
        contributions = v[None, :] * np.maximum(w[None, :] * self.x[:, None] + b[None, :], 0)  # (G, H)
        self.units.set_segments([np.column_stack([self.x, contributions[:, unit]]) for unit in range(len(w))])
        self.units.set_colors([self.dead_colour if gone else self.colour for gone in dead])
        self.units.set_alpha(0.55)
        with np.errstate(divide="ignore", invalid="ignore"):
            kinks = -b / w
        shown = np.isfinite(kinks) & (kinks >= self.x[0]) & (kinks <= self.x[-1]) & ~dead
        self.kinks.set_offsets(np.column_stack([kinks[shown], np.full(shown.sum(), self.bottom)]))
        self.count.set_text(f"dead: {int(dead.sum())} of {len(w)}")
