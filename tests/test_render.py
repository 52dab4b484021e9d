"""The renderer: real files written, opened again and checked, as a reader's browser would."""
from __future__ import annotations

import dataclasses
import subprocess
import sys

import imageio_ffmpeg
import matplotlib
import numpy as np
import pytest
from packaging.version import Version
from PIL import Image

from matplotlib.text import Text

from animate import Recording, RenderError, render
from animate.render import AnimatedFigure, FigureOptions, gif_frame_positions, video_frame_indices
from animate.render.formats import writer_for
from animate.render.options import parse_bytes
from animate.render.writers import ThreadedWriter, gif_frame_delay_ms
from tests.conftest import synthetic_recording


def needs_trick(name: str) -> None:
    """Skip a test of one fast-drawing trick where this matplotlib failed its probe (the trick is off)."""
    import matplotlib

    from animate.render.fast import probe

    if not getattr(probe(), name):
        pytest.skip(f"fast drawing's {name} is off under matplotlib {matplotlib.__version__}")


def test_video_frames_fit_the_duration_then_hold_the_last_frame():
    indices = video_frame_indices(100, fps=20, duration=2.0, hold=1.0)
    assert len(indices) == 40 + 20
    assert indices[0] == 0 and np.all(indices[40:] == 99)
    assert np.all(np.diff(indices) >= 0)
    held = video_frame_indices(5, fps=10, duration=2.0, hold=0)  # fewer frames than the video: each is held
    assert len(held) == 20 and set(held) == {0, 1, 2, 3, 4}


def test_gif_loops_forever_with_the_right_timing(recording, tmp_path):
    [path] = render(recording, tmp_path / "a.gif", fps=20, duration=1.5, hold=1.0)
    with Image.open(path) as gif:
        assert gif.info.get("loop") == 0
        assert gif.size == (720, 480)
        durations = []
        for index in range(gif.n_frames):
            gif.seek(index)
            durations.append(gif.info["duration"])
    assert sum(durations) == pytest.approx((30 + 20) * gif_frame_delay_ms(20), abs=20)


def test_mp4_is_h264_yuv420p_and_fast_start(recording, tmp_path):
    [path] = render(recording, tmp_path / "a.mp4", fps=20, duration=1.0)
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    frames = list(reader)
    assert meta["codec"].startswith("h264") and meta["pix_fmt"].startswith("yuv420p")
    assert meta["size"] == (720, 480) and all(side % 2 == 0 for side in meta["size"])
    assert len(frames) == 20 + 20
    data = path.read_bytes()
    assert data.index(b"moov") < data.index(b"mdat"), "index must come first so browsers start playing at once"


def test_poster_is_the_last_frame(recording, tmp_path):
    [path] = render(recording, tmp_path / "poster.png")
    expected = AnimatedFigure(recording).frame(len(recording.steps) - 1)[..., :3]
    np.testing.assert_array_equal(np.asarray(Image.open(path).convert("RGB")), expected)


def test_all_formats_in_one_pass_with_stem_and_formats(recording, tmp_path):
    written = render(recording, tmp_path / "lesson", formats=["gif", "mp4", "png"])
    assert [p.name for p in written] == ["lesson.gif", "lesson.mp4", "lesson.png"]
    assert all(p.stat().st_size > 1000 for p in written)


def test_blitted_frames_match_full_redraws(recording):
    fast = AnimatedFigure(recording)
    slow = AnimatedFigure(recording, full_redraw=True)
    for index in (0, 7, 15, 29):
        blitted = fast.frame(index).astype(int)
        redrawn = slow.frame(index).astype(int)
        # Stated tolerance: a few anti-aliased edge pixels may differ by a shade, nothing more.
        differing = np.any(np.abs(blitted - redrawn) > 8, axis=-1)
        assert differing.mean() < 0.001, f"frame {index}: {differing.sum()} pixels differ"


