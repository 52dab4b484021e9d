"""The plain-matplotlib way to animate a recording: the baseline for bench/render_speed.py.

    python bench/_baseline_funcanimation.py REC.npz OUT.gif|OUT.mp4 --frames N [--hold H]

What people write by hand: a pyplot figure (720x480 pixels at dpi 100) with the same panels as
nn-animate (one prediction panel per run with training points, target and prediction line and a
(w, b) readout; the loss panel with faint whole curves, the curve so far, a moving marker and a
cursor; the (w, b) path panel), laid out once with tight_layout, then ``FuncAnimation`` with
``blit=False`` updating the same data per frame and ``PillowWriter(fps=20)`` (GIF) or
``FFMpegWriter(fps=20)`` (MP4, matplotlib's defaults: H.264, yuv420p) to save it.

It shows N video frames: N - H recording frames spread evenly over the recording, then the last
one held for H frames, exactly like ``animate.render.video_frame_indices``. Imports only NumPy,
matplotlib and imageio-ffmpeg (for the ffmpeg binary), never nn-animate.

A recording over a 2-D lattice (a classifier, e.g. the classifier lesson: grid of shape (N, 2+))
gets the map nn-animate draws instead of prediction curves: per run an ``imshow`` of P(class
``view.map_class``) over ``view.map_axes`` (coolwarm, 0..1) under the training points (white
circles, black triangles, at most 400 as nn-animate shows) with the 0.5 decision boundary,
re-contoured each frame with ``ax.contour`` (the previous one removed), a colour bar, and on the
right the loss panel over an accuracy panel when recorded; laid out once with tight_layout too.
For curves, a lesson whose nn-animate picture has more panels (hidden units, as in activations,
local_optimum, square) is drawn with the panels above only, so there the baseline does less.
"""
from __future__ import annotations

import argparse
import json
import sys

import imageio_ffmpeg
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.animation import FFMpegWriter, FuncAnimation, PillowWriter  # noqa: E402

COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
FPS = 20


def animate(path: str, out: str, frames: int, hold: int) -> None:
    data = np.load(path, allow_pickle=False)
    meta = json.loads(str(data["meta"]))
    view = meta.get("view", {})
    runs = [str(name) for name in data["runs"]]
    steps, grid, predictions, loss = data["steps"], data["grid"][:, 0], data["predictions"], data["loss"]
    weights = data["weights"] if "weights" in data and data["weights"].shape[2] == 2 else None
    count = len(steps)
    indices = np.concatenate([np.round(np.linspace(0, count - 1, frames - hold)).astype(int), [count - 1] * hold])

    fig = plt.figure(figsize=(7.2, 4.8), dpi=100)
    fig.suptitle(meta.get("message") or meta.get("lesson", ""), fontsize=11.5, fontweight="bold", wrap=True)
    if data["grid"].shape[1] >= 2 and len(np.unique(data["grid"][:, 1])) > 1:
        update = _maps(fig, data, meta, view, runs, steps, loss)
    else:
        update = _curves(fig, data, view, runs, steps, grid, predictions, loss, weights)
    animation = FuncAnimation(fig, update, frames=indices, blit=False, repeat=False)
    _save(animation, out)


def _curves(fig, data, view, runs, steps, grid, predictions, loss, weights):
    """The curves layout for a 1-D grid: returns FuncAnimation's update function."""
    layout = fig.add_gridspec(2, 3 * len(runs), height_ratios=(1.35, 1))
    lines, readouts = _prediction_panels(fig, layout, data, view, runs, grid, predictions)
    so_far, markers, cursor, step_text = _loss_panel(fig, layout, view, runs, steps, loss)
    paths, heads = _path_panel(fig, layout, runs, weights)
    fig.tight_layout()

    def update(i: int) -> None:
        for r in range(len(runs)):
            lines[r].set_data(grid, predictions[r, i, :, 0])
            so_far[r].set_data(steps[: i + 1], loss[r, : i + 1])
            markers[r].set_data([steps[i]], [loss[r, i]])
            if weights is not None:
                readouts[r].set_text(f"w = {weights[r, i, 0]:+.2f}  b = {weights[r, i, 1]:+.2f}")
                paths[r].set_data(weights[r, : i + 1, 0], weights[r, : i + 1, 1])
                heads[r].set_data([weights[r, i, 0]], [weights[r, i, 1]])
        cursor.set_xdata([steps[i], steps[i]])
        step_text.set_text(f"step {steps[i]:,} / {steps[-1]:,}")

    return update


