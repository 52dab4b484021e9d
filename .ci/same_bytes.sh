#!/usr/bin/env bash
# Re-render every committed recording (output/*.npz) and compare each GIF, MP4 and PNG with the
# committed one, byte for byte: a refactor of the renderer must leave every lesson's files unchanged.
# Usage: bash .ci/same_bytes.sh [VENV]   (the bytes are those of the versions output/ was made with)
set -uo pipefail
cd "$(dirname "$0")/.."
venv=${1:-.venv}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
for npz in output/*.npz; do
  name=$(basename "$npz" .npz)
  if ! "$venv/bin/nn-animate" render "$npz" --out "$out/$name" --format gif,mp4,png --quiet >/dev/null; then
    echo "render failed: $name"; status=1; continue
  fi
  for ext in gif mp4 png; do
    if cmp -s "$out/$name.$ext" "output/$name.$ext"; then echo "same  $name.$ext"; else echo "DIFF  $name.$ext"; status=1; fi
  done
done
exit $status
