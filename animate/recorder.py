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

import dataclasses

from typing import Any, Callable, Iterable, Mapping

import keras
import numpy as np

from animate.errors import RecordingError
from animate.model_info import MARGIN_LOSSES, describe_model, with_recorded_rates
from animate.model_inputs import InputLayout, layout_of
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


class _Scored:
    """The whole-set loss and accuracy of one set (training or validation) inside the probe."""

    def __init__(self, present: bool, y: np.ndarray | None, description: dict[str, Any],
                 sample_weight: np.ndarray | None = None) -> None:
        self.present = present
        self.y_true = keras.ops.convert_to_tensor(y) if present else None
        self.sample_weight = None if sample_weight is None else keras.ops.convert_to_tensor(sample_weight)
        self.class_labels, self.binary_labels, self.boundary = _accuracy_labels(y if present else None, description)

    def scores(self, model: keras.Model, outputs: Any) -> tuple[Any, Any]:
        ops = keras.ops
        if not self.present:
            return ops.zeros(()), ops.convert_to_tensor(float("nan"))
        # The model's own compiled loss (plus any regularisation), as Keras would report it.
        loss = model.compute_loss(x=None, y=self.y_true, y_pred=outputs, sample_weight=self.sample_weight,
                                  training=False)
        classes = outputs.shape[-1]
        if classes is not None and classes > 1:  # a classifier: the class is the largest output
            predicted = ops.cast(ops.argmax(outputs, axis=-1), "int32")
            accuracy = ops.mean(ops.cast(ops.equal(predicted, self.class_labels), "float32"))
        elif self.binary_labels is not None and classes == 1:
            predicted = ops.cast(ops.reshape(outputs, (-1,)) > self.boundary, "int32")
            accuracy = ops.mean(ops.cast(ops.equal(predicted, self.binary_labels), "float32"))
        else:
            accuracy = ops.convert_to_tensor(float("nan"))
        return loss, accuracy


def _training_weights(sample_weight: Any, class_weight: Mapping[int, float] | None, y: np.ndarray | None
                      ) -> np.ndarray | None:
    """Each training point's weight in the loss, as ``fit(sample_weight=, class_weight=)`` weighs it
    (Keras multiplies a point's class weight into its sample weight), or None for no weights."""
    if sample_weight is None and class_weight is None:
        return None
    if y is None:
        raise RecordingError("sample_weight and class_weight weigh the training set: give x and y too")
    weights = np.ones(len(y), dtype=np.float32)
    if sample_weight is not None:
        given = np.asarray(sample_weight, dtype=np.float32).reshape(-1)
        if given.shape != (len(y),):
            raise RecordingError(f"sample_weight has {given.size} weights for {len(y)} training points")
        weights = weights * given
    if class_weight is not None:
        labels = y.argmax(axis=-1) if y.ndim == 2 and y.shape[1] > 1 else np.rint(y.reshape(-1)).astype(int)
        unknown = sorted(set(labels.tolist()) - {int(key) for key in class_weight})
        if unknown:
            raise RecordingError(f"class_weight gives no weight for class {unknown[0]} of the training set")
        weights = weights * np.array([class_weight[int(label)] for label in labels], dtype=np.float32)
    return weights


def _validation_set(validation: Any, layout: InputLayout,
                    features: int) -> tuple[np.ndarray | None, np.ndarray | None]:
    """``(x_val, y_val)`` as float arrays, checked against the grid's inputs, or (None, None)."""
    if validation is None:
        return None, None
    if not isinstance(validation, (tuple, list)) or len(validation) != 2:
        raise RecordingError("validation must be a pair (x_val, y_val)")
    x_val = layout.flat(validation[0], "validation inputs") if layout.several else np.asarray(validation[0], np.float32)
    y_val = np.asarray(validation[1], dtype=np.float32)
    if x_val.ndim == 1:
        x_val = x_val[:, None]
    if x_val.ndim != 2 or x_val.shape[1] != features:
        raise RecordingError(f"validation inputs have shape {x_val.shape}; the grid has {features} input feature(s), "
                             f"so give ({'N'}, {features})")
    if len(x_val) == 0 or len(x_val) != len(y_val):
        raise RecordingError(f"validation has {len(x_val)} inputs and {len(y_val)} targets: give as many of each, "
                             "at least one")
    return x_val, y_val


