"""One input, two outputs: sin and cos from one net, each output in its own panel."""
import keras
import numpy as np

from animate import PredictionRecorder, grids, render

keras.utils.set_random_seed(0)
x = np.random.default_rng(0).uniform(-3, 3, (200, 1))
y = np.hstack([np.sin(x), np.cos(x)])
model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(16, activation="tanh"), keras.layers.Dense(2)])
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
recorder = PredictionRecorder(grids.line(-3, 3), every=5, x=x, y=y)
model.fit(x, y, epochs=40, batch_size=32, callbacks=[recorder], verbose=0)
render(recorder.recording, "output/examples/sine_and_cosine", formats=("gif", "png"))
