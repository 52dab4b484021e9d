"""Two inputs, a binary classifier (one sigmoid output): P(class 1) and the 0.5 boundary."""
import keras
import numpy as np

from animate import PredictionRecorder, grids, render

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
t, label = rng.uniform(0, np.pi, 300), rng.integers(0, 2, 300)
x = np.stack([np.cos(t) + label, np.sin(t) * (1 - 2 * label) + 0.3 * label], 1) + rng.normal(0, 0.12, (300, 2))
model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer=keras.optimizers.Adam(0.03), loss="binary_crossentropy")
recorder = PredictionRecorder(grids.lattice((-1.5, 2.5), (-1.2, 1.6)), every=5, x=x, y=label)
model.fit(x, label, epochs=60, batch_size=32, callbacks=[recorder], verbose=0)
render(recorder.recording, "output/examples/half_moons", formats=("gif", "png"), class_names=["lower", "upper"])