class PredictionRecorder(StepCountingCallback):
    """Record predictions on ``grid``, whole-set loss on ``(x, y)`` and weights every ``every`` steps.

    For classifiers (more than one output, or one sigmoid output for two classes) the accuracy on
    ``(x, y)`` is recorded too. The recording's meta describes the model (``model_info``).

    ``every`` counts optimizer steps (batches), not epochs. Frame 0 is the untrained model and the
    last frame is the trained model. Alternatively pass ``steps``, an explicit increasing list of
    optimizer steps to record (for example log-spaced). With ``steps_per_execution=K`` Keras only
    calls back every K steps; a frame is then taken at the first call at or after its step, and the
    true step is stored.

    Frames are taken at the optimizer's true step (``optimizer.iterations``): a model that trained
    before the recorder was attached starts at the step it is at. One recorder across several ``fit``
    calls on the same model (``fit(epochs=20)``, then ``fit(initial_epoch=20, epochs=40)``) makes one
    recording that runs on; attached to another model, it starts a new recording.

    ``validation=(x_val, y_val)`` records the loss (and accuracy, for classifiers) on the whole
    validation set too, in the same forward pass: ``Recording.val_loss`` and ``val_accuracy``. Keras's
    ``validation_data`` is not read: it is evaluated only at epoch ends, and may be a generator.
    ``sample_weight=`` and ``class_weight=`` (as given to ``fit``) weigh the recorded training loss as
    the optimizer's loss was weighed; without them it is the unweighted loss.
    The optimizer's current learning rate is recorded each frame (``Recording.learning_rate``),
    whatever sets it: a schedule, ``ReduceLROnPlateau``, a callback of one's own.

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
        validation: tuple[Any, Any] | None = None,
        sample_weight: Any = None,
        class_weight: Mapping[int, float] | None = None,
    ) -> None:
        super().__init__()
        self._layout, grid = layout_of(grid)
        if grid.ndim != 2 or grid.shape[0] == 0:
            raise RecordingError(f"grid must be an array of shape (G, D) with G >= 1, got {grid.shape}")
        if (x is None) != (y is None):
            raise RecordingError("give both x and y (the training set) or neither")
        if steps is None and (not isinstance(every, (int, np.integer)) or every < 1):
            raise RecordingError(f"every must be a whole number of steps >= 1, got {every!r}")
        self.grid = grid.astype(np.float32)
        self.every = int(every)
        self.frame_steps = None if steps is None else self._check_steps(steps)
        self.x = None if x is None else self._layout.flat(x, "x")
        self.y = None if y is None else np.asarray(y, dtype=np.float32)
        self.x_val, self.y_val = _validation_set(validation, self._layout, self.grid.shape[1])
        self.sample_weight = _training_weights(sample_weight, class_weight, self.y)
        self.record_weights = weights
        self.name = name
        self.on_frame = on_frame
        self.live = live  # True, or the live view's render options (read by animate/live.py)
        self._live_view: Any = None
        self._recording: Recording | None = None
        self._recorded_model: Any = None  # the model the recording so far is of: a later fit of it runs on

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
        # A later fit of the same model runs on from where the recording ends; any other starts afresh.
        earlier = self._recording if self._recorded_model is model else None
        if earlier is not None and self._iterations_at_start < int(earlier.steps[-1]):
            earlier = None  # the optimizer was reset (recompiled): a new training, not a continuation
        self._earlier = earlier
        self._recorded_model = model
        self._input_names = self._layout.check_against(model)
        heads = len(getattr(model, "outputs", None) or [])
        if heads > 1:
            raise RecordingError(f"the model has {heads} outputs; PredictionRecorder records models with one output "
                                 "(make a keras.Model of the same layers with the head you want to watch)")
        self._description = describe_model(model, self.y, inputs=self.grid.shape[1])
        if self.sample_weight is not None:  # the loss axis says so: the loss the optimizer minimised
            self._description["weighted"] = True
        self._probe: Callable[[], tuple] | None = self._compile_probe(model)  # dropped by on_train_end
        self._frames: list[tuple[int, Any]] = []
        self._numpy_frames: list[tuple[int, tuple]] = []  # the frames converted so far, for recording_so_far
        self._due_index = 0
        self._recording = None
        if self.live:
            from animate.live import live_view  # plotting stays out of this module

            self._live_view = live_view(self)
        self._take(self._iterations_at_start)

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        step = self._iterations_at_start + self.completed_steps(batch)
        if step >= self._next_due:
            self._take(step)

    def on_train_end(self, logs: dict | None = None) -> None:
        final = self._iterations_at_start + self.steps_from_optimizer()
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
        # Keep the tensors as they are: converting to NumPy now would sit on the training path. The
        # learning rate is a copy (a variable would change under it), read after the sync above.
        rate = keras.ops.copy(keras.ops.convert_to_tensor(self.model.optimizer.learning_rate))
        self._frames.append((step, (*probe(), rate)))
        if self.frame_steps is not None:
            while self._due_index < len(self.frame_steps) and self.frame_steps[self._due_index] <= step:
                self._due_index += 1
        if self.on_frame is not None:
            self.on_frame(step)
        if self._live_view is not None:
            self._live_view.frame_taken(step)

    def _compile_probe(self, model: keras.Model) -> Callable[[], tuple]:
        """One forward pass over grid, training and validation sets together: predictions, loss, weights,
        accuracy, validation loss and accuracy."""
        ops = keras.ops
        grid_size = self.grid.shape[0]
        parts = [self.grid] + [part for part in (self.x, self.x_val) if part is not None]
        inputs = ops.convert_to_tensor(np.concatenate(parts))
        layout = self._layout
        train_end = grid_size + (len(self.x) if self.x is not None else 0)
        weights_on = self._weights_on
        train = _Scored(self.x is not None, self.y, self._description, self.sample_weight)
        validation = _Scored(self.x_val is not None, self.y_val, self._description)

        def probe() -> tuple:
            outputs = model(layout.structured(inputs), training=False)
            if isinstance(outputs, (list, tuple, dict)):
                raise RecordingError("PredictionRecorder supports models with a single output")
            grid_predictions = ops.reshape(outputs[:grid_size], (grid_size, -1))
            if weights_on and model.trainable_weights:
                flat = ops.concatenate([ops.reshape(w, (-1,)) for w in model.trainable_weights])
            else:
                flat = ops.zeros((0,))
            loss, accuracy = train.scores(model, outputs[grid_size:train_end])
            val_loss, val_accuracy = validation.scores(model, outputs[train_end:])
            return grid_predictions, loss, flat, accuracy, val_loss, val_accuracy

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

        def scalars(index: int) -> np.ndarray:
            return np.array([float(frame[index]) for _, frame in frames])

        loss, accuracy, val_loss, val_accuracy, rate = (scalars(index) for index in (1, 3, 4, 5, 6))
        weights = np.stack([frame[2] for _, frame in frames]) if self._weights_on else None
        meta = {
            "lesson": self.name,
            "message": "",
            "runs": [{"name": self.name, **self._description}],
            "versions": library_versions(),
        }
        if self._layout.several:  # the maps' and curves' axes name the model's inputs
            meta["view"] = {"feature_names": self._layout.feature_names(self._input_names)}
        recording = Recording(
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
            val_loss=None if self.x_val is None else val_loss[None],
            val_accuracy=None if np.all(np.isnan(val_accuracy)) else val_accuracy[None],
            x_val=self.x_val,
            y_val=None if self.y_val is None else self.y_val.reshape(len(self.y_val), -1),
            learning_rate=rate[None],
        )
        earlier = getattr(self, "_earlier", None)
        if earlier is not None:
            recording = Recording.concat([earlier, recording])
        # Named from every frame's rate, the earlier fits' too: "Adam, lr 0.02 → 0.00125".
        rates = recording.learning_rate[0] if recording.learning_rate is not None else np.array([])
        described = {"name": self.name, **with_recorded_rates(self._description, rates)}
        return dataclasses.replace(recording, meta={**recording.meta, "runs": [described]})

    @property
    def recording(self) -> Recording:
        """The recording of the last completed ``fit``."""
        if self._recording is None:
            raise RecordingError("nothing recorded yet: pass the recorder to model.fit(callbacks=[...]) first")
        return self._recording

