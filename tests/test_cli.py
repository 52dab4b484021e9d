"""The CLI as a user runs it: each mistake gets one clear line and a non-zero exit, never a traceback."""
from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from animate import Recording




def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "animate", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})


def test_list_names_every_lesson_with_its_message():
    result = run_cli("list")
    assert result.returncode == 0
    assert "dying_relu" in result.stdout and "never learns" in result.stdout


@pytest.mark.parametrize("args, message, code", [
    (["run", "dyingrelu"], "unknown lesson 'dyingrelu'; choose from: activations, batch_jitter, classifier, dying_relu", 1),
    (["run", "dying_relu", "--every", "0"], "--every", 2),
    (["run", "dying_relu", "--fps", "-5"], "--fps", 2),
    (["run", "dying_relu", "--fps", "0"], "--fps", 2),
    (["run", "dying_relu", "--format", "gif,avi"], "unknown format 'avi'; choose from: gif, mp4, png, webm, html", 2),
    (["run", "dying_relu", "--set", "wobble=3"], "unknown parameter 'wobble' for lesson 'dying_relu'; known:", 1),
    (["run", "dying_relu", "--set", "lr=fast"], "parameter 'lr' must be a finite number, got 'fast'", 1),
    (["run", "dying_relu", "--set", "steps"], "is not NAME=VALUE", 2),
    (["render", "missing.npz"], "does not exist", 1),
])
def test_bad_input_gets_one_line_and_nonzero_exit(args, message, code, tmp_path):
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not any(tmp_path.iterdir()), "a refused command must not write anything"


def test_corrupt_and_truncated_recordings_are_refused(tmp_path, recording):
    (tmp_path / "text.npz").write_text("not a recording")
    good = recording.save(tmp_path / "good.npz").read_bytes()
    (tmp_path / "half.npz").write_bytes(good[: len(good) // 3])
    for name in ("text.npz", "half.npz"):
        result = run_cli("render", name, cwd=tmp_path)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert name in result.stderr


def test_unwritable_output_folder(tmp_path, recording):
    path = recording.save(tmp_path / "r.npz")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_cli("render", str(path), "--out", str(blocker / "sub" / "x.gif"))
    assert result.returncode == 1 and "cannot create output folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_render_rerenders_a_recording_without_tensorflow(tmp_path, recording):
    path = recording.save(tmp_path / "r.npz")
    result = run_cli("render", str(path), "--out", str(tmp_path / "x.mp4"), "--quiet")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "x.mp4").stat().st_size > 1000
    result = run_cli("render", str(path), "--format", "png,gif", "--quiet")
    assert result.returncode == 0, result.stderr
    assert {p.name for p in tmp_path.iterdir()} == {"r.npz", "x.mp4", "r.png", "r.gif"}


@pytest.mark.slow
def test_run_writes_recording_and_all_formats(tmp_path):
    result = run_cli("run", "dying_relu", "--out", str(tmp_path), "--set", "steps=300", "--every", "20", "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # --quiet: nothing on stderr, not even TensorFlow's start-up chatter
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {"dying_relu.npz", "dying_relu.gif", "dying_relu.mp4", "dying_relu.png"}
    recording = Recording.load(tmp_path / "dying_relu.npz")
    np.testing.assert_array_equal(recording.steps, np.arange(0, 301, 20))
    assert recording.meta["params"]["steps"] == 300
    with Image.open(tmp_path / "dying_relu.gif") as gif:
        assert gif.n_frames > 10 and gif.info["loop"] == 0
