"""A render is isolated from the user's matplotlib settings, and a style asked for applies wholly,
with room made for every text (checked with the texts' window extents, not by eye)."""
from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib import colors
from matplotlib.font_manager import findfont

from animate import RenderError, render
from animate.render import AnimatedFigure, FigureOptions
from animate.render.room import overlapping_texts
from tests.conftest import assert_texts_apart, synthetic_recording
from tests.test_render import map_recording

# Over ~2 s, or one more case of what a fast case already shows: left to `make test` (`make test-fast` skips it).
SLOW = pytest.mark.slow


def poster(recording, path, **options) -> bytes:
    render(recording, path, **options)
    return path.read_bytes()


def test_the_users_style_and_settings_change_nothing_and_are_left_as_they_were(recording, tmp_path):
    plain = poster(recording, tmp_path / "plain.png")
    with matplotlib.rc_context():
        plt.style.use("ggplot")
        matplotlib.rcParams.update({"font.family": "serif", "font.size": 14, "lines.linewidth": 5,
                                    "text.hinting": "none", "font.sans-serif": ["DejaVu Serif"]})
        theirs = dict(matplotlib.rcParams)
        assert poster(recording, tmp_path / "under-theirs.png") == plain
        assert dict(matplotlib.rcParams) == theirs


def test_frames_are_drawn_under_the_builds_settings_whatever_the_caller_changes_meanwhile(recording):
    figure = AnimatedFigure(recording)
    expected = figure.frame(5).copy()
    with matplotlib.rc_context({"text.hinting": "none", "font.sans-serif": ["DejaVu Serif"], "path.simplify": False}):
        np.testing.assert_array_equal(figure.frame(5), expected)


def _background(figure: AnimatedFigure, ax_index: int = 0) -> tuple[int, int, int]:
    """The colour of an axes' face, read from a pixel of the drawn frame away from data and grid."""
    pixels = figure.frame(len(figure.recording.steps) - 1)
    x0, y0, x1, y1 = figure.figure.axes[ax_index].bbox.extents
    row = int(figure.size[1] - (y0 + 3))
    return tuple(int(v) for v in pixels[row, int(x0) + 3, :3])


def test_a_named_style_applies_wholly_background_grid_and_colours(recording):
    figure = AnimatedFigure(recording, FigureOptions(style="ggplot"))
    ggplot = matplotlib.style.library["ggplot"]
    assert _background(figure) == tuple(int(round(c * 255)) for c in colors.to_rgb(ggplot["axes.facecolor"]))
    assert any(line.get_visible() for line in figure.figure.axes[0].xaxis.get_gridlines())  # ggplot's grid
    cycle = [colors.to_hex(c) for c in ggplot["axes.prop_cycle"].by_key()["color"]]
    assert colors.to_hex(figure.panels[0].lines[0].get_color()) == cycle[0]
    # ggplot colours its labels, not "text": every text of ours takes the labels' colour
    assert colors.to_hex(figure.title_text.get_color()) == colors.to_hex(ggplot["axes.labelcolor"])


@pytest.mark.parametrize("how", ["dict", "file", "list"])
def test_a_style_file_a_dict_or_a_list_of_them(recording, tmp_path, how):
    settings = {"axes.facecolor": "#ffeedd", "font.family": "serif"}
    if how == "file":
        path = tmp_path / "mine.mplstyle"
        path.write_text("axes.facecolor: ffeedd\nfont.family: serif\n")
        style = str(path)
    else:
        style = settings if how == "dict" else ["default", settings]
    figure = AnimatedFigure(recording, FigureOptions(style=style))
    assert _background(figure) == (0xff, 0xee, 0xdd)
    font = findfont(figure.title_text.get_fontproperties())
    assert "Serif" in font, font


def test_a_style_file_with_a_bad_key_or_value_is_refused_in_one_line(tmp_path):
    path = tmp_path / "typo.mplstyle"
    for text, message in (("axes.facecolour: red\n", "Bad key axes.facecolour"), ("font.size: big\n", "Bad value"),
                          ("this is not a style\n", "Missing colon")):
        path.write_text(text)
        with pytest.raises(RenderError) as caught:
            AnimatedFigure(synthetic_recording(), FigureOptions(style=str(path)))
        assert message in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize("style, message", [
    ("no-such-style", "unknown style 'no-such-style'; give a style file or one of: "),
    ("missing/dir/x.mplstyle", "style file 'missing/dir/x.mplstyle' does not exist"),
    ({"axes.facecolour": "red"}, "style dict: 'axes.facecolour' is not a matplotlib setting (rcParams key)"),
    ({"axes.facecolor": "reddish"}, "style dict cannot be used: "),
    (3, "a style is a name, a file or a dict of rcParams, not int"),
])
def test_a_bad_style_is_refused_in_one_line_and_nothing_is_written(recording, tmp_path, style, message):
    with pytest.raises(RenderError) as caught:
        render(recording, tmp_path / "x.gif", style=style)
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("style", [pytest.param("nope", marks=SLOW), "nowhere/x.mplstyle"])
def test_a_bad_style_on_the_command_line_is_one_line_and_trains_nothing(tmp_path, style):
    from tests.test_cli import run_cli

    result = run_cli("run", "dying_relu", "--style", style, "--out", str(tmp_path))
    assert result.returncode == 2
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert len(lines) == 1 and style in lines[0] and "Traceback" not in lines[0], lines
    assert not list(tmp_path.iterdir())


PICTURES = {"curves": synthetic_recording, "value map": lambda: map_recording(0),
            "class map": lambda: map_recording(3), "4 runs": lambda: synthetic_recording(runs=4)}


@pytest.mark.parametrize("points", [pytest.param(10, marks=SLOW), pytest.param(13, marks=SLOW), 16])
@pytest.mark.parametrize("theme", ["light", pytest.param("dark", marks=SLOW)])
@pytest.mark.parametrize("kind", ["curves", "class map"])
def test_no_two_texts_meet_at_font_sizes_up_to_16_points(kind, theme, points):
    assert_texts_apart(PICTURES[kind](), theme=theme, points=points)


@pytest.mark.parametrize("theme", ["light", pytest.param("dark", marks=SLOW)])
@pytest.mark.parametrize("kind", ["value map", pytest.param("4 runs", marks=SLOW)])
def test_no_two_texts_meet_at_16_points_in_other_pictures(kind, theme):
    assert_texts_apart(PICTURES[kind](), theme=theme, points=16)


def test_the_overlap_check_finds_texts_that_meet(recording):
    """The check the tests above rely on: two texts placed on each other are found, and a text off the frame."""
    figure = AnimatedFigure(recording)
    ax = figure.figure.axes[0]
    ax.text(0.5, 0.5, "one note", transform=ax.transAxes)
    ax.text(0.52, 0.5, "another", transform=ax.transAxes)
    figure.figure.text(0.98, 0.5, "off the right edge")
    figure.canvas.draw()
    found = [(a.get_text(), b.get_text() if b is not None else None)
             for a, b in overlapping_texts(figure.figure, figure.canvas.get_renderer())]
    assert ("one note", "another") in found and ("off the right edge", None) in found


@SLOW
def test_fonts_that_cannot_fit_are_drawn_smaller_and_the_render_says_so(tmp_path):
    said = []
    recording = synthetic_recording(runs=4)
    render(recording, tmp_path / "x.png", style={"font.size": 40}, say=said.append)
    assert said and said[0].startswith("the style's text is drawn at ") and "% of its size" in said[0]
