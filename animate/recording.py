"""The recording: everything needed to re-render an animation without retraining.

A recording is a plain ``.npz`` file readable with NumPy alone; its keys are a public interface
(documented in the README) so people can write recordings from their own training loops.
Loading treats the file as untrusted: no pickles, bounded sizes, shapes checked against each other.
"""
from __future__ import annotations

import dataclasses
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from animate.errors import RecordingError
from animate.files import atomic_path
from animate.view import View

REQUIRED_KEYS = ("runs", "steps", "grid", "predictions", "loss", "meta")
OPTIONAL_KEYS = ("weights", "accuracy", "x_train", "y_train", "target", "landscape", "landscape_w", "landscape_b",
                 "val_loss", "val_accuracy", "x_val", "y_val", "learning_rate")
# Optional arrays with a value per run and frame, sliced, stacked and joined like the loss.
PER_FRAME_KEYS = ("accuracy", "val_loss", "val_accuracy", "learning_rate")
MAX_TOTAL_BYTES = 2 * 1024**3  # a recording of tiny nets is megabytes; refuse anything absurd
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # zip timestamps would make every save differ
ALIGNMENTS = ("exact", "step")  # how combine lines up recordings: identical steps, or by step


def _as_float(name: str, value: Any, ndim: int) -> np.ndarray:
    array = np.asarray(value)
    if array.dtype.kind not in "fiub":
        raise RecordingError(f"'{name}' must be numeric, got dtype {array.dtype}")
    if array.ndim != ndim:
        raise RecordingError(f"'{name}' must have {ndim} dimensions, got shape {array.shape}")
    return array.astype(np.float64 if array.dtype == np.float64 else np.float32, copy=False)


def _first_line(error: BaseException) -> str:
    """An error's message for a one-line report: its first line, or its type when it has none."""
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _checked_steps(steps: Any) -> np.ndarray:
    steps = np.asarray(steps)
    if steps.ndim != 1 or steps.dtype.kind not in "iu":
        raise RecordingError(f"'steps' must be a 1-D integer array, got {steps.dtype} {steps.shape}")
    if steps.size == 0:
        raise RecordingError("'steps' is empty: a recording needs at least one frame")
    if np.any(np.diff(steps) <= 0) or steps[0] < 0:
        raise RecordingError("'steps' must be non-negative and strictly increasing")
    return steps.astype(np.int64)


def _checked_meta(meta: Any) -> dict[str, Any]:
    """The meta as a plain dict, with what the renderer reads as objects checked to be objects."""
    if not isinstance(meta, Mapping):
        raise RecordingError("'meta' must be a JSON object")
    for key in ("view", "params"):
        if key in meta and not isinstance(meta[key], Mapping):
            raise RecordingError(f"meta '{key}' must be a JSON object, got {type(meta[key]).__name__}")
    if "view" in meta:
        View.checked(meta["view"], "the recording's meta", RecordingError)
    described = meta.get("runs", [])
    if not isinstance(described, list) or not all(isinstance(run, Mapping) for run in described):
        raise RecordingError("meta 'runs' must be a list of JSON objects, one per run")
    return dict(meta)


# How a recording is shown (matplotlib's Animation, a notebook's display) is the renderer's business:
# ``animate.render`` registers its functions here when imported (``import animate`` imports it), so
# this module imports no renderer and the data flows one way, recording -> render.
PRESENTERS: dict[str, Callable[..., Any]] = {}


def register_presenter(name: str, present: Callable[..., Any]) -> None:
    PRESENTERS[name] = present


def _presenter(name: str) -> Callable[..., Any]:
    if name not in PRESENTERS:
        raise RecordingError(f"showing a recording needs the renderer: import animate.render first ('{name}')")
    return PRESENTERS[name]


