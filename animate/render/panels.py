"""One small class per panel. Each draws its static parts once and updates a few artists per frame.

Every artist that changes between frames is marked ``animated`` and listed in ``animated``, so
the figure can draw the static background once and blit only these (see ``figure.py``). Axes
limits are fixed from all frames at construction, so nothing jumps while the animation plays.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes

from animate.recording import Recording

# Okabe & Ito's palette: distinguishable with every common form of colour blindness.
RUN_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
DATA_COLOUR = "#9a9a9a"
TARGET_COLOUR = "#333333"
SHADE_COLOUR = "#f0f0f0"
PAD = 0.08  # fraction of the data range left free around it


def run_colour(index: int) -> str:
    return RUN_COLOURS[index % len(RUN_COLOURS)]


def robust_limits(values: np.ndarray, *, quantile: float = 0.005, pad: float = PAD) -> tuple[float, float]:
    """Limits that hold nearly every finite value, ignoring the few wild ones (a diverging step)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return -1.0, 1.0
    low, high = np.quantile(finite, [quantile, 1 - quantile])
    if high - low <= 1e-9 * max(1.0, abs(high)):  # one value: give it room, relative to its size
        half = max(0.5, abs(high) * 0.1)
        low, high = low - half, high + half
    margin = (high - low) * pad
    return float(low - margin), float(high + margin)


def _animated(*artists: Artist) -> list[Artist]:
    for artist in artists:
        artist.set_animated(True)
    return list(artists)


