"""Room for every text when a style's fonts are larger than the ones the layout was written for.

Constrained layout keeps axes labels, titles and tick labels clear of other axes, but not of each
other within one axes (two tick labels of a crowded axis, an x tick label meeting a y tick label at
a corner), nor the texts we place inside axes or a legend wider than the frame. ``overlapping_texts``
finds every pair of drawn texts whose boxes meet (the test of "nothing collides" uses it too), and
``make_room`` resolves what it finds with matplotlib's own means: every other tick label of a crowded
axis left blank, a corner label dropped, a legend in more rows, a title that does not fit its axes
set smaller.
"""
from __future__ import annotations

from typing import Any, Callable, cast

from matplotlib.axes import Axes
from matplotlib.axis import Axis, XAxis, YAxis
from matplotlib.figure import Figure
from matplotlib.text import Annotation, Text
from matplotlib.ticker import Formatter

TOUCHING = 0.5  # pixels a text may reach past the frame or its axes (anti-aliasing)
GAP = 1.5  # pixels between texts one above the other
WORD_GAP = 0.5  # ems between texts side by side: closer, "10" and "−10" read as "10−10"
MIN_LINES = 4  # an axes shorter or narrower than this many lines of its tick labels is too cramped to read
MIN_TITLE_SHARE = 0.6  # an axes title is set at most this much smaller to fit its axes

TickLabels = dict[int, tuple[XAxis | YAxis, float]]  # a drawn tick label's id: its axis and value


class SparseLabels(Formatter):
    """Another formatter's labels, with every ``every``-th kept from ``offset`` and the ``dropped`` values blank."""

    def __init__(self, base: Formatter, every: int = 1, offset: int = 0) -> None:
        self.base, self.every, self.offset = base, every, offset
        self.dropped: set[float] = set()

    def set_axis(self, axis: Any) -> None:
        super().set_axis(axis)
        self.base.set_axis(axis)

    def set_locs(self, locs: Any) -> None:
        super().set_locs(locs)
        self.base.set_locs(locs)

    def __call__(self, x: float, pos: int | None = None) -> str:
        if x in self.dropped or (pos is not None and (pos - self.offset) % self.every):
            return ""
        return self.base(x, pos)

    def get_offset(self) -> str:
        return self.base.get_offset()


def _tick_labels(figure: Figure) -> TickLabels:
    """Each drawn tick label (by id) with its axis and value: ticks outside an axis's view are not drawn."""
    labels: TickLabels = {}
    for ax in figure.axes:
        if not ax.get_visible():
            continue
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            slack = (high - low) * 1e-6
            # An axis keeps more tick objects than it draws (left from earlier locations): only the first
            # as many as there are locations are drawn.
            seen: set[float] = set()
            for tick in axis.get_major_ticks(len(axis.get_majorticklocs())):
                if low - slack <= tick.get_loc() <= high + slack and tick.get_loc() not in seen:
                    seen.add(tick.get_loc())  # a second tick object at a drawn tick's place is a stale one
                    for label in (tick.label1, tick.label2):
                        labels[id(label)] = (axis, float(tick.get_loc()))
    return labels


def drawn_texts(figure: Figure) -> list[Text]:
    """Every text the figure draws: visible, not empty, tick labels only within their axis's view."""
    ticks = {id(label) for ax in figure.axes for axis in (ax.xaxis, ax.yaxis)
             for tick in axis.get_major_ticks() + axis.get_minor_ticks() for label in (tick.label1, tick.label2)}
    shown = _tick_labels(figure)
    texts = []
    for text in figure.findobj(Text):
        if not (text.get_visible() and text.get_text().strip()):
            continue
        if id(text) in ticks and id(text) not in shown:
            continue
        if text.axes is not None and not text.axes.get_visible():  # a hidden axes draws none of its texts
            continue
        texts.append(text)
    return texts


def _outside(box: Any, bounds: Any) -> bool:
    return (box.x0 < bounds.x0 - TOUCHING or box.y0 < bounds.y0 - TOUCHING or box.x1 > bounds.x1 + TOUCHING
            or box.y1 > bounds.y1 + TOUCHING)


def overlapping_texts(figure: Figure, renderer: Any) -> list[tuple[Text, Any]]:
    """Pairs of drawn texts whose boxes overlap; and, paired with None, texts that run off the frame,
    and notes placed in an axes that spill out of it."""
    texts = drawn_texts(figure)
    boxes = [text.get_window_extent(renderer) for text in texts]
    found: list[tuple[Text, Any]] = []
    for index, (text, box) in enumerate(zip(texts, boxes, strict=True)):
        ax = text.axes
        # A note placed in an axes stays in it; a label pointing at something (an annotation) may stand out.
        spills_out_of_axes = (ax is not None and text in ax.texts and not isinstance(text, Annotation)
                              and _outside(box, ax.bbox))
        if _outside(box, figure.bbox) or spills_out_of_axes:
            found.append((text, None))
        for other, other_box in zip(texts[index + 1:], boxes[index + 1:], strict=True):
            across = min(box.x1, other_box.x1) - max(box.x0, other_box.x0)
            up = min(box.y1, other_box.y1) - max(box.y0, other_box.y0)
            # Two unrotated texts on one line need a word's gap; anything else, a pixel or two.
            one_line = (text.get_rotation() == other.get_rotation() == 0
                        and up > 0.5 * min(box.height, other_box.height))
            em = max(_points(text), _points(other)) * figure.dpi / 72
            if up > -GAP and across > -(WORD_GAP * em if one_line else GAP):
                found.append((text, other))
    return found


