"""A model's several inputs side by side, as the recording's one grid of features, and back.

A functional model with two ``Input``s takes ``[x1, x2]`` (or ``{"x1": ..., "x2": ...}``); a recording
has one grid, (G, D). So the arrays are laid side by side, each input's features a slice of the D,
and cut back into the model's structure for every forward pass. The recording's pictures then work
as for held features: a grid that varies one input (the other held) draws curves, two draws a map.
Plain NumPy: the structure is checked against the model where ``fit`` starts (``check_against``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np

from animate.errors import RecordingError


@dataclass(frozen=True)
class InputLayout:
    """Where each of the model's inputs sits among the recording's features."""

    names: tuple[str, ...] | None  # the dict's keys, in order; None for a list (or one array)
    widths: tuple[int, ...]  # features per input
    several: bool  # given as a list or dict (even of one), so the model is called with one

    @property
    def slices(self) -> list[slice]:
        edges = np.cumsum((0, *self.widths))
        return [slice(int(start), int(stop)) for start, stop in zip(edges[:-1], edges[1:], strict=True)]

    def feature_names(self, declared: Sequence[str] | None = None) -> list[str]:
        """An input of one feature is named after it (its key, else the model's name for it); a wider
        one, name[j]."""
        names = self.names or tuple(declared or ()) or tuple(f"input {k}" for k in range(len(self.widths)))
        if len(names) != len(self.widths):
            names = tuple(f"input {k}" for k in range(len(self.widths)))
        return [name if width == 1 else f"{name}[{j}]" for name, width in zip(names, self.widths, strict=True)
                for j in range(width)]

    def flat(self, arrays: Any, what: str) -> np.ndarray:
        """``arrays`` in this layout's structure (as the grid was given) as one (rows, D) array."""
        parts = _parts(arrays, what)
        if isinstance(parts, np.ndarray) and not self.several:
            return parts  # one input: its width is checked with the recording's
        if isinstance(parts, np.ndarray) or not self.several:
            raise RecordingError(f"{what} must have the grid's structure: {self.describe()}, got {_structure(parts)}")
        names = tuple(parts) if isinstance(parts, dict) else None
        if names != self.names or (len(parts) != len(self.widths)):
            raise RecordingError(f"{what} must have the grid's structure: {self.describe()}, got {_structure(parts)}")
        values = list(parts.values()) if isinstance(parts, dict) else parts
        for value, width, name in zip(values, self.widths, self.input_names(), strict=True):
            if value.shape[1] != width:
                raise RecordingError(f"{what}'s input '{name}' has {value.shape[1]} feature(s); the grid's has {width}")
        return _side_by_side(values, what, self.input_names())

    def structured(self, flat: Any) -> Any:
        """One (rows, D) tensor cut back into the model's inputs: a list, a dict, or the tensor itself."""
        if not self.several:
            return flat
        parts = [flat[:, cut] for cut in self.slices]
        return dict(zip(self.names, parts, strict=True)) if self.names is not None else parts

    def input_names(self) -> list[str]:
        return list(self.names) if self.names is not None else [f"#{k}" for k in range(len(self.widths))]

    def describe(self) -> str:
        if not self.several:
            return "one array"
        if self.names is not None:
            return "a dict of " + ", ".join(self.names)
        return f"a list of {len(self.widths)} arrays"

    def check_against(self, model: Any) -> list[str]:
        """The structure against the model's declared inputs, where it declares them (a functional
        model); returns their names ([] for a model that declares none)."""
        try:
            inputs = list(model.inputs or [])
        except (AttributeError, TypeError, ValueError):
            inputs = []
        if not inputs:
            return []  # a subclassed model declares none: the first forward pass says what it takes
        declared = [str(getattr(tensor, "name", f"#{k}")).split(":")[0] for k, tensor in enumerate(inputs)]
        if self.names is not None:
            unknown = [name for name in self.names if name not in declared]
            if unknown:
                raise RecordingError(f"grid key '{unknown[0]}' is not an input of the model; its inputs: "
                                     f"{', '.join(declared)}")
        count = len(self.widths) if self.several else 1
        if count != len(declared):
            raise RecordingError(f"the grid gives {count} input(s) ({self.describe()}); the model has "
                                 f"{len(declared)}: {', '.join(declared)}")
        return declared


def layout_of(grid: Any) -> tuple[InputLayout, np.ndarray]:
    """The layout of ``grid`` (one array, a list or a dict of arrays, G rows each) and the flat grid."""
    parts = _parts(grid, "grid")
    if isinstance(parts, np.ndarray):
        return InputLayout(None, (parts.shape[1],), several=False), parts
    names = tuple(parts) if isinstance(parts, dict) else None
    values = list(parts.values()) if isinstance(parts, dict) else parts
    if not values:
        raise RecordingError("grid is an empty list: give one array per model input")
    layout = InputLayout(names, tuple(value.shape[1] for value in values), several=True)
    return layout, _side_by_side(values, "grid", layout.input_names())


def _parts(arrays: Any, what: str) -> Any:
    """One 2-D array, or a list / dict of them (a 1-D array is one feature per row)."""
    if isinstance(arrays, Mapping):
        return {str(key): _two_d(value, f"{what}['{key}']") for key, value in arrays.items()}
    # A list of arrays is one per input; a list of lists or numbers is one array written out.
    if isinstance(arrays, (list, tuple)) and arrays and all(isinstance(value, np.ndarray) for value in arrays):
        return [_two_d(value, f"{what}[{k}]") for k, value in enumerate(arrays)]
    return _two_d(arrays, what)


def _two_d(value: Any, what: str) -> np.ndarray:
    array = np.asarray(value, dtype=np.float32)
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim > 2:
        raise RecordingError(f"{what} has shape {array.shape}: inputs that are not points (images, sequences) are "
                             "not recorded yet; give (rows, features), e.g. after a Flatten of your own")
    if array.ndim != 2:
        raise RecordingError(f"{what} must be an array of shape (rows, features), got {array.shape}")
    return array


def _side_by_side(values: Sequence[np.ndarray], what: str, names: Sequence[str]) -> np.ndarray:
    rows = {len(value) for value in values}
    if len(rows) > 1:
        counts = ", ".join(f"{name}: {len(value)}" for name, value in zip(names, values, strict=True))
        raise RecordingError(f"{what}'s arrays must have as many rows each; got {counts}")
    return np.concatenate(values, axis=1)


def _structure(parts: Any) -> str:
    if isinstance(parts, dict):
        return "a dict of " + ", ".join(parts)
    if isinstance(parts, list):
        return f"a list of {len(parts)} arrays"
    return "one array"
