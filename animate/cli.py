"""The ``nn-animate`` command: thin click commands over the library.

Commands parse, call the library and turn every ``AnimateError`` into one line on stderr and a
non-zero exit; click's usage errors exit with 2. Ctrl-C and SIGTERM end the run with one line and
exit 130; the writers' temporary files are removed on the way out, so nothing is half-written.
"""
from __future__ import annotations

import os
import re
import signal
import sys
import time
from pathlib import Path
from typing import Any, Sequence

import click

from animate.cli_process import (INTERRUPTED, INTERRUPTED_EXIT, command_owns_process, imports_at_once_interruptible,
                                 imports_uncollected, resume_collector)
from animate.errors import AnimateError, RenderError, ScenarioError
from animate.files import ensure_writable_folder
from animate.recording import Recording
from animate.render import DEFAULT_FPS, MIN_GIF_COLOURS, render
from animate.render.figure import LAYOUTS, MACRO_BLOCK
from animate.render.writers import DEFAULT_FORMATS, WRITERS, parse_bytes
from animate.schedule import SCHEDULES

THEMES = ("light", "dark")  # the renderer's themes (animate/render/theme.py)


class FormatList(click.ParamType):
    """A comma-separated list of output formats, checked against the registered writers."""

    name = "FORMATS"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        names = [part.strip().lower().lstrip(".") for part in str(value).split(",") if part.strip()]
        unknown = [name for name in names if name not in WRITERS]
        if unknown or not names:
            self.fail(f"unknown format '{','.join(unknown) or value}'; choose from: {', '.join(WRITERS)}", param, ctx)
        return tuple(dict.fromkeys(names))


