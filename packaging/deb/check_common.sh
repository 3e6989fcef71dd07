# shellcheck shell=bash
# Sourced by package_check.sh and sdk_package_check.sh: what both do with a package.

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# build_package BUILD_DIR OUT_DIR NAME COMPONENTS: cpack's NAME_<version>_amd64.deb made of the
# install components COMPONENTS (a CMake list) of the built tree BUILD_DIR, in OUT_DIR; prints
# its path.
build_package() {
    local build_dir=$1 out=$2 name=$3 components=$4
    cpack --config "$build_dir/CPackConfig.cmake" -B "$out" -D "CPACK_COMPONENTS_ALL=$components" \
        >"$out.log" 2>&1 || { cat "$out.log" >&2; fail "cpack could not build $name"; }
    local debs=("$out/${name}"_*_amd64.deb)
    [[ ${#debs[@]} -eq 1 && -f "${debs[0]}" ]] || fail "expected one ${name}_<version>_amd64.deb"
    [[ $(dpkg-deb -f "${debs[0]}" Package) == "$name" ]] || fail "package name of ${debs[0]}"
    echo "${debs[0]}"
}

# simulate_apt_install DEB LOG: what `apt install ./DEB` does on a machine with nothing
# installed, simulated against this machine's package lists, into LOG (its `Inst <package>`
# lines). Returns 1 without a simulation when this machine has no package lists.
simulate_apt_install() {
    local deb=$1 log=$2
    compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null || return 1
    : >"$log.status"
    apt-get -o Dir::State::status="$log.status" install --simulate --no-install-recommends \
        "$deb" >"$log" 2>&1 || { cat "$log" >&2; fail "apt cannot install $(basename "$deb")"; }
}
