"""Layout of the whole figure and frame drawing by blitting.

A full ``canvas.draw()`` per frame redraws ticks, labels, data points and faint curves that never
change. We draw those once, keep the pixels, and per frame restore them and draw only the artists
that change (an order of magnitude faster; ``bench/render_speed.py``). How the changing artists are
drawn is ``animate.render.fast``'s business. ``full_redraw=True`` draws every frame from scratch;
tests compare the two.
"""
from __future__ import annotations

import dataclasses
import textwrap
import warnings
from typing import TYPE_CHECKING, Any, Mapping

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from animate.errors import RenderError
from animate.limits import MAX_MAPS, MAX_RUNS
from animate.recording import Recording
from animate.render.layout import lay_out
from animate.render.options import RenderOptions
from animate.render.panel import Panel, PanelContext
from animate.render.pictures import choose_picture
from animate.render.room import make_room
from animate.render.style import (draw_time_settings, drawing_settings, drawn_under, smaller_text, style_settings,
                                  styled_theme)
from animate.render.theme import theme_named
from animate.view import LAYOUTS

if TYPE_CHECKING:
    from animate.render.fast import Drawing

TITLE_POINTS = 11.5
FONT_STEP = 0.92  # a style's text too large for the frame is tried again this much smaller,
MIN_SHRINK = 0.6  # down to this share of its size
TITLE_LINES = 2  # a third line would eat the panels' room
DEFAULT_RUN_NAME = "run"  # PredictionRecorder's default: says nothing, so never shown as a panel title


DEFAULT_OPTIONS = RenderOptions()  # frozen: one default instance is safe to share
FigureOptions = RenderOptions  # the figure reads the options that shape it; the encoders read the rest


class _Lenient(dict):
    """str.format_map mapping that leaves unknown {names} as they are."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def figure_title(recording: Recording, title: str | None = None) -> str:
    """The user's title, else the lesson's message, else what the runs' models have in common
    ("1 → 16 tanh → 1 · Adam 0.01 · MSE" for one run), else the recording's name."""
    if title:
        return title
    if recording.message:
        return recording.message
    summaries = [str(run.get("summary", "")) for run in recording.meta.get("runs", []) if isinstance(run, Mapping)]
    if summaries and all(summaries):
        parts = [part for part in summaries[0].split(" · ") if all(part in s.split(" · ") for s in summaries)]
        if parts:
            return " · ".join(parts)
    return recording.lesson


def _with_user_options(view: Mapping[str, Any], options: RenderOptions) -> dict[str, Any]:
    """The recording's render hints, with what the user asked for now taking precedence."""
    view = dict(view)
    for key in ("xlabel", "ylabel", "class_names", "picture", "layout"):
        value = getattr(options, key)
        if value is not None:
            view[key] = list(value) if key == "class_names" else value
    if options.xlabel is not None or options.ylabel is not None:  # on a map, the labels name its two features
        labels = list(view.get("map_labels", [None, None]))
        view["map_labels"] = [options.xlabel or labels[0], options.ylabel or labels[1]]
    if options.step_scale is not None:  # a log step axis is drawn symlog, the view's name for it: step 0 stays
        view["step_scale"] = "symlog" if options.step_scale == "log" else "linear"
    return view


def _within_axes(line: Line2D, tolerance: float = 0.01) -> bool:
    """Whether a data line's finite points lie within its axes' limits, all but ``tolerance`` of them
    (a prediction's limits are robust to a few wild values; a one-point marker must be inside)."""
    ax = line.axes
    if ax is None or line.get_transform() != ax.transData:  # a cursor spans the axes' height in axes units
        return True
    x, y = (np.asarray(values, dtype=float) for values in line.get_data())
    finite = np.isfinite(x) & np.isfinite(y)
    x, y = x[finite], y[finite]
    (x_low, x_high), (y_low, y_high) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
    outside = np.count_nonzero((x < x_low) | (x > x_high) | (y < y_low) | (y > y_high))
    return bool(outside <= int(tolerance * x.size))