def _prediction_panels(fig, layout, data, view, runs, grid, predictions):
    """One prediction panel per run, along the top row: its prediction lines and (w, b) readouts."""
    lines, readouts = [], []
    for r, name in enumerate(runs):
        ax = fig.add_subplot(layout[0, 3 * r: 3 * r + 3])
        if "x_train" in data:
            ax.scatter(data["x_train"][:, 0], data["y_train"][:, 0], s=9, color="#9a9a9a", alpha=0.55, lw=0,
                       label="training data")
        if "target" in data:
            ax.plot(grid, data["target"][:, 0], "--", lw=1.2, color="#333333", label=view.get("target_label", "target"))
        lines.append(ax.plot([], [], lw=2.4, color=COLOURS[r])[0])
        readouts.append(ax.text(0.97, 0.14, "", transform=ax.transAxes, ha="right", color=COLOURS[r],
                                family="monospace", fontsize=9))
        note = view.get("run_notes", {}).get(name)
        if note:
            ax.text(0.03, 0.95, note, transform=ax.transAxes, fontsize=8.5, va="top", color=COLOURS[r])
        ax.set_xlim(grid.min(), grid.max())
        ax.set_ylim(np.nanmin(predictions) - 0.2, np.nanmax(predictions) + 0.2)
        ax.set_title(name, color=COLOURS[r], fontsize=10, fontweight="bold")
        ax.set_xlabel(view.get("xlabel", "x"))
        if r == 0:
            ax.set_ylabel(view.get("ylabel", "prediction"))
            ax.legend(loc="upper left", fontsize=8, frameon=False)
    return lines, readouts


def _loss_panel(fig, layout, view, runs, steps, loss):
    """The loss panel, bottom left: faint whole curves, then the curves so far, markers, cursor and step."""
    loss_ax = fig.add_subplot(layout[1, : 2 * len(runs)])
    for r in range(len(runs)):
        loss_ax.plot(steps, loss[r], color=COLOURS[r], lw=1.0, alpha=0.25)
    so_far = [loss_ax.plot([], [], color=COLOURS[r], lw=1.8)[0] for r in range(len(runs))]
    markers = [loss_ax.plot([], [], "o", ms=6, color=COLOURS[r], mec="white")[0] for r in range(len(runs))]
    cursor = loss_ax.axvline(steps[0], color="#555555", lw=0.8, ls=":")
    positive = loss[np.isfinite(loss) & (loss > 0)]
    if positive.size and positive.max() / positive.min() > 30:
        loss_ax.set_yscale("log")
    loss_ax.set_xlabel("optimizer step")
    loss_ax.set_ylabel(view.get("loss_label", "loss, whole training set"))
    loss_ax.grid(True, color="#e6e6e6", lw=0.6)
    step_text = loss_ax.text(1.0, 1.03, "", transform=loss_ax.transAxes, ha="right", family="monospace",
                             fontweight="bold")
    return so_far, markers, cursor, step_text


def _path_panel(fig, layout, runs, weights):
    """The (w, b) path panel, bottom right, for two-parameter runs: each run's path so far and head."""
    paths, heads = [], []
    if weights is not None:
        w_ax = fig.add_subplot(layout[1, 2 * len(runs):])
        for r in range(len(runs)):
            w_ax.plot(weights[r, :, 0], weights[r, :, 1], color=COLOURS[r], lw=0.8, alpha=0.2)
            paths.append(w_ax.plot([], [], color=COLOURS[r], lw=1.6)[0])
            heads.append(w_ax.plot([], [], "o", ms=6, color=COLOURS[r])[0])
        w_ax.set_xlabel("w (weight)")
        w_ax.set_ylabel("b (bias)")
        w_ax.set_title("path of (w, b)", fontsize=9)
        w_ax.grid(True, color="#eeeeee", lw=0.6)
    return paths, heads


def _save(animation: FuncAnimation, out: str) -> None:
    if out.endswith(".gif"):
        writer = PillowWriter(fps=FPS)
    else:
        plt.rcParams["animation.ffmpeg_path"] = imageio_ffmpeg.get_ffmpeg_exe()
        writer = FFMpegWriter(fps=FPS)
    animation.save(out, writer=writer, dpi=100)


def _maps(fig, data, meta, view, runs, steps, loss):
    """The map layout for a 2-D lattice: returns FuncAnimation's update function."""
    grid, predictions = data["grid"], data["predictions"]
    first, second = (int(k) for k in view.get("map_axes", (0, 1)))
    xs, ys = np.unique(grid[:, first]), np.unique(grid[:, second])
    order = np.lexsort((grid[:, first], grid[:, second]))  # rows of y, x varying fastest
    positive = int(view.get("map_class", 1))
    output = positive if predictions.shape[3] > 1 else 0
    surfaces = predictions[:, :, order, output].reshape(len(runs), len(steps), len(ys), len(xs))
    accuracy = data["accuracy"] if "accuracy" in data else None
    layout = fig.add_gridspec(2, len(runs) + 1, width_ratios=(1.25,) * len(runs) + (1,))
    boundaries = [None] * len(runs)
    images, map_axes = _map_panels(fig, layout, data, view, runs, surfaces, (xs, ys), (first, second), positive)
    moving, step_text = _curve_panels(fig, layout, view, runs, steps, loss, accuracy)
    fig.tight_layout()  # laid out once, as the curves are; then the colour bar takes its share of the maps
    fig.colorbar(images[0], ax=map_axes, fraction=0.05, pad=0.02)

    def update(i: int) -> None:
        for r, ax in enumerate(map_axes):
            images[r].set_data(surfaces[r, i])
            if boundaries[r] is not None:
                boundaries[r].remove()
            boundaries[r] = ax.contour(xs, ys, surfaces[r, i], levels=[0.5], colors="black", linewidths=1.8)
        for line, marker, values in moving:
            line.set_data(steps[: i + 1], values[: i + 1])
            marker.set_data([steps[i]], [values[i]])
        step_text.set_text(f"step {steps[i]:,} / {steps[-1]:,}")

    return update


