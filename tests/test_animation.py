"""Recording.animation(): matplotlib's own Animation over the renderer's figure and video frames."""
from __future__ import annotations

import re

import numpy as np
import pytest
from matplotlib.animation import AbstractMovieWriter, FuncAnimation

from animate.render import video_frame_indices


@pytest.mark.slow  # ~3.5 s
def test_to_jshtml_holds_every_video_frame(recording):
    options = {"fps": 6, "duration": 2, "hold": 0.5, "width": 480, "height": 320}
    anim = recording.animation(**options)
    assert isinstance(anim, FuncAnimation)
    html = anim.to_jshtml()
    frames = re.findall(r'frames\[(\d+)\] = "data:image/png;base64,([^"]*)"', html, re.S)
    expected = len(video_frame_indices(len(recording.steps), fps=6, duration=2, hold=0.5))
    assert [int(number) for number, _ in frames] == list(range(expected))
    pictures = [data for _, data in frames]
    assert pictures[0] != pictures[expected // 2] != pictures[-4]  # the curves and the step counter move
    assert pictures[-1] == pictures[-2]  # the held last frame


def test_a_writer_of_ones_own_gets_every_video_frame_drawn(recording, tmp_path):
    anim = recording.animation(fps=5, duration=2, hold=0.4, width=480, height=320, title="My own title")
    figure = anim.animated_figure
    assert anim._fig is figure.figure and figure.figure._suptitle.get_text() == "My own title"

    class StepTexts(AbstractMovieWriter):
        """A writer of one's own: notes the step counter and the fitted curve at every frame."""

        def setup(self, fig, outfile, dpi=None):
            super().setup(fig, outfile, dpi)
            self.seen = []

        def grab_frame(self, **savefig_kwargs):
            curve = figure.panels[0].lines[0].get_ydata()
            self.seen.append((figure.step_text.get_text(), float(np.max(curve))))

        def finish(self):
            pass

    writer = StepTexts(fps=5)
    anim.save(tmp_path / "unused.x", writer=writer)
    indices = video_frame_indices(len(recording.steps), fps=5, duration=2, hold=0.4)
    assert [text for text, _ in writer.seen] == [f"step {recording.steps[i]:>3} / 290" for i in indices]
    peaks = [peak for _, peak in writer.seen]
    np.testing.assert_allclose(peaks, recording.predictions[0, indices, :, 0].max(axis=1), rtol=1e-6)
