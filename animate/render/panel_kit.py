"""Small tools panels share: limits that survive a wild run, a fixed sample of points, readable notes.

Nothing here keeps state or knows a panel; each function is used by two panels or more.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, NullFormatter
from matplotlib.transforms import offset_copy

from animate.errors import RenderError
from animate.recording import Recording
from animate.render.theme import LIGHT, Theme

PAD = 0.08  # fraction of the data range left free around it
CLASS_MARKERS = ("o", "^", "s", "D", "v", "P", "X", "*")  # a shape per class, so colour is never the only cue
MAX_POINTS = 400  # thousands of points only make a blob; a fixed sample shows the data


def run_colour(index: int) -> str:
    """The light theme's colour of run ``index`` (for figures drawn outside an animation)."""
    return LIGHT.run_colour(index)


def recorded(array: np.ndarray | None, what: str) -> np.ndarray:
    """An optional array of the recording that a panel cannot do without (its ``instances`` asked for it)."""
    if array is None:
        raise RenderError(f"this picture needs the recording's {what}, which it does not have")
    return array


def sample_points(count: int) -> np.ndarray:
    """Indices of at most MAX_POINTS training points, the same every render."""
    if count <= MAX_POINTS:
        return np.arange(count)
    return np.sort(np.random.default_rng(0).choice(count, MAX_POINTS, replace=False))


def text_box(theme: Theme) -> dict[str, Any]:
    """A box behind annotation text, so it stays readable over curves in either theme."""
    return {"facecolor": theme.box, "alpha": 0.85, "edgecolor": "none", "pad": 1.5}


def robust_limits(values: np.ndarray, *, quantile: float = 0.005, pad: float = PAD) -> tuple[float, float]:
    """Limits that hold nearly every finite value, ignoring the few wild ones (a diverging step)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return -1.0, 1.0
    low, high = np.quantile(finite, [quantile, 1 - quantile])
    if high - low <= 1e-9 * max(1.0, abs(high)):  # one value: give it room, relative to its size
        half = max(0.5, abs(high) * 0.1)
        low, high = low - half, high + half
    margin = (high - low) * pad
    return float(low - margin), float(high + margin)


SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_of_ten(value: float, position: int | None = None) -> str:
    """"10⁻³" for a decade, "0" for zero, nothing between decades."""
    if value == 0:
        return "0"
    exponent = np.log10(abs(value))
    if not np.isclose(exponent, round(exponent)):
        return ""
    return ("-" if value < 0 else "") + "10" + str(int(round(exponent))).translate(SUPERSCRIPTS)


def plain_powers_of_ten(axis: Any) -> None:
    """Label a log axis's decades with Unicode superscripts instead of matplotlib's mathtext: the same
    look, without building the mathtext parser (a share of every render with a log axis)."""
    axis.set_major_formatter(FuncFormatter(power_of_ten))
    axis.set_minor_formatter(NullFormatter())


LINE_SPACING = 1.3  # rows of notes, in lines of their own font size


def row_transform(ax: Axes, row: int, points: float, *, up: bool = False) -> Any:
    """The axes' own coordinates moved ``row`` lines of ``points``-point text down (or up): stacked
    notes never meet, whatever the axes' height or the font's size."""
    shift = (1 if up else -1) * row * LINE_SPACING * points
    # A panel's axes sit on the figure itself, never on a subfigure (the stub allows both).
    return offset_copy(ax.transAxes, fig=ax.figure, y=shift, units="points")  # type: ignore[arg-type]


def prediction_limits(recording: Recording, output: int = 0) -> tuple[float, float]:
    """Y limits that hold the data and nearly all predictions, but never let a wild run (one that is
    diverging, or the wild first steps of a big net) squash the rest: predictions may widen the data's
    range by at most a quarter of its span each way."""
    predicted = robust_limits(recording.predictions[..., output].ravel())
    known = [values[:, output] for values in (recording.y_train, recording.target) if values is not None]
    if not known:
        return predicted
    low, high = robust_limits(np.concatenate(known), quantile=0.0)
    reach = (high - low) * 0.25
    return min(low, max(predicted[0], low - reach)), max(high, min(predicted[1], high + reach))
