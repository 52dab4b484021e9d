"""Train one lesson over many seeds, without animations, and summarise: the honest version of a one-run story.

Seeds run in parallel through joblib (all local cores), or on an existing Dask cluster through
joblib's Dask backend; we schedule nothing ourselves. Rows are kept as seeds finish, so an
interrupted sweep still writes the seeds that completed.
"""
from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import numpy as np

from animate.errors import AnimateError
from animate.files import atomic_path
from animate.scenario import MAX_SEED

PLATEAU_FRACTION = 0.2  # "stalled": over the last 80% of training the loss fell by less than 25%
STALLED_RATIO = 0.75
MAX_SEEDS = 10_000  # a sweep's rows stay in memory and in one CSV
COLUMNS = ("seed", "run", "initial_loss", "final_loss", "plateau_ratio", "stalled", "frozen", "diverged")


def parse_seeds(text: str) -> list[int]:
    """'0-99', '3', '1,4,9' or '0-9,20-29' to a list of seeds."""
    seeds: list[int] = []
    try:
        for part in text.split(","):
            low, dash, high = part.strip().partition("-")
            first, last = int(low), int(high) if dash else int(low)
            if first < 0 or last < first or last > MAX_SEED:
                raise ValueError
            if len(seeds) + last - first + 1 > MAX_SEEDS:
                raise AnimateError(f"at most {MAX_SEEDS:,} seeds in one sweep, got more from '{text}'")
            seeds.extend(range(first, last + 1))
    except ValueError:
        raise AnimateError(f"seeds must look like 0-99 or 1,4,9 (whole numbers from 0 to {MAX_SEED:,}), "
                           f"got '{text}'") from None
    return list(dict.fromkeys(seeds))


def summarise(recording: Any, seed: int) -> list[dict[str, Any]]:
    """One row per run: what the lessons' stories are about, as numbers."""
    rows = []
    steps = recording.steps
    at_plateau_start = int(np.argmin(np.abs(steps - PLATEAU_FRACTION * steps[-1])))
    for run, name in enumerate(recording.runs):
        loss = recording.loss[run]
        ratio = loss[-1] / loss[at_plateau_start] if loss[at_plateau_start] > 0 else math.nan
        frozen = "" if recording.weights is None else bool(np.array_equal(recording.weights[run, 0],
                                                                          recording.weights[run, -1]))
        rows.append({
            "seed": seed, "run": name, "initial_loss": float(loss[0]), "final_loss": float(loss[-1]),
            "plateau_ratio": float(ratio), "stalled": bool(ratio > STALLED_RATIO),
            "frozen": frozen, "diverged": run in recording.divergence_frames(),
        })
    return rows


def train_seed(lesson: str, overrides: Mapping[str, Any], seed: int) -> list[dict[str, Any]]:
    """One seed, in a worker: imports TensorFlow there, not in the parent."""
    import scenarios
    from animate.train import train

    scenario = scenarios.get(lesson)
    return summarise(train(scenario, {**overrides, "seed": seed}), seed)


def sweep(lesson: str, seeds: Iterable[int], overrides: Mapping[str, Any], out_csv: Path, *, jobs: int = -1,
          scheduler: str | None = None, on_seed: Callable[[int], None] | None = None) -> list[dict[str, Any]]:
    """Train ``lesson`` once per seed and write one CSV row per (seed, run); returns the rows."""
    import joblib

    seeds = list(seeds)
    if jobs == 0 or jobs < -1:
        raise AnimateError(f"jobs must be a number of workers >= 1, or -1 for every core; got {jobs}")
    rows: list[dict[str, Any]] = []
    client = None
    try:
        if scheduler:
            try:
                from distributed import Client
            except ImportError:
                raise AnimateError("--scheduler needs Dask: pip install 'nn-animate[dask]'") from None
            try:
                client = Client(scheduler, timeout="10s")
            except (OSError, TimeoutError, ValueError) as error:  # ValueError: not an address at all
                raise AnimateError(f"cannot reach the Dask scheduler at '{scheduler}': {error}") from None
            context = joblib.parallel_config(backend="dask")
        else:
            context = joblib.parallel_config(backend="loky", n_jobs=jobs)
        with context:
            tasks = (joblib.delayed(train_seed)(lesson, dict(overrides), seed) for seed in seeds)
            for seed_rows in joblib.Parallel(n_jobs=jobs if not scheduler else -1,
                                             return_as="generator_unordered")(tasks):
                rows.extend(seed_rows)
                if on_seed is not None:
                    on_seed(seed_rows[0]["seed"])
    finally:  # an interrupted sweep still keeps the seeds that finished
        if rows:
            write_csv(sorted(rows, key=lambda row: (row["seed"], row["run"])), out_csv)
        if client is not None:
            client.close()
    return sorted(rows, key=lambda row: (row["seed"], row["run"]))


def write_csv(rows: list[dict[str, Any]], path: Path) -> Path:
    with atomic_path(path) as temporary:
        with open(temporary, "w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
    return path


def describe(rows: list[dict[str, Any]]) -> list[str]:
    """One line per run: the median final loss and how many seeds stalled, froze or diverged."""
    lines = []
    for run in dict.fromkeys(row["run"] for row in rows):
        mine = [row for row in rows if row["run"] == run]
        finals = np.array([row["final_loss"] for row in mine])
        parts = [f"{run}: median final loss {np.nanmedian(finals):.4g} over {len(mine)} seeds",
                 f"stalled on {sum(row['stalled'] for row in mine)}"]
        if all(row["frozen"] != "" for row in mine):
            parts.append(f"never moved on {sum(bool(row['frozen']) for row in mine)}")
        if any(row["diverged"] for row in mine):
            parts.append(f"diverged on {sum(row['diverged'] for row in mine)}")
        lines.append(", ".join(parts))
    return lines
