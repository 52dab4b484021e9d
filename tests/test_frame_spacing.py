"""A long run's video: frames spaced by change (or log step), a log step axis, and curves drawn as envelopes.

Issue 24 item 8: 20,000 steps recorded at every step, learning in the first 150. Spaced evenly in
frames, the video showed that learning in one or two frames; the linear step axis squashed it
against the left edge; and the 20,001-point loss line drew as a thick band. NumPy-only recordings.
"""
from __future__ import annotations

import gc

import numpy as np
import pytest
from matplotlib.lines import Line2D
from PIL import Image

from animate import Recording
from animate.errors import RenderError
from animate.render import AnimatedFigure, RenderOptions, render, video_frame_indices, video_frames
from animate.render.frames import frame_spacing, video_frame_count
from animate.render.panels.curve import CurvePanel
from tests.conftest import synthetic_recording

STEPS = 20_000
LEARNED_BY = 150


def long_run(steps: int = STEPS, runs: int = 1, jitter: float = 0.0) -> Recording:
    """A run recorded at every step whose prediction reaches sin(3x) and loss its floor by step ~150
    (time constant 30 steps), then sits there, with ``jitter`` of minibatch-like noise, to the end."""
    rng = np.random.default_rng(0)
    grid = np.linspace(-1, 1, 60)[:, None]
    every_step = np.arange(steps + 1)
    learned = 1 - np.exp(-every_step / (LEARNED_BY / 5))
    predictions = np.stack([learned[:, None, None] * np.sin(3 * grid) * (1 + 0.2 * run) for run in range(runs)])
    predictions = predictions + jitter * rng.standard_normal(predictions.shape)
    loss = np.stack([0.02 + np.exp(-every_step / (LEARNED_BY / 5))] * runs)
    loss = loss * np.exp(jitter * rng.standard_normal(loss.shape))
    x = np.linspace(-1, 1, 20)[:, None]
    return Recording(runs=tuple(f"run {run}" for run in range(runs)), steps=every_step, grid=grid,
                     predictions=predictions, loss=loss,
                     meta={"lesson": "long_run", "message": "A long run that learns in its first 150 steps."},
                     x_train=x, y_train=np.sin(3 * x), target=np.sin(3 * grid))


@pytest.fixture(scope="module")
def long() -> Recording:
    return long_run()


def shown(recording: Recording, **options) -> np.ndarray:
    """The recording frames of the video's frames before the final hold."""
    chosen = RenderOptions(**options)
    return video_frames(recording, chosen)[:video_frame_count(len(recording.steps), fps=chosen.fps,
                                                              duration=chosen.duration)]


def early_share(recording: Recording, frames: np.ndarray) -> float:
    """The share of ``frames`` in the first 10% of the recording's steps."""
    return float(np.mean(recording.steps[frames] < recording.steps[-1] / 10))


@pytest.mark.parametrize("jitter", [0.0, 0.02])
def test_change_spacing_gives_the_fast_early_learning_most_frames(jitter):
    recording = long_run(jitter=jitter, runs=2)
    assert early_share(recording, shown(recording, frames="change")) > 0.5
    assert early_share(recording, shown(recording, frames="linear")) < 0.15
    learning = recording.steps[shown(recording, frames="change")] < LEARNED_BY
    assert learning.sum() > 40  # two seconds of the learning itself, where linear spacing shows one frame
    assert (recording.steps[shown(recording, frames="linear")] < LEARNED_BY).sum() <= 2


def test_a_plateau_still_shows_time_passing(long):
    late = long.steps[shown(long, frames="change")] > STEPS / 2
    assert 3 <= late.sum() < 30  # a few frames of the 10,000 plateau steps, not none and not half the video


@pytest.mark.parametrize("spacing", ["linear", "log", "change"])
@pytest.mark.parametrize("recording", [long_run(), long_run(runs=1, steps=3000, jitter=0.05), synthetic_recording(),
                                       synthetic_recording(frames=2, runs=1)],
                         ids=["long", "noisy", "short", "two frames"])
def test_the_first_and_last_frames_are_always_shown(recording, spacing):
    options = RenderOptions(frames=spacing, hold=0.5)
    indices = video_frames(recording, options)
    count = video_frame_count(len(recording.steps), fps=options.fps)
    last = len(recording.steps) - 1
    assert indices[0] == 0 and indices[count - 1] == last
    assert (np.diff(indices) >= 0).all()  # never back in time
    assert len(indices) == count + 10 and (indices[count:] == last).all()  # and the hold stays