def _map_panels(fig, layout, data, view, runs, surfaces, lattice, map_axes_index, positive):
    """One map per run, in the left columns, under (at most 400 of) the training points; returns the
    maps' images and axes."""
    grid = data["grid"]
    xs, ys = lattice
    first, second = map_axes_index
    names = list(view.get("feature_names") or [f"feature {k}" for k in range(grid.shape[1])])
    labels = view.get("map_labels") or [names[first], names[second]]
    images, map_axes = [], []
    x_train = data["x_train"] if "x_train" in data else None
    if x_train is not None:
        pick = np.arange(len(x_train)) if len(x_train) <= 400 else np.sort(
            np.random.default_rng(0).choice(len(x_train), 400, replace=False))
        y = data["y_train"][pick]
        is_positive = (y.argmax(axis=1) == positive) if y.shape[1] > 1 else (y[:, 0] == positive)
    for r, name in enumerate(runs):
        ax = fig.add_subplot(layout[:, r])
        images.append(ax.imshow(surfaces[r, 0], origin="lower", extent=(xs[0], xs[-1], ys[0], ys[-1]),
                                aspect="auto", cmap="coolwarm", vmin=0, vmax=1, interpolation="bilinear", alpha=0.9))
        if x_train is not None:
            points = x_train[pick]
            ax.scatter(points[~is_positive, first], points[~is_positive, second], s=15, marker="o", color="white",
                       edgecolors="#222222", linewidths=0.6, zorder=2)
            ax.scatter(points[is_positive, first], points[is_positive, second], s=15, marker="^", color="#111111",
                       edgecolors="white", linewidths=0.6, zorder=2)
        ax.set_title(name, color=COLOURS[r], fontsize=10, fontweight="bold")
        ax.set_xlabel(labels[0])
        ax.set_ylabel(labels[1])
        map_axes.append(ax)
    return images, map_axes


def _curve_panels(fig, layout, view, runs, steps, loss, accuracy):
    """The loss panel in the right column, over an accuracy panel when recorded; returns each run's
    (line, marker, values) per panel and the step counter."""
    loss_ax = fig.add_subplot(layout[0, -1] if accuracy is not None else layout[:, -1])
    panels = [(loss_ax, loss)] + ([(fig.add_subplot(layout[1, -1], sharex=loss_ax), accuracy)]
                                  if accuracy is not None else [])
    moving = []
    for ax, values in panels:
        for r in range(len(runs)):
            moving.append((ax.plot([], [], color=COLOURS[r], lw=1.8)[0], ax.plot([], [], "o", ms=6, color=COLOURS[r],
                                                                                    mec="white")[0], values[r]))
        finite = values[np.isfinite(values)]
        ax.set_xlim(steps[0], steps[-1])
        ax.set_ylim(finite.min() - 0.02, finite.max() + 0.02)
        ax.grid(True, color="#e6e6e6", lw=0.6)
    loss_ax.set_ylabel(view.get("loss_label", "loss"))
    panels[-1][0].set_xlabel("optimizer step")
    if accuracy is not None:
        panels[-1][0].set_ylabel("accuracy\nwhole training set")
    step_text = loss_ax.text(1.0, 1.03, "", transform=loss_ax.transAxes, ha="right", family="monospace",
                             fontweight="bold")
    return moving, step_text


def main() -> None:
    if len(sys.argv) == 1:  # `make bench` runs every bench/*.py; this one is a helper, not a benchmark
        print("_baseline_funcanimation.py: helper of render_speed.py; nothing to do without arguments")
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recording")
    parser.add_argument("out", help="a .gif or .mp4 path")
    parser.add_argument("--frames", type=int, required=True, help="video frames in all, hold included")
    parser.add_argument("--hold", type=int, default=FPS, help="video frames showing the last recording frame")
    args = parser.parse_args()
    animate(args.recording, args.out, args.frames, args.hold)


if __name__ == "__main__":
    main()
