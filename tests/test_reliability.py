"""Reliability as a user meets it: interrupts, divergence, damaged files, and nothing half-written."""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from animate import Recording, RecordingError, render
from tests.conftest import synthetic_recording


def start_cli(*args, cwd):
    return subprocess.Popen([sys.executable, "-m", "animate", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".nn-animate-") or p.suffix == ".tmp")


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130),
                                           pytest.param(signal.SIGTERM, 130, marks=pytest.mark.slow)])
def test_signal_during_rendering_leaves_old_files_and_no_temporaries(tmp_path, signum, code):
    long = synthetic_recording(frames=3000, runs=2)
    recording = long.save(tmp_path / "long.npz")
    (tmp_path / "long.gif").write_bytes(b"the animation from yesterday")
    process = start_cli("render", str(recording), "--duration", "150", "--format", "gif,mp4", cwd=tmp_path)
    # Wait until the encoders have begun writing their temporary files, then interrupt.
    assert wait_for(lambda: any(p.name.startswith(".nn-animate-") and p.stat().st_size > 0
                                for p in tmp_path.iterdir())), "rendering never started"
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == code
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert (tmp_path / "long.gif").read_bytes() == b"the animation from yesterday"
    assert not (tmp_path / "long.mp4").exists()
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("delay", [0.3, 1.5])
@pytest.mark.trains
def test_an_interrupt_while_starting_gives_one_line(tmp_path, delay):
    """While importing matplotlib or TensorFlow, an interrupt must not surface as a traceback, nor be
    swallowed by a half-imported library so that the run goes on."""
    command = Path(sys.executable).with_name("nn-animate")
    process = subprocess.Popen([command, "run", "dying_relu", "--out", str(tmp_path / "out"), "--quiet"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert stderr.strip().splitlines() == ["nn-animate: interrupted; no partial output was left behind"], stderr
    out = tmp_path / "out"
    assert not out.exists() or leftovers(out) == []


@pytest.mark.slow
@pytest.mark.trains
def test_signal_during_training_writes_nothing(tmp_path):
    process = start_cli("run", "dying_relu", "--out", str(tmp_path / "out"), "--set", "steps=200000", cwd=tmp_path)
    time.sleep(6)  # TensorFlow is imported and training is under way
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "interrupted" in stderr and "Traceback" not in stderr
    out = tmp_path / "out"
    assert not out.exists() or list(out.iterdir()) == []


@pytest.mark.trains
def test_failed_render_keeps_the_recording(tmp_path, monkeypatch):
    """A run whose rendering fails must keep its .npz, so no training is lost."""
    import animate.cli as cli
    import animate.train as train_module

    monkeypatch.setattr(train_module, "train", lambda scenario, params, progress, **options: synthetic_recording())

    def broken_render(*args, **kwargs):
        raise cli.AnimateError("ffmpeg could not write 'x.mp4': disk full")

    monkeypatch.setattr(cli, "render", broken_render)
    with pytest.raises(SystemExit) as exit_:
        cli.main(["run", "dying_relu", "--out", str(tmp_path), "--quiet"])
    assert exit_.value.code == 1
    assert Recording.load(tmp_path / "dying_relu.npz").lesson == "synthetic"


def test_diverged_run_renders_with_sane_axes_and_a_marker(tmp_path):
    recording = synthetic_recording(frames=40)
    loss = recording.loss.copy()
    predictions = recording.predictions.copy()
    predictions[1, 10] = 1e12  # the run blows up ...
    predictions[1, 11:] = np.nan  # ... then is NaN
    loss[1, 10], loss[1, 11:] = 1e30, np.inf
    from dataclasses import replace

    diverged = replace(recording, loss=loss, predictions=predictions)
    assert diverged.divergence_frames() == {1: 11}
    from animate.render.figure import AnimatedFigure

    figure = AnimatedFigure(diverged)
    prediction_axes = figure.figure.axes[0]
    low, high = prediction_axes.get_ylim()
    assert -5 < low and high < 5, "a diverging run must not squash the others"
    marker = figure.panels[-2].divergence_texts[1] if hasattr(figure.panels[-2], "divergence_texts") else None
    loss_panel = next(panel for panel in figure.panels if hasattr(panel, "divergence_texts"))
    text = loss_panel.divergence_texts[1]
    assert "diverged at step 110" in text.get_text()
    figure.frame(5)
    assert not text.get_visible()
    figure.frame(20)
    assert text.get_visible()
    [path] = render(diverged, tmp_path / "diverged.gif")
    assert path.stat().st_size > 0


def test_a_loss_never_measured_is_not_a_divergence(tmp_path):
    from dataclasses import replace

    from animate.render.figure import AnimatedFigure

    recording = synthetic_recording(frames=20)
    loss = recording.loss.copy()
    loss[0] = np.nan  # run 0 recorded without a training set; run 1 with one, until it diverges
    loss[1, 15:] = np.nan
    partly = replace(recording, loss=loss)
    assert partly.loss_unknown_runs() == [0] and partly.divergence_frames() == {1: 15}
    loss[1] = np.nan
    unmeasured = replace(recording, loss=loss)
    assert unmeasured.divergence_frames() == {}
    figure = AnimatedFigure(unmeasured)
    [loss_panel] = [panel for panel in figure.panels if hasattr(panel, "divergence_texts")]
    assert not loss_panel.divergence_texts
    notes = [text.get_text() for text in loss_panel.cursor.axes.texts]
    assert any(note.startswith("loss not measured") for note in notes), notes
    [path] = render(unmeasured, tmp_path / "unmeasured.png")
    assert path.stat().st_size > 0


@pytest.mark.slow
@pytest.mark.trains
def test_cli_warns_in_one_line_when_a_run_diverges(tmp_path):
    result = subprocess.run([sys.executable, "-m", "animate", "run", "activations", "--set", "lr=0.5",
                             "--set", "steps=60", "--out", str(tmp_path), "--format", "png", "--quiet"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "diverged" in line]
    assert warnings and all(line.startswith("nn-animate: warning: run '") for line in warnings)
    recording = Recording.load(tmp_path / "activations.npz")
    assert not np.all(np.isfinite(recording.loss))  # recorded as such, not dropped


@pytest.mark.parametrize("args, message, code", [
    # One process each (~1 s): the cases marked slow are left to `make test`.
    pytest.param(["run", "dying_relu", "--every", "-3"], "--every", 2, marks=pytest.mark.slow),
    pytest.param(["run", "dying_relu", "--seed", "-1"], "--seed", 2, marks=pytest.mark.slow),
    (["run", "dying_relu", "--set", "steps=0"], "parameter 'steps' must be at least 1", 1),
    pytest.param(["run", "dying_relu", "--set", "lr=-1"], "parameter 'lr' must be positive", 1, marks=pytest.mark.slow),
    (["render", "r.npz", "--out", "x.avi"], "unknown format 'avi'; choose from: gif, mp4, png, webm, html", 1),
    (["render", "keys.npz"], "lacks required keys: loss, meta", 1),
    pytest.param(["render", "shapes.npz"], "'loss' has shape (1, 2); expected (1 runs, 3 frames)", 1,
                 marks=pytest.mark.slow),
])
def test_more_bad_input(tmp_path, recording, args, message, code):
    recording.save(tmp_path / "r.npz")
    np.savez(tmp_path / "keys.npz", runs=np.array(["a"]), steps=np.arange(3), grid=np.zeros((4, 1)),
             predictions=np.zeros((1, 3, 4, 1)))
    np.savez(tmp_path / "shapes.npz", runs=np.array(["a"]), steps=np.arange(3), grid=np.zeros((4, 1)),
             predictions=np.zeros((1, 3, 4, 1)), loss=np.ones((1, 2)), meta=json.dumps({}))
    before = sorted(p.name for p in tmp_path.iterdir())
    result = subprocess.run([sys.executable, "-m", "animate", *args], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == code, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before


# -- the loader never fails with anything but RecordingError, whatever the bytes --------------
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000))
def test_random_bytes_are_refused_cleanly(tmp_path, data):
    path = tmp_path / "random.npz"
    path.write_bytes(data)
    with pytest.raises(RecordingError):
        Recording.load(path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0, max_value=10**6), flip=st.integers(min_value=0, max_value=10**6))
def test_damaged_recordings_are_refused_cleanly_or_load(tmp_path, cut, flip):
    good = synthetic_recording(frames=5, grid_points=8).save(tmp_path / "good.npz").read_bytes()
    damaged = bytearray(good[: max(1, cut % len(good))] if cut % 3 else good)
    damaged[flip % len(damaged)] ^= 0xFF
    path = tmp_path / "damaged.npz"
    path.write_bytes(bytes(damaged))
    try:
        Recording.load(path)
    except RecordingError:
        pass


def test_a_damaged_zip_version_is_refused_cleanly(tmp_path):
    """Found by the test above: a flipped byte in the central directory asks for zip version 23.5."""
    damaged = bytearray(synthetic_recording(frames=5, grid_points=8).save(tmp_path / "good.npz").read_bytes())
    entry = damaged.index(b"PK\x01\x02")  # the first central directory entry
    damaged[entry + 6] = 235  # "version needed to extract"
    path = tmp_path / "damaged.npz"
    path.write_bytes(bytes(damaged))
    with pytest.raises(RecordingError, match="damaged.*zip file version"):
        Recording.load(path)


@pytest.mark.slow  # 25 posters, ~5 s
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(frames=st.integers(1, 6), runs=st.integers(1, 3), grid_points=st.integers(2, 9),
       outputs=st.integers(1, 2), values=st.floats(allow_nan=True, allow_infinity=True, width=32))
def test_any_valid_recording_renders_a_poster(tmp_path, frames, runs, grid_points, outputs, values):
    recording = Recording(
        runs=[f"r{i}" for i in range(runs)], steps=np.arange(frames), grid=np.linspace(0, 1, grid_points)[:, None],
        predictions=np.full((runs, frames, grid_points, outputs), values), loss=np.full((runs, frames), values),
        meta={},
    )
    [path] = render(recording, tmp_path / "poster.png")
    assert path.stat().st_size > 0
