"""One small class per panel. Each draws its static parts once and updates a few artists per frame.

Every artist that changes between frames is marked ``animated`` and listed in ``animated``, so
the figure can draw the static background once and blit only these (see ``figure.py``). Axes
limits are fixed from all frames at construction, so nothing jumps while the animation plays.
Colours come from the ``Theme`` each panel is given, never from constants here.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, NullFormatter
from matplotlib.transforms import offset_copy

from animate.recording import Recording
from animate.render.theme import LIGHT, Theme

PAD = 0.08  # fraction of the data range left free around it
MAX_POINTS = 400  # thousands of points only make a blob; a fixed sample shows the data


def run_colour(index: int) -> str:
    """The light theme's colour of run ``index`` (for figures drawn outside an animation)."""
    return LIGHT.run_colour(index)


def sample_points(count: int) -> np.ndarray:
    """Indices of at most MAX_POINTS training points, the same every render."""
    if count <= MAX_POINTS:
        return np.arange(count)
    return np.sort(np.random.default_rng(0).choice(count, MAX_POINTS, replace=False))


def text_box(theme: Theme) -> dict[str, Any]:
    """A box behind annotation text, so it stays readable over curves in either theme."""
    return {"facecolor": theme.box, "alpha": 0.85, "edgecolor": "none", "pad": 1.5}


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


class Panel:
    """What every panel shares: the recording it draws, and the artists that change per frame."""

    recording: Recording
    animated: list[Artist]

    def bind(self, recording: Recording) -> bool:
        """Draw from ``recording`` from now on: a longer recording of the same runs, as the live view's
        recording grows (see ``AnimatedFigure.follow``). False when the panel cannot show it without
        being built again; panels that keep arrays derived from the recording recompute them here."""
        self.recording = recording
        return True


SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_of_ten(value: float, position: int | None = None) -> str:
    """"10⁻³" for a decade, "0" for zero, nothing between decades."""
    if value == 0:
        return "0"
    exponent = np.log10(abs(value))
    if not np.isclose(exponent, round(exponent)):
        return ""
    return ("-" if value < 0 else "") + "10" + str(int(round(exponent))).translate(SUPERSCRIPTS)


def plain_powers_of_ten(axis: Any) -> None:
    """Label a log axis's decades with Unicode superscripts instead of matplotlib's mathtext: the same
    look, without building the mathtext parser (~0.1 s of every render with a log axis)."""
    axis.set_major_formatter(FuncFormatter(power_of_ten))
    axis.set_minor_formatter(NullFormatter())


LINE_SPACING = 1.3  # rows of notes, in lines of their own font size


def row_transform(ax: Axes, row: int, points: float, *, up: bool = False) -> Any:
    """The axes' own coordinates moved ``row`` lines of ``points``-point text down (or up): stacked
    notes never meet, whatever the axes' height or the font's size."""
    return offset_copy(ax.transAxes, fig=ax.figure, y=(1 if up else -1) * row * LINE_SPACING * points, units="points")


def _animated(*artists: Artist) -> list[Artist]:
    for artist in artists:
        artist.set_animated(True)
    return list(artists)


