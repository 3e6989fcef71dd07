#!/usr/bin/env bash
# Installs the real clients the e2e tests drive (package.json / package-lock.json here) into
# <target dir>/node_modules, with npm's download cache inside the build tree so repeated runs on
# one machine download nothing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="$1"
mkdir -p "$target"
cp "$here/package.json" "$here/package-lock.json" "$target/"
if ! { [[ -f "$target/node_modules/.installed" ]] && cmp -s "$here/package-lock.json" "$target/node_modules/.installed"; }; then
  npm ci --prefix "$target" --no-audit --no-fund --loglevel=error --cache "$target/../npm-cache"
  cp "$here/package-lock.json" "$target/node_modules/.installed"
fi
