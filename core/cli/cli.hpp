#pragma once

namespace sluice::core::cli {

/// Entry point of the `sluice` binary: parses the command line and runs one command.
int runCli(int argc, const char* const* argv);

}  // namespace sluice::core::cli