class PredictionPanel(Panel):
    """Training data as light points, the target where known, each run's prediction of one output as a line.

    Classifier pictures reuse it for P(positive class) against x: ``points`` are then the 0/1 labels
    and ``threshold`` draws the 0.5 line.
    """

    def __init__(
        self,
        ax: Axes,
        recording: Recording,
        runs: Sequence[int],
        view: Mapping[str, Any],
        y_limits: tuple[float, float],
        *,
        theme: Theme = LIGHT,
        output: int = 0,
        title: str | None = None,
        ylabel: str | None = None,
        points: tuple[np.ndarray, np.ndarray] | None = None,
        threshold: float | None = None,
    ) -> None:
        self.recording = recording
        self.runs = list(runs)
        self.output = output
        x = recording.grid[:, 0]
        order = np.argsort(x)
        self.order = order
        self.x = x[order]
        shade = view.get("shade")
        if shade:
            ax.axvspan(shade[0], shade[1], color=theme.shade, zorder=0, lw=0,
                       label=view.get("shade_label", "training range"))
        if points is None and recording.x_train is not None:
            points = recording.x_train[:, 0], recording.y_train[:, output]
        if points is not None:
            pick = sample_points(len(points[0]))
            ax.scatter(points[0][pick], points[1][pick], s=9, color=theme.data, alpha=0.55, lw=0, zorder=1,
                       label="training data")
        if recording.target is not None and threshold is None:
            ax.plot(self.x, recording.target[order, output], ls="--", lw=1.2, color=theme.target, zorder=2,
                    label=view.get("target_label", "target"))
        if threshold is not None:
            ax.axhline(threshold, color=theme.muted, lw=0.8, ls="--", zorder=1)
        self.lines = []
        for run in self.runs:
            # In side-by-side panels the title names the run; the legend then explains only the data.
            label = recording.runs[run] if len(self.runs) > 1 else "_nolegend_"
            (line,) = ax.plot([], [], lw=2.4, color=theme.run_colour(run), zorder=3, label=label)
            self.lines.append(line)
        ax.set_xlim(float(self.x[0]), float(self.x[-1]))
        ax.set_ylim(*y_limits)
        ax.set_xlabel(view.get("xlabel", "x"))
        ax.set_ylabel(ylabel or view.get("ylabel", "y"))
        if title:
            ax.set_title(title, color=theme.run_colour(self.runs[0]), fontsize=theme.points(10), fontweight="bold")
        # A run's note is a text, or {"text": ..., "from_step": N} to keep it hidden until step N.
        self.timed_notes = []
        notes = view.get("run_notes", {})
        for row, run in enumerate(self.runs):
            note = notes.get(recording.runs[run])
            if not note:
                continue
            text, from_step = (note, 0) if isinstance(note, str) else (note["text"], note.get("from_step", 0))
            artist = ax.text(0.03, 0.95 - 0.12 * theme.font_scale * row, text, transform=ax.transAxes,
                             fontsize=theme.points(8.5), va="top",
                             color=theme.run_colour(run), linespacing=1.3, zorder=5, bbox=text_box(theme))
            if from_step:
                self.timed_notes.append((artist, int(from_step)))
        self.readouts = []
        weights = recording.weights
        if weights is not None and weights.shape[2] <= 2:
            for row, run in enumerate(self.runs):
                text = ax.text(0.97, 0.14 + 0.09 * theme.font_scale * row, "", transform=ax.transAxes,
                               fontsize=theme.points(9), ha="right",
                               color=theme.run_colour(run), family="monospace", va="bottom", bbox=text_box(theme))
                self.readouts.append(text)
        self.animated = _animated(*self.lines, *self.readouts, *(artist for artist, _ in self.timed_notes))

    def update(self, frame: int) -> None:
        for artist, from_step in self.timed_notes:
            artist.set_visible(self.recording.steps[frame] >= from_step)
        predictions = self.recording.predictions
        for line, run in zip(self.lines, self.runs):
            line.set_data(self.x, predictions[run, frame, self.order, self.output])
        names = ("w", "b")
        for text, run in zip(self.readouts, self.runs):
            values = self.recording.weights[run, frame]
            text.set_text("  ".join(f"{names[i]} = {v:+.2f}" for i, v in enumerate(values)))


