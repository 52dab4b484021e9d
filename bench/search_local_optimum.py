"""Which model seeds tell the local_optimum story, measured exactly as the lesson trains.

For each seed, trains the lesson through ``animate.train.train`` and prints each run's final
whole-set MSE, the 1x60 SGD run's loss at the end over its loss at 20% of training (near 1: a
plateau), and whether the seed tells the story the test checks:

    1x60 SGD end / at 20% > 0.75, best Adam end <= 1x60 SGD end / 3, best Adam end < 0.02.

Usage: python bench/search_local_optimum.py [--seeds 0-9] [--set NAME=VALUE ...]
Every run trains the lesson's full default (20,000 steps); expect a few minutes for ten seeds.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

import scenarios
from animate.train import train

PLATEAU_RATIO = 0.75  # 1x60 SGD loses less than 25% of its loss over the last 80% of training
ADAM_FACTOR = 3.0  # the best Adam run ends at least this many times lower than 1x60 SGD
NOISE_LEVEL = 0.02  # "near the noise": σ² = 0.01, the true sine scores 0.0093 on the data
# Fewer frames and Keras executions of 10 steps: the same weights at every step, ~2-3x faster.
FAST = {"steps_per_execution": "10", "frames": "linear", "every": "1000"}


def loss_at(recording, run: str, step: float) -> float:
    """Whole-set loss of ``run`` at the recorded frame nearest to ``step``."""
    frame = int(np.argmin(np.abs(recording.steps - step)))
    return float(recording.loss[recording.runs.index(run), frame])


def effect(recording) -> dict[str, float]:
    """The numbers the lesson's test checks."""
    total = int(recording.steps[-1])
    final = {run: float(recording.loss[i, -1]) for i, run in enumerate(recording.runs)}
    best_adam = min(final["1x60, Adam"], final["2x10, Adam"])
    plateau = final["1x60, SGD"] / loss_at(recording, "1x60, SGD", 0.2 * total)
    story = plateau > PLATEAU_RATIO and best_adam * ADAM_FACTOR <= final["1x60, SGD"] and best_adam < NOISE_LEVEL
    return {**final, "plateau": plateau, "best_adam": best_adam, "story": story}


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
    overrides = {**FAST, **dict(setting.split("=", 1) for setting in args.settings)}
    scenario = scenarios.get("local_optimum")
    runs = ["1x60, SGD", "2x10, SGD", "1x60, Adam", "2x10, Adam"]
    print(f"local_optimum, final whole-set MSE; overrides: {overrides or 'none'}")
    print("| seed | " + " | ".join(runs) + " | 1x60 SGD end / at 20% | story | seconds |")
    print("|---" * (len(runs) + 4) + "|")
    told = 0
    for seed in args.seeds:
        started = time.perf_counter()
        numbers = effect(train(scenario, {**overrides, "seed": seed}))
        told += numbers["story"]
        print(f"| {seed} | " + " | ".join(f"{numbers[run]:.3f}" for run in runs)
              + f" | {numbers['plateau']:.2f} | {'yes' if numbers['story'] else 'no'}"
              + f" | {time.perf_counter() - started:.0f} |", flush=True)
    print(f"{told} of {len(args.seeds)} seeds tell the story")


if __name__ == "__main__":
    main()
