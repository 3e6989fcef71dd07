#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <string>

namespace {

TEST(EmulatorExecutableTest, PrintsItsPortServesAndExitsCleanlyOnSigterm) {
    Poco::Pipe out_pipe;
    auto handle = Poco::Process::launch(SLUICE_EMULATOR_EXECUTABLE,
                                        {"--port", "0", "--host", "127.0.0.1", "--script",
                                         SLUICE_EMULATOR_SCRIPTS_DIR "/default.yaml"},
                                        nullptr, &out_pipe, nullptr);
    Poco::PipeInputStream out(out_pipe);
    std::string line;
    std::getline(out, line);
    ASSERT_EQ(line.rfind("listening 127.0.0.1:", 0), 0u) << line;
    const auto port = static_cast<Poco::UInt16>(std::stoi(line.substr(line.rfind(':') + 1)));
    ASSERT_GT(port, 0);

    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    Poco::Net::HTTPRequest request("GET", "/__emulator/health", Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    session.receiveResponse(response);
    EXPECT_EQ(response.getStatus(), Poco::Net::HTTPResponse::HTTP_OK);

    ::kill(handle.id(), SIGTERM);
    EXPECT_EQ(handle.wait(), 0);
}

TEST(EmulatorExecutableTest, RejectsABrokenScriptWithItsPath) {
    Poco::Pipe err_pipe;
    auto handle = Poco::Process::launch(SLUICE_EMULATOR_EXECUTABLE,
                                        {"--script", "/nonexistent/emulator.yaml"}, nullptr,
                                        nullptr, &err_pipe);
    Poco::PipeInputStream err(err_pipe);
    std::string line;
    std::getline(err, line);
    EXPECT_NE(line.find("/nonexistent/emulator.yaml"), std::string::npos) << line;
    EXPECT_NE(handle.wait(), 0);
}

}  // namespace