def test_the_loss_dot_is_drawn_whole_on_the_axes_edge(recording):
    from matplotlib.colors import to_rgb

    figure = AnimatedFigure(recording)
    last = len(recording.steps) - 1
    pixels = figure.frame(last)
    loss_panel = next(panel for panel in figure.panels if getattr(panel, "series", None) == "loss")
    marker = loss_panel.markers[0]
    x, y = marker.get_transform().transform(np.column_stack(marker.get_data()))[0]
    ax_right = marker.axes.bbox.x1
    assert abs(x - ax_right) < 1, "at the last step the dot sits on the right edge"
    row = int(round(pixels.shape[0] - y))
    outside = pixels[row, int(ax_right) + 2: int(ax_right) + 4, :3].astype(int)
    colour = np.array(to_rgb(figure.theme.run_colour(0))) * 255
    assert np.abs(outside - colour).max() < 40, "the half of the dot beyond the axes is drawn, not clipped"


@pytest.mark.parametrize("name, shown", [("MAE net", True), ("run", False)])
def test_a_lone_run_of_several_outputs_is_named_in_the_legend(name, shown):
    one = synthetic_recording(runs=1, weights=None)
    two_outputs = dataclasses.replace(one, runs=(name,), predictions=np.concatenate([one.predictions] * 2, axis=3),
                                      y_train=np.hstack([one.y_train] * 2), target=np.hstack([one.target] * 2))
    figure = AnimatedFigure(two_outputs)
    [legend] = figure.figure.legends
    assert (name in [text.get_text() for text in legend.get_texts()]) == shown


def test_frames_change_over_time(recording):
    figure = AnimatedFigure(recording)
    first = figure.frame(0).copy()
    last = figure.frame(29).copy()
    assert np.any(first != last)


@pytest.mark.slow  # ~2 s (`make same-bytes` compares every lesson's files too)
def test_same_recording_gives_same_bytes(tmp_path):
    first = render(synthetic_recording(), tmp_path / "a", formats=["gif", "mp4", "png"], duration=1)
    second = render(synthetic_recording(), tmp_path / "b", formats=["gif", "mp4", "png"], duration=1)
    for one, two in zip(first, second):
        assert one.read_bytes() == two.read_bytes(), one.suffix


def test_interrupted_render_leaves_old_file_and_no_temporary(recording, tmp_path, monkeypatch):
    target = tmp_path / "keep.gif"
    target.write_bytes(b"old animation")
    calls = {"n": 0}
    original = AnimatedFigure.frame

    def interrupt_after_a_few(self, index):
        calls["n"] += 1
        if calls["n"] > 12:
            raise KeyboardInterrupt
        return original(self, index)

    monkeypatch.setattr(AnimatedFigure, "frame", interrupt_after_a_few)
    with pytest.raises(KeyboardInterrupt):
        render(recording, target)
    assert target.read_bytes() == b"old animation"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.gif"]


def test_rendering_never_imports_tensorflow(recording, tmp_path):
    path = recording.save(tmp_path / "r.npz")
    code = (
        "import sys, animate; animate.render(sys.argv[1], sys.argv[2]);"
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules, 'imported TF'"
    )
    subprocess.run([sys.executable, "-c", code, str(path), str(tmp_path / "r.png")], check=True)


@pytest.mark.parametrize("kwargs, message", [
    ({"fps": 0}, "fps must be"),
    ({"fps": -3}, "fps must be"),
    ({"duration": 0}, "duration must be"),
    ({"width": 721}, "721 is not a multiple of 16"),
    ({"width": "720"}, "whole number of pixels"),
    ({"dpi": 0}, "dpi must be"),
    ({"gif_colours": 2}, "GIF colours must be between 3 and 256"),
    ({"width": 160, "height": 160}, "the panels do not fit"),
])
def test_bad_options_are_refused(recording, tmp_path, kwargs, message):
    with pytest.raises(RenderError, match=message):
        render(recording, tmp_path / "a.gif", **kwargs)


def test_unknown_suffix_is_refused(recording, tmp_path):
    with pytest.raises(RenderError, match="unknown format 'avi'; choose from: gif, mp4, png, webm, html"):
        render(recording, tmp_path / "a.avi")


def test_recording_without_weights_or_training_data_renders(tmp_path):
    bare = synthetic_recording(runs=1, weights=None)
    from dataclasses import replace

    bare = replace(bare, x_train=None, y_train=None, target=None)
    [path] = render(bare, tmp_path / "bare.png")
    assert Image.open(path).size == (720, 480)