class PredictionPanel:
    """Training data as light points, the target where known, each run's prediction as a line."""

    def __init__(
        self,
        ax: Axes,
        recording: Recording,
        runs: Sequence[int],
        view: Mapping[str, Any],
        y_limits: tuple[float, float],
        *,
        title: str | None = None,
    ) -> None:
        self.recording = recording
        self.runs = list(runs)
        x = recording.grid[:, 0]
        order = np.argsort(x)
        self.order = order
        self.x = x[order]
        shade = view.get("shade")
        if shade:
            ax.axvspan(shade[0], shade[1], color=SHADE_COLOUR, zorder=0, lw=0,
                       label=view.get("shade_label", "training range"))
        if recording.x_train is not None:
            x_train, y_train = recording.x_train[:, 0], recording.y_train[:, 0]
            if len(x_train) > 400:  # thousands of points only make a grey blob; a sample shows the data
                pick = np.random.default_rng(0).choice(len(x_train), 400, replace=False)
                x_train, y_train = x_train[pick], y_train[pick]
            ax.scatter(x_train, y_train, s=9, color=DATA_COLOUR, alpha=0.55, lw=0, zorder=1, label="training data")
        if recording.target is not None:
            ax.plot(self.x, recording.target[order, 0], ls="--", lw=1.2, color=TARGET_COLOUR, zorder=2,
                    label=view.get("target_label", "target"))
        self.lines = []
        for run in self.runs:
            # In side-by-side panels the title names the run; the legend then explains only the data.
            label = recording.runs[run] if len(self.runs) > 1 else "_nolegend_"
            (line,) = ax.plot([], [], lw=2.4, color=run_colour(run), zorder=3, label=label)
            self.lines.append(line)
        ax.set_xlim(float(self.x[0]), float(self.x[-1]))
        ax.set_ylim(*y_limits)
        ax.set_xlabel(view.get("xlabel", "x"))
        ax.set_ylabel(view.get("ylabel", "y"))
        if title:
            ax.set_title(title, color=run_colour(self.runs[0]), fontsize=10, fontweight="bold")
        # A run's note is a text, or {"text": ..., "from_step": N} to keep it hidden until step N.
        self.timed_notes = []
        notes = view.get("run_notes", {})
        for row, run in enumerate(self.runs):
            note = notes.get(recording.runs[run])
            if not note:
                continue
            text, from_step = (note, 0) if isinstance(note, str) else (note["text"], note.get("from_step", 0))
            artist = ax.text(0.03, 0.95 - 0.12 * row, text, transform=ax.transAxes, fontsize=8.5, va="top",
                             color=run_colour(run), linespacing=1.3, zorder=5,
                             bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none", "pad": 1.5})
            if from_step:
                self.timed_notes.append((artist, int(from_step)))
        self.readouts = []
        weights = recording.weights
        if weights is not None and weights.shape[2] <= 2:
            for row, run in enumerate(self.runs):
                text = ax.text(0.97, 0.14 + 0.09 * row, "", transform=ax.transAxes, fontsize=9, ha="right",
                               color=run_colour(run), family="monospace", va="bottom",
                               bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none", "pad": 1.5})
                self.readouts.append(text)
        self.animated = _animated(*self.lines, *self.readouts, *(artist for artist, _ in self.timed_notes))

    def update(self, frame: int) -> None:
        for artist, from_step in self.timed_notes:
            artist.set_visible(self.recording.steps[frame] >= from_step)
        predictions = self.recording.predictions
        for line, run in zip(self.lines, self.runs):
            line.set_data(self.x, predictions[run, frame, self.order, 0])
        names = ("w", "b")
        for text, run in zip(self.readouts, self.runs):
            values = self.recording.weights[run, frame]
            text.set_text("  ".join(f"{names[i]} = {v:+.2f}" for i, v in enumerate(values)))


class CurvePanel:
    """Each run's whole curve (loss, accuracy), faint, with the part up to now drawn over it and a marker."""

    def __init__(self, ax: Axes, recording: Recording, values: np.ndarray, view: Mapping[str, Any], *,
                 ylabel: str, allow_log: bool = True, limits: tuple[float, float] | None = None) -> None:
        self.recording = recording
        self.values = values
        steps = recording.steps
        runs = len(recording.runs)
        finite = values[np.isfinite(values)]
        positive = finite[finite > 0]
        self.log = (allow_log and positive.size > 0 and positive.size == finite.size
                    and positive.max() / positive.min() > 30)
        for run in range(runs):
            ax.plot(steps, values[run], color=run_colour(run), lw=1.0, alpha=0.25, zorder=1)
        # The first run is drawn on top: lessons put the run that shows the effect first.
        self.so_far = [ax.plot([], [], color=run_colour(r), lw=1.6, zorder=2 + (runs - r) / runs)[0] for r in range(runs)]
        self.markers = [
            ax.plot([], [], "o", ms=6, color=run_colour(r), mec="white", mew=1.0, zorder=3)[0]
            for r in range(runs)
        ]
        self.cursor = ax.axvline(steps[0], color="#555555", lw=0.8, ls=":", zorder=0)
        if limits is not None:
            ax.set_ylim(*limits)
        elif self.log:
            ax.set_yscale("log")
            # A diverging run's loss can reach 1e30: cap the axis at 100x the highest starting loss.
            starts = values[:, 0][np.isfinite(values[:, 0]) & (values[:, 0] > 0)]
            ceiling = positive.max() if starts.size == 0 else min(positive.max(), 100 * starts.max())
            low, high = np.log10(positive.min()), np.log10(ceiling)
            margin = (high - low) * PAD
            ax.set_ylim(10 ** (low - margin), 10 ** (high + margin))
        else:
            ax.set_ylim(*robust_limits(values, quantile=0.0))
        if view.get("step_scale", "linear") == "symlog":
            ax.set_xscale("symlog", linthresh=max(1, int(steps[1] if len(steps) > 1 else 1)))
        ax.set_xlim(steps[0], steps[-1] if steps[-1] > steps[0] else steps[0] + 1)
        ax.set_xlabel("optimizer step")
        ax.set_ylabel(ylabel)
        ax.grid(True, which="major", color="#e6e6e6", lw=0.6)
        self.animated = _animated(*self.so_far, *self.markers, self.cursor)

    def update(self, frame: int) -> None:
        steps = self.recording.steps
        for run, (line, marker) in enumerate(zip(self.so_far, self.markers)):
            line.set_data(steps[: frame + 1], self.values[run, : frame + 1])
            marker.set_data([steps[frame]], [self.values[run, frame]])
        self.cursor.set_xdata([steps[frame], steps[frame]])


LOSS_NAMES = {"mse": "MSE", "mean_squared_error": "MSE", "mae": "MAE", "mean_absolute_error": "MAE"}


def loss_label(recording: Recording) -> str:
    """The loss axis names the loss the runs were trained with (from the recording's meta), where known."""
    names = {str(run.get("loss", "")) for run in recording.meta.get("runs", []) if isinstance(run, dict)}
    name = LOSS_NAMES.get(names.pop(), "loss") if len(names) == 1 else "loss"
    return f"{name}, whole training set"


class LossPanel(CurvePanel):
    """The whole-training-set loss of every run, log-scaled where it spans decades."""

    def __init__(self, ax: Axes, recording: Recording, view: Mapping[str, Any]) -> None:
        super().__init__(ax, recording, recording.loss, view, ylabel=view.get("loss_label", loss_label(recording)))
        # "count_rises": say how often each run's loss went up so far (the batch-jitter lesson's number).
        runs = len(recording.runs)
        with np.errstate(invalid="ignore"):  # inf - inf in a diverged run is no rise
            rose = np.diff(recording.loss, axis=1) > 0
        self.rises = np.cumsum(np.concatenate([np.zeros((runs, 1)), rose], axis=1), axis=1)
        self.rise_texts = []
        if view.get("count_rises"):
            for run in range(runs):
                self.rise_texts.append(ax.text(0.99, 0.95 - 0.12 * run, "", transform=ax.transAxes, ha="right",
                                               va="top", fontsize=8.5, color=run_colour(run)))
        # A diverged run: mark its step, and say so once the animation gets there.
        self.divergences = recording.divergence_frames()
        self.divergence_texts = {}
        for row, (run, frame) in enumerate(sorted(self.divergences.items())):
            step = recording.steps[frame]
            ax.axvline(step, color=run_colour(run), lw=1.2, ls="--", zorder=1)
            self.divergence_texts[run] = ax.text(
                0.02, 0.06 + 0.13 * row, f"{recording.runs[run]} diverged at step {step:,} (NaN/inf)",
                transform=ax.transAxes, fontsize=8.5, fontweight="bold", color=run_colour(run), va="bottom",
                bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none", "pad": 1.5})
        self.animated += _animated(*self.rise_texts, *self.divergence_texts.values())

    def update(self, frame: int) -> None:
        super().update(frame)
        for run, text in self.divergence_texts.items():
            text.set_visible(frame >= self.divergences[run])
        for run, text in enumerate(self.rise_texts):
            text.set_text(f"{self.recording.runs[run]}: loss rose at {int(self.rises[run, frame])} steps")


class WeightPathPanel:
    """For a two-parameter net, the path of (w, b) in parameter space; a frozen run stays a dot."""

    def __init__(self, ax: Axes, recording: Recording, view: Mapping[str, Any]) -> None:
        self.recording = recording
        weights = recording.weights
        if recording.landscape is not None:
            surface = np.log10(np.maximum(recording.landscape, 1e-12))
            ax.contourf(recording.landscape_w, recording.landscape_b, surface, levels=14, cmap="Greys", alpha=0.45,
                        zorder=0)
            ax.contour(recording.landscape_w, recording.landscape_b, surface, levels=14, colors="#888888",
                       linewidths=0.4, alpha=0.6, zorder=0)
        for run in range(len(recording.runs)):
            ax.plot(weights[run, :, 0], weights[run, :, 1], color=run_colour(run), lw=0.8, alpha=0.2)
            ax.plot(weights[run, 0, 0], weights[run, 0, 1], "o", ms=5, mfc="white", mec=run_colour(run), mew=1.2)
        optimum = view.get("weights_optimum")
        if optimum:
            ax.plot(*optimum, marker="*", ms=11, color=TARGET_COLOUR, lw=0, zorder=1)
            ax.annotate("best fit", optimum, xytext=(-8, 0), textcoords="offset points", fontsize=8,
                        color=TARGET_COLOUR, ha="right", va="center")
        if recording.landscape is not None:
            ax.set_xlim(recording.landscape_w[0], recording.landscape_w[-1])
            ax.set_ylim(recording.landscape_b[0], recording.landscape_b[-1])
        else:
            both = np.concatenate([weights[..., :2].reshape(-1, 2), np.atleast_2d(optimum or weights[0, 0, :2])])
            ax.set_xlim(*robust_limits(both[:, 0], quantile=0.0, pad=0.15))
            ax.set_ylim(*robust_limits(both[:, 1], quantile=0.0, pad=0.15))
        ax.set_xlabel("w (weight)")
        ax.set_ylabel("b (bias)")
        ax.set_title("(w, b) on the loss surface" if recording.landscape is not None else "path of (w, b)",
                     fontsize=9)
        ax.grid(True, color="#eeeeee", lw=0.6)
        self.paths = [ax.plot([], [], color=run_colour(r), lw=1.6)[0] for r in range(len(recording.runs))]
        self.heads = [ax.plot([], [], "o", ms=6, color=run_colour(r))[0] for r in range(len(recording.runs))]
        self.animated = _animated(*self.paths, *self.heads)

    def update(self, frame: int) -> None:
        weights = self.recording.weights
        for run, (path, head) in enumerate(zip(self.paths, self.heads)):
            path.set_data(weights[run, : frame + 1, 0], weights[run, : frame + 1, 1])
            head.set_data([weights[run, frame, 0]], [weights[run, frame, 1]])
