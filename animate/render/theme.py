"""Light and dark looks: every colour a panel draws with comes from one ``Theme``.

A dark blog or slide deck needs more than a black background: Okabe & Ito's deep blue and black
vanish on it, and white annotation boxes glare. So each theme carries its own run palette (the
same colour-blind-safe hues, reordered so the first runs are the most visible on that background),
its own greys for data, target and grid, and the matplotlib settings for text, ticks and spines.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from matplotlib.colors import to_rgb

from animate.errors import RenderError
from animate.limits import MAX_MAPS, MAX_RUNS  # noqa: F401 - the run palette below holds MAX_RUNS colours


# Okabe & Ito's palette: distinguishable with every common form of colour blindness.
OKABE_ITO = {"blue": "#0072B2", "vermillion": "#D55E00", "green": "#009E73", "pink": "#CC79A7",
             "orange": "#E69F00", "sky": "#56B4E9", "black": "#000000", "yellow": "#F0E442", "white": "#FFFFFF"}


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    text: str  # titles, labels, tick labels
    muted: str  # captions, secondary text, the step cursor
    grid: str
    spine: str
    run_colours: tuple[str, ...]  # one per run, the same in every panel
    class_colours: tuple[str, ...]  # one per class in classifier pictures
    data: str  # training points of a regression
    target: str  # the true function, dashed
    shade: str  # the training range
    box: str  # face of annotation boxes, so text stays readable over curves
    dead: str  # dead hidden units
    map_two_class: str  # colour map of P(positive): light in the uncertain middle
    map_values: str  # colour map of a regression surface
    font_scale: float = 1.0  # a style's font.size over matplotlib's default 10 pt: every size we choose scales

    @property
    def is_dark(self) -> bool:
        """A dark ground (the dark theme's, or a style's such as dark_background): black marks vanish on it."""
        red, green, blue = to_rgb(self.background)
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.5

    def points(self, size: float) -> float:
        """A font size written for 10 pt text, at this theme's scale."""
        return size * self.font_scale

    def run_colour(self, index: int) -> str:
        return self.run_colours[index % len(self.run_colours)]

    def class_colour(self, index: int) -> str:
        return self.class_colours[index % len(self.class_colours)]

    def rc(self) -> dict[str, Any]:
        """matplotlib settings for everything we do not colour ourselves (ticks, spines, labels)."""
        return {
            "figure.facecolor": self.background, "axes.facecolor": self.background,
            "savefig.facecolor": self.background,
            "axes.edgecolor": self.spine, "axes.labelcolor": self.text, "axes.titlecolor": self.text,
            "text.color": self.text, "xtick.color": self.spine, "ytick.color": self.spine,
            "xtick.labelcolor": self.text, "ytick.labelcolor": self.text, "legend.labelcolor": self.text,
            "grid.color": self.grid,
        }


_C = OKABE_ITO
LIGHT = Theme(
    name="light", background="#ffffff", text="#222222", muted="#555555", grid="#e6e6e6", spine="#444444",
    run_colours=(_C["blue"], _C["vermillion"], _C["green"], _C["pink"], _C["orange"], _C["sky"], _C["black"],
                 _C["yellow"]),
    class_colours=(_C["blue"], _C["orange"], _C["green"], _C["pink"], _C["sky"], _C["vermillion"], _C["yellow"],
                   _C["black"]),
    data="#9a9a9a", target="#333333", shade="#f0f0f0", box="#ffffff", dead="#b5b5b5",
    map_two_class="coolwarm", map_values="viridis",
)
DARK = Theme(
    name="dark", background="#16181d", text="#e8e8e8", muted="#a8a8a8", grid="#30343c", spine="#8a8f98",
    # Deep blue and black are unreadable on a dark ground: sky blue and white take their places.
    run_colours=(_C["sky"], _C["orange"], _C["green"], _C["pink"], _C["yellow"], _C["vermillion"], _C["white"],
                 _C["blue"]),
    class_colours=(_C["sky"], _C["orange"], _C["green"], _C["pink"], _C["yellow"], _C["vermillion"], _C["white"],
                   _C["blue"]),
    data="#8c8f96", target="#d0d0d0", shade="#23262d", box="#16181d", dead="#5c6068",
    map_two_class="coolwarm", map_values="viridis",
)
THEMES = {theme.name: theme for theme in (LIGHT, DARK)}


def theme_named(name: str | Theme) -> Theme:
    if isinstance(name, Theme):
        return name
    try:
        return THEMES[str(name).lower()]
    except KeyError:
        raise RenderError(f"unknown theme '{name}'; choose from: {', '.join(THEMES)}") from None