def test_layout_option_overlays_runs(recording):
    overlay = AnimatedFigure(recording, FigureOptions(layout="overlay"))
    side = AnimatedFigure(recording, FigureOptions(layout="side_by_side"))
    assert len(overlay.figure.axes) < len(side.figure.axes)


@pytest.mark.slow  # ~2 s
def test_html_snippet_is_self_contained_and_plays_inline(recording, tmp_path):
    [path] = render(recording, tmp_path / "post.html", duration=1)
    html = path.read_text()
    assert html.startswith("<video autoplay loop muted playsinline")
    assert 'poster="data:image/png;base64,' in html and 'src="data:video/mp4;base64,' in html
    assert [p.name for p in tmp_path.iterdir()] == ["post.html"]  # no stray video beside it
    assert recording._repr_html_().startswith("<video autoplay loop muted playsinline")


@pytest.mark.slow  # ~2 s
def test_webm_is_vp9(recording, tmp_path):
    [path] = render(recording, tmp_path / "a.webm", duration=1)
    meta = next(imageio_ffmpeg.read_frames(str(path)))
    assert meta["codec"].startswith("vp9") and meta["size"] == (720, 480)


def _gif_durations(path) -> list[int]:
    with Image.open(path) as gif:
        durations = []
        for index in range(gif.n_frames):
            gif.seek(index)
            durations.append(gif.info["duration"])
    return durations


@pytest.mark.parametrize("gif_fps, delay", [(None, 80), pytest.param(10, 100, marks=pytest.mark.slow)])
def test_gif_has_its_own_frame_rate_read_back_from_the_file(recording, tmp_path, gif_fps, delay):
    gif, mp4 = render(recording, tmp_path / "a", formats=["gif", "mp4"], fps=20, duration=2.0, hold=0.5,
                      gif_fps=gif_fps)
    durations = _gif_durations(gif)
    assert gif_frame_delay_ms(gif_fps or 12.5) == delay
    assert max(set(durations), key=durations.count) == delay
    assert sum(durations) == pytest.approx(2500, abs=delay)  # as long as the video
    assert len(list(imageio_ffmpeg.read_frames(str(mp4)))) - 1 == 50  # the MP4 keeps its 20 fps


def test_gif_frames_are_a_subset_of_the_video_frames():
    positions = gif_frame_positions(220, fps=20, gif_fps=12.5)
    assert len(positions) == 138 and positions[0] == 0 and positions[-1] <= 219
    assert np.all(np.diff(positions) > 0)
    assert np.array_equal(gif_frame_positions(40, fps=10, gif_fps=12.5), np.arange(40))  # never above the video


@pytest.mark.slow  # tests/test_cli_gif.py fits a GIF to a budget in the fast suite
def test_gif_byte_budget_is_met_and_says_what_it_chose(tmp_path):
    recording = synthetic_recording(frames=60)
    [free] = render(recording, tmp_path / "free.gif", duration=3)
    budget = int(free.stat().st_size * 0.7)
    said = []
    [fitted] = render(recording, tmp_path / "fitted.gif", duration=3, gif_max_bytes=budget, say=said.append)
    assert fitted.stat().st_size <= budget
    assert len(said) == 1 and said[0].startswith("GIF fitted to ") and " fps, " in said[0] and " colours, " in said[0]
    with Image.open(fitted) as gif:
        assert gif.n_frames > 1 and gif.info.get("loop") == 0


@pytest.mark.slow  # tests/test_cli_gif.py fails a budget that cannot be met in the fast suite
def test_gif_byte_budget_that_cannot_be_met_fails_and_writes_nothing(recording, tmp_path):
    with pytest.raises(RenderError, match="GIF cannot fit in 1 kB"):
        render(recording, tmp_path / "lesson", formats=["gif", "mp4", "png"], gif_max_bytes="1kB")
    assert list(tmp_path.iterdir()) == []  # neither the GIF nor the MP4 and PNG beside it


@pytest.mark.parametrize("text, size", [("1MB", 10**6), ("1.5 MB", 1_500_000), ("800kB", 800_000),
                                        ("2MiB", 2 * 2**20), ("12345", 12345)])
