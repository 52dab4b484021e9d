"""What a panel is: the contract every panel of an animation keeps, so a new panel is one file.

A panel is given an axes and the figure's ``PanelContext`` and promises three things:

- ``draw(ax, **spec)`` draws its static parts once and returns the artists that change per frame.
  The figure draws everything else once, keeps the pixels, and per frame redraws only those (it
  marks them ``animated``). Axes limits are fixed here, from all frames, so nothing jumps.
- ``update(frame)`` moves those artists to recording frame ``frame``, without drawing.
- ``bind(recording)`` lets the live view show a longer recording of the same runs in the same axes
  (False when the panel would have to be drawn again).

The class method ``instances(context)`` says how many panels of this kind a picture gets and with
which ``spec`` each is drawn (one per run, one per output, none when the recording lacks what the
panel shows). Where panels go is ``layout.py``'s table, not the panel's business; how changing
artists are drawn fast is ``animate.render.fast``'s, which panels never import.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from matplotlib.artist import Artist
from matplotlib.axes import Axes

if TYPE_CHECKING:
    from animate.recording import Recording
    from animate.render.pictures import Picture
    from animate.render.theme import Theme


@dataclass(frozen=True)
class PanelContext:
    """What every panel of one figure is drawn from."""

    picture: Picture  # what the figure shows (kind, task, outputs, classes), with classifier outputs as probabilities
    view: Mapping[str, Any]  # the recording's render hints with the user's options over them (``animate.view``)
    theme: Theme  # colours and text sizes: panels take every colour from here
    run_title: Callable[[int], "str | None"]  # the name a panel showing one run puts above it, None for none

    @property
    def recording(self) -> Recording:
        return self.picture.recording


class Panel(ABC):
    """One panel of the figure. Subclasses implement ``draw`` and ``update``; see the module's docstring."""

    def __init__(self, ax: Axes, context: PanelContext, **spec: Any) -> None:
        self.ax = ax
        self.context = context
        self.theme = context.theme
        self.view = context.view
        self.recording = context.recording
        #: Changing artists that never change their pixels, only their stacking over the ones that do
        #: (training points over a map image): the fast drawer may cache their image.
        self.unchanging: list[Artist] = []
        self.animated: list[Artist] = list(self.draw(ax, **spec))
        for artist in self.animated:
            artist.set_animated(True)

    @classmethod
    def instances(cls, context: PanelContext) -> list[dict[str, Any]]:
        """The ``spec`` of each panel of this kind the picture gets: one panel, by default."""
        return [{}]

    @classmethod
    def shares_value_axis(cls, context: PanelContext) -> bool:
        """Whether this kind's panels side by side read off one value axis (its ticks shown once)."""
        return False

    @abstractmethod
    def draw(self, ax: Axes, *args: Any, **spec: Any) -> Sequence[Artist]:
        """Draw the static parts into ``ax``; return the artists ``update`` changes. Each kind names the
        ``spec`` keywords it takes (what its ``instances`` gives)."""

    @abstractmethod
    def update(self, frame: int) -> None:
        """Set the changing artists to recording frame ``frame`` (the figure draws them)."""

    def bind(self, recording: Recording) -> bool:
        """Draw from ``recording`` from now on: a longer recording of the same runs, as the live view's
        recording grows (see ``AnimatedFigure.follow``). False when the panel cannot show it without
        being built again; panels that keep arrays derived from the recording recompute them here."""
        self.recording = recording
        return True

    def colour_scale(self) -> tuple[Any, str] | None:
        """A map read on a colour scale: (its image, the scale's label); the layout adds one colour bar."""
        return None