def test_a_picture_that_never_changes_is_spaced_evenly():
    recording = long_run(steps=3000)
    frozen = Recording(runs=recording.runs, steps=recording.steps, grid=recording.grid,
                       predictions=np.zeros_like(recording.predictions), loss=np.ones_like(recording.loss),
                       meta=recording.meta)
    np.testing.assert_array_equal(video_frames(frozen, RenderOptions(frames="change")),
                                  video_frames(frozen, RenderOptions(frames="linear")))


def test_log_spacing_is_even_in_log_step(long):
    frames = shown(long, frames="log")
    expected = np.expm1(np.linspace(0, np.log1p(STEPS), len(frames)))  # steps are frames here (every=1)
    assert np.abs(long.steps[frames] - expected).max() < 1  # the recorded step nearest in log(step + 1)
    assert np.median(long.steps[frames]) < LEARNED_BY


def test_the_default_spaces_by_change_only_a_recording_far_longer_than_its_video(long, recording):
    np.testing.assert_array_equal(video_frames(long, RenderOptions()), video_frames(long, RenderOptions(frames="change")))
    for lesson_sized in (synthetic_recording(frames=401, runs=1), recording):  # today's lessons: at most 401 frames
        np.testing.assert_array_equal(video_frames(lesson_sized, RenderOptions()),
                                      video_frame_indices(len(lesson_sized.steps), fps=20))
    # 200 video frames at the default 20 fps for 10 s: more than 4x as many recorded frames, and change spacing
    assert frame_spacing(800, RenderOptions()) == "linear" and frame_spacing(801, RenderOptions()) == "change"
    assert frame_spacing(801, RenderOptions(duration=50)) == "linear"  # a longer video shows them all


def test_an_unknown_spacing_or_scale_is_refused_with_the_choices(recording, tmp_path):
    with pytest.raises(RenderError) as error:
        render(recording, tmp_path / "a.gif", frames="even")
    assert str(error.value) == "unknown frame spacing 'even'; choose from: linear, log, change"
    with pytest.raises(RenderError) as error:
        RenderOptions(step_scale="symlog")
    assert str(error.value) == "unknown step scale 'symlog'; choose from: linear, log"
    assert not list(tmp_path.iterdir())


def test_the_render_command_takes_frames_and_step_scale(runner, tmp_path, long, monkeypatch):
    import animate.cli
    from animate.cli import cli

    path = long.save(tmp_path / "long.npz")
    calls = []
    monkeypatch.setattr(animate.cli, "render", lambda recording, out, **options: calls.append(options) or [out])
    result = runner.invoke(cli, ["render", str(path), "--frames", "change", "--step-scale", "log", "--quiet"])
    assert result.exit_code == 0, result.output
    assert calls[0]["frames"] == "change" and calls[0]["step_scale"] == "log"
    refused = runner.invoke(cli, ["render", str(path), "--frames", "even"])
    assert refused.exit_code == 2 and "'linear', 'log', 'change'" in refused.output


def test_run_keeps_its_own_frames_option_the_record_schedule(runner):
    from animate.cli import cli

    for command in ("run", "all"):
        text = runner.invoke(cli, [command, "--help"], terminal_width=200).output
        assert "[linear|log|change]" not in text and "--step-scale" in text
    assert "--frames [linear|log]" in runner.invoke(cli, ["run", "--help"], terminal_width=200).output
    assert "[linear|log|change]" in runner.invoke(cli, ["render", "--help"], terminal_width=200).output


def test_a_long_run_renders_its_learning_in_the_first_seconds(runner, tmp_path):
    from animate.cli import cli

    path = long_run(runs=2).save(tmp_path / "long.npz")
    result = runner.invoke(cli, ["render", str(path), "--format", "gif", "--step-scale", "log", "--quiet"])
    assert result.exit_code == 0, result.output
    moved = []  # per GIF frame, how many pixels of the prediction panels (the top half) changed
    with Image.open(tmp_path / "long.gif") as gif:
        before = None
        for index in range(gif.n_frames):
            gif.seek(index)
            top = np.asarray(gif.convert("RGB"))[:240]
            if before is not None:
                moved.append(int(np.count_nonzero((top != before).any(axis=-1))))
            before = top
    # Spaced evenly, the curves would have learned by the second frame and then stood still for ten seconds.
    assert sum(pixels > 0 for pixels in moved) > len(moved) / 2, moved
    assert moved[0] > 1000  # from the very first frame


