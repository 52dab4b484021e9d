"""One set of render options, and formats that register themselves: render() names neither."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from animate.errors import RenderError
from animate.render import RenderOptions, formats, render
from animate.render.animation import animation
from animate.render.frames import video_frame_indices
from animate.live import live_render_options


def test_an_unknown_option_is_refused_naming_the_valid_ones(recording, tmp_path):
    with pytest.raises(RenderError, match=r"unknown render option 'colour'; valid options: fps, duration, hold"):
        render(recording, tmp_path / "a.png", colour="red")
    assert not list(tmp_path.iterdir())


def test_keywords_go_over_the_options_given(recording, tmp_path):
    dark = RenderOptions(theme="dark", width=480, height=320)
    [path] = render(recording, tmp_path / "a.png", dark, width=640)
    with Image.open(path) as image:
        assert image.size == (640, 320)
        assert max(image.convert("RGB").getpixel((2, 2))) < 80  # the dark theme's ground


def test_every_option_is_a_cli_option_with_its_help(runner):
    from animate.cli import cli

    text = runner.invoke(cli, ["render", "--help"], terminal_width=400).output
    for option in dataclasses.fields(RenderOptions):
        flag = "--" + option.name.replace("_", "-")
        assert flag in text, flag
        assert option.metadata["help"].split(" (")[0][:40] in " ".join(text.split())
    words = runner.invoke(cli, ["all", "--help"], terminal_width=400).output
    assert "--hold" in words and "--title" not in words  # a title names one animation, not every lesson


def test_the_cli_refuses_an_option_out_of_its_bounds(runner, tmp_path, recording):
    from animate.cli import cli

    path = recording.save(tmp_path / "r.npz")
    result = runner.invoke(cli, ["render", str(path), "--hold", "61"])
    assert result.exit_code == 2 and "0<=x<=60" in result.output


@pytest.mark.filterwarnings("ignore:Animation was deleted without rendering")  # checked, not played
def test_animation_takes_the_same_options(recording):
    anim = animation(recording, RenderOptions(fps=10, duration=2, hold=0), width=480, height=320)
    assert anim.animated_figure.size == (480, 320)
    frames = list(anim.new_frame_seq())
    expected = video_frame_indices(len(recording.steps), fps=10, duration=2, hold=0)
    assert frames == [int(i) for i in expected]


def test_the_live_view_takes_render_options(recording):
    from animate.live import picture_png

    options = live_render_options({"theme": "dark", "width": 480, "height": 320})
    png, _ = picture_png(recording, options=options)
    from io import BytesIO

    with Image.open(BytesIO(png)) as image:
        assert image.size == (480, 320)
        assert max(image.convert("RGB").getpixel((2, 2))) < 80
    with pytest.raises(RenderError, match="unknown render option 'speed'"):
        live_render_options({"speed": 2})


class FrameCounter:
    """A made-up format: counts the frames it is given, and saves the count."""

    def __init__(self, path: Path, size: tuple[int, int], fps: float, samples) -> None:
        self.path, self.frames, self.fps = path, [], fps

    def write(self, frame: np.ndarray) -> None:
        self.frames.append(frame.copy())

    def finish(self) -> None:
        self.path.write_text(f"{len(self.frames)} frames at {self.fps:g} fps")

    def abort(self) -> None:
        pass


@pytest.fixture
def counted_format(monkeypatch):
    monkeypatch.setattr(formats, "FORMATS", dict(formats.FORMATS))
    formats.register_format("count", rate=lambda options, look: 5.0)(FrameCounter)


def test_a_format_of_ones_own_registers_itself_with_its_needs(counted_format, recording, tmp_path):
    [counted, video] = render(recording, tmp_path / "a", formats=["count", "mp4"], fps=20, duration=2, hold=0)
    assert counted.read_text() == "10 frames at 5 fps"  # its own frame rate: a quarter of the video's 40 frames
    assert video.stat().st_size > 0


def test_a_format_given_the_last_frame_gets_it_alone(monkeypatch, recording, tmp_path):
    monkeypatch.setattr(formats, "FORMATS", dict(formats.FORMATS))
    formats.register_format("last", frames=formats.LAST)(FrameCounter)
    [path] = render(recording, tmp_path / "a.last", fps=20, duration=2)
    assert path.read_text() == "1 frames at 20 fps"


def test_the_live_view_keeps_a_validated_loss_panel_while_validation_falls(recording):
    import dataclasses

    from animate.render import AnimatedFigure
    from animate.render.panels import LossPanel

    def first(frames, values):
        return dataclasses.replace(values, steps=values.steps[:frames], predictions=values.predictions[:, :frames],
                                   loss=values.loss[:, :frames], weights=values.weights[:, :frames],
                                   val_loss=values.val_loss[:, :frames])

    falling = np.linspace(1.0, 0.5, len(recording.steps))[None].repeat(len(recording.runs), axis=0)
    validated = dataclasses.replace(recording, val_loss=falling)
    figure = AnimatedFigure(first(20, validated), expected_steps=int(recording.steps[-1]))
    [panel] = [panel for panel in figure.panels if isinstance(panel, LossPanel)]
    assert panel.bind(validated)  # no lowest step to mark yet: the same panel serves the longer recording
    turned = falling.copy()
    turned[:, 10:] = np.linspace(0.6, 1.2, len(recording.steps) - 10)
    assert not panel.bind(dataclasses.replace(recording, val_loss=turned))  # a new best step: built anew
