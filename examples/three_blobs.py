"""Two inputs, three classes (one-hot labels): class regions, paler where the net is unsure."""
import keras
import numpy as np

from animate import PredictionRecorder, grids, render

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
label = rng.integers(0, 3, 450)
x = np.array([[-1.5, 0], [1.5, 0.5], [0, 2]])[label] + rng.normal(0, 0.7, (450, 2))
model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(3, activation="softmax")])
model.compile(optimizer=keras.optimizers.SGD(0.05), loss="categorical_crossentropy")
recorder = PredictionRecorder(grids.lattice((-4, 4), (-2.5, 4.5)), every=5, x=x, y=np.eye(3)[label])
model.fit(x, np.eye(3)[label], epochs=30, batch_size=32, callbacks=[recorder], verbose=0)
render(recorder.recording, "output/examples/three_blobs", formats=("gif", "png"))
