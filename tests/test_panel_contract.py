"""The panel contract: a panel of one's own is one class and one row of the layout table."""
from __future__ import annotations

import numpy as np
import pytest
from matplotlib.axes import Axes

from animate.render import AnimatedFigure, layout, render
from animate.render.panel import Panel
from animate.render.panels import AccuracyPanel, LossPanel, PredictionPanel, WeightPathPanel
from conftest import synthetic_recording


class LossChangePanel(Panel):
    """A made-up panel: each run's change of loss between frames, growing frame by frame."""

    def draw(self, ax: Axes) -> list:
        self.change = np.diff(self.recording.loss, axis=1, prepend=self.recording.loss[:, :1])
        self.lines = [ax.plot([], [], color=self.theme.run_colour(run))[0] for run in range(len(self.recording.runs))]
        ax.set_xlim(self.recording.steps[0], self.recording.steps[-1])
        ax.set_ylim(self.change.min() - 0.1, self.change.max() + 0.1)
        return self.lines

    def update(self, frame: int) -> None:
        for run, line in enumerate(self.lines):
            line.set_data(self.recording.steps[: frame + 1], self.change[run, : frame + 1])


@pytest.fixture
def with_made_up_panel(monkeypatch):
    monkeypatch.setattr(layout, "LAYOUT", [*layout.LAYOUT, (layout.CURVES, "side", LossChangePanel)])


def test_a_panel_of_ones_own_takes_one_row(with_made_up_panel, tmp_path):
    recording = synthetic_recording()
    figure = AnimatedFigure(recording)
    [panel] = [panel for panel in figure.panels if isinstance(panel, LossChangePanel)]
    assert panel.ax in figure.figure.axes and all(line.get_animated() for line in panel.lines)
    assert all(line in figure.animated for line in panel.lines)  # blitted with the rest
    first = figure.frame(0).copy()
    last = figure.frame(len(recording.steps) - 1).copy()
    x0, y0, x1, y1 = (int(v) for v in panel.ax.get_window_extent().extents)
    height = first.shape[0]
    region = np.s_[height - y1:height - y0, x0:x1]
    assert not np.array_equal(first[region], last[region])  # its lines grew between the frames
    assert len(panel.lines[0].get_xdata()) == len(recording.steps)
    [poster] = render(recording, tmp_path / "made_up.png")
    assert poster.stat().st_size > 0


def test_a_panel_must_say_how_it_moves():
    class Still(Panel):
        def draw(self, ax: Axes) -> list:
            return []

    with pytest.raises(TypeError, match="update"):
        Still(None, None)  # type: ignore[arg-type]


def test_the_table_gives_each_panel_its_slot_in_order():
    figure = AnimatedFigure(synthetic_recording(runs=2, weights=2))
    kinds = [type(panel) for panel in figure.panels]
    # one prediction panel per run, then the loss; a regression has no accuracy; two weights draw their path
    assert kinds == [PredictionPanel, PredictionPanel, LossPanel, WeightPathPanel]
    assert AccuracyPanel not in kinds
    loss = figure.panels[2]
    assert figure.step_text.axes is loss.ax  # the step counter hangs on the first side panel
