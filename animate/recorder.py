"""The Keras callback that records a model's predictions on a fixed grid every N optimizer steps.

Nothing here knows about plotting. Two Keras 3 facts shape it:

* A callback that overrides ``on_train_batch_end`` makes Keras turn the step's logs into Python
  floats (a device sync) after every step and turns off its asynchronous callback dispatch; that
  alone costs ~20% of ``fit`` for tiny nets. ``on_train_batch_begin`` carries no logs and leaves
  that machinery alone, and at the start of step k the model holds exactly the weights after k
  completed steps, so we record there.
* ``logs["loss"]`` is a running mean over the epoch's batches, not the loss of the current
  weights. We compute the loss on the whole training set ourselves, in the same compiled forward
  pass as the grid predictions.

The forward pass is compiled the way each backend compiles: a TensorFlow concrete function; under
JAX a ``jax.jit`` of a pure function of the variables' values (``fit`` keeps JAX's weights outside
the model between epochs, so they are synced back first); under PyTorch an eager pass without
autograd.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping

import keras
import numpy as np

from animate.errors import RecordingError
from animate.model_info import MARGIN_LOSSES, describe_model
from animate.recording import Recording
from animate.steps import StepCountingCallback
from animate.version import __version__

TINY_NET_PARAMETERS = 300  # "a few hundred": above this, per-frame weights stop being readable


def library_versions() -> dict[str, str]:
    """The versions a recording was made with (nn-animate, Keras, NumPy, the backend), for its meta."""
    versions = {"nn-animate": __version__, "keras": keras.__version__, "numpy": np.__version__}
    backend = keras.backend.backend()
    if backend in ("tensorflow", "jax", "torch"):
        import importlib

        versions[backend] = importlib.import_module(backend).__version__
    return versions


def _to_numpy(tensor: Any) -> np.ndarray:
    """A recorded tensor as NumPy, under any backend.

    ``keras.ops.convert_to_numpy`` knows every backend's tensors (a torch tensor may live on a GPU),
    but under TensorFlow it copies through ``np.array``, which NumPy 2 warns about; ``np.asarray``
    reads TensorFlow's and JAX's arrays as they are."""
    if keras.backend.backend() == "torch":
        return keras.ops.convert_to_numpy(tensor)
    return np.asarray(tensor)


def _jax_compiled(model: keras.Model, probe: Callable[[], tuple]) -> Callable[[], tuple]:
    """``probe`` as one XLA program: a pure function of the variables' values, compiled by ``jax.jit``.

    Inside a ``StatelessScope`` every read of a model variable (forward pass, regularisation losses,
    the flattened weights) gets the value passed in, so the trace holds no Python state."""
    import jax

    variables = list(model.trainable_variables) + list(model.non_trainable_variables)

    @jax.jit
    def pure(values: list) -> tuple:
        with keras.StatelessScope(state_mapping=list(zip(variables, values, strict=True)), collect_losses=True):
            return probe()

    # The caller has synced the model (``Callback.model``), so each variable holds its current value.
    return lambda: pure([variable.value for variable in variables])


def _accuracy_labels(y: np.ndarray | None, description: dict[str, Any]) -> tuple[Any, Any, float]:
    """What the probe's accuracy compares predictions with, made tensors once per fit: (class labels,
    binary labels, binary class boundary); no labels without a training set.

    Class labels are for a classifier with several outputs, whether ``y`` is one-hot or integer classes.
    One output of a binary classifier has 0/1 targets (-1/+1 for a hinge loss), and a class boundary
    at 0.5 for a probability, at 0 for a logit or a hinge loss's margin."""
    ops = keras.ops
    class_labels = binary_labels = None
    if y is not None:
        class_labels = y.argmax(axis=-1) if y.ndim == 2 and y.shape[1] > 1 else y.reshape(-1)
        class_labels = ops.convert_to_tensor(class_labels.astype("int32"))
    margin_loss = description["loss"] in MARGIN_LOSSES
    if y is not None and description["task"] == "binary" and description["outputs"] in (1, None):
        positive = y.reshape(-1) > (0.0 if margin_loss else 0.5)
        binary_labels = ops.convert_to_tensor(positive.astype("int32"))
    boundary = 0.0 if description["from_logits"] or margin_loss else 0.5
    return class_labels, binary_labels, boundary


def _compiled_for_backend(model: keras.Model, probe: Callable[[], tuple]) -> Callable[[], tuple]:
    """``probe`` compiled the way the running backend compiles (see the module's docstring)."""
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        # A concrete function: calling it skips tf.function's argument matching (bench/recording_overhead.py).
        return tf.function(probe).get_concrete_function()
    if backend == "jax":
        return _jax_compiled(model, probe)
    if backend == "torch":
        import torch

        def probe_without_autograd() -> tuple:
            with torch.no_grad():  # no graph for gradients: the outputs convert to NumPy as they are
                return probe()

        return probe_without_autograd
    return probe


