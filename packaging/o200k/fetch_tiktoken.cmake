# cmake -DTARBALL=<file> -DDESTINATION=<dir> -P fetch_tiktoken.cmake
# Downloads the npm `tiktoken` package pinned below (skipped when TARBALL already holds it),
# checks its SHA-512 against the registry's integrity, and extracts the o200k_base encoder
# JSON to <dir>/package/encoders/o200k_base.json. tests/e2e's package-lock pins the same
# version, so the parity test compares the gateway with the package its ranks came from.
set(version 1.0.22)
set(url https://registry.npmjs.org/tiktoken/-/tiktoken-${version}.tgz)
set(sha512 3cabf2d6b545d5189b7c5dc99570523f426b730daeab7c977607045ed293627dd027f7014411c39eb2798c7932f8c10d67a0c83f0354196a64571fbb8e80a934)

set(have_it FALSE)
if(EXISTS ${TARBALL})
  file(SHA512 ${TARBALL} existing)
  if(existing STREQUAL sha512)
    set(have_it TRUE)
  endif()
endif()
if(NOT have_it)
  message(STATUS "downloading ${url}")
  file(DOWNLOAD ${url} ${TARBALL} EXPECTED_HASH SHA512=${sha512} TLS_VERIFY ON STATUS status)
  list(GET status 0 code)
  if(NOT code EQUAL 0)
    list(GET status 1 reason)
    message(FATAL_ERROR "cannot download ${url}: ${reason}. Configure with "
      "-DSLUICE_FETCH_O200K_RANKS=OFF to build without the count_tokens ranks.")
  endif()
endif()
file(ARCHIVE_EXTRACT INPUT ${TARBALL} DESTINATION ${DESTINATION}
  PATTERNS package/encoders/o200k_base.json)
