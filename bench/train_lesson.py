"""Training and recording a whole lesson, ours versus the seed-style loop people write by hand.

Ours: ``animate.train.train(scenarios.get(name))``, every run of the lesson, timed end to end
(model building, each run's XLA-compiled step loop with a PredictionRecorder, runs side by side,
assembling the recording).

Baseline, the "plain way" (the seed script this project grew from): for each frame, train up to
the next frame's step with ``model.fit(x, y, epochs=1, batch_size=..., verbose=0)`` on exactly
that many freshly shuffled batches, then ``model.predict(grid)`` and a whole-set
``model.evaluate(x, y)`` for the loss: the same frames (same schedule, batch size and model) as ours.

Each baseline frame costs ~0.1 s of Keras per-call overhead, so the whole loop would take minutes
per lesson. We therefore ESTIMATE it (and the printed line says so): per run, we time building
the model, frame 0 and frame 1 (the first ``fit`` traces the train step), then about
ITERATIONS / runs frame intervals spread evenly over the schedule (a "log" schedule's later
frames train many more steps than its first ones), and scale their mean to all the frames.
The fits that are timed train the real number of steps, so only the model's path differs.

Ours is timed in full. With several lessons each side runs once (``--repeats`` to change it);
the default loops over every lesson, which takes several minutes on two cores (``local_optimum``
trains 80,000 steps); ``--lessons dying_relu`` is the quick run.
"""
from __future__ import annotations

import argparse
import math
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
from _common import alternate, report, timed  # noqa: E402

import scenarios  # noqa: E402
from animate.schedule import frame_steps  # noqa: E402
from animate.train import seed_everything, train  # noqa: E402


def run_estimate(run, data, params: dict, per_run: int) -> tuple[float, int]:
    """Seconds the hand-written loop would take for one run, from ``per_run`` timed frame intervals;
    also its frames."""
    schedule = frame_steps(run.steps, params["every"], params.get("frames", "linear"))
    frames = len(schedule)
    # Intervals spread over the whole schedule (a "log" schedule's later frames train longer).
    sample = np.unique(np.linspace(2, frames - 1, min(frames - 2, per_run)).round().astype(int))
    rng = np.random.default_rng(params["seed"])

    def record(model) -> None:
        model.predict(data.grid, verbose=0)
        model.evaluate(data.x, data.y, batch_size=len(data.x), verbose=0)

    def advance(model, frame: int) -> float:
        """Train from frame - 1 to frame on freshly shuffled batches, then record; return seconds."""
        batches = int(schedule[frame] - schedule[frame - 1])
        pick = np.concatenate([rng.permutation(len(data.x))
                               for _ in range(math.ceil(batches * run.batch_size / len(data.x)))])
        pick = pick[: batches * run.batch_size]
        start = time.perf_counter()
        model.fit(data.x[pick], data.y[pick], epochs=1, batch_size=run.batch_size, shuffle=False, verbose=0)
        record(model)
        return time.perf_counter() - start

    start = time.perf_counter()
    model = run.build()
    record(model)  # frame 0: the untrained model
    setup = time.perf_counter() - start + advance(model, 1)  # the first fit traces the train step
    seconds = [advance(model, frame) for frame in sample]
    return setup + statistics.mean(seconds) * (frames - 2), frames


def seed_style_estimate(scenario, iterations: int) -> tuple[float, int, int]:
    """Seconds the hand-written loop would take for the whole lesson, from about ``iterations``
    timed frames shared among the runs; also (frames, runs)."""
    params = scenario.resolve()
    seed_everything(params["seed"])
    data = scenario.make_data(params)
    runs = list(scenario.make_runs(params, data))
    per_run = math.ceil(iterations / len(runs))
    total = 0.0
    for run in runs:  # runs may differ in size, so each one is sampled
        seconds, frames = run_estimate(run, data, params, per_run)
        total += seconds
    return total, frames, len(runs)


def time_lesson(name: str, iterations: int, repeats: int) -> None:
    """Ours against the estimated hand-written loop for one lesson, reported."""
    scenario = scenarios.get(name)
    shape = {}

    def baseline() -> float:
        seconds, shape["frames"], shape["runs"] = seed_style_estimate(scenario, iterations)
        return seconds

    ours, estimate = alternate(lambda: timed(lambda: train(scenario)), baseline, repeats=repeats)
    frames, runs = shape["frames"], shape["runs"]
    report(f"train+record lesson {name} ({runs} runs x {frames} frames)", f"{ours:.1f} s",
           f"{estimate:.1f} s", estimate / ours,
           f"ratio = baseline/ours, target >= 50; baseline ESTIMATED from {math.ceil(iterations / runs)} frames "
           f"per run spread over the schedule, scaled to {frames} frames x {runs} runs; median of {repeats}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", help="comma-separated lesson names (default: every lesson)")
    parser.add_argument("--repeats", type=int, help="default: 3 for one lesson, 1 for several")
    parser.add_argument("--iterations", type=int, default=30, help="baseline frames actually run, per lesson")
    args = parser.parse_args()
    names = args.lessons.split(",") if args.lessons else scenarios.names()
    repeats = args.repeats or (3 if len(names) == 1 else 1)

    seed_style_estimate(scenarios.get(names[0]), 2)  # warm-up: TensorFlow's one-off start-up is nobody's cost
    for name in names:
        time_lesson(name, args.iterations, repeats)


if __name__ == "__main__":
    main()
