# Builds sdk/examples/prefer-label the way a third party would and loads it into the host:
# install the SDK component into a temp prefix, configure and build the example against it with
# find_package, run its own tests, then run the host-side check on the produced plugin.
#
# cmake -DSLUICE_BUILD_DIR=... -DSLUICE_SOURCE_DIR=... -DHOST_TEST=<sdk_example_host_test>
#       -DGENERATOR=... -DCXX_COMPILER=... -DBUILD_TYPE=... [-DCXX_FLAGS=... -DEXE_LINKER_FLAGS=...
#       -DMODULE_LINKER_FLAGS=...] -P sdk_example_test.cmake
cmake_minimum_required(VERSION 3.25)

foreach(required SLUICE_BUILD_DIR SLUICE_SOURCE_DIR HOST_TEST GENERATOR CXX_COMPILER)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "sdk_example_test.cmake: -D${required}=... is required")
  endif()
endforeach()

# mktemp -d: a fresh 0700 directory, so the loader's world-writable checks pass as in production.
execute_process(COMMAND mktemp -d /tmp/sluice-sdk-example-XXXXXX
  OUTPUT_VARIABLE scratch OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cannot create a temp directory")
endif()
set(prefix ${scratch}/prefix)
set(build ${scratch}/build)

# Runs one step; on failure prints its output, removes the scratch directory and stops.
function(step name)
  message(STATUS "${name}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    file(REMOVE_RECURSE ${scratch})
    message(FATAL_ERROR "${name} failed (${rc}):\n${out}")
  endif()
endfunction()

step("install the SDK component into ${prefix}"
  ${CMAKE_COMMAND} --install ${SLUICE_BUILD_DIR} --component sdk --prefix ${prefix})
# The host's compiler and sanitizer flags: the testing kit in the prefix was built with them,
# and the plugin must match the host's build fingerprint.
step("configure the example out of tree"
  ${CMAKE_COMMAND} -S ${SLUICE_SOURCE_DIR}/sdk/examples/prefer-label -B ${build} -G ${GENERATOR}
  -DCMAKE_PREFIX_PATH=${prefix}
  -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON
  -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
  -DCMAKE_BUILD_TYPE=${BUILD_TYPE}
  "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
  "-DCMAKE_EXE_LINKER_FLAGS=${EXE_LINKER_FLAGS}"
  "-DCMAKE_MODULE_LINKER_FLAGS=${MODULE_LINKER_FLAGS}")
step("build the example" ${CMAKE_COMMAND} --build ${build} --parallel 2)
step("run the example's unit tests"
  ${CMAKE_COMMAND} -E chdir ${build} ${CMAKE_CTEST_COMMAND} --output-on-failure)
if(NOT EXISTS ${build}/libsluice-strategy-prefer-label.so)
  file(REMOVE_RECURSE ${scratch})
  message(FATAL_ERROR "the example build produced no libsluice-strategy-prefer-label.so")
endif()
step("load the plugin into the host and order a snapshot"
  ${CMAKE_COMMAND} -E env SLUICE_EXAMPLE_PLUGIN_DIR=${build} ${HOST_TEST})

file(REMOVE_RECURSE ${scratch})
