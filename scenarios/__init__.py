"""The lessons. Every module in this folder that defines ``SCENARIO`` is one; nothing to register."""
from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from pathlib import Path

from animate.errors import ScenarioError
from animate.scenario import Scenario


def names() -> list[str]:
    modules = pkgutil.iter_modules([str(Path(__file__).parent)])
    return sorted(info.name for info in modules if not info.name.startswith("_"))


def get(name: str) -> Scenario:
    """A built-in lesson by name, or a scenario file of your own by its path (``my_lesson.py``)."""
    if name.endswith(".py"):
        return load_file(Path(name))
    if name not in names():
        if Path(name).is_file():  # a file of the user's, but the loader only runs Python files
            raise ScenarioError(f"'{name}' is a file but not a .py one: a lesson file is Python, e.g. my_lesson.py")
        raise ScenarioError(f"unknown lesson '{name}'; choose from: {', '.join(names())}")
    scenario = getattr(importlib.import_module(f"scenarios.{name}"), "SCENARIO", None)
    if not isinstance(scenario, Scenario):
        raise ScenarioError(f"scenarios/{name}.py does not define SCENARIO = Scenario(...)")
    return scenario


def load_file(path: Path) -> Scenario:
    """Import a scenario file that follows the built-in lessons' form (it defines ``SCENARIO``)."""
    if not path.is_file():
        raise ScenarioError(f"scenario file '{path}' does not exist")
    module_name = f"nn_animate_user_scenario_{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:  # Python knows no loader for this suffix (get() passes .py files only)
        raise ScenarioError(f"'{path}' is not a Python file: a lesson file is Python, e.g. my_lesson.py")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except (Exception, SystemExit) as error:  # the user's own code: report its first line, not our traceback
        detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise ScenarioError(f"scenario file '{path}' failed to import: {type(error).__name__}: {detail}") from None
    scenario = getattr(module, "SCENARIO", None)
    if not isinstance(scenario, Scenario):
        raise ScenarioError(f"scenario file '{path}' does not define SCENARIO = Scenario(...)")
    return scenario


def all_scenarios() -> list[Scenario]:
    return [get(name) for name in names()]