def _points(text: Text) -> float:
    """A text's size in points: what ``get_fontsize`` answers, though typed as possibly a name ("large")."""
    return float(text.get_fontsize())


def _sparse(axis: Axis) -> SparseLabels:
    formatter = axis.get_major_formatter()
    if not isinstance(formatter, SparseLabels):
        formatter = SparseLabels(formatter)
        axis.set_major_formatter(formatter)
    return formatter


def _fit_title(text: Text, renderer: Any) -> bool:
    """Set an axes title that is wider than its axes smaller (down to MIN_TITLE_SHARE); True if changed."""
    ax = cast("Axes | None", text.axes)  # a figure's axes are Axes; Artist.axes is typed as their base class
    titles = {ax.get_title("left"), ax.get_title("center"), ax.get_title("right")} if ax is not None else set()
    if ax is None or text.get_text() not in titles or text not in ax.get_children():
        return False
    share = ax.get_window_extent(renderer).width / max(text.get_window_extent(renderer).width, 1.0)
    if share >= 1:
        return False
    size = _points(text)
    smaller = max(size * share * 0.98, size * MIN_TITLE_SHARE)
    if smaller >= size - 0.05:
        return False
    text.set_fontsize(smaller)
    return True


def _columns(legend: Any, renderer: Any) -> int:
    """How many columns a legend is laid out in: its texts' distinct left edges."""
    return len({round(text.get_window_extent(renderer).x0) for text in legend.get_texts()})


def cramped_axes(figure: Figure, renderer: Any) -> list[Any]:
    """Axes left too small to read: under MIN_LINES lines of their tick labels' height either way."""
    cramped = []
    for ax in figure.axes:
        if not ax.get_visible() or not ax.get_frame_on() or ax.get_label() == "<colorbar>":  # a colour bar is narrow
            continue
        labels = [*ax.get_xticklabels(), *ax.get_yticklabels()]
        if not labels:
            continue
        line = max(_points(label) for label in labels) * figure.dpi / 72
        if min(ax.bbox.width, ax.bbox.height) < MIN_LINES * line:
            cramped.append(ax)
    return cramped


def _off_the_frame(figure: Figure, text: Text, renderer: Any) -> bool:
    """Bring a text back into the frame: its legend in one column fewer, or its title smaller."""
    legend = next((legend for legend in figure.legends if text in legend.get_texts()), None)
    columns = _columns(legend, renderer) if legend is not None else 1
    if legend is not None and columns > 1:
        legend.set_ncols(columns - 1)
        return True
    return _fit_title(text, renderer)


def _thin(axis: Axis, thinned: set[int]) -> bool:
    """Every other label of ``axis`` left blank, once a round."""
    if id(axis) in thinned:
        return False
    _sparse(axis).every *= 2
    thinned.add(id(axis))
    return True


def _apart(figure: Figure, text: Text, other: Text | None, labels: TickLabels, thinned: set[int],
           renderer: Any) -> bool:
    """Move one colliding pair apart by matplotlib's means; True if anything changed."""
    if other is None:
        return _off_the_frame(figure, text, renderer)
    a, b = labels.get(id(text)), labels.get(id(other))
    if a and b and a[0] is not b[0]:  # two axes' labels (a corner, neighbouring panels): drop one, an x one
        x_side = a if a[0].axis_name == "x" else b
        _sparse(x_side[0]).dropped.add(x_side[1])
        return True
    tick_label = a or b
    if tick_label:  # neighbours on one axis, or a tick label under another text: every other label
        return _thin(tick_label[0], thinned)
    return _fit_title(text, renderer) or _fit_title(other, renderer)


def make_room(figure: Figure, draw: Callable[[], None], renderer: Callable[[], Any], rounds: int = 4) -> list:
    """Draw, find colliding texts, move them apart, draw again, at most ``rounds`` times; what is left
    (colliding pairs, and cramped axes)."""
    for _ in range(rounds):
        found = overlapping_texts(figure, renderer())
        if not found:
            return cramped_axes(figure, renderer())
        labels = _tick_labels(figure)
        thinned: set[int] = set()
        changed = [_apart(figure, text, other, labels, thinned, renderer()) for text, other in found]
        if not any(changed):
            return found
        draw()
    return overlapping_texts(figure, renderer()) or cramped_axes(figure, renderer())