def test_byte_sizes_parse(text, size):
    assert parse_bytes(text) == size


@pytest.mark.parametrize("text", ["1 parsec", "MB", "-1MB", "0"])
def test_bad_byte_sizes_are_refused(text):
    with pytest.raises(RenderError):
        parse_bytes(text)


@pytest.mark.parametrize("name", ["gif", "mp4"])
def test_threaded_writer_gives_the_same_bytes_as_the_serial_one(recording, tmp_path, name):
    figure = AnimatedFigure(recording)
    frames = [figure.frame(index).copy() for index in range(0, 30, 3)]
    writer_class = writer_for(name)
    serial = writer_class(tmp_path / f"serial.{name}", figure.size, 10, frames[:4])
    threaded = ThreadedWriter(lambda: writer_class(tmp_path / f"threaded.{name}", figure.size, 10, frames[:4]),
                              tmp_path / f"threaded.{name}", depth=2)
    for frame in frames:
        serial.write(frame)
        threaded.write(frame)
    serial.finish()
    threaded.finish()
    assert (tmp_path / f"serial.{name}").read_bytes() == (tmp_path / f"threaded.{name}").read_bytes()


def test_threaded_writer_hands_the_encoder_error_to_the_caller(tmp_path):
    class Failing:
        def write(self, frame):
            raise RenderError("encoder broke")

        def finish(self):
            pass

        def abort(self):
            pass

    writer = ThreadedWriter(Failing, tmp_path / "x.gif", depth=1)
    with pytest.raises(RenderError, match="encoder broke"):
        for _ in range(50):  # never blocks on the full queue of a dead encoder
            writer.write(np.zeros((2, 2, 4), np.uint8))
        writer.finish()


def test_cached_glyphs_draw_what_matplotlib_draws(recording):
    cached = AnimatedFigure(recording)
    needs_trick("glyphs")
    stock = AnimatedFigure(recording, fast=dataclasses.replace(cached.drawing, glyphs=False))
    for index in (0, 13, 29, 13):  # 13 twice: the second time its texts come from the cache
        # Glyphs whose boxes overlap are blended one over the other, as Agg does: the very same pixels.
        np.testing.assert_array_equal(cached.frame(index), stock.frame(index), err_msg=f"frame {index}")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_reused_layout_draws_the_same_pixels_as_a_fresh_one(recording, theme):
    """The live view redraws a growing recording reusing its first figure's layout: nothing may move."""
    fresh = AnimatedFigure(recording, FigureOptions(theme=theme))
    reused = AnimatedFigure(recording, FigureOptions(theme=theme), layout_from=fresh)
    assert [p.bounds for p in reused.positions] == [p.bounds for p in fresh.positions]
    last = len(recording.steps) - 1
    np.testing.assert_array_equal(fresh.frame(last).copy(), reused.frame(last))


@pytest.mark.parametrize("make", [synthetic_recording, lambda: map_recording(3)], ids=["curves", "class map"])
def test_ticks_worked_out_once_per_state_draw_the_same_pixels(make, monkeypatch):
    """The build answers repeated tick questions from memory (tick_memo.py): the frames are those of a
    build that works every answer out, and most questions were answered from memory."""
    from matplotlib.axis import Axis

    recording = make()
    worked_out = []
    original = Axis._update_ticks
    monkeypatch.setattr(Axis, "_update_ticks", lambda axis: worked_out.append(axis) or original(axis))
    needs_trick("tick_memo")
    remembering = AnimatedFigure(recording)
    remembered = len(worked_out)
    worked_out.clear()
    every_time = AnimatedFigure(recording, fast=dataclasses.replace(remembering.drawing, tick_memo=False))
    assert remembered < len(worked_out) / 3, (remembered, len(worked_out))
    assert [p.bounds for p in remembering.positions] == [p.bounds for p in every_time.positions]
    last = len(recording.steps) - 1
    for index in (0, last):
        np.testing.assert_array_equal(remembering.frame(index).copy(), every_time.frame(index), err_msg=f"frame {index}")


