// What the `sluice` binary logs around its own output: one-shot commands keep standard error to
// warnings and errors unless --verbose; `serve` logs what the pipeline's logging.level asks for.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <string>

#include "tests/integration/cli_fixture.hpp"

namespace sluice::integration {
namespace {

TEST_F(CliTest, CommandsLogWarningsAndErrorsOnlyByDefault) {
    writeConfig(pipeline());
    const CliRun run = sluice({"pool", "create", "--name", "extra"});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(run.err.find("level=info"), std::string::npos) << run.err;
    EXPECT_EQ(run.err.find("storage_opened"), std::string::npos) << run.err;
    EXPECT_NE(run.out.find("extra"), std::string::npos) << run.out;
}

TEST_F(CliTest, VerboseCommandsAlsoLogInfoLines) {
    writeConfig(pipeline());
    const CliRun run = sluice({"pool", "list", "--verbose"});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    EXPECT_NE(run.err.find("event=storage_opened"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("event=storage_migrated"), std::string::npos) << run.err;
}

TEST_F(CliTest, QuietCommandsStillReportErrors) {
    writeConfig(pipeline());
    const CliRun run = sluice({"key", "revoke", "sk-nothing"});
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_NE(run.err.find("error: "), std::string::npos) << run.err;
}

class ServeLoggingTest : public ServeTest {};

TEST_F(ServeLoggingTest, ServeKeepsInfoLogging) {
    ServeProcess process = serve();
    ASSERT_TRUE(process.healthy());
    ::kill(static_cast<pid_t>(process.handle->id()), SIGTERM);
    const std::string errors = process.errorsAfterExit();
    EXPECT_NE(errors.find("event=storage_opened"), std::string::npos) << errors;
}

}  // namespace
}  // namespace sluice::integration
