"""GIF, MP4, PNG, WebM and HTML writers behind one small interface: ``write(frame)`` then ``finish()``.

Each writer registers itself by output suffix (``formats.register_format``), with what it needs
from the frame pipeline. The video writers stream frames into an ffmpeg process
(the binary that ships with imageio-ffmpeg), so memory stays flat however long the animation, and
encoding runs on the second core while we draw the next frame.

We start ffmpeg ourselves rather than through ``imageio_ffmpeg.write_frames`` because the GIF
needs a second input (its palette), which ``write_frames`` cannot take; the MP4 shares the code.
"""
from __future__ import annotations

import base64
import contextlib
import io
import os
import queue
import subprocess
import tempfile
import threading
from fractions import Fraction
from pathlib import Path
from typing import Callable, Sequence

import imageio_ffmpeg
import numpy as np
from PIL import Image

from animate.errors import RenderError
from animate.render.formats import LAST, FrameWriter, WriterRequest, register_format
from animate.render.options import RenderOptions

# The GIF plays fewer frames than the video: these charts move slowly enough that 12.5 frames a second
# (80 ms, a whole number of the GIF's 10 ms ticks) reads as smoothly, at about two thirds of the bytes.
# Maps change every pixel of a big image each frame, so theirs plays at 10 (see bench/render_floor.py).
GIF_FPS = {"curves": 12.5, "map": 10.0}
# Curves are a few flat colours with anti-aliased edges: 64 show no loss. A colour map's gradient
# bands visibly below ~112.
GIF_COLOURS = {"curves": 64, "map": 112}
PALETTE_SAMPLES = 8  # frames spread over the animation that the GIF's one palette is fitted to
MAX_GIF_COLOURS = 128  # the most a GIF palette needs here: a colour map's gradient shows no banding at 128
GIF_TIME_UNIT_MS = 10  # GIF frame delays are stored in hundredths of a second
# A byte budget steps down through these (best first) until the GIF fits: fewer frames before fewer
# colours, as banding in a colour map shows sooner than a lower frame rate in a slowly moving chart.
BUDGET_COLOURS = (128, 112, 96, 64, 48, 32)
BUDGET_FPS = (12.5, 10.0, 25 / 3)  # 80, 100 and 120 ms a frame: whole numbers of the GIF's time unit
def human_bytes(size: int) -> str:
    return f"{size / 1e6:.3g} MB" if size >= 10**6 else f"{size / 1e3:.0f} kB"


def gif_frame_delay_ms(fps: float) -> int:
    """The delay ffmpeg will store per GIF frame: 1000 / fps rounded to the GIF's 10 ms unit."""
    return int(round(1000 / fps / GIF_TIME_UNIT_MS)) * GIF_TIME_UNIT_MS


