"""Two inputs, one regression output (Huber loss): a value map whose contours move."""
import keras
import numpy as np

from animate import PredictionRecorder, grids, render

keras.utils.set_random_seed(0)
x = np.random.default_rng(0).uniform(-2, 2, (400, 2))
y = 3 * np.sin(x[:, :1]) * x[:, 1:] + 2
model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(32, activation="tanh"), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.Adam(0.02), loss=keras.losses.Huber())
recorder = PredictionRecorder(grids.lattice((-2, 2), (-2, 2)), every=5, x=x, y=y)
model.fit(x, y, epochs=40, batch_size=32, callbacks=[recorder], verbose=0)
render(recorder.recording, "output/examples/saddle", formats=("gif", "png"), xlabel="x₁", ylabel="x₂")