def map_recording(classes: int) -> Recording:
    """Two inputs on a lattice; a regression surface (classes=0), or class probabilities that sharpen."""
    from animate.grids import lattice

    grid = lattice((-2, 2), (-1.5, 1.5), 41)
    rng = np.random.default_rng(0)
    x_train = rng.uniform(-2, 2, (120, 2)) * [1, 0.75]
    frames = np.linspace(0.2, 3, 12)[:, None, None]
    if classes == 0:
        surface = np.sin(grid[:, :1] * 1.5) * grid[:, 1:]
        predictions = frames / 3 * surface[None]
        y_train = np.sin(x_train[:, :1] * 1.5) * x_train[:, 1:]
    else:
        centres = np.array([[np.cos(a), np.sin(a)] for a in np.linspace(0, 2 * np.pi, classes, endpoint=False)])
        logits = -((grid[:, None, :] - centres[None]) ** 2).sum(-1)  # (points, classes)
        predictions = np.exp(frames * logits[None]) / np.exp(frames * logits[None]).sum(-1, keepdims=True)
        labels = (-((x_train[:, None, :] - centres[None]) ** 2).sum(-1)).argmax(1)
        y_train = np.eye(classes)[labels] if classes > 2 else labels[:, None].astype(float)
        if classes == 2:
            predictions = predictions[..., 1:]  # one sigmoid: P(class 1)
    return Recording(runs=("net",), steps=np.arange(12) * 5, grid=grid, predictions=predictions[None],
                     loss=np.geomspace(1, 0.1, 12)[None], meta={"lesson": "map", "message": "A map."},
                     x_train=x_train, y_train=y_train)


@pytest.mark.parametrize("classes", [0, 2, 3], ids=["value map", "probability map", "class map"])
# Dark left to `make test`: the fast suite compares dark frames in tests/test_fast_drawing.py, light ones here.
@pytest.mark.parametrize("theme", ["light", pytest.param("dark", marks=pytest.mark.slow)])
def test_cached_texts_points_and_resampled_maps_look_as_matplotlib_draws_them(classes, theme, recording):
    """Frames draw texts and fixed points from cached images and maps through two matrix products
    (sprites.py, fast_image.py); drawing every animated artist with matplotlib instead gives the same
    picture to within a few shades (maps with sharp edges differ most, by up to ~8 of 255 at their
    left edge column; a misplaced image or sprite differs by a hundred)."""
    recording = map_recording(classes) if classes != 1 else recording
    fast = AnimatedFigure(recording, FigureOptions(theme=theme))
    plain = AnimatedFigure(recording, FigureOptions(theme=theme))
    plain.drawers = list(plain.animated)
    kinds = {type(drawer).__name__ for drawer in fast.drawers}
    assert "Sprite" in kinds
    if Version(matplotlib.__version__) >= Version("3.11"):  # written for it; another may draw a map's edges otherwise
        assert "MapImage" in kinds
    for index in list(range(len(recording.steps))) * 2:  # twice: the second pass draws from the caches
        difference = np.abs(fast.frame(index).astype(int) - plain.frame(index).astype(int)).max(axis=-1)
        assert difference.max() <= 10 and np.count_nonzero(difference > 2) < 0.05 * difference.size, index
        assert difference.mean() < 0.5, index


def test_a_cached_text_follows_its_text(recording):
    """The step counter changes every frame: held on one frame it is drawn from its cached image,
    and a new frame's counter is drawn anew, not the cached one."""
    figure = AnimatedFigure(recording)
    plain = AnimatedFigure(recording)
    plain.drawers = list(plain.animated)
    counter = next(drawer for drawer in figure.drawers if getattr(drawer, "artist", None) is figure.step_text)
    for index in [3, 3, 3, 3, 20, 3]:  # held long enough to be cached, then changed and back
        difference = np.abs(figure.frame(index).astype(int) - plain.frame(index).astype(int)).max(axis=-1)
        assert difference.max() <= 6, index
        if index == 3 and counter.repeats >= 3:
            assert counter.image is not None
    assert counter.image is None and counter.last_state[0] == figure.step_text.get_text()


