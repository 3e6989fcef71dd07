# Read by the top-level project and by sdk/ configured on its own, so both agree on them.
set(SLUICE_VERSION 0.1.0)
# Not CMAKE_INSTALL_LIBDIR (lib/<multiarch> under /usr on Debian): the host looks in
# <exe>/../lib/sluice/plugins.
set(SLUICE_PLUGIN_INSTALL_DIR lib/sluice/plugins)
