"""One input, three classes (integer labels): one probability curve per class."""
import keras
import numpy as np

from animate import PredictionRecorder, grids, render

keras.utils.set_random_seed(0)
x = np.random.default_rng(0).uniform(-3, 3, (300, 1))
y = np.digitize(x[:, 0], [-1, 1])  # 0, 1 or 2
model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(8, activation="relu"),
                          keras.layers.Dense(3, activation="softmax")])
model.compile(optimizer=keras.optimizers.Adam(0.02), loss="sparse_categorical_crossentropy")
recorder = PredictionRecorder(grids.line(-4, 4), every=5, x=x, y=y)
model.fit(x, y, epochs=30, batch_size=32, callbacks=[recorder], verbose=0)
render(recorder.recording, "output/examples/three_ranges", formats=("gif", "png"), class_names=["low", "mid", "high"])
