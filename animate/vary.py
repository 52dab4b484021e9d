"""``--vary NAME=V1,V2,...``: one lesson trained once per value, shown as one animation.

Plain data and checks only (no Keras): the CLI refuses a bad ``--vary`` before paying for
TensorFlow, and ``animate.train`` uses the same plan to train and to name the runs.

Runs are ordered value by value (every run of the lesson at the first value, then at the second, ...)
and each is named with its value ("live neuron · lr=0.03"). The view asks for one panel per value,
the lesson's runs overlaid in it, while there are at most ``SIDE_BY_SIDE_VALUES`` values; beyond,
every run goes in one panel. Each run keeps a colour of its own, in every panel and in the loss.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from animate.errors import ScenarioError
from animate.limits import MAX_MAPS, MAX_RUNS  # what one animation can show
from animate.scenario import Scenario

SIDE_BY_SIDE_VALUES = 4  # one prediction panel per value up to here, then everything overlaid
SEPARATOR = " · "
# Lesson-specific words on screen that hold for the lesson's own parameters, not for every value.
VIEW_KEYS_OF_ONE_SETTING = ("caption", "run_notes", "hidden_unit_runs")


@dataclass(frozen=True)
class VaryPlan:
    """What ``--vary`` will train: one resolved parameter set per value, and how to name its runs."""

    name: str  # the parameter varied
    values: tuple[Any, ...]  # parsed to the parameter's type, in the order given
    params: tuple[dict[str, Any], ...]  # the lesson's resolved parameters at each value
    run_names: tuple[str, ...]  # the lesson's own run names (at the first value)

    @property
    def labels(self) -> tuple[str, ...]:
        """``lr=0.03`` for each value: how the value reads in run names and panel titles."""
        return tuple(f"{self.name}={format_value(value)}" for value in self.values)

    @property
    def stem_suffix(self) -> str:
        """Output files are ``LESSON-vary-NAME``: the lesson's own files are never overwritten."""
        return f"-vary-{self.name}"


def format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def parse_vary(text: str) -> tuple[str, list[str]]:
    """``"lr=0.003,0.03"`` → ``("lr", ["0.003", "0.03"])``; the values are typed later, per lesson."""
    name, equals, values = text.partition("=")
    name = name.strip()
    if not equals or not name:
        raise ScenarioError(f"--vary '{text}' is not NAME=V1,V2,..., e.g. --vary lr=0.003,0.03,0.3")
    parts = [part.strip() for part in values.split(",")]
    if any(not part for part in parts):
        raise ScenarioError(f"--vary '{text}' has an empty value; give values separated by commas, e.g. lr=0.01,0.1")
    return name, parts


def plan(scenario: Scenario, params: Mapping[str, Any] | None, vary: Mapping[str, Sequence[Any]]) -> VaryPlan:
    """Check ``vary`` (one parameter, two or more distinct values, few enough runs) and resolve each value.

    Values are type-checked like ``--set`` (strings are parsed to the default's type). Raises
    ``ScenarioError`` with one line naming the problem."""
    if len(vary) != 1:
        raise ScenarioError(f"vary one parameter at a time, got {len(vary)}: {', '.join(vary) or 'none'}")
    [(name, raw_values)] = vary.items()
    if isinstance(raw_values, (str, bytes)) or not isinstance(raw_values, Sequence):
        raise ScenarioError(f"vary '{name}': give a list of values, e.g. {{'{name}': [0.01, 0.1]}}")
    base = dict(params or {})
    resolved = [scenario.resolve({**base, name: value}) for value in raw_values]
    values = tuple(each[name] for each in resolved)
    if len(values) < 2:
        raise ScenarioError(f"--vary {name} needs at least two values to compare, e.g. --vary {name}=A,B")
    if len(set(map(format_value, values))) != len(values):
        raise ScenarioError(f"--vary {name}: values repeat ({', '.join(map(format_value, values))}); "
                            "give distinct values")
    data = scenario.make_data(resolved[0])  # lessons build data and runs without Keras: cheap
    run_names = tuple(run.name for run in scenario.make_runs(resolved[0], data))
    total = len(run_names) * len(values)
    maps = data.grid.ndim == 2 and data.grid.shape[1] >= 2
    limit, what = (MAX_MAPS, "maps (one per run)") if maps else (MAX_RUNS, "runs (one colour each)")
    if total > limit:
        most = limit // len(run_names)
        runs = f"{len(run_names)} run{'s' if len(run_names) > 1 else ''}"
        advice = f"give at most {most} values" if most >= 2 else "this lesson has too many runs to vary"
        raise ScenarioError(f"--vary {name}: {len(values)} values × {runs} of '{scenario.name}' = {total} runs; "
                            f"one animation shows at most {limit} {what}: {advice}")
    return VaryPlan(name, values, tuple(resolved), run_names)


def run_name(run: str, label: str) -> str:
    return f"{run}{SEPARATOR}{label}"


def varied_view(view: Mapping[str, Any], vary: VaryPlan, runs_per_value: int) -> dict[str, Any]:
    """The lesson's render hints for a varied recording: panels per value, and no words that only hold
    for the lesson's own setting (a caption naming its seed, a note on one run's fate)."""
    view = {key: value for key, value in view.items() if key not in VIEW_KEYS_OF_ONE_SETTING}
    if len(vary.values) <= SIDE_BY_SIDE_VALUES:
        view["layout"] = "side_by_side"
        if runs_per_value > 1:  # one panel per value, that value's runs overlaid (render/figure.py)
            view["run_groups"] = [{"title": label, "names": list(vary.run_names),
                                   "runs": list(range(i * runs_per_value, (i + 1) * runs_per_value))}
                                  for i, label in enumerate(vary.labels)]
    else:
        view["layout"] = "overlay"
    return view
