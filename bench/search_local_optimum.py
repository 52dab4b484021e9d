"""Which model seeds tell the local_optimum story, measured exactly as the lesson trains.

For each seed, trains the lesson through ``animate.train.train`` and prints each run's final
whole-set MSE, the 1x60 SGD run's loss at the end over its loss at 20% of training (near 1: a
plateau), and whether the seed tells the story the test checks:

    1x60 SGD end / at 20% > 0.75, best Adam end <= 1x60 SGD end / 3, best Adam end < 0.02.

It also prints why 1x60 SGD stalls: its highest loss in the first 10 steps (one huge SGD step)
and how many of its 60 ReLUs are dead (output 0 on every training point) at the start, after
10 steps and at the end, beside the 1x60 Adam run's count at the end.

Usage: python bench/search_local_optimum.py [--seeds 0-9] [--set NAME=VALUE ...]
Every seed trains the lesson's full default (4 runs x 20,000 steps); expect ~10 seconds per seed.
"""
from __future__ import annotations

import argparse
import dataclasses
import time
from typing import Any

import numpy as np

import scenarios
from animate.train import seed_everything, train
from scenarios.local_optimum import dead_units

PLATEAU_RATIO = 0.75  # 1x60 SGD loses less than 25% of its loss over the last 80% of training
ADAM_FACTOR = 3.0  # the best Adam run ends at least this many times lower than 1x60 SGD
NOISE_LEVEL = 0.02  # "near the noise": σ² = 0.01, the true sine scores 0.0093 on the data
RUNS = ("1x60, SGD", "2x10, SGD", "1x60, Adam", "2x10, Adam")
# The numbers below need only the 20% step and the end: few frames, the same weights at every step.
FAST = {"frames": "linear", "every": "1000"}
# Every one of the first 10 steps: where the big early step happens.
FIRST_STEPS = {"steps": "10", "every": "1", "frames": "linear"}


def loss_at(recording, run: str, step: float) -> float:
    """Whole-set loss of ``run`` at the recorded frame nearest to ``step``."""
    frame = int(np.argmin(np.abs(recording.steps - step)))
    return float(recording.loss[recording.runs.index(run), frame])


def effect(recording) -> dict[str, Any]:
    """The numbers the lesson's test checks."""
    total = int(recording.steps[-1])
    final = {run: float(recording.loss[i, -1]) for i, run in enumerate(recording.runs)}
    best_adam = min(final["1x60, Adam"], final["2x10, Adam"])
    plateau = final["1x60, SGD"] / loss_at(recording, "1x60, SGD", 0.2 * total)
    story = plateau > PLATEAU_RATIO and best_adam * ADAM_FACTOR <= final["1x60, SGD"] and best_adam < NOISE_LEVEL
    return {**final, "plateau": plateau, "best_adam": best_adam, "story": story}


def train_keeping_models(scenario, params: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """``train`` as the lesson does it, keeping each run's trained model (the trainer trains it in place)."""
    models: dict[str, Any] = {}

    def keep(run):
        def build():
            models[run.name] = run.build()
            return models[run.name]
        return dataclasses.replace(run, build=build)

    kept = dataclasses.replace(scenario, make_runs=lambda p, data: [keep(run) for run in scenario.make_runs(p, data)])
    return train(kept, params), models


def initial_dead_units(scenario, params: dict[str, Any], run_name: str) -> int:
    resolved = scenario.resolve(params)
    data = scenario.make_data(resolved)
    run = next(run for run in scenario.make_runs(resolved, data) if run.name == run_name)
    seed_everything(resolved["seed"])  # as the trainer seeds before each build
    return dead_units(run.build(), data.x)


def seeds(text: str) -> list[int]:
    chosen: list[int] = []
    for part in text.split(","):
        low, _, high = part.partition("-")
        chosen += list(range(int(low), int(high or low) + 1))
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=seeds, default=seeds("0-9"), help="e.g. 0-9 or 1,4,9")
    parser.add_argument("--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="override a lesson parameter (repeatable)")
    args = parser.parse_args()
    overrides = dict(setting.split("=", 1) for setting in args.settings)
    scenario = scenarios.get("local_optimum")
    x = scenario.make_data(scenario.resolve(overrides)).x
    print(f"local_optimum, final whole-set MSE; overrides: {overrides or 'none'}")
    print("| seed | " + " | ".join(RUNS) + " | 1x60 SGD end / at 20% | story "
          "| 1x60 SGD max loss, steps 1-10 | 1x60 SGD dead ReLUs: start, step 10, end | 1x60 Adam dead at end "
          "| seconds |")
    print("|---" * (len(RUNS) + 7) + "|")
    told = 0
    for seed in args.seeds:
        started = time.perf_counter()
        params = {**overrides, "seed": seed}
        recording, models = train_keeping_models(scenario, {**params, **FAST})
        numbers = effect(recording)
        first, early_models = train_keeping_models(scenario, {**params, **FIRST_STEPS})
        early_peak = float(np.max(first.loss[first.runs.index("1x60, SGD")]))
        dead = (initial_dead_units(scenario, params, "1x60, SGD"), dead_units(early_models["1x60, SGD"], x),
                dead_units(models["1x60, SGD"], x))
        told += numbers["story"]
        print(f"| {seed} | " + " | ".join(f"{numbers[run]:.3f}" for run in RUNS)
              + f" | {numbers['plateau']:.2f} | {'yes' if numbers['story'] else 'no'} | {early_peak:,.0f}"
              + f" | {dead[0]}, {dead[1]}, {dead[2]} | {dead_units(models['1x60, Adam'], x)}"
              + f" | {time.perf_counter() - started:.0f} |", flush=True)
    print(f"{told} of {len(args.seeds)} seeds tell the story")


if __name__ == "__main__":
    main()
