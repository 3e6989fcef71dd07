# sluice_add_plugin(<kind>-<name>
#                   SOURCES <files...>          # implementation
#                   [ENTRY <file>]              # the file with SLUICE_PLUGIN(...); only in the .so
#                   [LIBRARIES <targets...>]    # private link dependencies
#                   [STATIC_TWIN])              # also build <target>-static for tests / builtin use
#
# Builds lib sluice-<kind>-<name>.so with hidden visibility and -z defs, so every symbol is either
# resolved at link time or part of the plugin's one exported entry point.
function(sluice_add_plugin name)
  cmake_parse_arguments(PLUGIN "STATIC_TWIN" "ENTRY" "SOURCES;LIBRARIES" ${ARGN})
  set(target sluice-${name})

  add_library(${target}-objects OBJECT ${PLUGIN_SOURCES})
  set_target_properties(${target}-objects PROPERTIES
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
  target_link_libraries(${target}-objects PUBLIC Sluice::sdk ${PLUGIN_LIBRARIES})

  add_library(${target} MODULE ${PLUGIN_ENTRY} $<TARGET_OBJECTS:${target}-objects>)
  set_target_properties(${target} PROPERTIES
    PREFIX "lib"
    OUTPUT_NAME ${target}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(DEFINED SLUICE_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${SLUICE_PLUGIN_OUTPUT_DIR})
  endif()
  target_link_libraries(${target} PRIVATE Sluice::sdk ${PLUGIN_LIBRARIES})
  target_link_options(${target} PRIVATE LINKER:-z,defs)

  if(PLUGIN_STATIC_TWIN)
    add_library(${target}-static STATIC $<TARGET_OBJECTS:${target}-objects>)
    target_link_libraries(${target}-static PUBLIC Sluice::sdk ${PLUGIN_LIBRARIES})
  endif()

  if(DEFINED SLUICE_PLUGIN_INSTALL_DIR)
    install(TARGETS ${target} LIBRARY DESTINATION ${SLUICE_PLUGIN_INSTALL_DIR})
  endif()
endfunction()
