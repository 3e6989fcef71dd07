#!/usr/bin/env bash
# The SDK package as a plugin author gets it: configures sdk/ alone with every host library
# hidden from CMake (it must need none), builds sluice-sdk-dev_<version>_amd64.deb from a built
# tree (sluice_sdk_testing), checks its control data and that it holds every SDK and testing-kit
# header, unpacks it with `dpkg -x` into a scratch root, copies sdk/examples/prefer-label to a
# scratch folder, configures and builds it with CMAKE_PREFIX_PATH pointing into the root and
# nothing from the source or build tree, and runs its unit and conformance tests, linked with the
# packaged testing kit.
# Usage: sdk_package_check.sh BUILD_DIR SOURCE_DIR [CXX_COMPILER CXX_FLAGS EXE_LINKER_FLAGS \
#        MODULE_LINKER_FLAGS COMPILER_LAUNCHER]   # the host's: the kit in the package was built so
set -euo pipefail

build_dir=$(cd "$1" && pwd)
source_dir=$(cd "$2" && pwd)
cxx=${3:-c++}
work=$(mktemp -d /tmp/sluice-sdk-package-check.XXXXXX)
trap 'rm -rf "$work"' EXIT

# shellcheck source-path=SCRIPTDIR source=check_common.sh
source "$(dirname "$0")/check_common.sh"

# The example's build must name neither tree (checked below): the scratch folder is outside both.
[[ $work != "$source_dir"* && $work != "$build_dir"* ]] || fail "scratch $work inside the tree"

# --- sdk/ alone ------------------------------------------------------------------------------
host_libraries=(Poco Boost yaml-cpp nlohmann_json OpenSSL SQLite3 PkgConfig PostgreSQL)
hidden=()
for library in "${host_libraries[@]}"; do
    hidden+=("-DCMAKE_DISABLE_FIND_PACKAGE_$library=ON")
done
cmake -S "$source_dir/sdk" -B "$work/sdk-alone" -DCMAKE_CXX_COMPILER="$cxx" "${hidden[@]}" \
    >"$work/sdk-alone.log" 2>&1 || {
    cat "$work/sdk-alone.log"
    fail "sdk/ does not configure alone without the host's libraries"
}
echo "sdk/ configures alone with ${host_libraries[*]} hidden"

# --- the package ------------------------------------------------------------------------------
deb=$(build_package "$build_dir" "$work/out" sluice-sdk-dev "sdk;sdk_deb")
echo "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"
[[ $(dpkg-deb -f "$deb" Architecture) == amd64 ]] || fail "architecture"
[[ $(dpkg-deb -f "$deb" Section) == libdevel ]] || fail "section"
depends=$(dpkg-deb -f "$deb" Depends)
for needed in cmake g++ libgtest-dev; do
    [[ "$depends" == *"$needed"* ]] || fail "Depends lacks $needed: $depends"
done
# The host's libraries are the host package's business, not a plugin build's.
for unwanted in sluice libpoco libyaml-cpp libboost libsqlite3 libssl libzstd; do
    [[ "$depends" != *"$unwanted"* ]] || fail "Depends names $unwanted: $depends"
done
if simulate_apt_install "$deb" "$work/apt.log"; then
    for needed in cmake g++ libgtest-dev sluice-sdk-dev; do
        grep -q "^Inst $needed " "$work/apt.log" || fail "apt on an empty system would not install $needed"
    done
    if grep -E '^Inst (sluice|libpoco|libyaml-cpp|libboost) ' "$work/apt.log"; then
        fail "apt on an empty system would install a host library for the SDK"
    fi
    echo "apt on an empty system: $(grep -c '^Inst ' "$work/apt.log") packages, no host library"
else
    echo "no apt package lists here: the install simulation is skipped"
fi

root="$work/root"
dpkg -x "$deb" "$root"
while read -r header; do
    [[ -f "$root/usr/include/$header" ]] || fail "package lacks /usr/include/$header"
done < <(cd "$source_dir/sdk/include" && find . -name '*.hpp' -printf '%P\n'
    cd "$source_dir/sdk/testing/include" && find . -name '*.hpp' -printf '%P\n')
for file in usr/lib/cmake/SluiceSdk/SluiceSdkConfig.cmake usr/lib/cmake/SluiceSdk/SluiceSdkPlugin.cmake \
    usr/lib/libsluice_sdk_testing.a usr/share/doc/sluice-sdk-dev/copyright; do
    [[ -f "$root/$file" ]] || fail "package lacks /$file"
done
outside=$(find "$root" -type f -printf '%P\n' |
    grep -Ev '^usr/(include/sluice/sdk/|lib/cmake/SluiceSdk/|lib/libsluice_sdk_testing\.a$|share/doc/sluice-sdk-dev/)' ||
    true)
[[ -z "$outside" ]] || fail "files outside the SDK's places: $outside"

# --- prefer-label built against the package alone ---------------------------------------------
cp -r "$source_dir/sdk/examples/prefer-label" "$work/prefer-label"
example_build="$work/prefer-label-build"
cmake -S "$work/prefer-label" -B "$example_build" \
    -DCMAKE_PREFIX_PATH="$root/usr" \
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF \
    -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CXX_COMPILER_LAUNCHER="${7:-}" \
    -DCMAKE_CXX_FLAGS="${4:-}" -DCMAKE_EXE_LINKER_FLAGS="${5:-}" -DCMAKE_MODULE_LINKER_FLAGS="${6:-}" \
    >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; fail "prefer-label does not configure"; }
sdk_dir=$(sed -n 's/^SluiceSdk_DIR:PATH=//p' "$example_build/CMakeCache.txt")
[[ $sdk_dir == "$root/usr/lib/cmake/SluiceSdk" ]] || fail "SluiceSdk found in $sdk_dir, not in the package"
# CCACHE_BASEDIR: the scratch folder's name changes every run; relative to it, nothing does.
CCACHE_BASEDIR="$work" cmake --build "$example_build" --parallel 2 >"$work/build.log" 2>&1 ||
    { tail -n 40 "$work/build.log"; fail "prefer-label does not build against the package"; }
if grep -rlIF -e "$source_dir" -e "$build_dir" "$example_build"; then
    fail "the example build refers to the source or build tree (files above)"
fi
[[ -f "$example_build/libsluice-strategy-prefer-label.so" ]] || fail "no plugin built"
ctest --test-dir "$example_build" --output-on-failure >"$work/ctest.log" 2>&1 ||
    { tail -n 40 "$work/ctest.log"; fail "the example's tests failed"; }
conformance=$(grep -c 'Passed' <(grep 'Conformance' "$work/ctest.log") || true)
((conformance > 0)) || { cat "$work/ctest.log"; fail "no conformance test ran"; }
echo "prefer-label built against the package: $(grep -c ' Passed ' "$work/ctest.log") tests passed" \
    "($conformance of the strategy conformance suite)"