def test_a_changing_text_is_drawn_where_and_as_matplotlib_draws_it(recording):
    """Counters and boxed readouts reuse their placement while their string's metrics hold
    (one_line_text.py): every string, and every return to an earlier width, gives Text.draw's pixels."""
    from animate.render.fast.one_line_text import OneLineText

    needs_trick("one_line_text")
    figure = AnimatedFigure(recording)
    renderer = figure.canvas.get_renderer()
    boxed = [artist for artist in figure.animated if isinstance(artist, Text) and artist.get_bbox_patch()]
    assert boxed and figure.step_text in figure.animated
    strings = ["w = +0.12", "w = +0.13", "w = -10.50  b = +2.00", "Ty, jq", "1", "w = +0.12", "step 70 / 290"]
    for text in [*boxed, figure.step_text]:
        drawer = OneLineText(text)
        for string in strings * 2:  # the second time, each placement is reused
            text.set_text(string)
            figure.canvas.restore_region(figure.background)
            drawer.draw(renderer)
            ours = np.asarray(figure.canvas.buffer_rgba()).copy()
            figure.canvas.restore_region(figure.background)
            text.draw(renderer)
            np.testing.assert_array_equal(ours, np.asarray(figure.canvas.buffer_rgba()), err_msg=string)
        assert len(drawer._placements) < len(strings)  # strings of equal metrics shared a placement


def test_a_changing_text_falls_back_to_text_draw_under_another_layout_shape(recording, monkeypatch):
    """``Text._get_layout`` is private: should it answer in another shape (as before matplotlib 3.11),
    the text is drawn by ``Text.draw`` instead, the same pixels."""
    from animate.render.fast.one_line_text import OneLineText

    needs_trick("one_line_text")

    figure = AnimatedFigure(recording)
    renderer = figure.canvas.get_renderer()
    text = figure.step_text
    text.set_text("step 10 / 290")
    figure.canvas.restore_region(figure.background)
    text.draw(renderer)
    expected = np.asarray(figure.canvas.buffer_rgba()).copy()
    layout = Text._get_layout
    monkeypatch.setattr(Text, "_get_layout", lambda self, r: (*layout(self, r)[:2], 3.0))  # a descent, say
    drawer = OneLineText(text)
    for _ in range(2):
        figure.canvas.restore_region(figure.background)
        drawer.draw(renderer)
        np.testing.assert_array_equal(np.asarray(figure.canvas.buffer_rgba()), expected)
    assert not drawer._placements or list(drawer._placements.values()) == [None]


def test_composed_text_metrics_are_what_freetype_measures():
    """A new string's width, height and descent come from cached glyph boxes (glyphs.py) instead of a
    FreeType layout: across fonts, sizes, kerning pairs and counters they must be Agg's numbers."""
    import random

    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties
    from matplotlib.text import Text

    needs_trick("glyphs")
    from animate.render.fast import glyphs

    rng = random.Random(1)
    strings = ([f"step {rng.randint(0, 20000):>6,} / 20,000" for _ in range(60)]
               + [f"w = {rng.uniform(-3, 3):+.2f}  b = {rng.uniform(-3, 3):+.2f}" for _ in range(60)]
               + [f"batch of 4: loss rose at {rng.randint(0, 400)} steps" for _ in range(40)]
               + ["AVA Wave To", "held: age = 0", "x", "g", "—", "(w, b) on the loss surface"]
               + ["the fine print", "office fluffy fi ffl", "Efficient ffi"]  # ligatures: laid out whole
               + [f"10{power}" for power in ("⁰", "¹", "²", "⁻¹", "⁻²", "⁻⁴", "³", "⁴")])
    counter = Text(text="", animated=True)
    for prop in (FontProperties(size=10, family="monospace", weight="bold"), FontProperties(size=8.5),
                 FontProperties(size=11.5, weight="bold"), FontProperties(size=7.5, style="italic")):
        renderer = RendererAgg(720, 480, 100)
        renderer.__class__ = glyphs.GlyphCachingRenderer
        for text in strings:
            expected = RendererAgg.get_text_width_height_descent(renderer, text, prop, False)
            assert renderer.get_text_width_height_descent(text, prop, False) == expected, text
            # Measured, then drawn, as a counter is: drawing shapes its pieces, so later strings compose.
            renderer.draw_text(renderer.new_gc(), 20.0, 240.0, text, prop, 0.0, mtext=counter)
        trust = [value for key, value in renderer._caches()[3].items() if key[0] == "trusted"]
        assert trust and all(value is not False and value["checked"] >= glyphs.CHECKED_STRINGS for value in trust)