@dataclass(frozen=True, eq=False)
class Recording:
    """Predictions on a fixed grid, whole-set loss and (optionally) weights, frame by frame.

    Shapes: R runs, F frames, G grid points of dimension D, K outputs, P weights, N training points.
    """

    runs: tuple[str, ...]
    steps: np.ndarray  # (F,) optimizer step of each frame, shared by all runs
    grid: np.ndarray  # (G, D)
    predictions: np.ndarray  # (R, F, G, K)
    loss: np.ndarray  # (R, F) loss on the whole training set
    meta: Mapping[str, Any] = field(default_factory=dict)
    weights: np.ndarray | None = None  # (R, F, P)
    accuracy: np.ndarray | None = None  # (R, F) for classifiers: accuracy on the whole training set
    x_train: np.ndarray | None = None  # (N, D)
    y_train: np.ndarray | None = None  # (N, K)
    target: np.ndarray | None = None  # (G, K) the true function on the grid, where known
    landscape: np.ndarray | None = None  # (B, W) whole-set loss over a two-parameter model's (w, b) lattice
    landscape_w: np.ndarray | None = None  # (W,)
    landscape_b: np.ndarray | None = None  # (B,)
    val_loss: np.ndarray | None = None  # (R, F) loss on the whole validation set
    val_accuracy: np.ndarray | None = None  # (R, F) for classifiers: accuracy on the whole validation set
    x_val: np.ndarray | None = None  # (V, D) the validation set
    y_val: np.ndarray | None = None  # (V, K)
    learning_rate: np.ndarray | None = None  # (R, F) the optimizer's learning rate at each frame

    def __post_init__(self) -> None:
        """Every array normalised and checked against the others once, here: a recording that exists is
        whole, whether it was recorded, loaded from an untrusted file or written by hand."""
        set_ = object.__setattr__  # frozen: normalise once, here
        set_(self, "runs", tuple(str(run) for run in np.atleast_1d(np.asarray(self.runs, dtype=str))))
        set_(self, "steps", _checked_steps(self.steps))
        self._check_core()
        frames = (len(self.runs), self.steps.size)
        if self.weights is not None:
            weights = _as_float("weights", self.weights, 3)
            if weights.shape[:2] != frames:
                raise RecordingError(f"'weights' has shape {weights.shape}; expected ({frames[0]}, {frames[1]}, P)")
            set_(self, "weights", weights)
        for key in PER_FRAME_KEYS:
            if getattr(self, key) is not None:
                values = _as_float(key, getattr(self, key), 2)
                if values.shape != frames:
                    raise RecordingError(f"'{key}' has shape {values.shape}; expected ({frames[0]} runs, "
                                         f"{frames[1]} frames)")
                set_(self, key, values)
        self._check_inputs_and_targets("x_train", "y_train")
        self._check_inputs_and_targets("x_val", "y_val")
        if self.target is not None:
            target = _as_float("target", self.target, 2)
            expected = (self.grid.shape[0], self.predictions.shape[3])
            if target.shape != expected:
                raise RecordingError(f"'target' has shape {target.shape}; expected ({expected[0]}, {expected[1]})")
            set_(self, "target", target)
        self._check_landscape()
        set_(self, "meta", _checked_meta(self.meta))

    def _check_core(self) -> None:
        """The grid, the predictions on it and the loss: what every recording has."""
        set_ = object.__setattr__
        grid = _as_float("grid", self.grid, 2)
        predictions = _as_float("predictions", self.predictions, 4)
        loss = _as_float("loss", self.loss, 2)
        set_(self, "grid", grid)
        set_(self, "predictions", predictions)
        set_(self, "loss", loss)
        R, F, G = len(self.runs), self.steps.size, grid.shape[0]
        if not np.isfinite(grid).all():
            raise RecordingError("'grid' has NaN or infinite inputs; every grid point must be finite")
        if G == 0 or grid.shape[1] == 0:
            raise RecordingError(f"'grid' has shape {grid.shape}; a recording needs at least one grid point "
                                 "of at least one input feature")
        if R == 0:
            raise RecordingError("'runs' is empty: a recording needs at least one run")
        if predictions.shape[3] == 0:
            raise RecordingError(f"'predictions' has shape {predictions.shape}: the model has no outputs")
        if predictions.shape[:3] != (R, F, G):
            raise RecordingError(
                f"'predictions' has shape {predictions.shape}; expected ({R} runs, {F} frames, "
                f"{G} grid points, K outputs)"
            )
        if loss.shape != (R, F):
            raise RecordingError(f"'loss' has shape {loss.shape}; expected ({R} runs, {F} frames)")

    def _check_inputs_and_targets(self, x_key: str, y_key: str) -> None:
        """A training or validation set: inputs of the grid's features, as many targets as inputs."""
        x_given, y_given = getattr(self, x_key), getattr(self, y_key)
        if x_given is None and y_given is None:
            return
        if x_given is None or y_given is None:
            raise RecordingError(f"'{x_key}' and '{y_key}' go together: give both or neither")
        x_values = _as_float(x_key, x_given, 2)
        y_values = _as_float(y_key, y_given, 2)
        D = self.grid.shape[1]
        if x_values.shape[1] != D or x_values.shape[0] != y_values.shape[0]:
            raise RecordingError(
                f"'{x_key}' {x_values.shape} and '{y_key}' {y_values.shape} do not match the grid's "
                f"dimension {D} or each other"
            )
        object.__setattr__(self, x_key, x_values)
        object.__setattr__(self, y_key, y_values)

    def _check_landscape(self) -> None:
        if self.landscape is None:
            return
        if self.landscape_w is None or self.landscape_b is None:
            raise RecordingError("'landscape' needs its axes 'landscape_w' and 'landscape_b'")
        w_axis, b_axis = _as_float("landscape_w", self.landscape_w, 1), _as_float("landscape_b", self.landscape_b, 1)
        landscape = _as_float("landscape", self.landscape, 2)
        if landscape.shape != (b_axis.size, w_axis.size):
            raise RecordingError(f"'landscape' has shape {landscape.shape}; expected ({b_axis.size}, "
                                 f"{w_axis.size})")
        object.__setattr__(self, "landscape", landscape)
        object.__setattr__(self, "landscape_w", w_axis)
        object.__setattr__(self, "landscape_b", b_axis)

    # -- derived facts the renderer needs --------------------------------------------------
    @property
    def lesson(self) -> str:
        return str(self.meta.get("lesson", "recording"))

    @property
    def message(self) -> str:
        return str(self.meta.get("message", ""))

    def loss_unknown_runs(self) -> list[int]:
        """Runs whose loss is NaN at every frame: recorded without a training set to measure it on."""
        return [run for run in range(len(self.runs)) if np.isnan(self.loss[run]).all()]

    def divergence_frames(self) -> dict[int, int]:
        """For each run that diverged, the first frame whose loss or predictions are NaN or infinite.
        A loss that is NaN from the first frame to the last was never measured, not diverged."""
        known = np.ones(self.loss.shape, dtype=bool)
        known[self.loss_unknown_runs()] = False
        bad = (~np.isfinite(self.loss) & known) | ~np.isfinite(self.predictions).all(axis=(2, 3))
        return {run: int(np.argmax(bad[run])) for run in range(len(self.runs)) if bad[run].any()}

    def run_recording(self, run: int | str) -> "Recording":
        """One run of a multi-run recording, as a recording of its own."""
        index = self.runs.index(run) if isinstance(run, str) else run
        keep = slice(index, index + 1)
        return Recording(
            runs=self.runs[keep],
            steps=self.steps,
            grid=self.grid,
            predictions=self.predictions[keep],
            loss=self.loss[keep],
            meta=self.meta,
            weights=None if self.weights is None else self.weights[keep],
            x_train=self.x_train,
            y_train=self.y_train,
            x_val=self.x_val,
            y_val=self.y_val,
            target=self.target,
            **{key: None if getattr(self, key) is None else getattr(self, key)[keep] for key in PER_FRAME_KEYS},
        )

    @classmethod
    def combine(
        cls,
        recordings: Sequence["Recording"],
        meta: Mapping[str, Any] | None = None,
        *,
        align: str = "exact",
        names: Sequence[str] | None = None,
        sources: Sequence[str | Path] | None = None,
    ) -> "Recording":
        """Put the runs of several recordings of the same grid side by side, as runs of one recording.

        ``align="exact"`` (the trainer's case) requires identical frame steps. ``align="step"`` lines
        recordings up by optimizer step, so recordings made with different ``every`` or lengths can be
        compared: the frames are the union of all steps, and at each one every run shows its latest
        frame at or before it (a run that starts later shows its first frame; one that ends sooner
        holds its last). Held frames repeat recorded values, never NaN, which means divergence.

        ``sources`` labels each recording (usually its file name) in error messages; run names that
        collide become those labels' stems (``a.npz`` → ``a``). ``names`` sets every run's name.
        Without ``meta``, the recordings' meta are merged (see ``_combined_meta``).
        """
        if not recordings:
            raise RecordingError("nothing to combine: no recordings given")
        if align not in ALIGNMENTS:
            raise RecordingError(f"unknown align '{align}'; choose from: {', '.join(ALIGNMENTS)}")
        if sources is not None and len(sources) != len(recordings):
            raise RecordingError(f"{len(sources)} sources given for {len(recordings)} recordings")
        labels = [str(source) for source in sources] if sources is not None else \
                 [f"#{number} ({r.lesson})" for number, r in enumerate(recordings, start=1)]
        first = recordings[0]
        for label, other in zip(labels[1:], recordings[1:], strict=True):
            _check_same_grid(first, other, labels[0], label)
            if align == "exact" and not np.array_equal(other.steps, first.steps):
                raise RecordingError(f"recordings '{labels[0]}' and '{label}' do not share the same frame steps; "
                                     "pass align='step' to line them up by step")

        if align == "step":
            steps = np.unique(np.concatenate([r.steps for r in recordings]))
            # Each recording's latest frame at or before every step; its first frame before it starts.
            picks: list[np.ndarray | slice] = [np.maximum(np.searchsorted(r.steps, steps, side="right") - 1, 0)
                                               for r in recordings]
        else:
            steps = first.steps
            picks = [slice(None)] * len(recordings)

        def stacked(key: str) -> np.ndarray:
            return np.concatenate([getattr(r, key)[:, pick] for r, pick in zip(recordings, picks, strict=True)])

        weights = None
        every_weights = [r.weights for r in recordings if r.weights is not None]
        if len(every_weights) == len(recordings):
            # Runs of different sizes (1x60 beside 2x10) keep their weights, padded with NaN.
            width = max(w.shape[2] for w in every_weights)
            weights = np.concatenate([np.pad(w[:, pick], ((0, 0), (0, 0), (0, width - w.shape[2])),
                                             constant_values=np.nan)
                                      for w, pick in zip(every_weights, picks, strict=True)])
        per_frame = {key: stacked(key) if all(getattr(r, key) is not None for r in recordings) else None
                     for key in PER_FRAME_KEYS}
        run_names = _run_names(recordings, labels if sources is not None else None, names)
        # The loss surface belongs to one model and data set: keep it only when every recording agrees.
        landscape = {}
        if all(_same_landscape(first, r) for r in recordings):
            landscape = {key: getattr(first, key) for key in ("landscape", "landscape_w", "landscape_b")}
        return cls(
            runs=run_names,
            steps=steps,
            grid=first.grid,
            predictions=stacked("predictions"),
            loss=stacked("loss"),
            meta=dict(meta) if meta is not None else _combined_meta(recordings, run_names, sources),
            weights=weights,
            x_train=first.x_train,
            y_train=first.y_train,
            x_val=first.x_val,
            y_val=first.y_val,
            target=first.target,
            **per_frame,
            **landscape,
        )

    @classmethod
    def concat(cls, parts: Sequence["Recording"]) -> "Recording":
        """Recordings of one training saved in parts (one ``fit`` after another), joined one after the other.

        Each part runs on from the step the one before ends at: the first frame of a part at that very
        step shows the same model and is dropped; a part whose steps start earlier (recorded by a
        recorder that counted from 0) is moved to start there. The parts must be of the same runs on
        the same grid; optional arrays are kept where every part has them."""
        if not parts:
            raise RecordingError("nothing to concatenate: no recordings given")
        joined = parts[0]
        for number, part in enumerate(parts[1:], start=2):
            joined = _joined(joined, part, number)
        return joined

    def animation(self, **options: Any) -> Any:
        """This recording as a ``matplotlib.animation.FuncAnimation`` (``to_jshtml()``, ``save``, your own
        writer); ``options`` are ``render``'s (fps, duration, hold, width, height, theme, title, ...)."""
        return _presenter("animation")(self, **options)

    def _repr_html_(self) -> str:
        """In Jupyter, a recording shows itself as a playable, looping animation."""
        return _presenter("html")(self)

    # -- file format ---------------------------------------------------------------------
    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays of the ``.npz`` format, by key."""
        arrays = {
            "runs": np.asarray(self.runs, dtype=str),
            "steps": self.steps,
            "grid": self.grid,
            "predictions": self.predictions,
            "loss": self.loss,
            "meta": np.asarray(json.dumps(self.meta, sort_keys=True, allow_nan=True)),
        }
        for key in OPTIONAL_KEYS:
            value = getattr(self, key)
            if value is not None:
                arrays[key] = value
        return arrays

    def save(self, path: str | Path) -> Path:
        """Write the recording as ``.npz``, atomically and byte-for-byte reproducibly.

        ``np.savez`` stamps each member with the current time, so two identical recordings would
        differ on disk; we write the same members with a fixed timestamp instead.
        """
        path = Path(path)
        with atomic_path(path) as temporary:
            with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for key, array in self.arrays().items():
                    buffer = io.BytesIO()
                    np.lib.format.write_array(buffer, np.require(array, requirements="C"), allow_pickle=False)
                    info = zipfile.ZipInfo(f"{key}.npy", date_time=FIXED_ZIP_TIME)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.external_attr = 0o644 << 16
                    archive.writestr(info, buffer.getvalue())
        return path

    @classmethod
    def load(cls, path: str | Path) -> "Recording":
        """Read a recording written by ``save`` or by anyone following the format, safely."""
        path = Path(path)
        names = _archive_names(path)
        missing = [key for key in REQUIRED_KEYS if key not in names]
        if missing:
            raise RecordingError(f"recording '{path}' lacks required keys: {', '.join(missing)}")
        try:
            with np.load(path, allow_pickle=False) as npz:
                arrays = {key: npz[key] for key in REQUIRED_KEYS + OPTIONAL_KEYS if key in names}
        except Exception as error:  # zlib, zipfile, numpy: any failure to parse an untrusted file means damage
            raise RecordingError(f"recording '{path}' is damaged or truncated: {_first_line(error)}") from None
        meta = _meta_of(path, arrays.pop("meta"))
        if arrays["runs"].dtype.kind not in "US":
            raise RecordingError(f"recording '{path}': 'runs' must be an array of strings")
        try:
            return cls(meta=meta, **arrays)
        except RecordingError as error:
            raise RecordingError(f"recording '{path}': {error}") from None


def _archive_names(path: Path) -> set[str]:
    """The arrays an untrusted .npz holds, read from its zip directory: refused in one line if it is not
    a readable zip, or would unpack to more than MAX_TOTAL_BYTES."""
    if not path.exists():
        raise RecordingError(f"recording '{path}' does not exist")
    if path.is_dir():
        raise RecordingError(f"recording '{path}' is a folder, not an .npz file")
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
            if total > MAX_TOTAL_BYTES:
                raise RecordingError(
                    f"recording '{path}' would unpack to {total / 1024**3:.1f} GiB "
                    f"(limit {MAX_TOTAL_BYTES / 1024**3:.0f} GiB); refusing to load it"
                )
            return {info.filename.removesuffix(".npy") for info in archive.infolist()}
    except RecordingError:
        raise
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise RecordingError(f"recording '{path}' is not an .npz file (not a zip archive, or truncated)") from None
    except OSError as error:
        raise RecordingError(f"cannot read recording '{path}': {error.strerror or error}") from None
    except Exception as error:  # e.g. a damaged header asking for a zip version we lack: damage all the same
        raise RecordingError(f"recording '{path}' is damaged: {_first_line(error)}") from None


def _meta_of(path: Path, stored: np.ndarray) -> dict[str, Any]:
    """The meta, stored as one JSON string."""
    if stored.dtype.kind != "U" or stored.ndim != 0:
        raise RecordingError(f"recording '{path}': 'meta' must be a JSON string")
    try:
        meta = json.loads(str(stored))
    except json.JSONDecodeError as error:
        raise RecordingError(f"recording '{path}': 'meta' is not valid JSON ({error.msg})") from None
    if not isinstance(meta, dict):
        raise RecordingError(f"recording '{path}': 'meta' must be a JSON object")
    return meta


def _joined(first: Recording, then: Recording, number: int) -> Recording:
    """``then``'s frames after ``first``'s (see ``Recording.concat``)."""
    if then.runs != first.runs:
        raise RecordingError(f"part {number} has runs {list(then.runs)}, not {list(first.runs)}: concat joins parts "
                             "of the same runs (Recording.combine puts different runs side by side)")
    _check_same_grid(first, then, "part 1", f"part {number}")
    end = int(first.steps[-1])
    steps = then.steps + max(0, end - int(then.steps[0]))
    keep = steps > end  # a first frame at the step the earlier part ended on is the same model
    if not keep.any():
        return first

    def joined(key: str) -> np.ndarray | None:
        earlier, later = getattr(first, key), getattr(then, key)
        if earlier is None or later is None:
            return None
        if key == "weights" and earlier.shape[2] != later.shape[2]:
            raise RecordingError(f"part {number} has {later.shape[2]} weights per frame, part 1 {earlier.shape[2]}")
        return np.concatenate([earlier, later[:, keep]], axis=1)

    changes: dict[str, Any] = {key: joined(key) for key in ("predictions", "loss", "weights", *PER_FRAME_KEYS)}
    changes["steps"] = np.concatenate([first.steps, steps[keep]])
    changes["meta"] = {**first.meta, "runs": then.meta.get("runs", first.meta.get("runs", []))}
    return dataclasses.replace(first, **changes)


def _shape(grid: np.ndarray) -> str:
    return "×".join(str(size) for size in grid.shape)


def _check_same_grid(first: Recording, other: Recording, first_label: str, other_label: str) -> None:
    """Runs drawn in one figure share its axes: they must be predictions on the same inputs."""
    same_shape = first.grid.shape == other.grid.shape
    if not same_shape or not np.allclose(first.grid, other.grid, equal_nan=True):
        detail = f"both {_shape(first.grid)}, different values" if same_shape else \
                 f"{_shape(first.grid)} vs {_shape(other.grid)}"
        raise RecordingError(f"recordings '{first_label}' and '{other_label}' have different grids ({detail}); "
                             "record them on the same grid to show them side by side")
    outputs = first.predictions.shape[3], other.predictions.shape[3]
    if outputs[0] != outputs[1]:
        raise RecordingError(f"recordings '{first_label}' and '{other_label}' have different numbers of outputs "
                             f"({outputs[0]} vs {outputs[1]}); only models with the same outputs can share a figure")


def _same_landscape(first: Recording, other: Recording) -> bool:
    keys = ("landscape", "landscape_w", "landscape_b")
    if first.landscape is None or other.landscape is None:
        return first.landscape is None and other.landscape is None
    return all(np.array_equal(getattr(first, key), getattr(other, key)) for key in keys)


def _stem(source: str) -> str:
    path = Path(source)
    return path.stem if path.suffix.lower() == ".npz" else path.name or source


def _run_names(recordings: Sequence[Recording], sources: Sequence[str] | None,
               names: Sequence[str] | None) -> tuple[str, ...]:
    """The combined runs' names: ``names`` if given, else each run's own, made distinct.

    Legends, titles and ``run_recording(name)`` tell runs apart by name, so two recordings that both
    call their run "run" would be ambiguous: colliding names become the recording's file stem (or its
    lesson), prefixed to the run's name when the recording holds several runs.
    """
    total = sum(len(r.runs) for r in recordings)
    if names is not None:
        given = tuple(str(name) for name in names)
        if len(given) != total:
            raise RecordingError(f"{len(given)} names given for {total} runs")
        repeated = sorted({name for name in given if given.count(name) > 1})
        if repeated:
            raise RecordingError(f"run names must be distinct; repeated: {', '.join(repeated)}")
        return given
    own = [name for r in recordings for name in r.runs]
    stems = [_stem(source) for source in sources] if sources is not None else [r.lesson for r in recordings]
    chosen: list[str] = []
    for stem, r in zip(stems, recordings, strict=True):
        for name in r.runs:
            if own.count(name) > 1:
                name = stem if len(r.runs) == 1 else f"{stem}: {name}"
            chosen.append(name)
    # Still equal (a/run.npz beside b/run.npz): number the later ones.
    distinct: list[str] = []
    for name in chosen:
        candidate, number = name, 2
        while candidate in distinct:
            candidate, number = f"{name} ({number})", number + 1
        distinct.append(candidate)
    return tuple(distinct)


def _combined_meta(recordings: Sequence[Recording], run_names: Sequence[str],
                   sources: Sequence[str | Path] | None) -> dict[str, Any]:
    """Meta of a combination: the first recording's, with every run described and the title shared.

    ``runs`` concatenates each recording's run descriptions (renamed); ``message`` is kept only when
    every recording says the same; ``lesson`` joins the sources' stems (or lessons) with " + ";
    ``view`` is the first recording's; ``combined`` keeps where each part came from.
    """
    first = recordings[0]
    runs: list[dict[str, Any]] = []
    names = iter(run_names)
    for r in recordings:
        described = r.meta.get("runs")
        described = [d if isinstance(d, dict) else {} for d in described] if isinstance(described, list) else []
        # By name first: one run taken out of a recording (run_recording) keeps every run's description.
        by_name = {d.get("name"): d for d in described}
        for index, name in enumerate(r.runs):
            own = by_name.get(name) or (described[index] if len(described) == len(r.runs) else {})
            runs.append({**own, "name": next(names)})
    messages = {r.message for r in recordings}
    parts = [_stem(str(source)) for source in sources] if sources is not None else [r.lesson for r in recordings]
    combined = []
    for number, r in enumerate(recordings):
        part = {key: r.meta[key] for key in ("lesson", "message", "seed", "params") if key in r.meta}
        if sources is not None:
            part["source"] = str(sources[number])
        combined.append(part)
    return {
        **first.meta,
        "lesson": " + ".join(dict.fromkeys(parts)),
        "message": messages.pop() if len(messages) == 1 else "",
        "runs": runs,
        "view": dict(first.meta.get("view", {})) if isinstance(first.meta.get("view"), Mapping) else {},
        "combined": combined,
    }
