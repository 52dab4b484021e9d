"""Two recordings of the same grid, to render side by side: Adam and plain SGD on one net."""
import keras
import numpy as np

from animate import PredictionRecorder, grids

x = np.random.default_rng(0).uniform(-2, 2, (200, 1))
for name, optimizer in [("Adam", keras.optimizers.Adam(0.01)), ("SGD", keras.optimizers.SGD(0.01))]:
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(16, activation="tanh"), keras.layers.Dense(1)])
    model.compile(optimizer=optimizer, loss="mse")
    recorder = PredictionRecorder(grids.line(-2.5, 2.5), every=10 if name == "SGD" else 5, x=x, y=x**2, name=name)
    model.fit(x, x**2, epochs=40, batch_size=32, callbacks=[recorder], verbose=0)
    recorder.recording.save(f"output/examples/{name.lower()}.npz")
# then: nn-animate render output/examples/adam.npz output/examples/sgd.npz --out output/examples/adam_vs_sgd.gif
