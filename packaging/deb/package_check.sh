#!/usr/bin/env bash
# The Debian package as an operator gets it: builds sluice_<version>_amd64.deb from a built
# tree (sluice_gateway), checks its control data and contents, unpacks it with `dpkg -x` into a
# scratch root, runs the unit's own ExecStartPre and ExecStart from there (paths moved into the
# root, upstream pointed at a closed loopback port), waits for /readyz to answer 200 on
# 127.0.0.1, sends SIGTERM and expects a drain and exit 0 within the unit's TimeoutStopSec.
# Usage: package_check.sh BUILD_DIR
set -euo pipefail

build_dir=$(cd "$1" && pwd)
work=$(mktemp -d /tmp/sluice-package-check.XXXXXX)
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -KILL "$server_pid"
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source-path=SCRIPTDIR source=check_common.sh
source "$(dirname "$0")/check_common.sh"

# --- the package ------------------------------------------------------------------------------
deb=$(build_package "$build_dir" "$work/out" sluice "gateway;deb")
echo "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"
depends=$(dpkg-deb -f "$deb" Depends)
for needed in adduser libc6 libstdc++6 libpocofoundation libpoconet libpoconetssl libpocoutil \
    libyaml-cpp libsqlite3 libssl3 libzstd1 libboost-filesystem; do
    [[ "$depends" == *"$needed"* ]] || fail "Depends lacks $needed: $depends"
done
mkdir "$work/control"
dpkg-deb -e "$deb" "$work/control"
[[ $(cat "$work/control/conffiles") == /etc/sluice/sluice.yaml ]] || fail "conffiles"
for script in postinst prerm postrm; do
    [[ -x "$work/control/$script" ]] || fail "no executable $script"
    sh -n "$work/control/$script" || fail "$script does not parse"
done
grep -q 'adduser --system' "$work/control/postinst" || fail "postinst creates no system user"

# What `apt install ./sluice_*.deb` does on a machine with nothing installed, simulated against
# this machine's package lists (when it has any): every dependency resolves from Debian.
if simulate_apt_install "$deb" "$work/apt.log"; then
    for needed in adduser libpocofoundation80 libyaml-cpp0.7 libsqlite3-0 sluice; do
        grep -q "^Inst $needed " "$work/apt.log" || fail "apt on an empty system would not install $needed"
    done
    echo "apt on an empty system: $(grep -c '^Inst ' "$work/apt.log") packages, sluice included"
else
    echo "no apt package lists here: the install simulation is skipped"
fi

root="$work/root"
dpkg -x "$deb" "$root"
for file in usr/bin/sluice usr/lib/sluice/sluice-create-key etc/sluice/sluice.yaml \
    lib/systemd/system/sluice.service usr/share/man/man8/sluice.8.gz \
    usr/share/doc/sluice/copyright usr/share/doc/sluice/configuration.md \
    usr/share/sluice/o200k_base.tiktoken \
    usr/lib/sluice/plugins/libsluice-storage-sqlite.so; do
    [[ -e "$root/$file" ]] || fail "package lacks /$file"
done
if ldd "$root/usr/bin/sluice" "$root"/usr/lib/sluice/plugins/*.so | grep -q 'not found'; then
    fail "a packaged binary needs a library nothing provides"
fi

# --- the unit ---------------------------------------------------------------------------------
unit="$root/lib/systemd/system/sluice.service"
for setting in Type=notify User=sluice ProtectSystem=strict NoNewPrivileges=true \
    PrivateTmp=true ReadWritePaths=/var/lib/sluice Restart=on-failure; do
    grep -qx "$setting" "$unit" || fail "sluice.service lacks $setting"
done
unit_value() { sed -n "s/^$1=//p" "$unit"; }
seconds() { [[ "$1" =~ ^([0-9]+)s$ ]] || fail "expected seconds, got '$1'"; echo "${BASH_REMATCH[1]}"; }
stop_timeout=$(seconds "$(unit_value TimeoutStopSec)")
drain=$(seconds "$(sed -n 's/^ *drain_timeout: *\([0-9]*s\).*/\1/p' "$root/etc/sluice/sluice.yaml")")
((stop_timeout > drain)) || fail "TimeoutStopSec ${stop_timeout}s leaves no room for a ${drain}s drain"
if command -v systemd-analyze >/dev/null; then
    sed "s|=/usr/|=$root/usr/|g" "$unit" >"$work/sluice.service"
    verify=$(systemd-analyze verify --man=no "$work/sluice.service" 2>&1) || true
    [[ -z "$verify" ]] || fail "systemd-analyze verify: $verify"
