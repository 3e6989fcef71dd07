#!/usr/bin/env bash
# Installs what building and packaging (and, with --test, testing; with --bench, benchmarking;
# with --fuzz, coverage-guided fuzzing) Sluice needs on Debian 12. Idempotent:
# packages already present are left alone, so a warm machine pays nothing.
set -euo pipefail

build_packages=(
  cmake ninja-build g++ pkg-config make
  libpoco-dev libboost-dev libboost-filesystem-dev libyaml-cpp-dev nlohmann-json3-dev
  openssl libssl-dev libsqlite3-dev libzstd-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libhowardhinnant-date-dev libpcre2-dev
  libpq-dev
  dpkg-dev
)
# postgresql: the storage-postgres tests initdb and start their own throwaway server from
# /usr/lib/postgresql/<version>/bin (as `nobody` when run as root). redis-server: the
# state-redis tests start their own on a free loopback port (ADR 0012).
test_packages=(sqlite3 zstd curl chromium clang-format-14 postgresql redis-server)
# nginx is the plain reverse proxy `make bench` compares against; the harness starts its own
# instance on loopback with a generated config. valgrind counts instructions per request
# (callgrind, with callgrind_control and callgrind_annotate).
bench_packages=(nginx valgrind)
# libFuzzer ships in clang's runtime libraries; `make fuzz` builds its targets with clang.
fuzz_packages=(clang libclang-rt-14-dev)

wanted=("${build_packages[@]}")
if [[ "${1:-}" == "--test" ]]; then
  wanted+=("${test_packages[@]}")
  command -v node >/dev/null 2>&1 || wanted+=(nodejs npm)
elif [[ "${1:-}" == "--bench" ]]; then
  wanted+=("${bench_packages[@]}")
  command -v node >/dev/null 2>&1 || wanted+=(nodejs npm)
elif [[ "${1:-}" == "--fuzz" ]]; then
  wanted+=("${fuzz_packages[@]}")
fi

missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Tests start their own servers; no system-wide cluster is wanted on a build machine.
  if [[ " ${missing[*]} " == *" postgresql "* ]]; then
    mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/sluice.conf
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
