"""Which optimizer steps become frames."""
from __future__ import annotations

import numpy as np

from animate.errors import ScenarioError

SCHEDULES = ("linear", "log")


def frame_steps(total: int, every: int, kind: str = "linear") -> np.ndarray:
    """Steps to record for a training of ``total`` steps: always step 0 and the last step.

    ``linear`` records every ``every`` steps. ``log`` records the same number of frames, spaced
    evenly in log(step + 1), so the fast early phase of a long training is not lost in a few frames.
    """
    if total < 1 or every < 1:
        raise ScenarioError(f"need at least one step and every >= 1, got total={total}, every={every}")
    if kind == "linear":
        steps = np.arange(0, total + 1, every)
    elif kind == "log":
        count = max(2, total // every + 1)
        steps = np.unique(np.round(np.expm1(np.linspace(0, np.log1p(total), count))).astype(np.int64))
    else:
        raise ScenarioError(f"unknown frame schedule '{kind}'; choose from: {', '.join(SCHEDULES)}")
    if steps[-1] != total:
        steps = np.append(steps, total)
    return steps.astype(np.int64)
