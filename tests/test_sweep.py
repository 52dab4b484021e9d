"""Sweeps: many seeds in parallel (joblib, or a Dask cluster), a CSV and a figure, interrupts keep results."""
from __future__ import annotations

import csv
import subprocess
import sys

import pytest

pytestmark = pytest.mark.trains
pytest.importorskip("keras")

from animate.errors import AnimateError  # noqa: E402
from animate.sweep import parse_seeds, sweep  # noqa: E402

QUICK = {"start": "random", "steps": 40, "every": 40}  # one random neuron per seed: does it die?


def test_parse_seeds():
    assert parse_seeds("0-3") == [0, 1, 2, 3]
    assert parse_seeds("1,4,9") == [1, 4, 9]
    assert parse_seeds("0-2,5-6") == [0, 1, 2, 5, 6]
    for bad in ("a", "5-2", "-1", "", "4294967296"):
        with pytest.raises(AnimateError, match="seeds must look like"):
            parse_seeds(bad)
    with pytest.raises(AnimateError, match="at most 10,000 seeds"):
        parse_seeds("0-99999999")  # refused before a list of a hundred million is made


@pytest.mark.slow
def test_cli_sweep_counts_dead_neurons_and_writes_csv_and_figure(tmp_path):
    result = subprocess.run([sys.executable, "-m", "animate", "sweep", "dying_relu", "--seeds", "0-5", "--jobs", "2",
                             *sum((["--set", f"{k}={v}"] for k, v in QUICK.items()), []), "--out", str(tmp_path),
                             "--quiet"], capture_output=True, text=True, timeout=180)
    # (The timeout: a sweep that left its workers running would hold our pipes open for minutes.)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(open(tmp_path / "dying_relu-sweep.csv")))
    assert [int(row["seed"]) for row in rows] == list(range(6))
    # A neuron is dead exactly when its first draw is negative on every training point (x in [0, 3]).
    import numpy as np

    for row in rows:
        w, b = np.random.default_rng(int(row["seed"])).standard_normal(2)
        assert (row["frozen"] == "True") == bool(b < 0 and 3 * w + b < 0)
    assert "neuron: median final loss" in result.stdout and "never moved on" in result.stdout
    assert (tmp_path / "dying_relu-sweep.png").stat().st_size > 5000


@pytest.mark.slow
def test_sweep_on_a_dask_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        rows = sweep("dying_relu", [0, 1], QUICK, tmp_path / "s.csv", scheduler=cluster.scheduler_address)
    assert sorted({row["seed"] for row in rows}) == [0, 1]
    assert (tmp_path / "s.csv").exists()


@pytest.mark.slow
def test_interrupted_sweep_keeps_the_seeds_that_finished(tmp_path):
    finished = []

    def interrupt_after_first(seed):
        finished.append(seed)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sweep("dying_relu", [0, 1, 2, 3], QUICK, tmp_path / "s.csv", jobs=1, on_seed=interrupt_after_first)
    rows = list(csv.DictReader(open(tmp_path / "s.csv")))
    assert [int(row["seed"]) for row in rows] == finished


def test_unreachable_scheduler_is_one_line(tmp_path):
    pytest.importorskip("distributed")
    with pytest.raises(AnimateError, match="cannot reach the Dask scheduler"):
        sweep("dying_relu", [0], QUICK, tmp_path / "s.csv", scheduler="tcp://127.0.0.1:9")
