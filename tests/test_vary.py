"""--vary NAME=V1,V2: one lesson trained once per value, in one animation."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import scenarios
from animate import Recording
from animate.errors import ScenarioError
from animate.render.figure import AnimatedFigure, FigureOptions
from animate.render.panels import PredictionPanel
from animate.vary import MAX_RUNS, plan, varied_view
from tests.conftest import synthetic_recording


def run_cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "animate", *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize("lesson, vary, message", [
    ("dying_relu", "wobble=1,2", "unknown parameter 'wobble' for lesson 'dying_relu'; known:"),
    ("dying_relu", "lr=0.1", "--vary lr needs at least two values to compare"),
    # One process each (~1 s): these four more are left to `make test`.
    pytest.param("dying_relu", "lr=0.1,fast", "parameter 'lr' must be a finite number, got 'fast'",
                 marks=pytest.mark.slow),
    pytest.param("dying_relu", "lr=0.1,0.10", "values repeat (0.1, 0.1)", marks=pytest.mark.slow),
    pytest.param("dying_relu", "lr", "--vary 'lr' is not NAME=V1,V2,...", marks=pytest.mark.slow),
    ("local_optimum", "seed=0,1,2", "3 values × 4 runs of 'local_optimum' = 12 runs; one animation shows at most 8 "
                                    "runs (one colour each): give at most 2 values"),
    pytest.param("classifier", "lr=0.1,0.2,0.3,0.4,0.5", "at most 4 maps (one per run): give at most 4 values",
                 marks=pytest.mark.slow),
])
def test_a_bad_vary_gets_one_line_and_writes_nothing(lesson, vary, message, tmp_path):
    result = run_cli("run", lesson, "--vary", vary, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not any(tmp_path.iterdir())


def test_values_are_typed_like_set_and_runs_are_counted():
    scenario = scenarios.get("dying_relu")
    varied = plan(scenario, {"steps": 30}, {"lr": ["0.003", 0.03, 1]})
    assert varied.values == (0.003, 0.03, 1.0) and varied.labels == ("lr=0.003", "lr=0.03", "lr=1")
    assert [params["lr"] for params in varied.params] == [0.003, 0.03, 1.0]
    assert all(params["steps"] == 30 for params in varied.params)
    assert varied.run_names == ("live neuron", "dead neuron") and varied.stem_suffix == "-vary-lr"
    assert len(varied.run_names) * 4 == MAX_RUNS
    plan(scenario, None, {"lr": [0.1, 0.2, 0.3, 0.4]})  # 8 runs: allowed
    with pytest.raises(ScenarioError, match="= 10 runs"):
        plan(scenario, None, {"lr": [0.1, 0.2, 0.3, 0.4, 0.5]})
    with pytest.raises(ScenarioError, match="one parameter at a time"):
        plan(scenario, None, {"lr": [0.1, 0.2], "seed": [1, 2]})


def test_one_prediction_panel_per_value_and_one_colour_per_run():
    recording = synthetic_recording(runs=6)
    varied = plan(scenarios.get("dying_relu"), None, {"lr": [0.003, 0.03, 0.3]})
    names = tuple(f"{run} · {label}" for label in varied.labels for run in varied.run_names)
    view = varied_view({"caption": "seed {seed} only", "run_notes": {"live neuron": "a note"}}, varied, 2)
    assert "caption" not in view and "run_notes" not in view  # words true of the lesson's own setting only
    recording = Recording(**{**{key: getattr(recording, key) for key in ("steps", "grid", "predictions", "loss",
                                                                        "weights", "x_train", "y_train", "target")},
                             "runs": names, "meta": {"lesson": "dying_relu", "view": view}})
    figure = AnimatedFigure(recording, FigureOptions())
    predictions = [panel for panel in figure.panels if isinstance(panel, PredictionPanel)]
    assert [panel.runs for panel in predictions] == [[0, 1], [2, 3], [4, 5]]
    assert [panel.lines[0].axes.get_title() for panel in predictions] == ["lr=0.003", "lr=0.03", "lr=0.3"]
    colours = [line.get_color() for panel in predictions for line in panel.lines]
    assert len(set(colours)) == 6  # every run its own colour, as in the loss panel
    legends = [[text.get_text() for text in panel.lines[0].axes.get_legend().get_texts()] for panel in predictions]
    assert legends == [["live neuron", "dead neuron"]] * 3
    assert figure.frame(len(figure) - 1).shape == (480, 720, 4)
    many = varied_view({}, plan(scenarios.get("dying_relu"), {"start": "random"}, {"seed": [0, 1, 2, 3, 4]}), 1)
    assert many["layout"] == "overlay" and "run_groups" not in many  # beyond four values: one panel


@pytest.mark.slow
@pytest.mark.trains
def test_vary_trains_each_value_as_the_lesson_would(tmp_path):
    result = run_cli("run", "dying_relu", "--vary", "lr=0.01,0.3", "--set", "steps=60", "--every", "20",
                     "--format", "png", "--out", str(tmp_path), "--quiet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert {path.name for path in tmp_path.iterdir()} == {"dying_relu-vary-lr.npz", "dying_relu-vary-lr.png"}
    recording = Recording.load(tmp_path / "dying_relu-vary-lr.npz")
    assert recording.runs == ("live neuron · lr=0.01", "dead neuron · lr=0.01", "live neuron · lr=0.3",
                              "dead neuron · lr=0.3")
    assert [run["varied"] for run in recording.meta["runs"]] == [{"lr": 0.01}] * 2 + [{"lr": 0.3}] * 2
    assert recording.meta["vary"] == {"name": "lr", "values": [0.01, 0.3]}
    assert recording.landscape is not None  # one loss surface under every (w, b) path

    from animate.train import train

    plain = train(scenarios.get("dying_relu"), {"steps": 60, "every": 20, "lr": 0.3})
    np.testing.assert_array_equal(recording.predictions[2:], plain.predictions)
    np.testing.assert_array_equal(recording.loss[2:], plain.loss)
    assert not np.array_equal(recording.loss[0], recording.loss[2])  # the values made a difference
