"""The ``nn-animate`` command: thin click commands over the library.

Commands parse, call the library and turn every ``AnimateError`` into one line on stderr and a
non-zero exit; click's usage errors exit with 2. Ctrl-C and SIGTERM end the run with one line and
exit 130; the writers' temporary files are removed on the way out, so nothing is half-written.
"""
from __future__ import annotations

import dataclasses
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
from animate.errors import AnimateError, ScenarioError
from animate.files import ensure_writable_folder
from animate.recording import Recording
from animate.render import DEFAULT_FORMATS, FORMATS, RenderOptions, render
from animate.schedule import SCHEDULES


class FormatList(click.ParamType):
    """A comma-separated list of output formats, checked against the registered writers."""

    name = "FORMATS"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        names = [part.strip().lower().lstrip(".") for part in str(value).split(",") if part.strip()]
        unknown = [name for name in names if name not in FORMATS]
        if unknown or not names:
            self.fail(f"unknown format '{','.join(unknown) or value}'; choose from: {', '.join(FORMATS)}", param, ctx)
        return tuple(dict.fromkeys(names))


def _all_formats(ctx: click.Context, param: click.Parameter, value: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    """``--format gif --format png`` means both, as ``--format gif,png`` does (not only the last)."""
    return tuple(dict.fromkeys(name for names in value for name in names))


def _workers(ctx: click.Context, param: click.Parameter, value: int) -> int:
    if value == 0:
        raise click.BadParameter("0 workers cannot train anything; give 1 or more, or -1 for every core")
    return value


def _say_always(message: str) -> None:
    click.echo(f"nn-animate: {message}", err=True)


def _click_type(meta: Any) -> Any:
    """The option's bounds or choices (``RenderOptions``) as click's own type, so --help shows them."""
    if meta["choices"] is not None:
        return click.Choice(meta["choices"])
    if meta["low"] is not None and meta["whole"]:
        return click.IntRange(min=meta["low"], max=meta["high"])
    if meta["low"] is not None:
        return click.FloatRange(min=meta["low"], min_open=meta["low_open"], max=meta["high"])
    return None


def _parsed_by(parse: Any) -> Any:
    """A click callback running the option's own parser, its error as click's usage error."""
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is None or parse is None:
            return value
        try:
            return parse(value)
        except AnimateError as error:
            raise click.BadParameter(str(error)) from None
    return callback


def _option_for(option: dataclasses.Field) -> Any:
    """One ``RenderOptions`` field as a click option: its help, default, bounds and parser, declared there."""
    meta = option.metadata
    return click.option(f"--{option.name.replace('_', '-')}", option.name, type=_click_type(meta),
                        default=option.default, show_default=option.default is not None, help=meta["help"],
                        metavar=meta["metavar"], callback=_parsed_by(meta["parse"]))


def _render_options(*, one_animation: bool = True, trains: bool = False) -> Any:
    """Every render option (``RenderOptions``), and the formats and --quiet, for commands that render.
    Without ``one_animation`` (``all``), the words that name one animation (a title) are left out; with
    ``trains`` (``run``, ``all``), the options whose names those commands use for training (``--frames``)."""
    def decorate(function: Any) -> Any:
        options = [
            click.option("--format", "formats", type=FormatList(), multiple=True, default=[",".join(DEFAULT_FORMATS)],
                         show_default=True, callback=_all_formats,
                         help=f"Comma-separated output formats, from: {', '.join(FORMATS)} (html: a snippet to "
                              "paste into a blog, video and poster embedded)."),
            *(_option_for(option) for option in dataclasses.fields(RenderOptions)
              if (one_animation or not option.metadata["one_animation"])
              and not (trains and option.metadata["render_only"])),
            click.option("--quiet", "-q", is_flag=True, help="No progress bars."),
        ]
        for option in reversed(options):
            function = option(function)
        return function
    return decorate


def _say(quiet: bool, message: str) -> None:
    if not quiet:
        click.echo(message, err=True)


def _run_lesson(name: str, out: Path, overrides: dict[str, Any], *, formats: Sequence[str], quiet: bool,
                render_outputs: bool = True, vary: str | None = None,
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
        written += render(recording, out / name, formats=formats, progress=not quiet,
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
@_render_options(trains=True)
@click.option("--every", type=click.IntRange(min=1), default=None, help="Record a frame every N optimizer steps.")
@click.option("--seed", type=click.IntRange(min=0), default=None, help="Random seed (default: the lesson's).")
@click.option("--frames", type=click.Choice(SCHEDULES), default=None,
              help="Which steps are recorded as frames: every N steps (linear), or as many spaced evenly in "
                   "log(step) to catch the fast early phase of a long training (log). Default: the lesson's. (Which "
                   "recorded frames a video shows is render's --frames.)")
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE",
              help="Override a lesson parameter, e.g. --set lr=0.1 (repeatable).")
@click.option("--no-render", is_flag=True, help="Train and save LESSON.npz only.")
@click.option("--vary", "varies", multiple=True, metavar="NAME=V1,V2,...",
              help="Train the lesson once per value of one parameter and show all in one animation, "
                   "LESSON-vary-NAME.* (e.g. --vary lr=0.003,0.03,0.3).")
def run(lesson: str, out: Path, formats: tuple[str, ...], quiet: bool,
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
    _run_lesson(lesson, out, overrides, formats=formats, quiet=quiet,
                render_outputs=not no_render, vary=vary, **look)


@cli.command("render")
@click.argument("recordings", metavar="RECORDING...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_text", type=click.Path(path_type=str), default=None,
              help="Output file; its suffix picks the format. Default: every --format beside the first RECORDING, "
                   "named after it (a.npz → a.gif), or after all of them for several (a.npz b.npz → a+b.gif). "
                   "A folder (an existing one, or a path ending in /): those files in it.")
@_render_options()
@click.pass_context
def render_command(ctx: click.Context, recordings: tuple[Path, ...], out_text: str | None, formats: tuple[str, ...],
                   quiet: bool, **look: Any) -> None:
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
    if out_text is not None and out is not None and (out_text.endswith(("/", os.sep)) or out.is_dir()):
        out = out / name  # a folder: the default names, in it
    if out is not None and out.suffix:
        if ctx.get_parameter_source("formats") is click.core.ParameterSource.COMMANDLINE:
            raise click.BadParameter(f"--out {out_text} names one file, whose suffix is its format; give --out "
                                     f"{out.with_suffix('')} to write every --format", param_hint="--format")
        written = render(recording, out, progress=not quiet, say=_say_always, **look)
    else:
        stem = out if out is not None else recordings[0].with_name(name)
        written = render(recording, stem, formats=formats, progress=not quiet,
                         say=_say_always, **look)
    _say(quiet, "wrote " + ", ".join(str(path) for path in written))


@cli.command("all")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"), show_default=True,
              help="Folder for every lesson's files.")
@_render_options(one_animation=False, trains=True)
def all_lessons(out: Path, formats: tuple[str, ...], quiet: bool, **look: Any) -> None:
    """Train and render every lesson."""
    import scenarios

    for name in scenarios.names():
        _run_lesson(name, out, {}, formats=formats, quiet=quiet, **look)


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
    is long, and even a render's (numpy, matplotlib) is a share of a short re-render (bench/make_all.py).
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
