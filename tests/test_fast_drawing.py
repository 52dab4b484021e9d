"""The fast-drawing boundary: probed at the first render only, each trick used only where its probe
passes, a switch to turn every trick off, and the same picture either way."""
from __future__ import annotations

import logging
import os
import subprocess
import sys

import numpy as np
import pytest

from animate.render import AnimatedFigure
from animate.render import fast
from animate.render.fast import Drawing, checks, private_api
from tests.conftest import assert_fast_drawing_matches_plain, synthetic_recording
from tests.test_render import map_recording

NEVER_IMPORTED = ("animate.render.fast", "matplotlib.ft2font")


@pytest.mark.parametrize("code", [
    "import animate",
    "from animate.cli import main\ntry: main(['--help'])\nexcept SystemExit: pass",
    "from animate.cli import main\ntry: main(['list'])\nexcept SystemExit: pass",
], ids=["import animate", "nn-animate --help", "nn-animate list"])
def test_importing_or_asking_for_help_touches_no_fast_drawing(code):
    """A matplotlib without the private names must still import nn-animate and show its help."""
    check = f"{code}\nimport sys\nprint(sorted(m for m in sys.modules if m.startswith({NEVER_IMPORTED[0]!r})))"
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_every_private_name_is_listed_and_present_for_the_tricks_this_matplotlib_passed():
    passed = fast.probe()
    for trick in private_api.NAMES:
        if getattr(passed, trick):
            assert private_api.missing(trick) == []


def test_a_missing_private_name_turns_its_trick_off_and_is_said_once_in_debug_output(monkeypatch, caplog):
    monkeypatch.setitem(private_api.NAMES, "glyphs", (*private_api.NAMES["glyphs"], "matplotlib.text:Text._gone"))
    fast.probe.cache_clear()
    try:
        with caplog.at_level(logging.DEBUG, logger="animate.render.fast"):
            drawing = fast.probe()
            fast.probe()
        assert drawing.glyphs is False
        said = [record for record in caplog.records
                if record.name == "animate.render.fast" and "glyphs" in record.getMessage()]
        assert len(said) == 1 and said[0].levelno == logging.DEBUG and "Text._gone" in said[0].getMessage()
        figure = AnimatedFigure(synthetic_recording())
        assert type(figure.canvas).__name__ == "FigureCanvasAgg"  # matplotlib's own canvas, no cached glyphs
    finally:
        fast.probe.cache_clear()


def test_a_trick_that_draws_unlike_matplotlib_is_turned_off(monkeypatch):
    """A name can stay and change its meaning: the probe also compares a trick's pixels with matplotlib's."""
    from animate.render.fast import one_line_text

    if not fast.probe().one_line_text:
        pytest.skip("one_line_text is off under this matplotlib")
    assert checks.one_line_text() is None
    original = one_line_text.OneLineText._place

    def two_pixels_right(self, renderer):
        x, y, box = original(self, renderer)
        return x + 2, y, box

    monkeypatch.setattr(one_line_text.OneLineText, "_place", two_pixels_right)
    assert "unlike matplotlib" in checks.one_line_text()


def test_a_check_that_raises_turns_its_trick_off(monkeypatch):
    def broken() -> None:
        raise TypeError("this matplotlib answers otherwise")

    monkeypatch.setitem(checks.CHECKS, "tick_memo", broken)
    fast.probe.cache_clear()
    try:
        assert fast.probe().tick_memo is False
    finally:
        fast.probe.cache_clear()


def test_the_switch_turns_every_trick_off(monkeypatch):
    monkeypatch.setenv(fast.SWITCH, "0")
    figure = AnimatedFigure(synthetic_recording())
    assert figure.drawing == Drawing.plain() and figure.drawers == figure.animated
    monkeypatch.delenv(fast.SWITCH)
    assert AnimatedFigure(synthetic_recording()).drawing == fast.probe()


def test_the_switch_gives_the_same_picture_from_the_command_line(tmp_path, recording):
    recording.save(tmp_path / "r.npz")
    pngs = []
    for switch in ("1", "0"):
        out = tmp_path / f"poster-{switch}.png"
        env = {**os.environ, fast.SWITCH: switch}
        subprocess.run([sys.executable, "-m", "animate", "render", str(tmp_path / "r.npz"), "--out", str(out),
                        "--quiet"], check=True, env=env, capture_output=True)
        from PIL import Image

        pngs.append(np.asarray(Image.open(out).convert("RGB")).astype(int))
    assert np.abs(pngs[0] - pngs[1]).max() <= 12


@pytest.mark.parametrize("make", [synthetic_recording, lambda: map_recording(0), lambda: map_recording(2),
                                  lambda: map_recording(3)], ids=["curves", "value map", "probability map", "class map"])
# Light left to `make test`: the fast suite compares light frames in tests/test_render.py, dark ones here.
@pytest.mark.parametrize("theme", [pytest.param("light", marks=pytest.mark.slow), "dark"])
def test_fast_and_plain_drawing_give_the_same_frames(make, theme):
    assert_fast_drawing_matches_plain(make(), theme=theme)


def test_a_map_image_is_used_only_where_it_draws_as_matplotlib_does(monkeypatch):
    """Where a map's edge pixels fall differs between matplotlib versions: each map is checked once."""
    from animate.render.fast import map_image

    recording = map_recording(2)
    if not isinstance(AnimatedFigure(recording).drawers[0], map_image.MapImage):
        pytest.skip("this matplotlib draws this map's edges otherwise: matplotlib draws it")
    original = map_image.MapImage.__init__

    def two_pixels_left(self, image):
        original(self, image)
        self.left -= 2

    monkeypatch.setattr(map_image.MapImage, "__init__", two_pixels_left)
    figure = AnimatedFigure(recording)
    assert not isinstance(figure.drawers[0], map_image.MapImage)
    assert_fast_drawing_matches_plain(recording)


@pytest.mark.slow  # two renders in processes of their own, ~2 s
def test_the_command_line_says_which_tricks_are_off_in_debug_output_only(tmp_path, recording):
    recording.save(tmp_path / "r.npz")
    off = [trick for trick in private_api.NAMES if not getattr(fast.probe(), trick)]
    for debug in ("", "1"):
        env = {**os.environ, "NN_ANIMATE_DEBUG": debug}
        env.pop(fast.SWITCH, None)
        result = subprocess.run([sys.executable, "-m", "animate", "render", str(tmp_path / "r.npz"), "--out",
                                 str(tmp_path / "p.png"), "--quiet"], env=env, capture_output=True, text=True, check=True)
        said = [line for line in result.stderr.splitlines() if "fast drawing" in line]
        assert len(said) == (len(off) if debug else 0), result.stderr
        assert all(any(trick in line for line in said) for trick in off) or not debug
