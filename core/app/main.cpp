#include "core/cli/cli.hpp"

int main(int argc, char** argv) {
    return sluice::core::cli::runCli(argc, argv);
}
