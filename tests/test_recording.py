"""The .npz format: round trip, reproducible bytes, and untrusted files refused with one clear line."""
from __future__ import annotations

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
