from __future__ import annotations

import numpy as np
import pytest

from animate.errors import ScenarioError
from animate.scenario import parse_value
from animate.schedule import frame_steps


def test_linear_schedule_includes_first_and_last_step():
    np.testing.assert_array_equal(frame_steps(100, 30), [0, 30, 60, 90, 100])
    np.testing.assert_array_equal(frame_steps(90, 30), [0, 30, 60, 90])


def test_log_schedule_is_denser_early_and_ends_on_the_last_step():
    steps = frame_steps(20_000, 100, "log")
    assert steps[0] == 0 and steps[-1] == 20_000
    assert np.all(np.diff(steps) > 0)
    assert np.sum(steps < 2_000) > np.sum(steps > 18_000)


@pytest.mark.parametrize("text, default, expected", [
    ("0.5", 0.1, 0.5), ("3", 0.1, 3.0), ("7", 1, 7), ("false", True, False), ("Yes", False, True), ("a", "b", "a"),
])
def test_values_are_parsed_to_the_defaults_type(text, default, expected):
    value = parse_value("p", text, default)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize("text, default", [("0.5", 1), ("maybe", True), ("nan", 0.1), ("x", 0.1)])
def test_wrong_types_are_refused(text, default):
    with pytest.raises(ScenarioError, match="parameter 'p' must be"):
        parse_value("p", text, default)