class _FfmpegPipe:
    """An ffmpeg process that reads raw RGBA frames on stdin and writes ``path``."""

    def __init__(self, path: Path, size: tuple[int, int], fps: float, extra_inputs: Sequence[str],
                 output_args: Sequence[str]) -> None:
        self.path = path
        width, height = size
        fraction = Fraction(fps).limit_denominator(1001)
        command = [
            imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgba", "-s", f"{width}x{height}", "-r", str(fraction), "-i", "-",
            *extra_inputs,
            # Reproducible bytes: no encoder version strings, no creation times.
            "-fflags", "+bitexact", "-flags:v", "+bitexact", "-map_metadata", "-1",
            *output_args, str(path),
        ]
        self._stderr = tempfile.TemporaryFile()
        try:
            self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                             stderr=self._stderr, start_new_session=True)
        except OSError as error:
            raise RenderError(f"cannot start ffmpeg ({command[0]}): {error.strerror or error}") from None
        assert self._process.stdin is not None  # stdin=PIPE
        self._stdin = self._process.stdin

    def write(self, frame: np.ndarray) -> None:
        try:
            self._stdin.write(np.ascontiguousarray(frame).data.cast("B"))
        except BrokenPipeError:
            self._raise_failure()

    def finish(self) -> None:
        try:
            self._stdin.close()
        except BrokenPipeError:
            pass
        if self._process.wait() != 0:
            self._raise_failure()
        self._stderr.close()

    def abort(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._stderr.close()

    def _raise_failure(self) -> None:
        self._process.kill()
        self._process.wait()
        self._stderr.seek(0)
        lines = [line for line in self._stderr.read().decode(errors="replace").splitlines() if line.strip()]
        self._stderr.close()
        detail = lines[-1] if lines else f"exit code {self._process.returncode}"
        raise RenderError(f"ffmpeg could not write '{self.path.name}': {detail}")


def gif_frame_rate(options: RenderOptions, look: str) -> float:
    return options.gif_fps or GIF_FPS[look]


@register_format("gif", palette_samples=PALETTE_SAMPLES, rate=gif_frame_rate, help="a looping GIF, one palette")
class GifWriter(_FfmpegPipe):
    """A looping GIF with one palette fitted to sample frames of the whole animation.

    One palette for all frames keeps colours steady (no flicker) and lets the encoder store only
    the rectangle that changed between frames, which is what keeps our GIFs small. With
    ``max_bytes`` a GIF that comes out larger is encoded again from itself (no frame is drawn
    twice) at lower frame rates and fewer colours until it fits, or the writer fails.
    """

    def __init__(self, path: Path, size: tuple[int, int], fps: float, sample_frames: Sequence[np.ndarray], *,
                 colours: int = MAX_GIF_COLOURS, max_bytes: int | None = None,
                 say: Callable[[str], None] | None = None) -> None:
        self.fps, self.colours, self.max_bytes, self._say = fps, colours, max_bytes, say
        self._palette_file = _fit_palette(sample_frames, size, colours)
        super().__init__(path, size, fps, extra_inputs=("-i", str(self._palette_file)),
                         output_args=_gif_output_args())

    @classmethod
    def open(cls, request: WriterRequest) -> "GifWriter":
        options = request.options
        return cls(request.path, request.size, request.fps, request.samples,
                   colours=options.gif_colours or GIF_COLOURS[request.look], max_bytes=options.gif_max_bytes,
                   say=request.say)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self._palette_file.unlink(missing_ok=True)
        if self.max_bytes is not None:
            self._fit_budget()

    def abort(self) -> None:
        super().abort()
        self._palette_file.unlink(missing_ok=True)

    def _fit_budget(self) -> None:
        budget = self.max_bytes
        assert budget is not None  # called only with a budget
        size = self.path.stat().st_size
        tried = [(self.fps, self.colours, size)]
        if size > budget:
            candidates = [(fps, colours) for colours in BUDGET_COLOURS if colours <= self.colours
                          for fps in BUDGET_FPS if fps <= self.fps and (fps, colours) != (self.fps, self.colours)]
            for fps, colours in candidates:
                size = _reencode_gif(self.path, fps, colours)
                tried.append((fps, colours, size))
                if size <= budget:
                    break
            else:
                fps, colours, size = min(tried, key=lambda attempt: attempt[2])
                raise RenderError(f"GIF cannot fit in {human_bytes(budget)}: the smallest try ({fps:.3g} fps, "
                                  f"{colours} colours) is {human_bytes(size)}; give a shorter --duration, a smaller "
                                  "--width and --height, or a larger budget")
        fps, colours, size = tried[-1]
        if self._say is not None:
            self._say(f"GIF fitted to {human_bytes(budget)}: {fps:.3g} fps, {colours} colours, {human_bytes(size)}")


@register_format("mp4", help="H.264, the web's video")
class Mp4Writer(_FfmpegPipe):
    """H.264 in yuv420p with the index up front (+faststart), so browsers play it while loading."""

    def __init__(self, path: Path, size: tuple[int, int], fps: float, sample_frames: Sequence[np.ndarray]) -> None:
        super().__init__(path, size, fps, extra_inputs=(), output_args=(
            "-c:v", "libx264", "-preset", "medium", "-tune", "animation", "-crf", "23",
            "-pix_fmt", "yuv420p", "-threads", "2", "-movflags", "+faststart", "-f", "mp4",
        ))


def _gif_output_args() -> tuple[str, ...]:
    return ("-lavfi", "[0:v][1:v]paletteuse=dither=none:diff_mode=rectangle", "-loop", "0", "-f", "gif")


def _reencode_gif(path: Path, fps: float, colours: int) -> int:
    """Encode the GIF at ``path`` again, at ``fps`` with ``colours``, in place; return its new size.

    Two passes over the file (palette, then frames) keep memory flat however long the animation.
    """
    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    quiet = (ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y")
    exact = ("-fflags", "+bitexact", "-flags:v", "+bitexact", "-map_metadata", "-1")
    rate = f"fps={Fraction(fps).limit_denominator(1001)}"
    handle, palette = tempfile.mkstemp(prefix="nn-animate-palette-", suffix=".png")
    os.close(handle)
    smaller = path.with_name(path.name + ".smaller.gif")
    try:
        for command in (
            [*quiet, "-i", str(path), "-vf", f"{rate},palettegen=max_colors={colours}:stats_mode=full",
             "-frames:v", "1", "-update", "1", *exact, palette],
            [*quiet, "-i", str(path), "-i", palette, "-lavfi",
             f"[0:v]{rate}[frames];[frames][1:v]paletteuse=dither=none:diff_mode=rectangle",
             "-loop", "0", *exact, "-f", "gif", str(smaller)],
        ):
            result = subprocess.run(command, capture_output=True)
            if result.returncode != 0:
                detail = result.stderr.decode(errors="replace").strip().splitlines()
                why = detail[-1] if detail else result.returncode
                raise RenderError(f"ffmpeg could not re-encode '{path.name}': {why}")
        os.replace(smaller, path)
        return path.stat().st_size
    finally:
        Path(palette).unlink(missing_ok=True)
        smaller.unlink(missing_ok=True)


def _fit_palette(sample_frames: Sequence[np.ndarray], size: tuple[int, int], colours: int = MAX_GIF_COLOURS) -> Path:
    """Let ffmpeg's palettegen choose the colours from a few frames spread over the animation."""
    handle, name = tempfile.mkstemp(prefix="nn-animate-palette-", suffix=".png")
    os.close(handle)
    width, height = size
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "rgba", "-s", f"{width}x{height}", "-r", "1", "-i", "-",
        "-vf", f"palettegen=max_colors={colours}:stats_mode=full", "-frames:v", "1",
        "-fflags", "+bitexact", "-flags:v", "+bitexact", "-update", "1", name,
    ]
    stacked = b"".join(np.ascontiguousarray(frame).tobytes() for frame in sample_frames)
    result = subprocess.run(command, input=stacked, capture_output=True)
    if result.returncode != 0:
        Path(name).unlink(missing_ok=True)
        detail = result.stderr.decode(errors="replace").strip().splitlines()
        raise RenderError(f"ffmpeg could not fit a GIF palette: {detail[-1] if detail else result.returncode}")
    return Path(name)


class ThreadedWriter:
    """Feeds a writer from a thread of its own through a bounded queue, so the drawing loop never
    waits on one encoder's pipe (or on fitting the GIF palette) while another sits idle.

    The writer is made in that thread too (``make``), and ``finish`` or ``write`` raises any error
    it met. Frames must not change once written: pass copies, not the canvas buffer.
    """

    _DONE = object()

    def __init__(self, make: Callable[[], "FrameWriter"], path: Path, *, depth: int = 16) -> None:
        self.path = path
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._writer: FrameWriter | None = None
        self._error: BaseException | None = None
        self._aborted = False
        self._closed = False
        self._thread = threading.Thread(target=self._run, args=(make,), name=f"write {path.name}", daemon=True)
        self._thread.start()

    def _run(self, make: Callable[[], "FrameWriter"]) -> None:
        done = False
        try:
            self._writer = make()
            while not (done := (frame := self._queue.get()) is self._DONE):
                if not self._aborted:
                    self._writer.write(frame)
            if self._aborted:
                self._writer.abort()
            else:
                self._writer.finish()
        except BaseException as error:  # handed to the caller's thread by write/finish
            self._error = error
            if self._writer is not None:
                self._writer.abort()
            while not done:  # never leave the caller blocked on a full queue
                done = self._queue.get() is self._DONE

    def write(self, frame: np.ndarray) -> None:
        if self._error is not None:
            self.finish()
        self._queue.put(frame)

    def close(self) -> None:
        """Say no frame follows, without waiting: the encoder finishes its file in its thread, alongside
        the other encoders (``render`` closes all of them, then waits for each with ``finish``)."""
        if not self._closed and self._thread.is_alive():
            self._closed = True
            self._queue.put(self._DONE)

    def finish(self) -> None:
        if self._thread.is_alive():
            self.close()
            self._thread.join()
        if self._error is not None:
            raise self._error

    def abort(self) -> None:
        self._aborted = True
        with contextlib.suppress(queue.Empty):
            while True:  # drop frames not yet encoded
                self._queue.get_nowait()
        if self._writer is not None:
            self._writer.abort()  # a write blocked on ffmpeg's pipe fails at once
        if self._thread.is_alive():  # draining may have taken close()'s marker: give the thread another
            self._queue.put(self._DONE)
            self._thread.join()


@register_format("png", frames=LAST, help="the poster: the last frame")
class PngWriter:
    """The poster: the last frame written, as a PNG (no timestamps, so reruns give the same bytes)."""

    def __init__(self, path: Path, size: tuple[int, int], fps: float, sample_frames: Sequence[np.ndarray]) -> None:
        self.path = path
        self._last: np.ndarray | None = None

    def write(self, frame: np.ndarray) -> None:
        self._last = frame  # the canvas buffer: at finish it holds the last frame drawn

    @property
    def last(self) -> np.ndarray:
        if self._last is None:
            raise RenderError(f"no frame to write to '{self.path.name}'")
        return self._last

    def finish(self) -> None:
        Image.fromarray(np.asarray(self.last)[..., :3]).save(self.path, format="PNG", optimize=True)

    def abort(self) -> None:
        pass


@register_format("webm", help="VP9, an open video format")
class WebmWriter(_FfmpegPipe):
    """VP9 WebM: an open format for sites that prefer it; single-threaded so reruns give the same bytes."""

    def __init__(self, path: Path, size: tuple[int, int], fps: float, sample_frames: Sequence[np.ndarray]) -> None:
        super().__init__(path, size, fps, extra_inputs=(), output_args=(
            "-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "40", "-deadline", "good", "-cpu-used", "4",
            "-threads", "1", "-pix_fmt", "yuv420p", "-f", "webm",
        ))


@register_format("html", help="a snippet to paste into a blog, video and poster embedded")
class HtmlWriter:
    """A self-contained snippet to paste into a blog or show in a notebook: the MP4 and its poster
    embedded as data URIs in ``<video autoplay loop muted playsinline>``, which every browser plays."""

    def __init__(self, path: Path, size: tuple[int, int], fps: float, sample_frames: Sequence[np.ndarray]) -> None:
        self.path = path
        self.size = size
        self._video_path = path.with_name(path.name + ".mp4")
        self._video = Mp4Writer(self._video_path, size, fps, sample_frames)
        self._poster = PngWriter(path, size, fps, sample_frames)

    def write(self, frame: np.ndarray) -> None:
        self._video.write(frame)
        self._poster.write(frame)

    def finish(self) -> None:
        try:
            self._video.finish()
            video = base64.b64encode(self._video_path.read_bytes()).decode()
            poster_bytes = io.BytesIO()
            Image.fromarray(np.asarray(self._poster.last)[..., :3]).save(poster_bytes, format="PNG")
            poster = base64.b64encode(poster_bytes.getvalue()).decode()
        finally:
            self._video_path.unlink(missing_ok=True)
        self.path.write_text(
            f'<video autoplay loop muted playsinline controls width="{self.size[0]}" '
            f'poster="data:image/png;base64,{poster}">\n'
            f'  <source src="data:video/mp4;base64,{video}" type="video/mp4">\n</video>\n'
        )

    def abort(self) -> None:
        self._video.abort()
        self._video_path.unlink(missing_ok=True)
