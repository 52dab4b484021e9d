"""The renderer: real files written, opened again and checked, as a reader's browser would."""
from __future__ import annotations

import subprocess
import sys

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

from animate import RenderError, render
from animate.render import AnimatedFigure, FigureOptions, video_frame_indices
from animate.render.writers import gif_frame_delay_ms
from tests.conftest import synthetic_recording


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


def test_frames_change_over_time(recording):
    figure = AnimatedFigure(recording)
    first = figure.frame(0).copy()
    last = figure.frame(29).copy()
    assert np.any(first != last)


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
    ({"width": 721}, "multiples of 16"),
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


def test_html_snippet_is_self_contained_and_plays_inline(recording, tmp_path):
    [path] = render(recording, tmp_path / "post.html", duration=1)
    html = path.read_text()
    assert html.startswith("<video autoplay loop muted playsinline")
    assert 'poster="data:image/png;base64,' in html and 'src="data:video/mp4;base64,' in html
    assert [p.name for p in tmp_path.iterdir()] == ["post.html"]  # no stray video beside it
    assert recording._repr_html_().startswith("<video autoplay loop muted playsinline")


def test_webm_is_vp9(recording, tmp_path):
    [path] = render(recording, tmp_path / "a.webm", duration=1)
    meta = next(imageio_ffmpeg.read_frames(str(path)))
    assert meta["codec"].startswith("vp9") and meta["size"] == (720, 480)
