"""The GIF options on the command line: a byte budget met and reported, or refused in one line."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PIL import Image

from tests.conftest import synthetic_recording


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "animate", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})


def test_budget_met_is_reported_in_one_line(tmp_path):
    synthetic_recording(frames=60).save(tmp_path / "r.npz")
    result = run_cli("render", "r.npz", "--out", "r.gif", "--duration", "3", "--gif-max-bytes", "1MB", "-q",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("nn-animate: GIF fitted to 1 MB: 12.5 fps, 64 colours, ")
    assert (tmp_path / "r.gif").stat().st_size <= 10**6


@pytest.mark.slow  # ~3.5 s
def test_budget_that_cannot_be_met_fails_in_one_line_and_writes_nothing(tmp_path):
    synthetic_recording().save(tmp_path / "r.npz")
    result = run_cli("render", "r.npz", "--format", "gif,mp4,png", "--gif-max-bytes", "2kB", cwd=tmp_path)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("nn-animate: error: GIF cannot fit in 2 kB")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["r.npz"]


@pytest.mark.parametrize("args, message", [
    (["--gif-max-bytes", "lots"], "'lots' is not a size"),
    pytest.param(["--gif-fps", "0"], "--gif-fps", marks=pytest.mark.slow),  # one more usage error: `make test` only
    pytest.param(["--gif-colours", "300"], "--gif-colours", marks=pytest.mark.slow),
])
def test_bad_gif_options_are_usage_errors(tmp_path, args, message):
    synthetic_recording().save(tmp_path / "r.npz")
    result = run_cli("render", "r.npz", *args, cwd=tmp_path)
    assert result.returncode == 2 and message in result.stderr


def test_gif_fps_and_colours_reach_the_file(tmp_path):
    synthetic_recording().save(tmp_path / "r.npz")
    result = run_cli("render", "r.npz", "--out", "r.gif", "--gif-fps", "10", "--gif-colours", "16", "-q",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with Image.open(tmp_path / "r.gif") as gif:
        assert gif.info["duration"] == 100
        colours = set()
        for index in range(gif.n_frames):
            gif.seek(index)
            colours.update(gif.convert("RGB").getdata())
    assert 2 < len(colours) <= 16


def test_run_and_all_take_the_gif_budget(runner, monkeypatch):
    import animate.cli
    import scenarios

    calls = []
    monkeypatch.setattr(animate.cli, "_run_lesson", lambda name, out, overrides, **options: calls.append(options))
    result = runner.invoke(animate.cli.cli, ["run", "dying_relu", "--gif-max-bytes", "1MB", "--gif-fps", "10"])
    assert result.exit_code == 0, result.output
    assert calls[0]["gif_max_bytes"] == 10**6 and calls[0]["gif_fps"] == 10
    calls.clear()
    assert runner.invoke(animate.cli.cli, ["all", "--gif-max-bytes", "800kB"]).exit_code == 0
    assert len(calls) == len(scenarios.names()) and all(call["gif_max_bytes"] == 800_000 for call in calls)
