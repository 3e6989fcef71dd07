# docs/configuration.md must equal `sluice plugins describe --markdown` over the built plugins.
# Run as: cmake -DSLUICE=<binary> -DCONFIG=<pipeline> -DDOC=<page> -DOUT=<scratch> -P <this>
execute_process(
  COMMAND ${SLUICE} plugins describe --markdown --config ${CONFIG}
  OUTPUT_VARIABLE generated
  ERROR_VARIABLE errors
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "sluice plugins describe --markdown failed (${result}):\n${errors}")
endif()
file(READ ${DOC} checked_in)
if(NOT generated STREQUAL checked_in)
  file(WRITE ${OUT} "${generated}")
  message(FATAL_ERROR "${errors}${DOC} differs from the plugins' schemas; see `diff ${DOC} ${OUT}`, "
                      "then regenerate it from the repository root with\n"
                      "  ./build/dev/bin/sluice plugins describe --markdown > docs/configuration.md")
endif()