class PredictionRecorder(StepCountingCallback):
    """Record predictions on ``grid``, whole-set loss on ``(x, y)`` and weights every ``every`` steps.

    For classifiers (more than one output, or one sigmoid output for two classes) the accuracy on
    ``(x, y)`` is recorded too. The recording's meta describes the model (``model_info``).

    ``every`` counts optimizer steps (batches), not epochs. Frame 0 is the untrained model and the
    last frame is the trained model. Alternatively pass ``steps``, an explicit increasing list of
    optimizer steps to record (for example log-spaced). With ``steps_per_execution=K`` Keras only
    calls back every K steps; a frame is then taken at the first call at or after its step, and the
    true step is stored.

    The recorder can be reused: each ``fit`` starts a new recording, available as ``.recording``.

    ``live=True`` shows the training as it goes (``animate/live.py``): in Jupyter, the renderer's
    figure redrawn in place (throttled to a fixed share of the training time); elsewhere, a progress
    line with the whole-set loss. ``live`` may also be render options (``{"theme": "dark"}`` or a
    ``RenderOptions``), which the live picture is drawn with. The recording is the same either way.
    """

    def __init__(
        self,
        grid: Any,
        every: int = 10,
        *,
        x: Any = None,
        y: Any = None,
        steps: Iterable[int] | None = None,
        weights: bool | None = None,
        name: str = "run",
        on_frame: Callable[[int], None] | None = None,
        live: bool | Mapping[str, Any] | Any = False,
    ) -> None:
        super().__init__()
        grid = np.asarray(grid)
        if grid.ndim == 1:
            grid = grid[:, None]
        if grid.ndim != 2 or grid.shape[0] == 0:
            raise RecordingError(f"grid must be an array of shape (G, D) with G >= 1, got {grid.shape}")
        if (x is None) != (y is None):
            raise RecordingError("give both x and y (the training set) or neither")
        if steps is None and (not isinstance(every, (int, np.integer)) or every < 1):
            raise RecordingError(f"every must be a whole number of steps >= 1, got {every!r}")
        self.grid = grid.astype(np.float32)
        self.every = int(every)
        self.frame_steps = None if steps is None else self._check_steps(steps)
        self.x = None if x is None else np.asarray(x, dtype=np.float32)
        self.y = None if y is None else np.asarray(y, dtype=np.float32)
        if self.x is not None and self.x.ndim == 1:
            self.x = self.x[:, None]
        self.record_weights = weights
        self.name = name
        self.on_frame = on_frame
        self.live = live  # True, or the live view's render options (read by animate/live.py)
        self._live_view: Any = None
        self._recording: Recording | None = None

    @staticmethod
    def _check_steps(steps: Iterable[int]) -> np.ndarray:
        array = np.asarray(list(steps))
        if array.ndim != 1 or array.size == 0 or array.dtype.kind not in "iu":
            raise RecordingError("steps must be a non-empty list of whole numbers")
        if array[0] < 0 or np.any(np.diff(array) <= 0):
            raise RecordingError("steps must be non-negative and strictly increasing")
        return array.astype(np.int64)

    # -- Keras hooks -----------------------------------------------------------------------
    def on_train_begin(self, logs: dict | None = None) -> None:
        model = self.model
        if self.record_weights is None:
            self._weights_on = model.count_params() <= TINY_NET_PARAMETERS
        else:
            self._weights_on = bool(self.record_weights)
        super().on_train_begin(logs)
        self._description = describe_model(model, self.y, inputs=self.grid.shape[1])
        self._probe: Callable[[], tuple] | None = self._compile_probe(model)  # dropped by on_train_end
        self._frames: list[tuple[int, Any]] = []
        self._numpy_frames: list[tuple[int, tuple]] = []  # the frames converted so far, for recording_so_far
        self._due_index = 0
        self._recording = None
        if self.live:
            from animate.live import live_view  # plotting stays out of this module

            self._live_view = live_view(self)
        self._take(0)

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        completed = self.completed_steps(batch)
        if completed >= self._next_due:
            self._take(completed)

    def on_train_end(self, logs: dict | None = None) -> None:
        final = self.steps_from_optimizer()
        if self._frames[-1][0] != final:
            self._take(final)
        self._recording = self._assemble()
        self._frames, self._numpy_frames = [], []
        self._probe = None
        if self._live_view is not None:
            self._live_view.finish(self._recording)
            self._live_view = None

    # -- internals -------------------------------------------------------------------------
    @property
    def _next_due(self) -> int:
        if self.frame_steps is None:
            last = self._frames[-1][0]
            return (last // self.every + 1) * self.every
        if self._due_index < len(self.frame_steps):
            return int(self.frame_steps[self._due_index])
        return np.iinfo(np.int64).max

    def _take(self, step: int) -> None:
        self.model  # noqa: B018 - reading the property syncs JAX's fit state back into the model
        probe = self._probe
        assert probe is not None, "frames are taken between on_train_begin and on_train_end"
        # Keep the tensors as they are: converting to NumPy now would sit on the training path.
        self._frames.append((step, probe()))
        if self.frame_steps is not None:
            while self._due_index < len(self.frame_steps) and self.frame_steps[self._due_index] <= step:
                self._due_index += 1
        if self.on_frame is not None:
            self.on_frame(step)
        if self._live_view is not None:
            self._live_view.frame_taken(step)

    def _compile_probe(self, model: keras.Model) -> Callable[[], tuple]:
        """One forward pass over grid and training set together: predictions, loss, weights, accuracy."""
        ops = keras.ops
        grid_size = self.grid.shape[0]
        has_train = self.x is not None
        inputs = np.concatenate([self.grid, self.x]) if has_train else self.grid
        inputs = ops.convert_to_tensor(inputs)
        y_true = ops.convert_to_tensor(self.y) if has_train else None
        weights_on = self._weights_on
        description = self._description
        class_labels, binary_labels, boundary = _accuracy_labels(self.y if has_train else None, description)

        def probe() -> tuple:
            outputs = model(inputs, training=False)
            if isinstance(outputs, (list, tuple, dict)):
                raise RecordingError("PredictionRecorder supports models with a single output")
            grid_predictions = ops.reshape(outputs[:grid_size], (grid_size, -1))
            # The model's own compiled loss (plus any regularisation), as Keras would report it.
            loss = ops.zeros(()) if not has_train else model.compute_loss(
                x=None, y=y_true, y_pred=outputs[grid_size:], training=False
            )
            if weights_on and model.trainable_weights:
                flat = ops.concatenate([ops.reshape(w, (-1,)) for w in model.trainable_weights])
            else:
                flat = ops.zeros((0,))
            classes = outputs.shape[-1]
            if has_train and classes is not None and classes > 1:  # a classifier: the class is the largest output
                predicted = ops.cast(ops.argmax(outputs[grid_size:], axis=-1), "int32")
                accuracy = ops.mean(ops.cast(ops.equal(predicted, class_labels), "float32"))
            elif binary_labels is not None and classes == 1:
                predicted = ops.cast(ops.reshape(outputs[grid_size:], (-1,)) > boundary, "int32")
                accuracy = ops.mean(ops.cast(ops.equal(predicted, binary_labels), "float32"))
            else:
                accuracy = ops.convert_to_tensor(float("nan"))
            return grid_predictions, loss, flat, accuracy

        return _compiled_for_backend(model, probe)

    def _converted_frames(self) -> list[tuple[int, tuple]]:
        """Every frame taken so far as NumPy; each frame is converted once, however often this is asked."""
        for step, frame in self._frames[len(self._numpy_frames):]:
            self._numpy_frames.append((step, tuple(_to_numpy(tensor) for tensor in frame)))
        return self._numpy_frames

    def recording_so_far(self) -> Recording:
        """The frames taken so far in the running ``fit``, as a recording (for live views)."""
        if not getattr(self, "_frames", None):
            raise RecordingError("no frame taken yet: recording_so_far is for callbacks during fit")
        return self._assemble()

    def _assemble(self) -> Recording:
        frames = self._converted_frames()
        steps = np.array([step for step, _ in frames], dtype=np.int64)
        predictions = np.stack([frame[0] for _, frame in frames])
        loss = np.array([float(frame[1]) for _, frame in frames])
        weights = np.stack([frame[2] for _, frame in frames]) if self._weights_on else None
        accuracy = np.array([float(frame[3]) for _, frame in frames])
        meta = {
            "lesson": self.name,
            "message": "",
            "runs": [{"name": self.name, **self._description}],
            "versions": library_versions(),
        }
        return Recording(
            runs=(self.name,),
            steps=steps,
            grid=self.grid,
            predictions=predictions[None],
            loss=(loss if self.x is not None else np.full_like(loss, np.nan))[None],
            meta=meta,
            weights=None if weights is None else weights[None],
            accuracy=None if np.all(np.isnan(accuracy)) else accuracy[None],
            x_train=self.x,
            y_train=None if self.y is None else self.y.reshape(len(self.y), -1),
        )

    @property
    def recording(self) -> Recording:
        """The recording of the last completed ``fit``."""
        if self._recording is None:
            raise RecordingError("nothing recorded yet: pass the recorder to model.fit(callbacks=[...]) first")
        return self._recording

