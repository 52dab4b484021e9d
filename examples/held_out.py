"""A held-out set and a cooling learning rate, over two fits: validation dashed beside training, one recording."""
import keras
import numpy as np
from animate import PredictionRecorder, grids, render

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
x, x_val = rng.uniform(-3, 3, (40, 1)), rng.uniform(-3, 3, (200, 1))
y, y_val = np.sin(x) + rng.normal(0, 0.3, x.shape), np.sin(x_val) + rng.normal(0, 0.3, x_val.shape)
model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(64, activation="tanh"), keras.layers.Dense(1)])
halving = keras.optimizers.schedules.ExponentialDecay(0.02, decay_steps=200, decay_rate=0.5)
model.compile(optimizer=keras.optimizers.Adam(halving), loss="mse")
recorder = PredictionRecorder(grids.line(-3, 3), every=5, x=x, y=y, validation=(x_val, y_val))
model.fit(x, y, epochs=60, batch_size=8, callbacks=[recorder], verbose=0)  # 300 steps
model.fit(x, y, initial_epoch=60, epochs=160, batch_size=8, callbacks=[recorder], verbose=0)  # runs on to 800
render(recorder.recording, "output/examples/held_out", formats=("gif", "png"))