def _all_formats(ctx: click.Context, param: click.Parameter, value: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    """``--format gif --format png`` means both, as ``--format gif,png`` does (not only the last)."""
    return tuple(dict.fromkeys(name for names in value for name in names))


def _class_names(ctx: click.Context, param: click.Parameter, value: str | None) -> list[str] | None:
    if value is None:
        return None
    names = [name.strip() for name in value.split(",")]
    if not all(names):
        raise click.BadParameter(f"'{value}' has an empty name; give names separated by commas, e.g. cat,dog")
    return names


def _style(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Checked before anything is trained or written: an unknown style costs the user nothing."""
    if value is None:
        return None
    from animate.render.style import style_settings  # imports matplotlib: only when a style is given

    try:
        style_settings(value)
    except RenderError as error:
        raise click.BadParameter(str(error)) from None
    return value


def _frame_side(ctx: click.Context, param: click.Parameter, value: int) -> int:
    if value % MACRO_BLOCK:
        raise click.BadParameter(f"{value} is not a multiple of {MACRO_BLOCK} (H.264 encodes {MACRO_BLOCK}-pixel "
                                 f"blocks); try {round(value / MACRO_BLOCK) * MACRO_BLOCK or MACRO_BLOCK}")
    return value


def _byte_size(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return parse_bytes(value)
    except AnimateError as error:
        raise click.BadParameter(str(error)) from None


def _workers(ctx: click.Context, param: click.Parameter, value: int) -> int:
    if value == 0:
        raise click.BadParameter("0 workers cannot train anything; give 1 or more, or -1 for every core")
    return value


def _say_always(message: str) -> None:
    click.echo(f"nn-animate: {message}", err=True)


def _render_options(function):
    """Options shared by every command that renders: formats, timing and the look of the figure."""
    options = [
        click.option("--format", "formats", type=FormatList(), multiple=True, default=[",".join(DEFAULT_FORMATS)],
                     show_default=True, callback=_all_formats,
                     help=f"Comma-separated output formats, from: {', '.join(WRITERS)} (html: a snippet to paste "
                          "into a blog, video and poster embedded)."),
        click.option("--fps", type=click.FloatRange(min=0, min_open=True, max=100), default=DEFAULT_FPS,
                     show_default=True, help="Frames per second of the MP4 (and the GIF's upper limit)."),
        click.option("--duration", type=click.FloatRange(min=0, min_open=True, max=600), default=None,
                     help="Length in seconds before the final pause (default: 3 to 10 s, from the frame count)."),
        click.option("--theme", type=click.Choice(THEMES), default="light", show_default=True,
                     help="Colours for a light or a dark page or slide."),
        click.option("--style", default=None, callback=_style, metavar="STYLE",
                     help="A matplotlib style applied wholly over the theme: a name (ggplot, bmh, ...) or a "
                          ".mplstyle file (default: matplotlib's defaults, whatever your own settings)."),
        click.option("--width", type=click.IntRange(min=160, max=3840), default=720, show_default=True,
                     callback=_frame_side, help=f"Frame width in pixels, a multiple of {MACRO_BLOCK}."),
        click.option("--height", type=click.IntRange(min=160, max=2160), default=480, show_default=True,
                     callback=_frame_side, help=f"Frame height in pixels, a multiple of {MACRO_BLOCK}."),
        click.option("--layout", type=click.Choice(LAYOUTS), default=None,
                     help="Runs in panels of their own (side_by_side) or in one panel (overlay); default: the "
                          "recording's view, else side by side for up to 3 runs."),
        click.option("--gif-fps", type=click.FloatRange(min=0, min_open=True, max=100), default=None,
                     help="Frames per second of the GIF, at most --fps (default: 12.5 for curves, 10 for maps)."),
        click.option("--gif-colours", type=click.IntRange(min=MIN_GIF_COLOURS, max=256), default=None,
                     help="Colours in the GIF's palette (default: 64 for curves, 112 for maps)."),
        click.option("--gif-max-bytes", default=None, callback=_byte_size, metavar="SIZE",
                     help="Largest GIF to write, e.g. 1MB or 800kB: lowers its frame rate and colours until it fits, "
                          "says what it chose, and fails (writing nothing) if it cannot."),
        click.option("--quiet", "-q", is_flag=True, help="No progress bars."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _label_options(function):
    """Words on the figure, for commands that render one animation: title, axis labels, class names."""
    options = [
        click.option("--title", default=None, help="Title above the animation (default: the lesson's message)."),
        click.option("--xlabel", default=None, help="Label of the x axis (default: the recording's, else x)."),
        click.option("--ylabel", default=None, help="Label of the y axis (default: the recording's, else y)."),
        click.option("--class-names", default=None, callback=_class_names, metavar="A,B,...",
                     help="Comma-separated names of a classifier's classes, in output order (e.g. woman,man)."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _say(quiet: bool, message: str) -> None:
    if not quiet:
        click.echo(message, err=True)


def _run_lesson(name: str, out: Path, overrides: dict[str, Any], *, formats: Sequence[str], fps: float,
                duration: float | None, quiet: bool, render_outputs: bool = True, vary: str | None = None,
                **look: Any) -> list[Path]:
    """Train lesson ``name``, save its recording into ``out`` and render it; ``look`` goes to render().

    ``vary`` ("lr=0.003,0.03") trains the lesson once per value into one recording, LESSON-vary-NAME."""
    import scenarios
    from animate import vary as varying

    scenario = scenarios.get(name)
    name = scenario.name
    params = scenario.resolve(overrides)  # fail on a bad --set before paying for TensorFlow
    varied = None
    if vary is not None:  # and on a bad --vary
        vary_name, values = varying.parse_vary(vary)
        if vary_name in overrides:  # the recording's meta would name the --set value, which no run used
            option = f"--{vary_name}" if vary_name in ("every", "seed", "frames") else f"--set {vary_name}=..."
            raise ScenarioError(f"'{vary_name}' is both set and varied: drop {option}, as --vary sets it")
        varied = {vary_name: values}
        name += varying.plan(scenario, params, varied).stem_suffix
    ensure_writable_folder(out)
    with imports_uncollected(), imports_at_once_interruptible():
        from animate.train import train  # imports TensorFlow: only commands that train pay for it

    started = time.perf_counter()
    try:
        recording = train(scenario, params, progress=not quiet, vary=varied)
    except AnimateError:
        raise
    except Exception as error:  # the lesson's own code (its data, its models) or Keras refusing them
        if os.environ.get(TRACEBACK_VARIABLE):
            raise
        raise AnimateError(f"lesson '{name}' failed while training: {one_line(error)}") from None
    trained = time.perf_counter()
    written = [recording.save(out / f"{name}.npz")]  # saved first: a failed render loses no training
    for run, frame in recording.divergence_frames().items():
        click.echo(f"nn-animate: warning: run '{recording.runs[run]}' of {name} diverged at step "
                   f"{recording.steps[frame]:,} (loss or predictions became NaN/inf); try a smaller lr", err=True)
    if render_outputs:
        written += render(recording, out / name, formats=formats, fps=fps, duration=duration, progress=not quiet,
                          say=_say_always, **look)
    timing = f"trained in {trained - started:.1f} s"
    if render_outputs:
        timing += f", rendered in {time.perf_counter() - trained:.1f} s"
    _say(quiet, f"{name}: {timing}: " + ", ".join(str(path) for path in written))
    return written


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="nn-animate", prog_name="nn-animate")
def cli() -> None:
    """Animations of tiny neural networks learning: record with Keras, render to GIF, MP4 and PNG."""


@cli.command("list")
def list_lessons() -> None:
    """List every lesson with its one-sentence message."""
    import scenarios

    lessons = scenarios.all_scenarios()
    width = max(len(lesson.name) for lesson in lessons)
    for lesson in lessons:
        click.echo(f"{lesson.name:<{width}}  {lesson.message}")


@cli.command()
@click.argument("lesson")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"), show_default=True,
              help="Folder for LESSON.npz and the rendered files.")
@_render_options
@_label_options
@click.option("--every", type=click.IntRange(min=1), default=None, help="Record a frame every N optimizer steps.")
@click.option("--seed", type=click.IntRange(min=0), default=None, help="Random seed (default: the lesson's).")
@click.option("--frames", type=click.Choice(SCHEDULES), default=None,
              help="Which steps become frames: every N steps (linear), or as many spaced evenly in log(step) "
                   "to catch the fast early phase of a long training (log). Default: the lesson's.")
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE",
              help="Override a lesson parameter, e.g. --set lr=0.1 (repeatable).")
@click.option("--no-render", is_flag=True, help="Train and save LESSON.npz only.")
@click.option("--vary", "varies", multiple=True, metavar="NAME=V1,V2,...",
              help="Train the lesson once per value of one parameter and show all in one animation, "
                   "LESSON-vary-NAME.* (e.g. --vary lr=0.003,0.03,0.3).")
def run(lesson: str, out: Path, formats: tuple[str, ...], fps: float, duration: float | None, quiet: bool,
        every: int | None, seed: int | None, frames: str | None, settings: tuple[str, ...], no_render: bool,
        varies: tuple[str, ...], **look: Any) -> None:
    """Train LESSON, save its recording, and render it (GIF, MP4 and PNG by default).

    LESSON is a name from `nn-animate list`, or the path of your own scenario file (my_lesson.py)."""
    if len(varies) > 1:  # one animation compares the values of one parameter
        raise click.BadParameter(f"vary one parameter at a time; got {len(varies)}: {', '.join(varies)}",
                                 param_hint="--vary")
    vary = varies[0] if varies else None
    overrides = _parse_settings(settings)
    if every is not None:
        overrides["every"] = every
    if seed is not None:
        overrides["seed"] = seed
    if frames is not None:
        overrides["frames"] = frames
    _run_lesson(lesson, out, overrides, formats=formats, fps=fps, duration=duration, quiet=quiet,
                render_outputs=not no_render, vary=vary, **look)


@cli.command("render")
@click.argument("recordings", metavar="RECORDING...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_text", type=click.Path(path_type=str), default=None,
              help="Output file; its suffix picks the format. Default: every --format beside the first RECORDING, "
                   "named after it (a.npz → a.gif), or after all of them for several (a.npz b.npz → a+b.gif). "
                   "A folder (an existing one, or a path ending in /): those files in it.")
@_render_options
@_label_options
@click.pass_context
def render_command(ctx: click.Context, recordings: tuple[Path, ...], out_text: str | None, formats: tuple[str, ...],
                   fps: float, duration: float | None, quiet: bool, **look: Any) -> None:
    """Re-render RECORDING.npz without retraining (TensorFlow is not even imported).

    Several recordings of the same grid (two scripts, two optimizers) become the runs of one
    animation, lined up by optimizer step: a run that ends sooner holds its last frame, one that
    starts later shows its first. Runs with the same name are named after their files."""
    loaded = [Recording.load(path) for path in recordings]
    if len(loaded) == 1:
        recording = loaded[0]
    else:
        recording = Recording.combine(loaded, align="step", sources=[str(path) for path in recordings])
    name = "+".join(path.stem for path in recordings)
    if out_text is not None and not out_text.strip():
        raise click.BadParameter("is empty; give a file (anim.gif), a stem (anim) or a folder (clips/)",
                                 param_hint="--out")
    out = None if out_text is None else Path(out_text)
    if out is not None and (out_text.endswith(("/", os.sep)) or out.is_dir()):
        out = out / name  # a folder: the default names, in it
    if out is not None and out.suffix:
        if ctx.get_parameter_source("formats") is click.core.ParameterSource.COMMANDLINE:
            raise click.BadParameter(f"--out {out_text} names one file, whose suffix is its format; give --out "
                                     f"{out.with_suffix('')} to write every --format", param_hint="--format")
        written = render(recording, out, fps=fps, duration=duration, progress=not quiet, say=_say_always, **look)
    else:
        stem = out if out is not None else recordings[0].with_name(name)
        written = render(recording, stem, formats=formats, fps=fps, duration=duration, progress=not quiet,
                         say=_say_always, **look)
    _say(quiet, "wrote " + ", ".join(str(path) for path in written))


@cli.command("all")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"), show_default=True,
              help="Folder for every lesson's files.")
@_render_options
def all_lessons(out: Path, formats: tuple[str, ...], fps: float, duration: float | None, quiet: bool,
                **look: Any) -> None:
    """Train and render every lesson."""
    import scenarios

    for name in scenarios.names():
        _run_lesson(name, out, {}, formats=formats, fps=fps, duration=duration, quiet=quiet, **look)


@cli.command()
@click.argument("lesson")
@click.option("--seeds", default="0-99", show_default=True, help="Seeds to train: 0-99, 1,4,9 or 0-9,20-29.")
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE", help="Override a lesson parameter.")
@click.option("--jobs", type=click.IntRange(min=-1), default=-1, show_default=True, callback=_workers,
              help="Parallel workers on this machine (-1: every core).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Run on an existing Dask cluster (e.g. tcp://10.0.0.5:8786) instead of local cores.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"), show_default=True,
              help="Folder for LESSON-sweep.csv and LESSON-sweep.png.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def sweep(lesson: str, seeds: str, settings: tuple[str, ...], jobs: int, scheduler: str | None, out: Path,
          quiet: bool) -> None:
    """Train LESSON once per seed (no animations) and summarise: a CSV and a figure of final losses.

    Counts per run how many seeds stalled (loss fell < 25% over the last 80% of training), never moved
    (weights unchanged), or diverged. Interrupted, it keeps the seeds that finished."""
    import scenarios
    from tqdm import tqdm

    from animate import sweep as sweeping
    from animate.render.sweep_figure import plot_summary

    scenario = scenarios.get(lesson)
    overrides = _parse_settings(settings)
    if "seed" in overrides:  # each worker sets its own seed: a --set seed would be silently overridden
        raise click.BadParameter("a sweep trains once per seed: give them with --seeds, e.g. --seeds 3",
                                 param_hint="--set seed")
    scenario.resolve(overrides)  # refuse a bad --set before starting workers
    seed_list = sweeping.parse_seeds(seeds)
    ensure_writable_folder(out)
    csv_path, figure_path = out / f"{scenario.name}-sweep.csv", out / f"{scenario.name}-sweep.png"
    finished: list[int] = []

    def seed_done(seed: int) -> None:
        finished.append(seed)
        bar.update(1)

    try:
        with tqdm(total=len(seed_list), desc=f"sweep {scenario.name}", unit="seed", disable=quiet or None) as bar:
            rows = sweeping.sweep(lesson, seed_list, overrides, csv_path, jobs=jobs, scheduler=scheduler,
                                  on_seed=seed_done)
    except (Interrupted, KeyboardInterrupt):
        if finished:  # sweep() wrote their rows on the way out: say so, not "nothing"
            click.echo(f"nn-animate: interrupted; kept the {len(finished)} seed(s) that finished in {csv_path}",
                       err=True)
            sys.exit(INTERRUPTED_EXIT)
        raise
    plot_summary(rows, figure_path, f"{scenario.name}: final loss over {len(seed_list)} seeds")
    for line in sweeping.describe(rows):
        click.echo(line)
    _say(quiet, f"wrote {csv_path}, {figure_path}")


def _parse_settings(settings: Sequence[str]) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    for setting in settings:
        name, equals, value = setting.partition("=")
        if not equals or not name.strip():
            raise click.BadParameter(f"'{setting}' is not NAME=VALUE", param_hint="--set")
        overrides[name.strip()] = value
    return overrides


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM. Not a KeyboardInterrupt: click catches those and prints a blank line before
    re-raising, which would make our one line two. ``finally`` blocks run for it all the same."""


def _interrupt(signum: int, frame: Any) -> None:
    raise Interrupted


TRACEBACK_VARIABLE = "NN_ANIMATE_TRACEBACK"  # set it to see where an unforeseen error came from
DEBUG_VARIABLE = "NN_ANIMATE_DEBUG"  # set it to see the library's debug lines (e.g. fast drawing turned off)
ANSI_CODES = re.compile(r"\x1b\[[0-9;]*m")  # Keras highlights the reason in bold
RAISED = re.compile(r"^[A-Z]\w*(Error|Exception): ")


def one_line(error: BaseException) -> str:
    """An exception as one line: its type and the line of its message that says what went wrong.
    Keras and TensorFlow errors raised in a compiled function start with "in user code:" and a
    stack; their last line is the reason."""
    lines = [line.strip() for line in ANSI_CODES.sub("", str(error)).splitlines() if line.strip()]
    if not lines:
        return type(error).__name__
    kind, reason = type(error).__name__, lines[0]
    if lines[0].startswith("in user code"):  # the stack, then the error raised inside it
        raised = [index for index, line in enumerate(lines) if RAISED.match(line)]
        if raised:
            kind, _, reason = lines[raised[-1]].partition(": ")
            lines = lines[raised[-1]:]
            lines[0] = reason
        else:
            reason = lines[-1]
    if reason.startswith("Exception encountered when calling") and len(lines) > 1:  # Keras: the reason follows
        reason = lines[1]
    reason = reason if len(reason) <= 300 else reason[:297] + "..."
    return f"{kind}: {reason}"


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: one line and a non-zero exit for every error a user can cause, never a traceback."""
    resume_collector()  # the start-up imports are done (animate/cli_process.py)
    # From here an interrupt unwinds, so `finally` blocks remove temporary files (on SIGTERM too).
    if argv is None:  # our own process; called in-process (tests, a notebook), Ctrl-C stays Python's
        command_owns_process()
        signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    if os.environ.get(DEBUG_VARIABLE):
        import logging

        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("nn-animate: debug: %(message)s"))
        logging.getLogger("animate").addHandler(handler)
        logging.getLogger("animate").setLevel(logging.DEBUG)
    try:
        code = cli.main(args=argv, prog_name="nn-animate", standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt, Interrupted):
        click.echo(INTERRUPTED, err=True)
        sys.exit(INTERRUPTED_EXIT)
    except click.UsageError as error:
        if isinstance(error, getattr(click.exceptions, "NoArgsIsHelpError", ())):
            error.show()  # `nn-animate` alone: the help, not an error
        else:  # one line, not click's usage block: the command's --help has the rest
            where = error.ctx.command_path if error.ctx is not None else "nn-animate"
            click.echo(f"{where}: error: {error.format_message()} (see '{where} --help')", err=True)
        sys.exit(error.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except AnimateError as error:
        click.echo(f"nn-animate: error: {error}", err=True)
        sys.exit(1)
    except Exception as error:  # a library's complaint we did not foresee: still one line, and how to see more
        if os.environ.get(TRACEBACK_VARIABLE):
            raise
        click.echo(f"nn-animate: error: {one_line(error)} ({TRACEBACK_VARIABLE}=1 shows where)", err=True)
        sys.exit(1)
    _leave(code if isinstance(code, int) else 0, whole_process=argv is None)


def _leave(code: int, *, whole_process: bool) -> None:
    """Exit with ``code``. A command-line run skips the interpreter's teardown, as nothing is left to clean
    up (every file is written and closed, threads joined, encoders waited for): TensorFlow's teardown
    takes ~1.4 s on two cores, and even a render's (numpy, matplotlib) ~0.1 s of a 2.5 s re-render.
    Not after a sweep: joblib's worker processes are stopped by that teardown (skipped, they would
    linger for minutes holding our stdout). Called with ``argv`` (tests, a notebook), it exits the
    ordinary way."""
    if whole_process and "joblib" not in sys.modules:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
