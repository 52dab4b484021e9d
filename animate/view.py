"""A lesson's render hints (``view``): every key declared once, with its type and what it does.

A lesson file sets them (``Scenario(view={...})``), ``--vary`` adds its own, and they travel in a
recording's meta. A misspelt key used to be ignored without a word; now an unknown key, or a value
of the wrong type, is refused in one line that lists the valid keys, both in a lesson file and in a
hand-edited recording. Plain data only: this module imports no renderer and no Keras.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

LAYOUTS = ("side_by_side", "overlay")
PICTURES = ("curves", "probability_curves", "class_curves", "value_map", "probability_map", "class_map")
TASKS = ("regression", "binary", "multiclass")
STEP_SCALES = ("linear", "symlog")


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _texts(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and all(_text(item) for item in value)


def _pair(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, (list, tuple)) and len(value) == 2 and all(check(v) for v in value)


def _one_of(*choices: str) -> Callable[[Any], bool]:
    return lambda value: value in choices


def _notes(value: Any) -> bool:
    """{run name: text, or {"text": ..., "from_step": N}}."""
    def note(item: Any) -> bool:
        return _text(item) or (isinstance(item, Mapping) and _text(item.get("text"))
                               and set(item) <= {"text", "from_step"} and _whole(item.get("from_step", 0)))
    return isinstance(value, Mapping) and all(_text(key) and note(item) for key, item in value.items())


def _groups(value: Any) -> bool:
    """--vary's panels: [{"title": ..., "names": [...], "runs": [...]}, ...]."""
    return isinstance(value, (list, tuple)) and all(
        isinstance(group, Mapping) and _text(group.get("title")) and _texts(group.get("names"))
        and isinstance(group.get("runs"), (list, tuple)) and all(_whole(run) for run in group["runs"])
        for group in value)


def _hint(check: Callable[[Any], bool], expected: str, doc: str) -> Any:
    return field(default=None, metadata={"check": check, "expected": expected, "doc": doc})


@dataclass(frozen=True)
class View:
    """Every render hint, None where not given."""

    layout: str | None = _hint(_one_of(*LAYOUTS), " or ".join(LAYOUTS), "runs in panels of their own, or in one")
    picture: str | None = _hint(_one_of(*PICTURES), "one of " + ", ".join(PICTURES), "force a picture kind")
    task: str | None = _hint(_one_of(*TASKS), "one of " + ", ".join(TASKS),
                             "regression or classifier, if the model does not say")
    outputs: list | None = _hint(lambda v: isinstance(v, (list, tuple)) and all(_whole(k) for k in v),
                                 "a list of output indices", "which outputs to draw")
    output_names: list | None = _hint(_texts, "a list of names", "one name per drawn output")
    xlabel: str | None = _hint(_text, "a text", "the input axis's label")
    ylabel: str | None = _hint(_text, "a text", "the prediction axis's label")
    target_label: str | None = _hint(_text, "a text", "the legend's name for the true function")
    loss_label: str | None = _hint(_text, "a text", "the loss axis's label")
    caption: str | None = _hint(_text, "a text", "a note in the loss panel; {param} is filled in")
    shade: list | None = _hint(_pair(_number), "[low, high]", "an x range to shade (the training range)")
    shade_label: str | None = _hint(_text, "a text", "the shaded range's name in the legend")
    step_scale: str | None = _hint(_one_of(*STEP_SCALES), " or ".join(STEP_SCALES), "the loss panel's step axis")
    count_rises: bool | None = _hint(lambda v: isinstance(v, bool), "true or false",
                                     "say how often each run's loss rose so far")
    run_notes: dict | None = _hint(_notes, 'a mapping of run name to a text or {"text": ..., "from_step": N}',
                                   "a note in a run's panel")
    weights_optimum: list | None = _hint(_pair(_number), "[w, b]", "the best (w, b), starred on the loss surface")
    hidden_unit_runs: list | None = _hint(_texts, "a list of run names", "runs whose hidden units get a panel")
    class_names: list | None = _hint(_texts, "a list of names", "one name per class")
    feature_names: list | None = _hint(_texts, "a list of names", "one name per input feature")
    map_axes: list | None = _hint(_pair(_whole), "[i, j]", "the two input features a map spans")
    map_labels: list | None = _hint(_pair(_text), "[x label, y label]", "a map's axis labels")
    map_label: str | None = _hint(_text, "a text", "a map's colour bar label")
    map_class: int | None = _hint(_whole, "a class index", "the class whose probability a map shows")
    run_groups: list | None = _hint(_groups, 'a list of {"title", "names", "runs"}', "--vary's panels (made by --vary)")
    expected_steps: int | None = _hint(_whole, "a step count", "the live view's last step (set by the renderer)")

    @classmethod
    def keys(cls) -> list[str]:
        return [hint.name for hint in dataclasses.fields(cls)]

    @classmethod
    def checked(cls, view: Any, where: str, error: type[Exception]) -> dict[str, Any]:
        """``view`` as a plain dict if every key is known and every value of its type, else ``error``
        in one line naming ``where`` (a lesson, a recording)."""
        if not isinstance(view, Mapping):
            raise error(f"{where}: view must be a mapping of render hints, got {type(view).__name__}")
        hints = {hint.name: hint for hint in dataclasses.fields(cls)}
        for key, value in view.items():
            hint = hints.get(key)
            if hint is None:
                raise error(f"{where}: unknown view key '{key}'; valid keys: {', '.join(hints)}")
            if value is not None and not hint.metadata["check"](value):
                raise error(f"{where}: view '{key}' must be {hint.metadata['expected']}, got {value!r}"[:300])
        return dict(view)
