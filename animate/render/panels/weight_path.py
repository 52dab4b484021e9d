"""For a two-parameter net, the path of (w, b) in parameter space, on the loss surface where recorded.

A frozen run (a dead ReLU) stays a dot: the reader sees its weights never move.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes

from animate.render.panel import Panel, PanelContext
from animate.render.panel_kit import recorded, robust_limits

SURFACE_LEVELS = 14


class WeightPathPanel(Panel):
    """Each run's (w, b) so far as a line with a dot at now, over the faint whole path."""

    @classmethod
    def instances(cls, context: PanelContext) -> list[dict[str, Any]]:
        weights = context.recording.weights
        return [{}] if weights is not None and weights.shape[2] == 2 else []

    def draw(self, ax: Axes) -> list[Artist]:
        recording, theme = self.recording, self.theme
        weights = recorded(recording.weights, "weights")
        if recording.landscape is not None:
            surface = np.log10(np.maximum(recording.landscape, 1e-12))
            ax.contourf(recording.landscape_w, recording.landscape_b, surface, levels=SURFACE_LEVELS,
                        cmap="Greys_r" if theme.is_dark else "Greys", alpha=0.45,
                        zorder=0)
            ax.contour(recording.landscape_w, recording.landscape_b, surface, levels=SURFACE_LEVELS,
                       colors=theme.muted, linewidths=0.4, alpha=0.6, zorder=0)
        for run in range(len(recording.runs)):
            ax.plot(weights[run, :, 0], weights[run, :, 1], color=theme.run_colour(run), lw=0.8, alpha=0.2)
            ax.plot(weights[run, 0, 0], weights[run, 0, 1], "o", ms=5, mfc=theme.background,
                    mec=theme.run_colour(run), mew=1.2)
        optimum = self.view.get("weights_optimum")
        if optimum:
            ax.plot(*optimum, marker="*", ms=11, color=theme.target, lw=0, zorder=1)
            ax.annotate("best fit", optimum, xytext=(-8, 0), textcoords="offset points", fontsize=theme.points(8),
                        color=theme.target, ha="right", va="center")
        self._set_limits(ax, optimum)
        ax.set_xlabel("w (weight)")
        ax.set_ylabel("b (bias)")
        ax.set_title("(w, b) on the loss surface" if recording.landscape is not None else "path of (w, b)",
                     fontsize=theme.points(9))
        ax.grid(True, color=theme.grid, lw=0.6)
        self.paths = [ax.plot([], [], color=theme.run_colour(r), lw=1.6)[0] for r in range(len(recording.runs))]
        self.heads = [ax.plot([], [], "o", ms=6, color=theme.run_colour(r))[0] for r in range(len(recording.runs))]
        return [*self.paths, *self.heads]

    def _set_limits(self, ax: Axes, optimum: Any) -> None:
        recording, weights = self.recording, recorded(self.recording.weights, "weights")
        if recording.landscape is not None:
            w_axis = recorded(recording.landscape_w, "landscape_w")
            b_axis = recorded(recording.landscape_b, "landscape_b")
            ax.set_xlim(w_axis[0], w_axis[-1])
            ax.set_ylim(b_axis[0], b_axis[-1])
        else:
            both = np.concatenate([weights[..., :2].reshape(-1, 2), np.atleast_2d(optimum or weights[0, 0, :2])])
            ax.set_xlim(*robust_limits(both[:, 0], quantile=0.0, pad=0.15))
            ax.set_ylim(*robust_limits(both[:, 1], quantile=0.0, pad=0.15))

    def update(self, frame: int) -> None:
        weights = recorded(self.recording.weights, "weights")
        for run, (path, head) in enumerate(zip(self.paths, self.heads, strict=True)):
            path.set_data(weights[run, : frame + 1, 0], weights[run, : frame + 1, 1])
            head.set_data([weights[run, frame, 0]], [weights[run, frame, 1]])
