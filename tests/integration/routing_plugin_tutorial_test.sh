#!/usr/bin/env bash
# Follows docs/guides/write-a-routing-plugin.md as a stranger would: every ```sh block, in order,
# in one shell, starting in an empty folder of a temporary HOME, against the guide's two Debian
# packages (sluice and sluice-sdk-dev) built from this build and unpacked with `dpkg -x` into a
# scratch root instead of installed under /usr. Four things differ from a reader's machine, each
# replaced in the extracted commands: that root, the upstream is the emulator, the gateway
# listens on a free loopback port instead of 4000, and ~/work.auth.json and ~/spare.auth.json
# belong to emulator accounts.
# Passes when the commands succeed and every request reached the account the tutorial's
# strategy puts first.
#
#   routing_plugin_tutorial_test.sh <build dir> <source dir> <sluice-emulator> \
#                                   [<cxx flags> <linker flags>]   # the host's, e.g. sanitizers
set -euo pipefail

build_dir=$1
source_dir=$2
emulator=$3
export CXXFLAGS=${4:-}
export LDFLAGS=${5:-}
guide=$source_dir/docs/guides/write-a-routing-plugin.md

scratch=$(mktemp -d /tmp/sluice-tutorial-XXXXXX)
emulator_pid=
cleanup() {
    if [[ -n $emulator_pid ]]; then
        kill "$emulator_pid" 2>/dev/null || true
    fi
    rm -rf "$scratch"
}
trap cleanup EXIT

# shellcheck source-path=SCRIPTDIR source=../../packaging/deb/check_common.sh
source "$source_dir/packaging/deb/check_common.sh"
export HOME=$scratch/home
mkdir -p "$HOME" "$scratch/work"
dpkg -x "$(build_package "$build_dir" "$scratch/host-deb" sluice "gateway;deb")" "$scratch/root"
dpkg -x "$(build_package "$build_dir" "$scratch/sdk-deb" sluice-sdk-dev "sdk;sdk_deb")" "$scratch/root"

cat > "$scratch/emulator.yaml" <<'EOF'
accounts:
  - { id: acct-work, access_token: tok-work, behaviour: { mode: normal } }
  - { id: acct-spare, access_token: tok-spare, behaviour: { mode: normal } }
EOF
for name in work spare; do
    printf '{"auth_mode":"chatgpt","OPENAI_API_KEY":null,"tokens":{"id_token":"","access_token":"tok-%s","refresh_token":"","account_id":"acct-%s"}}\n' \
        "$name" "$name" > "$HOME/$name.auth.json"
done
"$emulator" --host 127.0.0.1 --port 0 --script "$scratch/emulator.yaml" > "$scratch/emulator.out" &
emulator_pid=$!
for _ in $(seq 100); do
    grep -q '^listening ' "$scratch/emulator.out" && break
    sleep 0.05
done
upstream=http://$(sed -n 's/^listening //p' "$scratch/emulator.out")
[[ $upstream != http:// ]] || { echo "the emulator did not start" >&2; exit 1; }

# A port nobody listens on: connecting to it is refused. It is taken below the kernel's ephemeral
# range, where the sockets of other tests running in parallel (TIME_WAIT ones included) cannot
# hold it; from inside that range the gateway's bind failed now and then.
ephemeral_low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range)
port=
for candidate in $(shuf -i "20000-$((ephemeral_low - 1))" -n 50); do
    if ! (exec 3<> "/dev/tcp/127.0.0.1/$candidate") 2> /dev/null; then
        port=$candidate
        break
    fi
done
[[ -n $port ]] || { echo "no free port found" >&2; exit 1; }

# The guide's ```sh blocks, in order.
awk '/^```sh$/ { inside = 1; next } /^```$/ { inside = 0 } inside' "$guide" > "$scratch/guide.sh"
replace() {
    grep -qF -- "$1" "$scratch/guide.sh" ||
        { echo "the guide no longer mentions '$1'; update this test" >&2; exit 1; }
    sed -i "s|$1|$2|g" "$scratch/guide.sh"
}
replace SLUICE_PREFIX=/usr "SLUICE_PREFIX=$scratch/root/usr"
replace 127.0.0.1:4000 "127.0.0.1:$port"
replace https://chatgpt.com "$upstream"
replace https://auth.openai.com "$upstream"

{
    echo 'trap '\''kill $(jobs -p) 2> /dev/null || true'\'' EXIT'
    cat "$scratch/guide.sh"
} > "$scratch/run.sh"
# Their output goes to a file: on success nobody needs it, on failure its end and the gateway's
# log are what explain it (the whole of it would push both out of a CI report).
(cd "$scratch/work" && bash -euo pipefail "$scratch/run.sh") > "$scratch/guide.out" 2>&1 || {
    echo "the guide's commands failed; their output ends:" >&2
    tail -n 25 "$scratch/guide.out" >&2
    echo "the gateway's log ends:" >&2
    tail -n 40 "$scratch/work/gateway/gateway.log" >&2 2> /dev/null || true
    exit 1
}

requests() {
    curl --silent --fail "$upstream/__emulator/requests?account=$1&path=/backend-api/codex/responses" |
        { grep -o '"seq":' || true; } | wc -l
}
work=$(requests acct-work)
spare=$(requests acct-spare)
echo "responses requests: work=$work spare=$spare"
[[ $work -eq 3 && $spare -eq 0 ]] ||
    { echo "expected all 3 requests on the primary account 'work'" >&2; exit 1; }
