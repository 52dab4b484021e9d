"""A lesson of the user's own, run from a file, exactly as the README shows it."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from animate import Recording

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_example() -> str:
    section = README.read_text().split("## Your own lesson", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_readme_example_is_short():
    assert len(readme_example().strip().splitlines()) < 30


@pytest.mark.slow
@pytest.mark.trains
def test_run_a_scenario_file(tmp_path):
    lesson = tmp_path / "my_lesson.py"
    lesson.write_text(readme_example())
    result = subprocess.run([sys.executable, "-m", "animate", "run", str(lesson), "--out", str(tmp_path / "out"),
                             "--set", "steps=100", "--frames", "log", "--format", "png", "--quiet"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    recording = Recording.load(tmp_path / "out" / "absolute.npz")
    assert recording.lesson == "absolute" and recording.steps[-1] == 100
    assert recording.meta["params"]["frames"] == "log"
    gaps = list(recording.steps[1:] - recording.steps[:-1])
    assert gaps[0] < gaps[-1]  # log spacing: dense early, sparse late
    assert (tmp_path / "out" / "absolute.png").exists()


BROKEN_LESSON = '''
import numpy as np
from animate.scenario import Data, Run, Scenario

def make_data(params):
    x = np.linspace(-1, 1, 20)[:, None]
    return {data}

def make_runs(params, data):
    {runs}

SCENARIO = Scenario("broken", "A broken lesson.", {{"seed": 0, "lr": 0.1, "every": 5, "steps": 10}},
                    make_data, make_runs)
'''
GOOD_DATA = "Data(x=x, y=x, grid=x)"


@pytest.mark.parametrize("content, message", [
    (None, "does not exist"),
    ("raise RuntimeError('boom')", "failed to import: RuntimeError: boom"),
    ("x = 1", "does not define SCENARIO"),
    (BROKEN_LESSON.format(data=GOOD_DATA, runs="raise RuntimeError('no runs today')"),
     "lesson 'broken' failed while training: RuntimeError: no runs today"),
    (BROKEN_LESSON.format(data="(x, x, x)", runs="return []"), "make_data must return a Data(x, y, grid), got tuple"),
    (BROKEN_LESSON.format(data=GOOD_DATA, runs="return [Run('net', lambda: None, 4, 10)]"),
     "run 'net': build() must return a compiled Keras model, got NoneType"),
    ("raise SystemExit(3)", "failed to import: SystemExit: 3"),
])
@pytest.mark.trains
def test_broken_scenario_files_get_one_line(tmp_path, content, message):
    lesson = tmp_path / "bad.py"
    if content is not None:
        lesson.write_text(content)
    result = subprocess.run([sys.executable, "-m", "animate", "run", str(lesson), "--out", str(tmp_path / "o")],
                            capture_output=True, text=True)
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_a_lesson_file_must_be_python(tmp_path):
    (tmp_path / "my_lesson.txt").write_text(readme_example())
    result = subprocess.run([sys.executable, "-m", "animate", "run", "my_lesson.txt"], capture_output=True, text=True,
                            cwd=tmp_path)
    assert result.returncode == 1
    assert "'my_lesson.txt' is a file but not a .py one" in result.stderr, result.stderr