class CurvePanel(Panel):
    """Each run's whole curve (loss, accuracy), faint, with the part up to now drawn over it and a marker.

    ``series`` names the recording's array (``"loss"``, ``"accuracy"``). While a recording still grows
    (``view["expected_steps"]``, the live view), the step axis reaches the expected last step and the
    value axis leaves room below, so most redraws fit in the axes of the first."""

    def __init__(self, ax: Axes, recording: Recording, series: str, view: Mapping[str, Any], *,
                 ylabel: str, theme: Theme = LIGHT, allow_log: bool = True,
                 limits: tuple[float, float] | None = None) -> None:
        self.series = series
        self.bind(recording)
        values = self.values
        steps = recording.steps
        growing = bool(view.get("expected_steps"))
        runs = len(recording.runs)
        finite = values[np.isfinite(values)]
        positive = finite[finite > 0]
        self.log = (allow_log and positive.size > 0 and positive.size == finite.size
                    and positive.max() / positive.min() > 30)
        for run in range(runs):
            ax.plot(steps, values[run], color=theme.run_colour(run), lw=1.0, alpha=0.25, zorder=1)
        # The first run is drawn on top: lessons put the run that shows the effect first.
        self.so_far = [ax.plot([], [], color=theme.run_colour(r), lw=1.6, zorder=2 + (runs - r) / runs)[0] for r in range(runs)]
        # Unclipped: at the first and last steps the dot sits on the axes' edge, and half a dot reads as a glitch.
        self.markers = [
            ax.plot([], [], "o", ms=6, color=theme.run_colour(r), mec=theme.background, mew=1.0, zorder=3,
                    clip_on=False)[0]
            for r in range(runs)
        ]
        for marker in self.markers:  # the layout must not make room for them (an empty line's box is NaN)
            marker.set_in_layout(False)
        self.cursor = ax.axvline(steps[0], color=theme.muted, lw=0.8, ls=":", zorder=0)
        if limits is not None:
            ax.set_ylim(*limits)
        elif self.log:
            ax.set_yscale("log")
            plain_powers_of_ten(ax.yaxis)
            # A diverging run's loss can reach 1e30: cap the axis at 100x the highest starting loss.
            starts = values[:, 0][np.isfinite(values[:, 0]) & (values[:, 0] > 0)]
            ceiling = positive.max() if starts.size == 0 else min(positive.max(), 100 * starts.max())
            low, high = np.log10(positive.min()), np.log10(ceiling)
            margin = (high - low) * PAD
            ax.set_ylim(10 ** (low - margin - growing), 10 ** (high + margin))  # growing: a decade to fall
        else:
            low, high = robust_limits(values, quantile=0.0)
            if growing and finite.size and finite.min() >= 0:  # a loss falls towards 0: leave it the room
                low = min(low, -(high - low) * PAD)
            ax.set_ylim(low, high)
        if view.get("step_scale", "linear") == "symlog":
            ax.set_xscale("symlog", linthresh=max(1, int(steps[1] if len(steps) > 1 else 1)))
            plain_powers_of_ten(ax.xaxis)
        last = max(int(steps[-1]), int(view.get("expected_steps") or 0))
        ax.set_xlim(steps[0], last if last > steps[0] else steps[0] + 1)
        ax.set_xlabel("optimizer step")
        ax.set_ylabel(ylabel)
        ax.grid(True, which="major", color=theme.grid, lw=0.6)
        self.animated = _animated(*self.so_far, *self.markers, self.cursor)

    def bind(self, recording: Recording) -> bool:
        self.recording = recording
        self.values = getattr(recording, self.series)
        return True

    def update(self, frame: int) -> None:
        steps = self.recording.steps
        for run, (line, marker) in enumerate(zip(self.so_far, self.markers)):
            line.set_data(steps[: frame + 1], self.values[run, : frame + 1])
            marker.set_data([steps[frame]], [self.values[run, frame]])
        self.cursor.set_xdata([steps[frame], steps[frame]])


LOSS_NAMES = {
    "mse": "MSE", "mean_squared_error": "MSE", "mae": "MAE", "mean_absolute_error": "MAE",
    "msle": "MSLE", "mean_squared_logarithmic_error": "MSLE", "mape": "MAPE",
    "mean_absolute_percentage_error": "MAPE", "huber": "Huber", "log_cosh": "log-cosh", "logcosh": "log-cosh",
    "binary_crossentropy": "binary cross-entropy", "categorical_crossentropy": "categorical cross-entropy",
    "sparse_categorical_crossentropy": "categorical cross-entropy",  # the same loss, integer labels
    "binary_focal_crossentropy": "binary focal cross-entropy", "hinge": "hinge", "squared_hinge": "squared hinge",
    "categorical_hinge": "categorical hinge", "kl_divergence": "KL divergence", "poisson": "Poisson",
}


def loss_label(recording: Recording) -> str:
    """The loss axis names the loss the runs were compiled with (from the recording's meta), where known."""
    names = set()
    for run in recording.meta.get("runs", []):
        if isinstance(run, Mapping):
            loss = str(run.get("loss", "")).lower()
            names.add(LOSS_NAMES.get(loss) or str(run.get("loss_label") or loss.replace("_", " ") or "loss"))
    name = names.pop() if len(names) == 1 else "loss"
    # Two short lines: a long loss name on one line would not fit beside a half-height panel.
    return f"{name}\nwhole training set"