fi

# --- a start from the unpacked root ----------------------------------------------------------
state="$root/var/lib/sluice"
mkdir -p "$state"
config="$work/sluice.yaml"
sed -e "s|/var/lib/sluice|$state|g" \
    -e 's|listen: 127.0.0.1:4000|listen: 127.0.0.1:0|' \
    -e 's|https://chatgpt.com|http://127.0.0.1:9|; s|https://auth.openai.com|http://127.0.0.1:9|' \
    "$root/etc/sluice/sluice.yaml" >"$config"
in_root() { sed -e "s|/usr/|$root/usr/|g" -e "s|/var/lib/sluice|$state|g" \
    -e "s|/etc/sluice/sluice.yaml|$config|g" <<<"$1"; }
read -r -a start_pre <<<"$(in_root "$(unit_value ExecStartPre)")"
read -r -a start <<<"$(in_root "$(unit_value ExecStart)")"
(cd "$state" && "${start_pre[@]}") >/dev/null
[[ $(stat -c %a "$state/secret.key") == 600 ]] || fail "the key is not private to its owner"
key_before=$(cat "$state/secret.key")
(cd "$state" && "${start_pre[@]}") >/dev/null
[[ $(cat "$state/secret.key") == "$key_before" ]] || fail "a second start replaced the key"

: >"$work/serve.log"  # before the background start opens it, so the first read finds it
(cd "$state" && exec "${start[@]}") 2>"$work/serve.log" &
server_pid=$!
port=""
for _ in $(seq 100); do
    port=$(sed -n 's/.*event=listening address=127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/serve.log")
    [[ -n "$port" ]] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log"; fail "sluice serve exited"; }
    sleep 0.1
done
[[ -n "$port" ]] || { cat "$work/serve.log"; fail "sluice serve did not listen within 10 s"; }
libraries=$("$root/usr/bin/sluice" plugins list --json --config "$config" | grep '"library"')
if grep -qv "\"library\": \"$root/usr/lib/sluice/plugins/" <<<"$libraries"; then
    fail "plugins found outside /usr/lib/sluice/plugins: $libraries"
fi
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")
[[ "$status" == 200 ]] || { cat "$work/serve.log"; fail "/readyz answered $status"; }
echo "serving on 127.0.0.1:$port, /readyz 200"
# The customer routes are mounted: without a key they ask for one.
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/wallet/status")
[[ "$status" == 401 ]] || fail "/api/v1/wallet/status without a key answered $status"

# The packaged CLI against the same database prints its answer and no info lines.
"$root/usr/bin/sluice" pool list --config "$config" >"$work/pools.out" 2>"$work/pools.err" ||
    fail "sluice pool list failed: $(cat "$work/pools.err")"
grep -q default "$work/pools.out" || fail "sluice pool list does not show pool default"
[[ ! -s "$work/pools.err" ]] || fail "sluice pool list logged: $(cat "$work/pools.err")"

kill -TERM "$server_pid"
exit_code=""
for _ in $(seq $((stop_timeout * 10))); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
        wait "$server_pid" && exit_code=0 || exit_code=$?
        break
    fi
    sleep 0.1
done
[[ -n "$exit_code" ]] || fail "still running ${stop_timeout}s after SIGTERM"
server_pid=""
[[ "$exit_code" == 0 ]] || { cat "$work/serve.log"; fail "exit code $exit_code after SIGTERM"; }
grep -q 'event=draining' "$work/serve.log" || fail "no drain logged"
grep -q 'event=stopped' "$work/serve.log" || fail "no stop logged"
echo "SIGTERM: drained and exited 0"
