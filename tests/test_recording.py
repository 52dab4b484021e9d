"""The .npz format: round trip, reproducible bytes, and untrusted files refused with one clear line."""
from __future__ import annotations

import dataclasses
import json
import zipfile

import numpy as np
import pytest

from animate import Recording, RecordingError
from tests.conftest import synthetic_recording


def test_round_trip_keeps_every_array_and_meta(recording, tmp_path):
    path = recording.save(tmp_path / "run.npz")
    loaded = Recording.load(path)
    assert loaded.runs == recording.runs
    for key in ("steps", "grid", "predictions", "loss", "weights", "x_train", "y_train", "target"):
        np.testing.assert_array_equal(getattr(loaded, key), getattr(recording, key))
    assert loaded.meta == recording.meta


def test_file_is_plain_numpy(recording, tmp_path):
    path = recording.save(tmp_path / "run.npz")
    with np.load(path, allow_pickle=False) as npz:
        assert npz["predictions"].shape == (2, 30, 50, 1)
        assert json.loads(str(npz["meta"]))["lesson"] == "synthetic"
        assert list(npz["runs"]) == ["run 0", "run 1"]


def test_same_recording_gives_same_bytes(recording, tmp_path):
    first = recording.save(tmp_path / "a.npz").read_bytes()
    second = synthetic_recording().save(tmp_path / "b.npz").read_bytes()
    assert first == second


def test_recording_written_with_numpy_savez_loads(recording, tmp_path):
    path = tmp_path / "theirs.npz"
    np.savez(path, runs=np.array(["mine"]), steps=np.arange(3), grid=np.zeros((4, 1)),
             predictions=np.zeros((1, 3, 4, 1)), loss=np.ones((1, 3)), meta=json.dumps({"lesson": "theirs"}))
    loaded = Recording.load(path)
    assert loaded.runs == ("mine",) and loaded.lesson == "theirs"


def _write(path, **arrays):
    np.savez(path, **arrays)
    return path


def _valid_arrays():
    return dict(runs=np.array(["a"]), steps=np.arange(3), grid=np.zeros((4, 1)),
                predictions=np.zeros((1, 3, 4, 1)), loss=np.ones((1, 3)), meta=json.dumps({}))


@pytest.mark.parametrize("change, message", [
    ({"loss": np.ones((1, 2))}, "'loss' has shape"),
    ({"predictions": np.zeros((1, 3, 5, 1))}, "'predictions' has shape"),
    ({"steps": np.array([0, 5, 3])}, "strictly increasing"),
    ({"meta": "not json"}, "not valid JSON"),
    ({"grid": np.array(["a", "b"])}, "must be numeric"),
    ({"grid": np.zeros((0, 1)), "predictions": np.zeros((1, 3, 0, 1))}, "at least one grid point"),
    ({"predictions": np.zeros((1, 3, 4, 0))}, "no outputs"),
    ({"runs": np.array([], dtype=str), "predictions": np.zeros((0, 3, 4, 1)), "loss": np.ones((0, 3))},
     "at least one run"),
    ({"grid": np.array([[0.0], [np.nan], [1.0], [2.0]])}, "NaN or infinite inputs"),
    ({"meta": json.dumps({"view": "curves"})}, "meta 'view' must be a JSON object"),
    ({"meta": json.dumps({"runs": 3})}, "meta 'runs' must be a list"),
])
def test_inconsistent_files_are_refused(tmp_path, change, message):
    path = _write(tmp_path / "bad.npz", **{**_valid_arrays(), **change})
    with pytest.raises(RecordingError, match=message):
        Recording.load(path)


def test_missing_keys_are_named(tmp_path):
    arrays = _valid_arrays()
    del arrays["loss"], arrays["meta"]
    with pytest.raises(RecordingError, match="lacks required keys: loss, meta"):
        Recording.load(_write(tmp_path / "bad.npz", **arrays))


def test_missing_file(tmp_path):
    with pytest.raises(RecordingError, match="does not exist"):
        Recording.load(tmp_path / "nope.npz")


def test_not_a_zip(tmp_path):
    path = tmp_path / "text.npz"
    path.write_text("hello")
    with pytest.raises(RecordingError, match="not an .npz file"):
        Recording.load(path)


def test_truncated_file(recording, tmp_path):
    path = recording.save(tmp_path / "run.npz")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(RecordingError):
        Recording.load(path)


def test_pickled_objects_are_never_loaded(tmp_path):
    arrays = _valid_arrays()
    arrays["grid"] = np.array([object()] * 4, dtype=object)
    with pytest.raises(RecordingError, match="damaged|numeric|pickled"):
        Recording.load(_write(tmp_path / "evil.npz", **arrays))


def test_absurd_sizes_are_refused_before_reading(tmp_path, monkeypatch):
    import animate.recording as module

    path = synthetic_recording().save(tmp_path / "run.npz")
    monkeypatch.setattr(module, "MAX_TOTAL_BYTES", 1000)
    with pytest.raises(RecordingError, match="refusing to load"):
        Recording.load(path)


