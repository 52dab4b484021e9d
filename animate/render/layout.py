"""Which panels a picture gets and where they go: one table, and the two arrangements it fills.

A row of ``LAYOUT`` puts a panel class into a slot for some picture kinds; each class's
``instances`` says how many panels it makes (none, when the recording lacks what it shows). A slot's
panels are placed in the table's order. Two arrangements:

- ``rows`` (curves over one input feature): the ``main`` slot across the top, one column each; the
  ``side`` slot along the bottom, its first panel (the loss) wider than the rest.
- ``columns`` (maps over two features): the ``main`` slot's maps side by side on the left, one
  colour bar for all of them; the ``side`` slot stacked on the right, sharing the step axis.

The figure hangs its legend on the first ``main`` panel and its step counter on the first ``side``
panel. A new panel is one file under ``panels/`` and one row here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from matplotlib.axes import Axes

from animate.render.panel import Panel, PanelContext
from animate.render.panels import (AccuracyPanel, ClassCurvePanel, ClassMap, HiddenUnitPanel, LossPanel,
                                   PredictionPanel, ProbabilityMap, ValueMap, WeightPathPanel)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CURVES = ("curves", "probability_curves", "class_curves")
MAPS = ("value_map", "probability_map", "class_map")
EVERY_KIND = CURVES + MAPS

LAYOUT: list[tuple[tuple[str, ...], str, type[Panel]]] = [
    # picture kinds                           slot    panel
    (("curves", "probability_curves"),       "main", PredictionPanel),
    (("class_curves",),                      "main", ClassCurvePanel),
    (("value_map",),                         "main", ValueMap),
    (("probability_map",),                   "main", ProbabilityMap),
    (("class_map",),                         "main", ClassMap),
    (EVERY_KIND,                             "side", LossPanel),
    (EVERY_KIND,                             "side", AccuracyPanel),
    (CURVES,                                 "side", WeightPathPanel),
    (CURVES,                                 "side", HiddenUnitPanel),
]

TOP_HEIGHT = 1.35  # rows: the predictions' row, relative to the row below
LOSS_WIDTH = 2.2  # rows: the loss panel, relative to each other panel beside it
MAP_WIDTH = 1.25  # columns: each map, relative to the stacked column on the right


@dataclass(frozen=True)
class Placed:
    """A slot's panels, as the figure needs them after the layout."""

    main: list[Panel]
    side: list[Panel]

    @property
    def panels(self) -> list[Panel]:
        return [*self.main, *self.side]


def slot_panels(kind: str, slot: str, context: PanelContext) -> list[tuple[type[Panel], dict[str, Any]]]:
    """Every panel of ``slot`` for a picture of ``kind``: (class, spec) in the table's order."""
    return [(panel, spec) for kinds, where, panel in LAYOUT if kind in kinds and where == slot
            for spec in panel.instances(context)]


def lay_out(figure: Figure, context: PanelContext) -> Placed:
    """Make the axes and the panels in them, in the order their artists are drawn."""
    kind = context.picture.kind
    main, side = slot_panels(kind, "main", context), slot_panels(kind, "side", context)
    if not main or not side:
        raise ValueError(f"the layout table gives picture '{kind}' no main or no side panel")
    arrange = _in_columns if context.picture.is_map else _in_rows
    return arrange(figure, context, main, side)


def _in_rows(figure: Figure, context: PanelContext, main: list, side: list) -> Placed:
    grid = figure.add_gridspec(2, len(main), height_ratios=(TOP_HEIGHT, 1))
    top: list[Panel] = []
    shared = all(panel.shares_value_axis(context) for panel, _ in main)
    for column, (panel, spec) in enumerate(main):
        share = top[0].ax if top and shared else None
        ax = figure.add_subplot(grid[0, column], sharey=share)
        top.append(panel(ax, context, **spec))
        if share is not None:  # the value axis is read off the first panel
            ax.tick_params(labelleft=False)
            ax.set_ylabel("")
    extras = len(side) - 1
    bottom = grid[1, :].subgridspec(1, len(side), width_ratios=(LOSS_WIDTH,) + (1,) * extras) if extras else None
    below = []
    for column, (panel, spec) in enumerate(side):
        ax = figure.add_subplot(bottom[0, column] if bottom is not None else grid[1, :])
        below.append(panel(ax, context, **spec))
    return Placed(top, below)


def _in_columns(figure: Figure, context: PanelContext, main: list, side: list) -> Placed:
    rows = max(2, len(side))
    grid = figure.add_gridspec(rows, len(main) + 1, width_ratios=(MAP_WIDTH,) * len(main) + (1,))
    maps = [panel(figure.add_subplot(grid[:, column]), context, **spec) for column, (panel, spec) in enumerate(main)]
    stacked: list[Panel] = []
    for row, (panel, spec) in enumerate(side):
        if stacked:  # one step axis for the column, labelled under the last panel
            stacked[-1].ax.set_xlabel("")
        ax: Axes = figure.add_subplot(grid[row, -1] if len(side) > 1 else grid[:, -1],
                                      sharex=stacked[0].ax if stacked else None)
        stacked.append(panel(ax, context, **spec))
    scale = maps[0].colour_scale()
    if scale is not None:
        colourbar = figure.colorbar(scale[0], ax=[panel.ax for panel in maps], fraction=0.05, pad=0.02)
        colourbar.set_label(scale[1])
    return Placed(maps, stacked)
