"""How much ``live=True`` slows ``model.fit`` in a Jupyter notebook (target: at most 1.25x).

The fit is recording_overhead.py's: a 1x60 ReLU net on 1,000 points, batch 32, 60 epochs (1,920
steps), Adam, a recorder taking a frame every 10 steps (193 frames). Ours is that recorder with
``live=True`` inside a real Jupyter kernel (nbclient + ipykernel), so the figure is redrawn and sent
to the notebook as it would be for a user; the baseline is the same recorder without ``live``, in the
same kernel. One warm-up fit of each first (the first live redraw also imports and sets up
matplotlib: a one-off cost of the session, not of each fit), then one run of each (``--repeats N``:
N of each, alternately, medians). Also prints how many redraws the live view made, how often, and
the time they took: on a busy machine the plain fit alone varies by +-20% from run to run, and the
drawing time says what live itself costs.
"""
from __future__ import annotations

import argparse
import re

import nbclient
import nbformat
from _common import ROOT, report

KERNEL_CODE = '''
import os, time
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
import keras, numpy as np
import animate.live
from animate import PredictionRecorder

rng = np.random.default_rng(0)
X = rng.uniform(-3, 3, size=(1000, 1)).astype(np.float32)
Y = (np.sin(X) + rng.normal(0, 0.1, size=X.shape)).astype(np.float32)
GRID = np.linspace(-3, 3, 300, dtype=np.float32)[:, None]
redraws = []  # seconds each redraw took
draw = animate.live.NotebookView._draw
def timed_draw(self, *args):
    started = time.perf_counter()
    draw(self, *args)
    redraws.append(time.perf_counter() - started)
animate.live.NotebookView._draw = timed_draw

def fit_seconds(live):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(60, activation="relu"), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    recorder = PredictionRecorder(GRID, every=10, x=X, y=Y, live=live)
    redraws.clear()
    start = time.perf_counter()
    model.fit(X, Y, batch_size=32, epochs=60, verbose=0, callbacks=[recorder])
    return time.perf_counter() - start

fit_seconds(False), fit_seconds(True)  # warm-up
runs = {False: [], True: []}
order = [False, True]
for _ in range(REPEATS):  # alternately: plain, live, live, plain, ...
    for live in order:
        seconds = fit_seconds(live)
        runs[live].append((seconds, len(redraws), sum(redraws)))
    order.reverse()
median = lambda values: sorted(values)[len(values) // 2]
live = median(runs[True])
print(f"RESULT live={live[0]:.3f} plain={median(runs[False])[0]:.3f} redraws={live[1]} drawing={live[2]:.3f}")
'''


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1, help="runs of each, alternately; medians are reported")
    args = parser.parse_args()
    code = f"REPEATS = {args.repeats}\n" + KERNEL_CODE
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nbclient.NotebookClient(notebook, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT)}}).execute()
    text = "".join(output.get("text", "") for output in notebook.cells[0].outputs if output.output_type == "stream")
    found = re.search(r"RESULT live=([\d.]+) plain=([\d.]+) redraws=(\d+) drawing=([\d.]+)", text)
    live, plain, redraws, drawing = (float(found.group(1)), float(found.group(2)), int(found.group(3)),
                                     float(found.group(4)))
    runs = "one run each" if args.repeats == 1 else f"median of {args.repeats}"
    report(f"fit 1x60 net, 1,920 steps, 193 frames, in a Jupyter kernel: live=True vs live=False ({runs})",
           f"{live:.2f} s", f"{plain:.2f} s", live / plain,
           note=f"{redraws} redraws (the last one after training), {redraws / live:.1f} a second, "
                f"{drawing:.2f} s drawing: {live / (live - drawing):.2f}x from drawing alone")


if __name__ == "__main__":
    main()
