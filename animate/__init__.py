"""nn-animate: record a Keras model's predictions per optimizer step, render them as GIF/MP4/PNG.

``PredictionRecorder`` is imported lazily (module ``__getattr__``) so that ``import animate``
and ``nn-animate render`` never pay for importing TensorFlow.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from animate.cli_process import exit_at_once_on_interrupt, is_cli_process, pause_collector, skip_artist_help_text

if is_cli_process():  # before anything imports matplotlib
    exit_at_once_on_interrupt()  # until cli.main starts
    skip_artist_help_text()
    pause_collector()  # until cli.main starts: the start-up imports

from animate import grids  # noqa: E402 - after the start-up above
from animate.errors import AnimateError, RecordingError, RenderError, ScenarioError  # noqa: E402
from animate.recording import Recording  # noqa: E402
from animate.render import render  # noqa: E402
from animate.scenario import Data, Run, Scenario  # noqa: E402
from animate.schedule import frame_steps  # noqa: E402

from animate.version import __version__  # noqa: E402

__all__ = [
    "AnimateError",
    "Data",
    "Run",
    "Scenario",
    "frame_steps",
    "grids",
    "PredictionRecorder",
    "Recording",
    "RecordingError",
    "RenderError",
    "ScenarioError",
    "render",
    "__version__",
]

if TYPE_CHECKING:  # pragma: no cover
    from animate.recorder import PredictionRecorder


def __getattr__(name: str) -> Any:
    if name == "PredictionRecorder":
        from animate.recorder import PredictionRecorder

        return PredictionRecorder
    raise AttributeError(f"module 'animate' has no attribute {name!r}")
