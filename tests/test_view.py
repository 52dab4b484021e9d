"""A lesson's render hints: an unknown key or a value of the wrong type is refused in one line that
lists the valid keys, in a lesson file and in a hand-edited recording; every lesson's own view passes."""
from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import numpy as np
import pytest

import scenarios
from animate import Recording, RecordingError, ScenarioError
from animate.view import View
from tests.conftest import synthetic_recording
from tests.test_user_scenario import readme_example


@pytest.mark.parametrize("lesson", scenarios.names())
def test_every_lessons_view_uses_known_keys_of_the_right_types(lesson):
    view = scenarios.get(lesson).view
    assert View.checked(view, lesson, ScenarioError) == dict(view)


@pytest.mark.parametrize("view, message", [
    ({"xlable": "x"}, "unknown view key 'xlable'; valid keys: layout, picture, "),
    ({"shade": [1]}, "view 'shade' must be [low, high], got [1]"),
    ({"layout": "grid"}, "view 'layout' must be side_by_side or overlay, got 'grid'"),
    ({"run_notes": {"a": 3}}, "view 'run_notes' must be a mapping of run name to a text"),
    ({"count_rises": "yes"}, "view 'count_rises' must be true or false"),
])
def test_a_bad_view_is_refused_in_one_line(view, message):
    with pytest.raises(ScenarioError) as caught:
        View.checked(view, "lesson 'mine'", ScenarioError)
    assert str(caught.value).startswith("lesson 'mine': " + message) and "\n" not in str(caught.value)


def test_a_lesson_file_with_a_misspelt_view_key_is_one_line_before_training(tmp_path):
    lesson = tmp_path / "my_lesson.py"
    source = readme_example()
    assert "view={" in source
    lesson.write_text(source.replace("view={", "view={'xlable': 'x', ", 1))
    result = subprocess.run([sys.executable, "-m", "animate", "run", str(lesson), "--out", str(tmp_path / "out"),
                             "--quiet"], capture_output=True, text=True)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "unknown view key 'xlable'" in lines[0] and "valid keys:" in lines[0], result.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_hand_edited_recording_with_a_bad_view_is_refused_in_one_line(tmp_path):
    path = tmp_path / "r.npz"
    synthetic_recording().save(path)
    with np.load(path, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}
    meta = json.loads(str(arrays["meta"]))
    meta["view"] = {"layuot": "overlay"}
    arrays["meta"] = np.array(json.dumps(meta))
    edited = tmp_path / "edited.npz"
    np.savez(edited, **arrays)
    assert zipfile.is_zipfile(edited)
    with pytest.raises(RecordingError, match="unknown view key 'layuot'; valid keys: "):
        Recording.load(edited)
    result = subprocess.run([sys.executable, "-m", "animate", "render", str(edited), "--out", str(tmp_path / "x.png")],
                            capture_output=True, text=True)
    assert result.returncode != 0 and len(result.stderr.strip().splitlines()) == 1
    assert "layuot" in result.stderr and not (tmp_path / "x.png").exists()