def test_a_failed_save_keeps_the_old_file(recording, tmp_path, monkeypatch):
    path = recording.save(tmp_path / "run.npz")
    before = path.read_bytes()

    def explode(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(np.lib.format, "write_array", explode)
    with pytest.raises(KeyboardInterrupt):
        synthetic_recording(frames=5).save(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["run.npz"]


def test_combine_requires_shared_steps(recording):
    other = synthetic_recording(frames=10)
    with pytest.raises(RecordingError, match="same frame steps"):
        Recording.combine([recording.run_recording(0), other.run_recording(0)])
    both = Recording.combine([recording.run_recording(0), recording.run_recording(1)])
    np.testing.assert_array_equal(both.predictions, recording.predictions)


def _single(name="run", steps=(0, 10, 20), grid_points=5, weights=2, lesson="les", message="msg", accuracy=False,
            offset=0.0, **meta):
    """A one-run recording whose prediction and loss at each frame encode the frame's step (to check holds)."""
    steps = np.asarray(steps)
    grid = np.linspace(-1, 1, grid_points)[:, None]
    values = steps.astype(float) + offset
    return Recording(
        runs=(name,), steps=steps, grid=grid,
        predictions=np.broadcast_to(values[None, :, None, None], (1, len(steps), grid_points, 1)),
        loss=values[None] + 1,
        meta={"lesson": lesson, "message": message, "runs": [{"name": name, "lr": offset}], "view": {"caption": lesson},
              **meta},
        weights=None if weights is None else np.broadcast_to(values[None, :, None], (1, len(steps), weights)),
        accuracy=values[None] / 100 if accuracy else None,
    )


def test_combine_by_step_lines_runs_up_on_the_union_of_steps():
    early = _single(steps=(0, 10, 20))  # ends sooner
    late = _single(steps=(5, 15, 25, 35), offset=0.5)  # starts later
    both = Recording.combine([early, late], align="step", sources=["a.npz", "b.npz"])
    np.testing.assert_array_equal(both.steps, [0, 5, 10, 15, 20, 25, 35])
    # Each run shows its latest frame at or before the step; before its start, its first frame.
    np.testing.assert_array_equal(both.predictions[0, :, 0, 0], [0, 0, 10, 10, 20, 20, 20])
    np.testing.assert_array_equal(both.predictions[1, :, 0, 0], [5.5, 5.5, 5.5, 15.5, 15.5, 25.5, 35.5])
    np.testing.assert_array_equal(both.loss, both.predictions[:, :, 0, 0] + 1)
    np.testing.assert_array_equal(both.weights[:, :, 0], both.predictions[:, :, 0, 0])
    assert np.isfinite(both.loss).all() and np.isfinite(both.weights).all()  # held frames are never NaN


def test_combine_by_step_keeps_nan_padding_of_narrower_weights_and_accuracy_only_if_all_have_it():
    wide, narrow = _single(weights=3, accuracy=True), _single(steps=(0, 30), weights=1, accuracy=True)
    both = Recording.combine([wide, narrow], align="step")
    assert both.weights.shape == (2, 4, 3)
    assert np.isnan(both.weights[1, :, 1:]).all() and np.isfinite(both.weights[1, :, 0]).all()
    np.testing.assert_array_equal(both.accuracy[1], [0, 0, 0, 0.3])
    assert Recording.combine([wide, _single(steps=(0, 30))], align="step").accuracy is None
    assert Recording.combine([wide, _single(weights=None)], align="step").weights is None


def test_combine_by_step_of_identical_steps_is_plain_stacking(recording):
    parts = [recording.run_recording(0), recording.run_recording(1)]
    both = Recording.combine(parts, align="step")
    np.testing.assert_array_equal(both.steps, recording.steps)
    np.testing.assert_array_equal(both.predictions, recording.predictions)
    np.testing.assert_array_equal(both.weights, recording.weights)
    assert both.runs == recording.runs


def test_combine_exact_names_the_recordings_and_the_way_out():
    with pytest.raises(RecordingError, match="recordings 'a.npz' and 'b.npz' do not share the same frame steps; "
                                             "pass align='step'"):
        Recording.combine([_single(), _single(steps=(0, 5))], sources=["a.npz", "b.npz"])
    with pytest.raises(RecordingError, match="unknown align 'union'; choose from: exact, step"):
        Recording.combine([_single()], align="union")


@pytest.mark.parametrize("other, detail", [
    (_single(grid_points=6), "5×1 vs 6×1"),
    (Recording(runs=("r",), steps=np.arange(3), grid=np.zeros((5, 2)), predictions=np.zeros((1, 3, 5, 1)),
               loss=np.zeros((1, 3))), "5×1 vs 5×2"),
    (dataclasses.replace(_single(), grid=np.linspace(-1, 2, 5)[:, None]), "both 5×1, different values"),
])
def test_combine_refuses_different_grids_in_one_line(other, detail):
    for align in ("exact", "step"):
        with pytest.raises(RecordingError) as caught:
            Recording.combine([_single(), other], align=align, sources=["a.npz", "b.npz"])
        assert str(caught.value) == (f"recordings 'a.npz' and 'b.npz' have different grids ({detail}); "
                                     "record them on the same grid to show them side by side")


def test_combine_accepts_grids_equal_up_to_rounding_and_refuses_different_outputs():
    float32 = dataclasses.replace(_single(), grid=_single().grid.astype(np.float32))
    assert Recording.combine([_single(), float32], align="step").runs == ("les", "les (2)")
    two_outputs = Recording(runs=("r",), steps=np.arange(3), grid=_single().grid, predictions=np.zeros((1, 3, 5, 2)),
                            loss=np.zeros((1, 3)))
    with pytest.raises(RecordingError, match="different numbers of outputs \\(1 vs 2\\)"):
        Recording.combine([_single(), two_outputs], align="step")


def test_colliding_run_names_become_file_stems():
    both = Recording.combine([_single(), _single(), _single(name="adam")], align="step",
                             sources=["out/a.npz", "b.npz", "c.npz"])
    assert both.runs == ("a", "b", "adam")
    assert Recording.combine([_single("sgd"), _single("adam")], sources=["a.npz", "b.npz"]).runs == ("sgd", "adam")
    # Same stems from different folders: still distinct.
    assert Recording.combine([_single(), _single()], sources=["x/run.npz", "y/run.npz"]).runs == ("run", "run (2)")
    # Several runs in one recording: the stem prefixes the run's name.
    both = Recording.combine([synthetic_recording(), synthetic_recording()], sources=["a.npz", "b.npz"])
    assert both.runs == ("a: run 0", "a: run 1", "b: run 0", "b: run 1")
    assert both.run_recording("b: run 1").loss.shape == (1, 30)


def test_combine_names_sets_every_run_name():
    both = Recording.combine([_single(), _single()], names=["SGD", "Adam"])
    assert both.runs == ("SGD", "Adam")
    assert [run["name"] for run in both.meta["runs"]] == ["SGD", "Adam"]
    with pytest.raises(RecordingError, match="1 names given for 2 runs"):
        Recording.combine([_single(), _single()], names=["SGD"])
    with pytest.raises(RecordingError, match="run names must be distinct; repeated: x"):
        Recording.combine([_single(), _single()], names=["x", "x"])


def test_combined_meta_describes_every_run_and_shares_only_what_is_shared():
    first = _single(lesson="sgd", view_extra=1)
    second = _single(lesson="adam", offset=1.0)
    both = Recording.combine([first, second], align="step", sources=["a.npz", "b.npz"])
    assert both.meta["runs"] == [{"name": "a", "lr": 0.0}, {"name": "b", "lr": 1.0}]
    assert both.meta["message"] == "msg"  # every recording says the same
    assert both.meta["lesson"] == "a + b"
    assert both.meta["view"] == {"caption": "sgd"}  # the first recording's
    assert both.meta["view_extra"] == 1  # everything else: the first recording's
    assert [part["source"] for part in both.meta["combined"]] == ["a.npz", "b.npz"]
    different = Recording.combine([first, _single(message="other")])
    assert different.meta["message"] == "" and different.meta["lesson"] == "sgd + les"
    assert Recording.combine([first, second], {"lesson": "mine"}).meta == {"lesson": "mine"}


def test_combined_meta_of_runs_taken_out_of_one_recording_matches_descriptions_by_name(recording):
    described = dataclasses.replace(recording, meta={**recording.meta, "runs": [{"name": "run 0", "lr": 1},
                                                                                {"name": "run 1", "lr": 2}]})
    both = Recording.combine([described.run_recording(1), described.run_recording(0)])
    assert both.meta["runs"] == [{"name": "run 1", "lr": 2}, {"name": "run 0", "lr": 1}]


def test_combined_recording_takes_training_data_from_the_first_and_saves(tmp_path, recording):
    other = dataclasses.replace(recording, x_train=recording.x_train[:5], y_train=recording.y_train[:5],
                                steps=recording.steps * 2)
    both = Recording.combine([recording, other], align="step", sources=["a.npz", "b.npz"])
    np.testing.assert_array_equal(both.x_train, recording.x_train)
    np.testing.assert_array_equal(both.target, recording.target)
    assert len(both.steps) == 45  # 0..290 by 10, then 300..580 by 20
    loaded = Recording.load(both.save(tmp_path / "both.npz"))
    assert loaded.runs == both.runs and loaded.meta == both.meta


def test_combine_keeps_a_loss_landscape_only_when_every_recording_has_the_same(recording):
    surface = dict(landscape=np.ones((3, 4)), landscape_w=np.arange(4.0), landscape_b=np.arange(3.0))
    with_surface = dataclasses.replace(recording, **surface)
    assert Recording.combine([with_surface, with_surface], align="step").landscape is not None
    assert Recording.combine([with_surface, recording], align="step").landscape is None
    moved = dataclasses.replace(recording, **{**surface, "landscape_w": np.arange(4.0) + 1})
    assert Recording.combine([with_surface, moved], align="step").landscape is None
