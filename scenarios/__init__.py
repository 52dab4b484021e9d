"""The lessons. Every module in this folder that defines ``SCENARIO`` is one; nothing to register."""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from animate.errors import ScenarioError
from animate.scenario import Scenario


def names() -> list[str]:
    return sorted(info.name for info in pkgutil.iter_modules([str(Path(__file__).parent)]) if not info.name.startswith("_"))


def get(name: str) -> Scenario:
    if name not in names():
        raise ScenarioError(f"unknown lesson '{name}'; choose from: {', '.join(names())}")
    scenario = getattr(importlib.import_module(f"scenarios.{name}"), "SCENARIO", None)
    if not isinstance(scenario, Scenario):
        raise ScenarioError(f"scenarios/{name}.py does not define SCENARIO = Scenario(...)")
    return scenario


def all_scenarios() -> list[Scenario]:
    return [get(name) for name in names()]