class LossPanel(CurvePanel):
    """The whole-training-set loss of every run, log-scaled where it spans decades."""

    def __init__(self, ax: Axes, recording: Recording, view: Mapping[str, Any], *, theme: Theme = LIGHT) -> None:
        self.divergences: dict[int, int] | None = None  # set below; bind() during construction compares nothing
        super().__init__(ax, recording, "loss", view, ylabel=view.get("loss_label", loss_label(recording)),
                         theme=theme)
        # "count_rises": say how often each run's loss went up so far (the batch-jitter lesson's number).
        runs = len(recording.runs)
        self.rise_texts = []
        if view.get("count_rises"):
            for run in range(runs):
                self.rise_texts.append(ax.text(0.99, 0.95, "", transform=row_transform(ax, run, theme.points(8.5)),
                                               ha="right", va="top", fontsize=theme.points(8.5),
                                               color=theme.run_colour(run)))
        # A diverged run: mark its step, and say so once the animation gets there.
        self.divergences = recording.divergence_frames()
        self.divergence_texts = {}
        for row, (run, frame) in enumerate(sorted(self.divergences.items())):
            step = recording.steps[frame]
            ax.axvline(step, color=theme.run_colour(run), lw=1.2, ls="--", zorder=1)
            self.divergence_texts[run] = ax.text(
                0.02, 0.06, f"{recording.runs[run]} diverged at step {step:,} (NaN/inf)",
                transform=row_transform(ax, row, theme.points(8.5) * 1.15, up=True), fontsize=theme.points(8.5),
                fontweight="bold", color=theme.run_colour(run), va="bottom",
                bbox=text_box(theme))
        self.animated += _animated(*self.rise_texts, *self.divergence_texts.values())
        unknown = recording.loss_unknown_runs()
        if unknown:  # a recorder given no x and y measures no loss: say so, rather than leave a blank panel
            who = "" if len(unknown) == runs else ", ".join(recording.runs[run] for run in unknown) + ": "
            why = ("the recorder was given no training set, x= and y=" if recording.x_train is None
                   else "NaN at every recorded step")
            ax.text(0.5, 0.5, f"{who}loss not measured\n({why})", transform=ax.transAxes, ha="center",
                    va="center", fontsize=theme.points(9), color=theme.muted)
            if len(unknown) == runs:  # nothing to read off the value axis
                ax.tick_params(axis="y", labelleft=False, left=False)

    def bind(self, recording: Recording) -> bool:
        super().bind(recording)
        runs = len(recording.runs)
        with np.errstate(invalid="ignore"):  # inf - inf in a diverged run is no rise
            rose = np.diff(recording.loss, axis=1) > 0
        self.rises = np.cumsum(np.concatenate([np.zeros((runs, 1)), rose], axis=1), axis=1)
        # A run that diverged since the figure was built needs its marker line: a static part.
        return self.divergences is None or recording.divergence_frames() == self.divergences

    def update(self, frame: int) -> None:
        super().update(frame)
        for run, text in self.divergence_texts.items():
            text.set_visible(frame >= self.divergences[run])
        for run, text in enumerate(self.rise_texts):
            text.set_text(f"{self.recording.runs[run]}: loss rose at {int(self.rises[run, frame])} steps")


class WeightPathPanel(Panel):
    """For a two-parameter net, the path of (w, b) in parameter space; a frozen run stays a dot."""

    def __init__(self, ax: Axes, recording: Recording, view: Mapping[str, Any], *, theme: Theme = LIGHT) -> None:
        self.recording = recording
        weights = recording.weights
        if recording.landscape is not None:
            surface = np.log10(np.maximum(recording.landscape, 1e-12))
            ax.contourf(recording.landscape_w, recording.landscape_b, surface, levels=14,
                        cmap="Greys_r" if theme.is_dark else "Greys", alpha=0.45,
                        zorder=0)
            ax.contour(recording.landscape_w, recording.landscape_b, surface, levels=14, colors=theme.muted,
                       linewidths=0.4, alpha=0.6, zorder=0)
        for run in range(len(recording.runs)):
            ax.plot(weights[run, :, 0], weights[run, :, 1], color=theme.run_colour(run), lw=0.8, alpha=0.2)
            ax.plot(weights[run, 0, 0], weights[run, 0, 1], "o", ms=5, mfc=theme.background, mec=theme.run_colour(run), mew=1.2)
        optimum = view.get("weights_optimum")
        if optimum:
            ax.plot(*optimum, marker="*", ms=11, color=theme.target, lw=0, zorder=1)
            ax.annotate("best fit", optimum, xytext=(-8, 0), textcoords="offset points", fontsize=theme.points(8),
                        color=theme.target, ha="right", va="center")
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
                     fontsize=theme.points(9))
        ax.grid(True, color=theme.grid, lw=0.6)
        self.paths = [ax.plot([], [], color=theme.run_colour(r), lw=1.6)[0] for r in range(len(recording.runs))]
        self.heads = [ax.plot([], [], "o", ms=6, color=theme.run_colour(r))[0] for r in range(len(recording.runs))]
        self.animated = _animated(*self.paths, *self.heads)

    def update(self, frame: int) -> None:
        weights = self.recording.weights
        for run, (path, head) in enumerate(zip(self.paths, self.heads)):
            path.set_data(weights[run, : frame + 1, 0], weights[run, : frame + 1, 1])
            head.set_data([weights[run, frame, 0]], [weights[run, frame, 1]])
