"""`nn-animate render a.npz b.npz`: several recordings of one grid as the runs of one animation."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PIL import Image

from animate import Recording
from tests.conftest import synthetic_recording
from tests.test_cli import classifier_recording, run_cli


def _two_recordings(tmp_path):
    """One recording every 10 steps up to 90, one every 25 steps up to 200: different schedules."""
    short = synthetic_recording(frames=10, runs=1)
    long = dataclasses.replace(synthetic_recording(frames=9, runs=1), steps=np.arange(9) * 25)
    return short.save(tmp_path / "a.npz"), long.save(tmp_path / "b.npz")


def test_two_recordings_with_different_steps_make_one_animation(tmp_path):
    _two_recordings(tmp_path)
    result = run_cli("render", "a.npz", "b.npz", "--format", "gif,png", "--fps", "10", "--duration", "1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert {p.name for p in tmp_path.iterdir()} == {"a.npz", "b.npz", "a+b.gif", "a+b.png"}
    assert "a+b.gif" in result.stderr  # says what it wrote
    with Image.open(tmp_path / "a+b.gif") as gif:
        assert gif.n_frames > 5 and gif.size == (720, 480)
    with Image.open(tmp_path / "a+b.png") as png:
        assert png.size == (720, 480)


def test_several_recordings_to_one_named_file(tmp_path):
    a, b = _two_recordings(tmp_path)
    out = tmp_path / "sub" / "both.gif"
    result = run_cli("render", str(a), str(b), str(a), "--out", str(out), "--duration", "1", "--quiet")
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 1000 and result.stderr == ""
    assert {p.name for p in out.parent.iterdir()} == {"both.gif"}


def test_two_classifier_recordings_side_by_side(tmp_path):
    first = classifier_recording()
    second = dataclasses.replace(first, steps=first.steps * 3, runs=("wider net",))
    first.save(tmp_path / "small.npz")
    second.save(tmp_path / "wide.npz")
    result = run_cli("render", "small.npz", "wide.npz", "--format", "png", "--quiet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "small+wide.png").stat().st_size > 1000


def test_different_grids_are_refused_in_one_line(tmp_path):
    synthetic_recording(runs=1).save(tmp_path / "a.npz")
    synthetic_recording(runs=1, grid_points=40).save(tmp_path / "b.npz")
    result = run_cli("render", "a.npz", "b.npz", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "nn-animate: error: recordings 'a.npz' and 'b.npz' have different grids (50×1 vs 40×1); "
        "record them on the same grid to show them side by side"]
    assert {p.name for p in tmp_path.iterdir()} == {"a.npz", "b.npz"}  # nothing written


def test_a_missing_recording_is_named_in_one_line(tmp_path):
    _two_recordings(tmp_path)
    result = run_cli("render", "a.npz", "nope.npz", "b.npz", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == ["nn-animate: error: recording 'nope.npz' does not exist"]
    assert {p.name for p in tmp_path.iterdir()} == {"a.npz", "b.npz"}


def test_render_needs_a_recording(tmp_path):
    result = run_cli("render", cwd=tmp_path)
    assert result.returncode == 2 and "Missing argument 'RECORDING...'" in result.stderr
    assert "Traceback" not in result.stderr


def test_combined_runs_are_named_after_their_files(tmp_path):
    """What the CLI renders: same-named runs take their file's stem (checked through the same API call)."""
    a, b = _two_recordings(tmp_path)
    both = Recording.combine([Recording.load(a), Recording.load(b)], align="step", sources=["a.npz", "b.npz"])
    assert both.runs == ("a", "b") and both.lesson == "a + b"


def test_more_runs_than_colours_are_refused_in_one_line(tmp_path):
    names = []
    for index in range(5):  # 5 recordings of 2 runs: 10 runs, and the palette has 8 colours
        synthetic_recording(runs=2).save(tmp_path / f"r{index}.npz")
        names.append(f"r{index}.npz")
    result = run_cli("render", *names, "--format", "png", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "nn-animate: error: the recording has 10 runs; one animation shows at most 8 runs (one colour each): "
        "render fewer recordings together, or split the runs (Recording.run_recording)"]
    assert {p.name for p in tmp_path.iterdir()} == set(names)


@pytest.mark.slow  # two processes, ~2 s
def test_out_as_a_folder_and_out_as_a_file(tmp_path):
    a, b = _two_recordings(tmp_path)
    result = run_cli("render", str(a), "--out", str(tmp_path / "clips") + "/", "--format", "png", "--quiet")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (tmp_path / "clips").iterdir()] == ["a.png"]  # the default name, in the folder
    result = run_cli("render", str(a), "--out", str(tmp_path / "one.png"), "--format", "gif")
    assert result.returncode == 2 and "--out " in result.stderr and "names one file" in result.stderr
    assert not (tmp_path / "one.png").exists() and not (tmp_path / "one.gif").exists()
