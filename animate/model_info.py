"""What a compiled Keras model is, in the words a title or a legend uses.

The renderer picks its picture from the task (a regression curve, a class boundary, an accuracy
panel) and titles a run "1 → 16 tanh → 1 · Adam 0.01 · MSE"; neither can look at the model, only
at the recording's meta. So the recorder describes the model once, when training begins, and
``train.py`` reuses the same description for every lesson run.

A description must never stop a training: whatever cannot be read (a subclassed model without
layers, a custom loss) falls back to a neutral value.
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np

# Canonical Keras loss names (its functions' names) and what a reader calls them.
LOSS_LABELS = {
    "mean_squared_error": "MSE",
    "mean_absolute_error": "MAE",
    "mean_absolute_percentage_error": "MAPE",
    "mean_squared_logarithmic_error": "MSLE",
    "huber": "Huber",
    "log_cosh": "log-cosh",
    "binary_crossentropy": "binary cross-entropy",
    "binary_focal_crossentropy": "binary focal cross-entropy",
    "categorical_crossentropy": "categorical cross-entropy",
    "categorical_focal_crossentropy": "categorical focal cross-entropy",
    "sparse_categorical_crossentropy": "sparse categorical cross-entropy",
    "hinge": "hinge",
    "squared_hinge": "squared hinge",
    "categorical_hinge": "categorical hinge",
    "poisson": "Poisson",
    "kl_divergence": "KL divergence",
    "cosine_similarity": "cosine similarity",
    "dice": "Dice",
    "tversky": "Tversky",
    "circle": "circle",
    "ctc": "CTC",
}
# Short and legacy spellings Keras (or tf.keras before it) accepts in compile(loss=...).
LOSS_ALIASES = {
    "mse": "mean_squared_error", "mae": "mean_absolute_error", "mape": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error", "bce": "binary_crossentropy", "kld": "kl_divergence",
    "kullback_leibler_divergence": "kl_divergence", "logcosh": "log_cosh", "huber_loss": "huber",
}
BINARY_LOSSES = {"binary_crossentropy", "binary_focal_crossentropy", "hinge", "squared_hinge"}
MARGIN_LOSSES = {"hinge", "squared_hinge"}  # the output is a signed margin: its class boundary is 0, not 0.5
MULTICLASS_LOSSES = {"categorical_crossentropy", "categorical_focal_crossentropy",
                     "sparse_categorical_crossentropy", "categorical_hinge"}
# Layers that are the identity at inference or only reshape: the output activation is before them.
PASS_THROUGH = {"Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise",
                "GaussianDropout", "AlphaDropout", "Flatten", "Reshape", "Identity"}
ACTIVATION_LAYERS = {"ReLU": "relu", "Softmax": "softmax", "ELU": "elu", "LeakyReLU": "leaky_relu",
                     "PReLU": "prelu"}
ARROW, DOT = " → ", " · "


def describe_model(model: Any, y: Any = None, *, inputs: int | None = None) -> dict[str, Any]:
    """The meta entry of one run: architecture, optimizer, loss, task, output shape and backend.

    ``y`` (the training targets, if known) tells integer class labels and 0/1 targets apart from
    regression targets; ``inputs`` is the input width to use where the model does not declare it.
    """
    import keras

    optimizer = getattr(model, "optimizer", None)
    optimizer = getattr(optimizer, "inner_optimizer", optimizer)  # a LossScaleOptimizer wraps the real one
    loss_object = _single(getattr(model, "loss", None))
    loss = loss_name(loss_object)
    from_logits = _from_logits(loss_object)
    width_in = _input_width(model) or inputs
    width_out = _output_width(model, width_in)
    layers = _layers(model)
    activation = output_activation(layers)
    targets = None if y is None else np.asarray(y)
    integer_labels = loss.startswith("sparse_categorical") or (
        targets is not None and (width_out or 0) > 1 and _is_label_column(targets))
    architecture = _architecture(layers, width_in, width_out)
    optimizer_name = "" if optimizer is None else type(optimizer).__name__
    learning_rate = _learning_rate(optimizer)
    label = loss_label(loss)
    # A schedule has no single rate to show: the summary then names the optimizer alone.
    rate = "" if learning_rate is None else f"{learning_rate:g}"
    training = " ".join(part for part in (optimizer_name, rate) if part)
    description = {
        "summary": DOT.join(part for part in (architecture, training, label) if part),
        "architecture": architecture,
        "optimizer": optimizer_name,
        "learning_rate": learning_rate,
        "loss": loss,
        "loss_label": label,
        "output_activation": activation,
        "from_logits": from_logits,
        "integer_labels": bool(integer_labels),
        "task": _task(loss, activation, width_out, targets),
        "inputs": width_in,
        "outputs": width_out,
        "backend": keras.backend.backend(),
    }
    if learning_rate is None:
        del description["learning_rate"]
    return description


def with_recorded_rates(description: dict[str, Any], rates: np.ndarray) -> dict[str, Any]:
    """The description with the learning rate as recorded frame by frame: a schedule or a callback that
    changed it is named truthfully ("Adam, lr 0.01 → 0.001"), never titled with the starting value alone."""
    finite = rates[np.isfinite(rates)]
    if finite.size == 0:
        return description
    first, last = float(finite[0]), float(finite[-1])
    if np.allclose(finite, first, rtol=1e-4):
        if "learning_rate" in description:
            return description
        training = f"{description['optimizer']} {first:.3g}"
        changed = {"learning_rate": first}
    else:
        training = f"{description['optimizer']}, lr {first:.3g} → {last:.3g}"
        changed = {"learning_rate": first, "final_learning_rate": last}
    parts = (description["architecture"], training, description["loss_label"])
    return {**description, **changed, "summary": DOT.join(part for part in parts if part)}


def loss_name(loss: Any) -> str:
    """The canonical Keras name of a loss given as a string, a Loss object or a function; "" if none."""
    if loss is None:
        return ""
    if isinstance(loss, str):
        import keras

        try:
            return loss_name(keras.losses.get(loss))
        except (ValueError, TypeError):  # not a Keras name: the user's own, or an old alias
            snake = _snake(loss)
            return LOSS_ALIASES.get(snake, snake)
    function = getattr(loss, "fn", None)  # Keras's Loss classes wrap the loss function of the same name
    if callable(function) and hasattr(function, "__name__"):
        name = function.__name__
    elif hasattr(loss, "__name__"):  # a plain function
        name = loss.__name__
    else:  # a Loss object of the user's own: Keras names it after its class unless told otherwise
        name = _snake(str(getattr(loss, "name", "") or type(loss).__name__))
    name = "" if name == "<lambda>" else name
    return LOSS_ALIASES.get(name, name)


def loss_label(loss: str) -> str:
    """How a title names the loss: "MSE", "binary cross-entropy"; the name made readable otherwise."""
    if loss in LOSS_LABELS:
        return LOSS_LABELS[loss]
    text = loss.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def output_activation(layers: list[Any]) -> str:
    """The activation applied last: the last Dense layer's or an Activation/Softmax layer's; "linear"."""
    for layer in reversed(layers):
        kind = type(layer).__name__
        if kind in PASS_THROUGH:
            continue
        return _activation_of(layer) or "linear"
    return "linear"


# -- the parts -------------------------------------------------------------------------------
def _single(loss: Any) -> Any:
    """The one loss of a single-output model (compile also takes a one-element list or dict)."""
    if isinstance(loss, (list, tuple)):
        return loss[0] if len(loss) == 1 else None
    if isinstance(loss, dict):
        return next(iter(loss.values())) if len(loss) == 1 else None
    return loss


def _from_logits(loss: Any) -> bool:
    if loss is None or isinstance(loss, str) or not hasattr(loss, "get_config"):
        return False
    try:
        return bool(loss.get_config().get("from_logits", False))
    except (NotImplementedError, TypeError, AttributeError):  # a user's Loss without a config
        return bool(getattr(loss, "from_logits", False))


def _layers(model: Any) -> list[Any]:
    """The model's layers in order, nested models opened, input layers left out."""
    found = []
    for layer in getattr(model, "layers", None) or []:
        kind = type(layer).__name__
        if kind == "InputLayer":
            continue
        if getattr(layer, "layers", None) is not None and kind in ("Sequential", "Functional", "Model"):
            found.extend(_layers(layer))
        else:
            found.append(layer)
    return found


