#include "core/server/request_head.hpp"

#include <gtest/gtest.h>

#include <string_view>

namespace sluice::core::server {
namespace {

struct Parsed {
    RequestParser parser;
    boost::beast::error_code error;
};

// Feeds `wire` to a fresh parser, as the connection does, up to the end of the head.
void parseHead(Parsed& parsed, std::string_view wire) {
    parsed.parser.eager(false);
    parsed.parser.put(boost::asio::buffer(wire.data(), wire.size()), parsed.error);
}

TEST(RequestHeadTest, HeadOfCopiesTheRequestLineFieldsAndIntentions) {
    Parsed parsed;
    parseHead(parsed,
              "POST /v1/responses?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n"
              "Expect: 100-continue\r\nX-Two: b\r\n\r\n");
    ASSERT_FALSE(parsed.error) << parsed.error.message();
    const RequestHead head = headOf(parsed.parser);
    EXPECT_EQ(head.method, "POST");
    EXPECT_EQ(head.target, "/v1/responses?x=1");
    EXPECT_EQ(head.version, 11);
    EXPECT_EQ(sdk::findHeader(head.headers, "x-two").value_or(""), "b");
    EXPECT_TRUE(head.keep_alive);
    EXPECT_TRUE(head.expect_continue);
    EXPECT_FALSE(head.upgrade);
    EXPECT_EQ(head.framing.problem, http::FramingProblem::None);
}

TEST(RequestHeadTest, AnHttp10HeadIsNotKeptAliveAndAnUpgradeIsSeen) {
    Parsed old;
    parseHead(old, "GET / HTTP/1.0\r\nHost: a\r\n\r\n");
    EXPECT_EQ(headOf(old.parser).version, 10);
    EXPECT_FALSE(headOf(old.parser).keep_alive);

    Parsed upgrade;
    parseHead(upgrade,
              "GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
    EXPECT_TRUE(headOf(upgrade.parser).upgrade);
}

struct RefusalCase {
    std::string_view fields;
    http::FramingProblem problem;
};

class FramingRefusalTest : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(FramingRefusalTest, NamesTheProblemOfTheRefusedField) {
    Parsed parsed;
    parseHead(parsed, std::string("POST / HTTP/1.1\r\nHost: a\r\n") +
                          std::string(GetParam().fields) + "\r\n");
    ASSERT_TRUE(parsed.error) << "the parser accepted " << GetParam().fields;
    EXPECT_EQ(framingRefusalOf(parsed.parser, parsed.error), GetParam().problem);
}

INSTANTIATE_TEST_SUITE_P(
    Fields, FramingRefusalTest,
    ::testing::Values(RefusalCase{"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n",
                                  http::FramingProblem::LengthWithCoding},
                      RefusalCase{"Transfer-Encoding: chunked\r\nContent-Length: 3\r\n",
                                  http::FramingProblem::LengthWithCoding},
                      RefusalCase{"Content-Length: 3\r\nContent-Length: 4\r\n",
                                  http::FramingProblem::ConflictingLengths},
                      RefusalCase{"Content-Length: -1\r\n",
                                  http::FramingProblem::MalformedLength}));

TEST(RequestHeadTest, ACodingTheParserLetsThroughIsJudgedInTheHead) {
    Parsed parsed;
    parseHead(parsed, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n");
    ASSERT_FALSE(parsed.error) << parsed.error.message();
    EXPECT_EQ(headOf(parsed.parser).framing.problem, http::FramingProblem::UnknownCoding);
}

TEST(RequestHeadTest, ARefusalThatIsNotAboutFramingHasNoProblem) {
    Parsed parsed;
    parseHead(parsed, "GET / HTTP/1.1\r\nBad Field: x\r\n\r\n");
    ASSERT_TRUE(parsed.error);
    EXPECT_EQ(framingRefusalOf(parsed.parser, parsed.error), std::nullopt);
}

}  // namespace
}  // namespace sluice::core::server
