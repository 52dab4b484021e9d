"""Which optimizer steps become frames."""
from __future__ import annotations

import numpy as np

from animate.errors import ScenarioError

SCHEDULES = ("linear", "log")


def frame_steps(total: int, every: int, kind: str = "linear") -> np.ndarray:
    """Steps to record for a training of ``total`` steps: always step 0 and the last step.

    ``linear`` records every ``every`` steps. ``log`` records the same number of frames, spaced
    evenly in log(step + c) with c = 1% of the training: the fast early phase of a long training gets
    many frames, yet the late phase is not squeezed into the last second (as with c = 1).
    """
    if total < 1 or every < 1:
        raise ScenarioError(f"need at least one step and every >= 1, got total={total}, every={every}")
    if kind == "linear":
        steps = np.arange(0, total + 1, every)
    elif kind == "log":
        count = max(2, total // every + 1)
        offset = max(1.0, total / 100)
        spaced = offset * np.expm1(np.linspace(0, np.log1p(total / offset), count))
        steps = np.round(spaced).astype(np.int64)
        # Past step 200 (2,000) frames fall on multiples of 10 (100): the step counter reads round
        # numbers, and the frames move by less than 5% of their spacing there.
        for edge, multiple in ((200, 10), (2000, 100)):
            late = steps >= edge
            steps[late] = np.round(steps[late] / multiple).astype(np.int64) * multiple
        steps = np.unique(np.minimum(steps, total))
    else:
        raise ScenarioError(f"unknown frame schedule '{kind}'; choose from: {', '.join(SCHEDULES)}")
    if steps[-1] != total:
        steps = np.append(steps, total)
    return steps.astype(np.int64)
