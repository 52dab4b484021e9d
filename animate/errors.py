"""Exceptions that the CLI turns into one line on stderr and a non-zero exit.

Every problem a user can cause (bad input, unreadable file, unwritable folder) is raised as an
``AnimateError`` subclass with a message that reads well on its own, so the API and the CLI
report the same words.
"""


class AnimateError(Exception):
    """Base of every error caused by the user's input rather than by a bug."""


class RecordingError(AnimateError, ValueError):
    """A recording file or object is missing, unreadable or inconsistent."""


class ScenarioError(AnimateError, ValueError):
    """An unknown lesson, an unknown parameter, or a parameter of the wrong type."""


class RenderError(AnimateError, ValueError):
    """A render option or output path that cannot be honoured."""
