"""The CLI as a user runs it: each mistake gets one clear line and a non-zero exit, never a traceback."""
from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from animate import Recording

# Over ~2 s, or one more case of what a fast case already shows: left to `make test` (`make test-fast` skips it).
SLOW = pytest.mark.slow



def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "animate", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})


def test_list_names_every_lesson_with_its_message():
    result = run_cli("list")
    assert result.returncode == 0
    assert "dying_relu" in result.stdout and "never learns" in result.stdout


@pytest.mark.parametrize("args, message, code", [
    (["run", "dyingrelu"], "unknown lesson 'dyingrelu'; choose from: activations, batch_jitter, classifier, dying_relu", 1),
    (["run", "dying_relu", "--every", "0"], "--every", 2),
    pytest.param(["run", "dying_relu", "--fps", "-5"], "--fps", 2, marks=SLOW),
    pytest.param(["run", "dying_relu", "--fps", "0"], "--fps", 2, marks=SLOW),
    pytest.param(["run", "dying_relu", "--format", "gif,avi"],
                 "unknown format 'avi'; choose from: gif, mp4, png, webm, html", 2, marks=SLOW),
    (["run", "dying_relu", "--set", "wobble=3"], "unknown parameter 'wobble' for lesson 'dying_relu'; known:", 1),
    pytest.param(["run", "dying_relu", "--set", "lr=fast"], "parameter 'lr' must be a finite number, got 'fast'", 1,
                 marks=SLOW),
    pytest.param(["run", "dying_relu", "--set", "steps"], "is not NAME=VALUE", 2, marks=SLOW),
    (["render", "missing.npz"], "does not exist", 1),
    pytest.param(["run", "dying_relu", "--seed", "4294967296"], "parameter 'seed' must be between 0 and 4,294,967,295",
                 1, marks=SLOW),
    (["run", "dying_relu", "--out", "/proc"], "output folder '/proc' is not writable", 1),  # before training
    (["sweep", "dying_relu", "--jobs", "0"], "0 workers cannot train anything", 2),
    pytest.param(["sweep", "dying_relu", "--set", "seed=3"], "a sweep trains once per seed: give them with --seeds", 2,
                 marks=SLOW),
    pytest.param(["run", "dying_relu", "--vary", "lr=0.1,0.2", "--vary", "seed=0,1"], "vary one parameter at a time", 2,
                 marks=SLOW),
    pytest.param(["run", "dying_relu", "--vary", "lr=0.1,0.2", "--set", "lr=0.5"], "'lr' is both set and varied", 1,
                 marks=SLOW),
])
def test_bad_input_gets_one_line_and_nonzero_exit(args, message, code, tmp_path):
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert not any(tmp_path.iterdir()), "a refused command must not write anything"


