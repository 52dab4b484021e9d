"""Training and recording a whole lesson, ours versus the seed-style loop people write by hand.

Ours: ``animate.train.train(scenarios.get(name))``, every run of the lesson, timed end to end
(model building, one long ``fit`` per run with a PredictionRecorder, assembling the recording).

Baseline, the "plain way" (the seed script this project grew from): for each frame, train up to
the next frame's step with ``model.fit(x, y, epochs=1, batch_size=..., verbose=0)`` on exactly
that many batches, then ``model.predict(grid)`` and a whole-set ``model.evaluate(x, y)`` for the
loss. It records the same frames (same schedule, same batch size, same model) as ours.
Each baseline iteration costs ~0.1 s of Keras overhead, so the full loop would take minutes: we
run the first ITERATIONS frames of the lesson's first run and scale, as
``build + frame 0 + first iteration (tracing) + median iteration x (remaining frames)``, times the
number of runs. The printed line says so. Later frames of a "log" schedule train more steps per
frame than the first ones, so for such lessons the estimate flatters the baseline.
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


def seed_style_estimate(scenario, iterations: int) -> tuple[float, int, int]:
    """Seconds the hand-written loop would take for the whole lesson; also (frames, runs)."""
    params = scenario.resolve()
    seed_everything(params["seed"])
    data = scenario.make_data(params)
    runs = list(scenario.make_runs(params, data))
    run = runs[0]
    schedule = frame_steps(run.steps, params["every"], params.get("frames", "linear"))
    frames = len(schedule)
    iterations = min(iterations, frames - 1)
    rng = np.random.default_rng(params["seed"])
    passes = math.ceil(int(schedule[iterations]) * run.batch_size / len(data.x)) + 1
    order = np.concatenate([rng.permutation(len(data.x)) for _ in range(passes)])  # shuffled epochs

    def record(model) -> None:
        model.predict(data.grid, verbose=0)
        model.evaluate(data.x, data.y, batch_size=len(data.x), verbose=0)

    start = time.perf_counter()
    model = run.build()
    record(model)  # frame 0: the untrained model
    setup = time.perf_counter() - start
    seconds, used = [], 0
    for frame in range(1, iterations + 1):
        batches = int(schedule[frame] - schedule[frame - 1])
        pick = order[used: used + batches * run.batch_size]
        used += len(pick)
        start = time.perf_counter()
        model.fit(data.x[pick], data.y[pick], epochs=1, batch_size=run.batch_size, shuffle=False, verbose=0)
        record(model)
        seconds.append(time.perf_counter() - start)
    per_run = setup + seconds[0] + statistics.median(seconds[1:]) * (frames - 2)
    return per_run * len(runs), frames, len(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", help="comma-separated lesson names (default: every lesson)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--iterations", type=int, default=30, help="baseline frames actually run")
    args = parser.parse_args()
    names = args.lessons.split(",") if args.lessons else scenarios.names()

    for name in names:
        scenario = scenarios.get(name)
        seed_style_estimate(scenario, 3)  # warm-up: TensorFlow's one-off start-up is nobody's cost
        shape = {}

        def baseline() -> float:
            seconds, shape["frames"], shape["runs"] = seed_style_estimate(scenario, args.iterations)
            return seconds

        ours, estimate = alternate(lambda: timed(lambda: train(scenario)), baseline, repeats=args.repeats)
        frames, runs = shape["frames"], shape["runs"]
        report(f"train+record lesson {name} ({runs} runs x {frames} frames)", f"{ours:.1f} s",
               f"{estimate:.1f} s", estimate / ours,
               f"ratio = baseline/ours, target >= 50; baseline ESTIMATED: first {min(args.iterations, frames - 1)} "
               f"frames of run 1 timed, scaled to {frames} frames x {runs} runs; medians of {args.repeats}")


if __name__ == "__main__":
    main()
