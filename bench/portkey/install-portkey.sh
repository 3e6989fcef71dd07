#!/usr/bin/env bash
# Installs the Portkey gateway pinned in package-lock.json here into <target dir>/node_modules,
# with npm's download cache inside the build tree so repeated runs on one machine download
# nothing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="$1"
mkdir -p "$target"
cp "$here/package.json" "$here/package-lock.json" "$target/"
if [[ -f "$target/node_modules/.installed" ]] && cmp -s "$here/package-lock.json" "$target/node_modules/.installed"; then
  exit 0
fi
npm ci --prefix "$target" --no-audit --no-fund --loglevel=error --cache "$target/../npm-cache"
cp "$here/package-lock.json" "$target/node_modules/.installed"