def _activation_of(layer: Any) -> str | None:
    """The activation a Dense or activation layer applies ("linear" for none); None for other layers."""
    kind = type(layer).__name__
    if kind in ACTIVATION_LAYERS:
        return ACTIVATION_LAYERS[kind]
    if kind in ("Dense", "Activation", "EinsumDense") or (kind != "Lambda" and hasattr(layer, "units")):
        function = getattr(layer, "activation", None)
        if function is None:
            return "linear"
        return getattr(function, "__name__", None) or _snake(type(function).__name__)
    return None


def _architecture(layers: list[Any], width_in: int | None, width_out: int | None) -> str:
    """ "2 → 8 relu → 1 sigmoid": input width, then each layer; the last shows a non-linear activation only."""
    parts: list[list[str]] = []  # [units, activation] of Dense layers, [class name] of the others
    for layer in layers:
        kind = type(layer).__name__
        activation = _activation_of(layer)
        units = getattr(layer, "units", None)
        if isinstance(units, (int, np.integer)):
            parts.append([str(int(units)), activation or "linear"])
        elif activation is not None and parts and len(parts[-1]) == 2 and parts[-1][1] == "linear":
            parts[-1][1] = activation  # Dense(2) then Softmax(): one "2 softmax" step
        elif activation is not None and kind == "Activation":
            parts.append([activation])
        else:
            parts.append([kind])
    if not any(len(part) == 2 for part in parts):
        return f"{width_in or 'D'}{ARROW}...{ARROW}{width_out or 'K'}"
    if len(parts[-1]) == 2 and parts[-1][1] == "linear":
        parts[-1] = parts[-1][:1]
    return ARROW.join([str(width_in or "D")] + [" ".join(part) for part in parts])


