"""What one animation can show, known before anything is trained or drawn.

The renderer refuses a recording beyond these, and ``--vary`` refuses a plan beyond them before
paying for TensorFlow: both read them here, so training never loads the renderer to check.
"""
from __future__ import annotations

MAX_RUNS = 8  # one animation's runs, one colour each from the theme's run palette
MAX_MAPS = 4  # 2-D inputs draw one map per run: beyond four, at 720 pixels, a map is a thumbnail