@SLOW
def test_corrupt_and_truncated_recordings_are_refused(tmp_path, recording):
    (tmp_path / "text.npz").write_text("not a recording")
    good = recording.save(tmp_path / "good.npz").read_bytes()
    (tmp_path / "half.npz").write_bytes(good[: len(good) // 3])
    for name in ("text.npz", "half.npz"):
        result = run_cli("render", name, cwd=tmp_path)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert name in result.stderr


@SLOW
def test_unwritable_output_folder(tmp_path, recording):
    path = recording.save(tmp_path / "r.npz")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_cli("render", str(path), "--out", str(blocker / "sub" / "x.gif"))
    assert result.returncode == 1 and "cannot create output folder" in result.stderr
    assert "Traceback" not in result.stderr
    for out, message, code in (("/proc/x.gif", "output folder '/proc' is not writable", 1), ("", "is empty", 2)):
        result = run_cli("render", str(path), "--out", out, cwd=tmp_path)  # /proc: not even root may write there
        assert result.returncode == code and message in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


@SLOW
def test_render_rerenders_a_recording_without_tensorflow(tmp_path, recording):
    path = recording.save(tmp_path / "r.npz")
    result = run_cli("render", str(path), "--out", str(tmp_path / "x.mp4"), "--quiet")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "x.mp4").stat().st_size > 1000
    result = run_cli("render", str(path), "--format", "png,gif", "--quiet")
    assert result.returncode == 0, result.stderr
    assert {p.name for p in tmp_path.iterdir()} == {"r.npz", "x.mp4", "r.png", "r.gif"}


ARTIST_HELP = """
import sys
sys.argv[0] = {argv0!r}
import animate
from matplotlib.lines import Line2D
line = Line2D([0], [0])
line.set(color="red", linewidth=3)  # set() forwards as before, help text or not
assert (line.get_color(), line.get_linewidth()) == ("red", 3.0)
print(bool(Line2D.set.__doc__))
"""


@pytest.mark.parametrize("argv0, has_help", [("/venv/bin/nn-animate", False), ("/venv/bin/python", True)])
def test_only_the_command_skips_matplotlib_help_text(argv0, has_help):
    # ~0.13 s of a re-render's start-up; a library user's matplotlib keeps its help text.
    result = subprocess.run([sys.executable, "-c", ARTIST_HELP.format(argv0=argv0)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(has_help)


COLLECTOR = """
import gc, sys
sys.argv[0] = {argv0!r}
import animate
paused_while_importing = not gc.isenabled()
from animate.cli import main
try:
    main(["list"])
except SystemExit:
    pass
frozen = gc.get_freeze_count()
from animate.cli_process import imports_uncollected
with imports_uncollected():
    paused_in_block = not gc.isenabled()
    made = [[] for _ in range(1000)]
print(paused_while_importing, frozen > 10_000, paused_in_block, gc.isenabled(), gc.get_freeze_count() > frozen)
"""


@pytest.mark.parametrize("argv0, expected", [("/venv/bin/nn-animate", "True True True True True"),
                                             ("/venv/bin/python", "False False False True False")])
def test_only_the_command_imports_with_the_collector_paused(argv0, expected):
    # ~0.7 s of importing TensorFlow for `run`; a library user's collector is never paused nor frozen.
    result = subprocess.run([sys.executable, "-c", COLLECTOR.format(argv0=argv0)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


@pytest.mark.slow
@pytest.mark.trains
def test_run_writes_recording_and_all_formats(tmp_path):
    result = run_cli("run", "dying_relu", "--out", str(tmp_path), "--set", "steps=300", "--every", "20", "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # --quiet: nothing on stderr, not even TensorFlow's start-up chatter
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {"dying_relu.npz", "dying_relu.gif", "dying_relu.mp4", "dying_relu.png"}
    recording = Recording.load(tmp_path / "dying_relu.npz")
    np.testing.assert_array_equal(recording.steps, np.arange(0, 301, 20))
    assert recording.meta["params"]["steps"] == 300
    with Image.open(tmp_path / "dying_relu.gif") as gif:
        assert gif.n_frames > 10 and gif.info["loop"] == 0


@pytest.mark.parametrize("args, message", [
    (["--theme", "blue"], "'blue' is not one of 'light', 'dark'"),
    pytest.param(["--width", "700"], "700 is not a multiple of 16 (H.264 encodes 16-pixel blocks); try 704",
                 marks=SLOW),
    pytest.param(["--height", "100"], "--height", marks=SLOW),
    pytest.param(["--layout", "grid"], "'grid' is not one of 'side_by_side', 'overlay'", marks=SLOW),
    pytest.param(["--class-names", "cat,,dog"], "'cat,,dog' has an empty name", marks=SLOW),
])
def test_bad_presentation_flags_are_usage_errors(args, message, tmp_path):
    for command in (["render", "missing.npz"], ["run", "dying_relu"]):
        result = run_cli(*command, *args, cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert message in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert not any(tmp_path.iterdir())


@pytest.fixture
def captured_render(monkeypatch):
    """Every call of render() the CLI makes, with its keyword arguments; nothing is drawn."""
    import animate.cli

    calls = []

    def fake_render(recording, out, **options):
        calls.append({"recording": recording, "out": out, **options})
        return [out]

    monkeypatch.setattr(animate.cli, "render", fake_render)
    return calls


def test_presentation_flags_reach_render(runner, tmp_path, recording, captured_render):
    from animate.cli import cli

    path = recording.save(tmp_path / "r.npz")
    result = runner.invoke(cli, ["render", str(path), "--out", str(tmp_path / "x.gif"), "--title", "Two nets",
                                 "--xlabel", "input", "--ylabel", "output", "--class-names", " cat, dog ",
                                 "--theme", "dark", "--width", "640", "--height", "352", "--layout", "overlay"])
    assert result.exit_code == 0, result.output
    [call] = captured_render
    assert {key: call[key] for key in ("title", "xlabel", "ylabel", "class_names", "theme", "width", "height",
                                       "layout")} == {
        "title": "Two nets", "xlabel": "input", "ylabel": "output", "class_names": ("cat", "dog"), "theme": "dark",
        "width": 640, "height": 352, "layout": "overlay"}


def test_presentation_defaults_leave_the_choices_to_the_renderer(runner, tmp_path, recording, captured_render):
    from animate.cli import cli

    path = recording.save(tmp_path / "r.npz")
    assert runner.invoke(cli, ["render", str(path), "--quiet"]).exit_code == 0
    [call] = captured_render
    assert call["out"] == tmp_path / "r"
    assert {key: call[key] for key in ("title", "xlabel", "ylabel", "class_names", "theme", "width", "height",
                                       "layout")} == {
        "title": None, "xlabel": None, "ylabel": None, "class_names": None, "theme": "light", "width": 720,
        "height": 480, "layout": None}


def test_run_and_all_pass_the_look_on(runner, monkeypatch):
    import animate.cli
    import scenarios

    calls = []
    monkeypatch.setattr(animate.cli, "_run_lesson", lambda name, out, overrides, **options: calls.append(options))
    result = runner.invoke(animate.cli.cli, ["run", "dying_relu", "--title", "Dead", "--theme", "dark",
                                             "--layout", "overlay", "--width", "960", "--height", "544"])
    assert result.exit_code == 0, result.output
    assert {key: calls[0][key] for key in ("title", "theme", "layout", "width", "height")} == {
        "title": "Dead", "theme": "dark", "layout": "overlay", "width": 960, "height": 544}
    calls.clear()
    assert runner.invoke(animate.cli.cli, ["all", "--theme", "dark", "--width", "640"]).exit_code == 0
    assert len(calls) == len(scenarios.names())
    assert all(call["theme"] == "dark" and call["width"] == 640 for call in calls)


def classifier_recording() -> Recording:
    """Two classes over a 2-D lattice (a third feature held at 0): the map panel's kind of recording."""
    from animate.grids import lattice

    grid = lattice((-2, 2), (-2, 2), points=21, features=3)
    steps = np.arange(8) * 5
    sharpness = np.linspace(0, 3, len(steps))
    p_second = 1 / (1 + np.exp(-sharpness[:, None] * (grid[:, 0] + grid[:, 1])[None]))
    predictions = np.stack([1 - p_second, p_second], axis=-1)[None]
    x_train = np.random.default_rng(0).uniform(-2, 2, (40, 3))
    labels = (x_train[:, 0] + x_train[:, 1] > 0).astype(int)
    return Recording(runs=("net",), steps=steps, grid=grid, predictions=predictions,
                     loss=np.geomspace(0.7, 0.2, len(steps))[None], accuracy=np.linspace(0.5, 0.9, len(steps))[None],
                     x_train=x_train, y_train=np.eye(2)[labels],
                     meta={"lesson": "two_classes", "message": "A boundary.", "view": {"map_axes": [0, 1]}})


def _corner_brightness(path) -> float:
    with Image.open(path) as image:
        return float(np.asarray(image.convert("L"))[2, 2])


@SLOW
def test_presentation_flags_change_the_picture(tmp_path, recording):
    """End to end through the renderer: size, theme, title and labels are honoured."""
    path = recording.save(tmp_path / "r.npz")
    result = run_cli("render", str(path), "--out", str(tmp_path / "dark.png"), "--theme", "dark", "--title", "Mine",
                     "--xlabel", "input", "--ylabel", "output", "--width", "640", "--height", "352",
                     "--layout", "overlay", "--quiet")
    assert result.returncode == 0, result.stderr
    result = run_cli("render", str(path), "--out", str(tmp_path / "light.png"), "--quiet")
    assert result.returncode == 0, result.stderr
    with Image.open(tmp_path / "dark.png") as image:
        assert image.size == (640, 352)
    assert _corner_brightness(tmp_path / "dark.png") < 100 < 200 < _corner_brightness(tmp_path / "light.png")


def test_class_names_label_a_classifier(tmp_path):
    path = classifier_recording().save(tmp_path / "c.npz")
    result = run_cli("render", str(path), "--out", str(tmp_path / "c.png"), "--class-names", "left,right",
                     "--title", "Left or right", "--quiet")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "c.png").stat().st_size > 1000


@pytest.mark.parametrize("which, names, message", [
    ("classifier", "a,b,c", "3 class names given for 2 classes"),
    pytest.param("classifier", "a", "1 class names given for 2 classes", marks=SLOW),
    ("regression", "a,b", "this recording is a regression"),
])
def test_class_names_must_name_each_class_once(which, names, message, tmp_path, recording):
    chosen = classifier_recording() if which == "classifier" else recording
    path = chosen.save(tmp_path / "r.npz")
    result = run_cli("render", str(path), "--out", str(tmp_path / "c.png"), "--class-names", names)
    assert result.returncode == 1 and message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "c.png").exists()


@pytest.mark.parametrize("args, formats", [
    (["--format", "gif", "--format", "png"], ("gif", "png")),
    (["--format", "gif,mp4", "--format", "png,gif"], ("gif", "mp4", "png")),
    ([], ("gif", "mp4", "png")),
])
def test_format_given_twice_means_both(runner, tmp_path, recording, captured_render, args, formats):
    from animate.cli import cli

    path = recording.save(tmp_path / "r.npz")
    assert runner.invoke(cli, ["render", str(path), "--quiet", *args]).exit_code == 0
    [call] = captured_render
    assert call["formats"] == formats
