#!/bin/sh
# Builds Miniflux (the version pinned in this tools module's go.mod) for the
# sync end-to-end tests: scripts/miniflux/build.sh [OUTPUT_DIR]
# The binary is written to OUTPUT_DIR/miniflux (default: ./bin/miniflux under
# the repository root). Miniflux stays out of steppe's own go.mod.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-"$here/../../bin"}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$here"
go build -o "$out/miniflux" miniflux.app/v2
echo "$out/miniflux"