def test_pieces_learned_from_a_whole_string_are_those_shaped_alone():
    """A string laid out whole (a tick label, a new counter's measure) teaches its characters and pairs
    (glyphs.py): each must be what FreeType gives the piece shaped on its own, kerning included."""
    from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag
    from matplotlib.font_manager import FontProperties

    needs_trick("glyphs")
    from animate.render.fast import glyphs

    strings = ["w = +1.94  b = -0.70", "AVA Wave To; Ty Yo", "step 1,650 / 3,000", "10⁻² P(man) f/j"]
    for prop in (FontProperties(size=10, family="monospace", weight="bold"), FontProperties(size=8.5),
                 FontProperties(size=7.5, style="italic")):
        renderer = RendererAgg(720, 480, 100)
        renderer.__class__ = glyphs.GlyphCachingRenderer
        font = renderer._font(prop)
        size = prop.get_size_in_points()
        for text in strings:
            renderer._whole_layout(font, text, size)
        (table,) = renderer._caches()[1].values()
        pairs = {text[i:i + 2] for text in strings for i in range(len(text) - 1)}
        assert pairs <= table.keys()
        for piece, learned in table.items():
            font.set_size(size, renderer.dpi)
            alone = [(item.ft_object, item.glyph_index, item.x, item.y)
                     for item in font._layout(piece, flags=get_hinting_flag(), features=None, language=None)]
            assert learned == alone, piece


def test_cached_glyphs_blend_where_they_overlap_as_agg_does():
    """A line's glyphs are drawn as a few joined images (glyphs.py); where an italic or a tight pair
    overlaps, Agg blends one glyph over the other. A still text is laid out whole and drawn from glyph
    images twice, then from its joined images kept from the second time: Agg's pixels each time."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.font_manager import FontProperties
    from matplotlib.figure import Figure

    needs_trick("glyphs")
    from animate.render.fast.glyphs import GlyphCachingCanvas

    def drawn(canvas_class, text, prop, x, y, times):
        canvas = canvas_class(Figure(figsize=(4, 1), dpi=100))
        canvas.draw()
        renderer, blank = canvas.get_renderer(), canvas.copy_from_bbox(canvas.figure.bbox)
        pictures = []
        for _ in range(times):
            canvas.restore_region(blank)
            gc = renderer.new_gc()
            gc.set_foreground("black")
            renderer.draw_text(gc, x, y, text, prop, 0)
            pictures.append(np.asarray(renderer.buffer_rgba()).copy())
        return pictures

    overlapping = 0
    for prop in (FontProperties(size=12, style="italic"), FontProperties(size=14, style="italic", weight="bold"),
                 FontProperties(size=9), FontProperties(size=10, family="monospace", weight="bold")):
        for text in ("rfy/jy,Ty7", "Wave: AV Ty Yo f/j", "w = +1.95  b = -1.90", "step 1,650 / 3,000"):
            # The last pen is halfway between two 26.6 positions (x * 64 and (100 - y) * 64 end in .5), as a
            # centred title's can be: Agg rounds each glyph's pen to even on its own.
            for x, y in ((10.3, 40.7), (5.77, 50.2), (32.7109375, 17.7421875)):
                (agg,) = drawn(FigureCanvasAgg, text, prop, x, y, 1)
                for cached in drawn(GlyphCachingCanvas, text, prop, x, y, 3):
                    np.testing.assert_array_equal(cached, agg, err_msg=f"{text!r} at {prop.get_size()} pt")
        renderer = GlyphCachingCanvas(Figure()).get_renderer()
        font = renderer._font(prop)
        placed = renderer._placed_glyphs(font, "rfy/jy,Ty7", prop.get_size_in_points(), (5, 7), True)
        boxes = [(left, left + buffer.shape[1]) for buffer, left, _ in placed if buffer.size]
        overlapping += any(b[0] < a[1] for a, b in zip(boxes, boxes[1:]))
    assert overlapping  # the case this test is about does occur: some glyph boxes overlap