class AnimatedFigure:
    """The figure for one recording; ``frame(i)`` returns frame i as an (H, W, 4) uint8 array."""

    def __init__(self, recording: Recording, options: RenderOptions = DEFAULT_OPTIONS, *, full_redraw: bool = False,
                 layout_from: "AnimatedFigure | None" = None, expected_steps: int | None = None,
                 fast: "bool | Drawing" = True):
        """``fast=False`` draws without ``animate.render.fast``'s tricks (matplotlib alone, by blitting);
        a ``Drawing`` names the tricks to use (tests compare one trick on and off).
        For the live view, which draws a recording still growing: ``expected_steps``, the step the
        fit should end at, so the step axes reach it and ``follow`` can show later frames in these axes;
        ``layout_from``, a figure of the same shape whose axes positions to reuse instead of laying out
        again (constrained layout is ~60% of building a figure)."""
        from animate.render.fast import Drawing, drawing  # here, not at import: probed at the first render

        self.drawing = fast if isinstance(fast, Drawing) else drawing(bool(fast) and not full_redraw)
        settings = style_settings(options.style)
        self.theme = styled_theme(theme_named(options.theme), settings)
        self.settings = drawing_settings(self.theme, settings)
        self.room_for_style = options.style is not None  # our own sizes are laid out already: nothing to move
        self.view: dict[str, Any] = _with_user_options(recording.meta.get("view", {}), options)
        if expected_steps:
            self.view["expected_steps"] = int(expected_steps)
        if self.view.get("layout") not in (None, *LAYOUTS):
            raise RenderError(f"unknown layout '{self.view['layout']}'; choose from: {', '.join(LAYOUTS)}")
        self.picture = choose_picture(recording, self.view)
        limit, what = (MAX_MAPS, "maps (one per run)") if self.picture.is_map else (MAX_RUNS, "runs (one colour each)")
        if len(recording.runs) > limit:
            raise RenderError(f"the recording has {len(recording.runs)} runs; one animation shows at most {limit} "
                              f"{what}: render fewer recordings together, or split the runs (Recording.run_recording)")
        self.recording = recording = self.picture.recording  # classifier outputs as probabilities
        self.full_redraw = full_redraw
        # Colours of ticks, spines and text are fixed when artists are made: the theme applies while we build,
        # over matplotlib's defaults (never the user's settings) and under the style asked for.
        styled, shrink = self.theme, 1.0
        # Never below our own sizes: the layout is made for them (a style at 10 pt is not shrunk).
        smallest = max(MIN_SHRINK, min(1.0, 1 / styled.font_scale))
        while True:
            with drawn_under(self.settings):
                self._build(options, layout_from)
                self.drawn_with = draw_time_settings()
            if not self.crowded or shrink <= smallest:
                break
            # The style's text does not fit this frame even with texts moved apart: all of it a little smaller.
            shrink = max(smallest, shrink * FONT_STEP)
            self.theme = dataclasses.replace(styled, font_scale=styled.font_scale * shrink)
            self.settings = drawing_settings(self.theme, smaller_text(settings, shrink))
        # Said by render() (through ``say``): a user who asked for 16 pt should know why they see less.
        self.font_note = (None if shrink == 1 else
                          f"the style's text is drawn at {shrink:.0%} of its size: larger, texts would meet at "
                          f"{options.width}x{options.height} pixels (a larger --width and --height make room)")
        self.background = None if full_redraw else self.canvas.copy_from_bbox(self.figure.bbox)
        self.drawers: list[Any] = []
        if not full_redraw:
            unchanging = [artist for panel in self.panels for artist in getattr(panel, "unchanging", [])]
            self.drawers = self.drawing.drawers(self.animated, unchanging, self.canvas.get_renderer())
        self.size = (int(self.canvas.get_width_height()[0]), int(self.canvas.get_width_height()[1]))

    def _build(self, options: RenderOptions, layout_from: "AnimatedFigure | None" = None) -> None:
        self.figure = Figure(figsize=(options.width / options.dpi, options.height / options.dpi), dpi=options.dpi)
        self.canvas = self.drawing.canvas(self.figure)
        self.figure.set_layout_engine("constrained", h_pad=0.04, w_pad=0.04)
        self._draw_title(options)
        context = PanelContext(picture=self.picture, view=self.view, theme=self.theme, run_title=self.run_title)
        placed = lay_out(self.figure, context)
        self.panels: list[Panel] = placed.panels
        self._draw_shared_texts(placed.main[0].ax, placed.side[0].ax)
        self.animated = [artist for panel in self.panels for artist in panel.animated] + [self.step_text]
        if self.full_redraw:
            for artist in self.animated:
                artist.set_animated(False)
        reused = layout_from is not None and len(layout_from.positions) == len(self.figure.axes)
        if layout_from is not None and reused:
            self._reuse_layout(layout_from)
        if self.room_for_style:  # the changing texts as they end, so room is made for them too (within their axes)
            for artist in self.animated:
                if isinstance(artist, Text) and artist is not self.step_text:
                    artist.set_in_layout(False)
            self.update(len(self.recording.steps) - 1)
            self.step_text.set_text(self._step_label(self.total_steps))
        if not self._lay_out_and_draw(options, reused):
            return
        self.figure.set_layout_engine("none")  # freeze the layout: later draws must not move axes
        self.positions: list[Bbox] = [ax.get_position() for ax in self.figure.axes]
        to_figure = self.figure.transFigure.inverted()
        self.legend_anchors = [legend.get_bbox_to_anchor().transformed(to_figure) for legend in self.figure.legends]
        self.title_y = self.title_text.get_position()[1]

    def _draw_title(self, options: RenderOptions) -> None:
        theme = self.theme
        self.title = figure_title(self.recording, options.title)
        # Bold sans-serif averages ~0.6 em per character: wrap before the title would be clipped.
        characters = int(options.width / (theme.points(TITLE_POINTS) * options.dpi / 72 * 0.6))
        lines = textwrap.wrap(self.title, characters)
        if options.title and len(lines) > TITLE_LINES:
            raise RenderError(f"title is {len(self.title)} characters; at {options.width} pixels wide it fits "
                              f"{TITLE_LINES} lines of ~{characters} characters: shorten it or give a larger --width")
        self.title_text = self.figure.suptitle("\n".join(lines), fontsize=theme.points(TITLE_POINTS),
                                               fontweight="bold")

    def _draw_shared_texts(self, legend_ax: Axes, loss_ax: Axes) -> None:
        """The figure's legend, the lesson's caption and the step counter: one each, whatever the panels."""
        recording, theme = self.recording, self.theme
        # One legend for the whole figure, along the bottom: it never covers data, whatever the lesson.
        handles, labels = legend_ax.get_legend_handles_labels()
        if handles:
            self.figure.legend(handles, labels, loc="outside lower center", ncol=min(len(handles), 6), frameon=False,
                               fontsize=theme.points(8.5), handlelength=1.6, columnspacing=1.4)
        caption = self.view.get("caption")
        if caption:  # "{seed}" and other parameters are filled in, so a caption stays true under --seed
            caption = caption.format_map(_Lenient(recording.meta.get("params", {})))
            loss_ax.text(0.99, 0.95, caption, transform=loss_ax.transAxes, ha="right", va="top",
                         fontsize=theme.points(8),
                         color=theme.muted, zorder=5,
                         bbox={"facecolor": theme.box, "alpha": 0.9, "edgecolor": "none", "pad": 2})
        # The step counter is the loss panel's right-hand title: the layout keeps room for it, so it
        # never meets a curve or a label. Laid out with its widest text, then animated.
        self.total_steps = max(int(recording.steps[-1]), int(self.view.get("expected_steps") or 0))
        self.step_text = loss_ax.set_title(self._step_label(self.total_steps), loc="right", fontsize=theme.points(10),
                                           family="monospace", fontweight="bold", color=theme.text)
        self.step_text.set_animated(True)

    def _reuse_layout(self, layout_from: "AnimatedFigure") -> None:
        """The axes where ``layout_from`` put them: the live view's redraw skips constrained layout."""
        self.figure.set_layout_engine("none")
        for ax, position in zip(self.figure.axes, layout_from.positions, strict=True):
            ax.set_position(position)
        for legend, anchor in zip(self.figure.legends, layout_from.legend_anchors, strict=False):
            legend.set_bbox_to_anchor(anchor, transform=self.figure.transFigure)
        self.title_text.set_y(layout_from.title_y)

    def _lay_out_and_draw(self, options: RenderOptions, reused: bool) -> bool:
        """Lay out and draw the static parts; False when a style's large text made the layout give up
        (``crowded``: the caller tries smaller text)."""
        with self.drawing.building(self.figure), warnings.catch_warnings(record=True) as complaints:
            warnings.simplefilter("always")
            self.canvas.draw()  # lays out (constrained layout runs here, unless reused) and draws the static parts
            self.crowded = (make_room(self.figure, self.canvas.draw, self.canvas.get_renderer)
                            if self.room_for_style and not reused else [])
        for complaint in complaints:
            if "collapsed" in str(complaint.message):  # constrained layout gave up: panels overlap or vanish
                if self.room_for_style and self.theme.font_scale > 1:  # a style's large text: try it smaller
                    self.crowded = ["collapsed"]
                    return False
                raise RenderError(f"at {options.width}x{options.height} pixels the panels do not fit; give a larger "
                                  "--width and --height (720x480 is the default)")
            warnings.warn_explicit(complaint.message, complaint.category, complaint.filename, complaint.lineno)
        return True

    def run_title(self, run: int) -> str | None:
        """A panel names its run, unless there is one run whose name says nothing the title does not."""
        name = self.recording.runs[run]
        if len(self.recording.runs) == 1 and name in (DEFAULT_RUN_NAME, "", self.title):
            return None
        return name

    def _step_label(self, step: int) -> str:
        width = len(f"{self.total_steps:,}")
        return f"step {step:>{width},} / {self.total_steps:,}"

    def __len__(self) -> int:
        return len(self.recording.steps)

    def update(self, index: int) -> None:
        """Set every changing artist to recording frame ``index``, without drawing (matplotlib's own
        ``FuncAnimation`` draws for itself; see ``animation.py``)."""
        for panel in self.panels:
            panel.update(index)
        self.step_text.set_text(self._step_label(int(self.recording.steps[index])))

    def follow(self, recording: Recording) -> bool:
        """Show the last frame of ``recording``, a longer recording of the same runs, in this figure:
        the live view's redraw, ~20x cheaper than building a figure. False when the figure cannot show
        it as a new figure would (its data has left the axes, a run has diverged since): build anew then.
        """
        runs, _, points, outputs = self.recording.predictions.shape
        if recording.predictions.shape != (runs, len(recording.steps), points, outputs):
            return False
        picture = choose_picture(recording, self.view)
        if picture.kind != self.picture.kind:
            return False
        self.picture, self.recording = picture, picture.recording
        if not all(panel.bind(picture.recording) for panel in self.panels):
            return False
        self.update(len(recording.steps) - 1)
        return all(_within_axes(artist) for artist in self.animated if isinstance(artist, Line2D))

    def frame(self, index: int, *, still: bool = False) -> np.ndarray:
        """Draw recording frame ``index`` and return the canvas pixels (a view, valid until the next call).

        Drawn under the settings the figure was built with, whatever the caller's are now. ``still``
        draws every artist directly, never from an image cached over earlier frames (which matches to a
        shade): a poster is then the same bytes whichever frames were drawn before it."""
        if draw_time_settings() != self.drawn_with:
            with matplotlib.rc_context(self.drawn_with):  # type: ignore[arg-type]  # keys read from rcParams
                return self._frame(index, still)
        return self._frame(index, still)

    def _frame(self, index: int, still: bool = False) -> np.ndarray:
        self.update(index)
        if self.full_redraw:
            self.canvas.draw()
        else:
            self.canvas.restore_region(self.background)
            renderer = self.canvas.get_renderer()
            for drawer in self.drawers:
                direct = getattr(drawer, "direct", None) if still else None
                (direct or drawer.draw)(renderer)
        return np.asarray(self.canvas.buffer_rgba())
