"""The sweep's summary figure: each run's final loss across seeds, drawn with the renderer's colours."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from animate.files import atomic_path
from animate.render.style import drawing_settings, drawn_under
from animate.render.theme import LIGHT


def plot_summary(rows: list[dict[str, Any]], path: Path, title: str) -> Path:
    """A strip plot of each run's final loss across seeds (log scale): the distribution, not one run."""
    with drawn_under(drawing_settings(LIGHT, {})):  # the user's matplotlib settings change nothing here either
        return _plot(rows, path, title)


def _plot(rows: list[dict[str, Any]], path: Path, title: str) -> Path:
    runs = list(dict.fromkeys(row["run"] for row in rows))
    figure = Figure(figsize=(7.2, 1.2 + 0.55 * len(runs)), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    jitter = np.random.default_rng(0)
    for index, run in enumerate(runs):
        finals = np.array([row["final_loss"] for row in rows if row["run"] == run])
        finals = finals[np.isfinite(finals) & (finals > 0)]
        ax.scatter(finals, index + jitter.uniform(-0.18, 0.18, finals.size), s=16, alpha=0.7,
                   color=LIGHT.run_colour(index), lw=0)
        if finals.size:
            ax.plot([np.median(finals)] * 2, [index - 0.3, index + 0.3], color="black", lw=1.5)
    ax.set_xscale("log")
    ax.set_yticks(range(len(runs)), runs)
    ax.invert_yaxis()
    ax.set_xlabel("final loss, whole training set (one dot per seed; bar: median)")
    ax.set_title(title, fontsize=10, fontweight="bold")
    ax.grid(True, axis="x", color="#e6e6e6")
    with atomic_path(path) as temporary:
        figure.savefig(temporary, format="png", metadata={"Software": None})
    return path