def _input_width(model: Any) -> int | None:
    """Features in, over every input the model declares (a two-input model: both)."""
    try:
        widths = [tensor.shape[-1] for tensor in model.inputs]
    except (AttributeError, IndexError, TypeError, ValueError):  # a subclassed model declares no inputs
        return None
    return None if not widths or any(width is None for width in widths) else int(sum(widths))


def _output_width(model: Any, width_in: int | None) -> int | None:
    try:
        width = model.outputs[0].shape[-1]
    except (AttributeError, IndexError, TypeError, ValueError):
        if width_in is None:
            return None
        import keras

        try:  # symbolic: shapes only, no arithmetic
            width = model.compute_output_spec(keras.KerasTensor((1, width_in))).shape[-1]
        except Exception:  # noqa: BLE001 - any model may fail symbolically; the width is then unknown
            return None
    return None if width is None else int(width)


def _learning_rate(optimizer: Any) -> float | None:
    """The learning rate as a float (float32's shortest spelling: 0.01, not 0.009999999776); None for a schedule."""
    if optimizer is None:
        return None
    try:
        value = optimizer.get_config().get("learning_rate")
    except (AttributeError, TypeError, ValueError, NotImplementedError):
        return None
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        return float(str(np.float32(value)))
    return None


def _is_label_column(targets: np.ndarray) -> bool:
    """Targets of shape (N,) or (N, 1) holding whole numbers: class indices, not one-hot rows."""
    if targets.ndim not in (1, 2) or (targets.ndim == 2 and targets.shape[1] != 1) or targets.size == 0:
        return False
    return bool(np.issubdtype(targets.dtype, np.integer) or np.all(np.asarray(targets) == np.round(targets)))


def _task(loss: str, activation: str, width_out: int | None, targets: np.ndarray | None) -> str:
    if loss in BINARY_LOSSES:
        return "binary"
    if loss in MULTICLASS_LOSSES or activation == "softmax":
        return "multiclass"
    if width_out == 1 and activation == "sigmoid" and targets is not None and targets.size and \
            np.all(np.isin(targets, (0, 1))):
        return "binary"
    return "regression"


def _snake(name: str) -> str:
    """CamelCase or spaced names to Keras's snake_case ("MeanSquaredError" -> "mean_squared_error")."""
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name.strip())
    return re.sub(r"[\s\-]+", "_", name).lower()