def test_step_scale_log_draws_a_symlog_step_axis_with_step_0_on_it(long):
    figure = AnimatedFigure(long, RenderOptions(step_scale="log"))
    [loss] = [panel for panel in figure.panels if isinstance(panel, CurvePanel)]
    assert loss.ax.get_xscale() == "symlog" and loss.ax.xaxis.get_transform().linthresh == 1
    assert loss.ax.get_xlim()[0] == 0
    # Step 150 of 20,000 is halfway along a log axis, where a linear one puts it at the left edge.
    left, right = loss.ax.transData.transform([[0, 1], [STEPS, 1]])[:, 0]
    assert 0.4 < (loss.ax.transData.transform([[LEARNED_BY, 1]])[0, 0] - left) / (right - left) < 0.7
    plain = AnimatedFigure(synthetic_recording(), RenderOptions(step_scale="linear"))
    assert all(panel.ax.get_xscale() == "linear" for panel in plain.panels if isinstance(panel, CurvePanel))


def test_a_long_curve_is_drawn_as_its_envelope(monkeypatch):
    drawn: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    draw = Line2D.draw

    def noting(line, renderer):
        drawn[id(line)] = tuple(np.asarray(data, dtype=float) for data in line.get_data())
        draw(line, renderer)

    monkeypatch.setattr(Line2D, "draw", noting)
    figure = AnimatedFigure(long_run(runs=1, jitter=0.05))
    [loss] = [panel for panel in figure.panels if isinstance(panel, CurvePanel)]
    steps, values = loss.recording.steps, loss.values[0]
    figure.frame(len(steps) - 1)
    columns = loss.ax.bbox.width
    x, y = drawn[id(loss.so_far[0])]
    assert len(x) <= 2 * columns + 4  # two points a pixel column and the ends, not 20,001
    faint = [line for line in loss.ax.lines if line.get_alpha() == 0.25]
    assert faint and len(drawn[id(faint[0])][0]) <= 2 * columns + 4
    # Drawn or not, the line reaches each column's lowest and highest value: the jitter's true extent.
    assert y.min() == values.min() and y.max() == values.max()
    pixel = np.floor(loss.ax.transData.transform(np.column_stack([steps, values]))[:, 0])
    drawn_pixel = np.floor(loss.ax.transData.transform(np.column_stack([x, y]))[:, 0])
    for column in np.unique(pixel)[::25]:
        assert y[drawn_pixel == column].max() == values[pixel == column].max()
        assert y[drawn_pixel == column].min() == values[pixel == column].min()
    assert x[0] == steps[0] and x[-1] == steps[-1]
    # The line keeps every point as data, and the marker sits at the current value exactly.
    assert len(loss.so_far[0].get_xdata()) == len(steps)
    figure.frame(1234)
    assert loss.markers[0].get_ydata()[0] == values[1234]
    x, y = drawn[id(loss.so_far[0])]
    assert x[-1] == steps[1234] and y[-1] == values[1234]  # the line ends at the marker


def test_a_short_curve_is_drawn_point_for_point(recording, monkeypatch):
    drawn: dict[int, int] = {}
    draw = Line2D.draw

    def noting(line, renderer):
        drawn[id(line)] = len(line.get_xdata())
        draw(line, renderer)

    monkeypatch.setattr(Line2D, "draw", noting)
    figure = AnimatedFigure(recording)
    [loss] = [panel for panel in figure.panels if isinstance(panel, CurvePanel)]
    figure.frame(len(recording.steps) - 1)
    assert drawn[id(loss.so_far[0])] == len(recording.steps)


@pytest.mark.filterwarnings("ignore:Animation was deleted without rendering")  # checked, not played
def test_the_animation_shows_the_same_frames_as_render():
    recording = long_run(steps=4000)
    anim = recording.animation(fps=10, duration=2, hold=0, width=480, height=320)
    expected = video_frames(recording, RenderOptions(fps=10, duration=2, hold=0))
    assert list(anim.new_frame_seq()) == [int(i) for i in expected]
    assert early_share(recording, expected) > 0.5  # 4,001 frames for a 20-frame video: spaced by change
    logged = recording.animation(frames="log", fps=10, duration=2, hold=0, width=480, height=320)
    assert list(logged.new_frame_seq()) == [int(i) for i in video_frames(recording, RenderOptions(
        frames="log", fps=10, duration=2, hold=0))]
    del anim, logged
    gc.collect()  # matplotlib warns when an animation never played is collected: here, under this test's filter
