"""Shared by the benchmarks: alternate ours and baseline, take medians, print one line per figure.

Not a benchmark itself (running it does nothing). Every benchmark prints lines of the form
``<figure>: ours <x> | baseline <y> | ratio <r>`` and asserts nothing about timing.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the virtualenv's bin/, where nn-animate lives


def timed(function: Callable[[], object]) -> float:
    """Seconds one call of ``function`` takes."""
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def alternate(*measures: Callable[[], float], repeats: int) -> list[float]:
    """Call each measure ``repeats`` times, interleaved (A B, B A, A B, ...), and return each one's median.

    Each measure returns its own number (usually seconds), so it can keep set-up out of the timing.
    Interleaving means a burst of load on the machine hits ours and the baseline alike.
    """
    results: list[list[float]] = [[] for _ in measures]
    order = list(range(len(measures)))
    for _ in range(repeats):
        for index in order:
            results[index].append(measures[index]())
        order.reverse()
    return [statistics.median(values) for values in results]


def report(figure: str, ours: str, baseline: str, ratio: float, note: str = "") -> None:
    line = f"{figure}: ours {ours} | baseline {baseline} | ratio {ratio:.3g}"
    print(line + (f"  [{note}]" if note else ""), flush=True)


if __name__ == "__main__":
    pass  # `make bench` runs every bench/*.py; this helper has nothing to measure
