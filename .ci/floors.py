"""Write a pip constraints file that pins every dependency to the floor setup.cfg declares.

CI installs the package twice: once at the newest versions, once with this file (``>=X`` becomes
``==X``), so a floor that no longer works fails CI instead of a user's install. The floors are read
from setup.cfg at run time, so the file cannot drift from what the package claims.

Usage: ``python .ci/floors.py [OUT]`` (default: standard output). Reads install_requires and the
extras named with ``--extra`` (default: ``test``), keeps only the requirements whose environment
markers hold on this machine, and refuses a requirement that declares no ``>=`` floor.
"""
from __future__ import annotations

import argparse
import configparser
import sys
from pathlib import Path

try:  # CI's bare Python may not have packaging; pip always carries a copy of it.
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
except ImportError:  # pragma: no cover - depends on the interpreter
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]


def requirement_lines(setup_cfg: Path, extras: list[str]) -> list[str]:
    """The requirement lines of install_requires and of each extra, comments and blanks left out.

    configparser drops whole-line comments inside a value, as setuptools' own reading does."""
    config = configparser.ConfigParser(interpolation=None)
    config.read(setup_cfg, encoding="utf-8")
    values = [config.get("options", "install_requires", fallback="")]
    for extra in extras:
        if not config.has_option("options.extras_require", extra):
            raise SystemExit(f"floors: setup.cfg has no extra named {extra!r}")
        values.append(config.get("options.extras_require", extra))
    lines = []
    for value in values:
        for line in value.splitlines():
            line = line.split(" #", 1)[0].strip()  # an inline comment, should one be written
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def floor(requirement: Requirement) -> str:
    """The version after ``>=``: the one version every user's install is promised to work with."""
    lower = [spec.version for spec in requirement.specifier if spec.operator == ">="]
    if len(lower) != 1:
        raise SystemExit(f"floors: {requirement} must declare exactly one '>=' floor")
    return lower[0]


def constraints(lines: list[str]) -> list[str]:
    """``name==floor`` for each requirement that applies here, in setup.cfg's order, each name once.

    A constraints file takes no extras (``dask[distributed]`` is pinned as ``dask``); the extra's
    own packages follow from the pinned release's metadata."""
    floors: dict[str, tuple[str, str]] = {}
    for line in lines:
        requirement = Requirement(line)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        key = canonicalize_name(requirement.name)
        version = floor(requirement)
        if key in floors and floors[key][1] != version:
            raise SystemExit(f"floors: {requirement.name} is declared with two floors, {floors[key][1]} and {version}")
        floors[key] = (requirement.name, version)
    return [f"{name}=={version}" for name, version in floors.values()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", help="where to write the constraints (default: standard output)")
    parser.add_argument("--extra", action="append", help="an extra whose requirements to pin too (default: test)")
    args = parser.parse_args(argv)
    pins = constraints(requirement_lines(ROOT / "setup.cfg", args.extra or ["test"]))
    text = "# Every dependency at the floor setup.cfg declares; written by .ci/floors.py.\n" + "\n".join(pins) + "\n"
    if args.out:
        out = Path(args.out)
        if not out.exists() or out.read_text(encoding="utf-8") != text:  # unchanged: make need not reinstall
            out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
