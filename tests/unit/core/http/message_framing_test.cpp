#include "core/http/message_framing.hpp"

#include <Poco/Net/HTTPRequest.h>
#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace sluice::core::http {
namespace {

Poco::Net::HTTPRequest head(const std::vector<std::pair<const char*, const char*>>& headers) {
    Poco::Net::HTTPRequest request("POST", "/");
    for (const auto& [name, value] : headers) {
        request.add(name, value);
    }
    return request;
}

TEST(MessageFraming, ReadsLengthAndChunking) {
    const MessageFraming length = framingOf(head({{"Content-Length", "12"}}));
    EXPECT_EQ(length.content_length, 12U);
    EXPECT_FALSE(length.chunked);
    EXPECT_EQ(length.problem, FramingProblem::None);
    const MessageFraming repeated =
        framingOf(head({{"Content-Length", "7"}, {"content-length", "7"}}));
    EXPECT_EQ(repeated.content_length, 7U) << "identical repeats are one length";
    const MessageFraming chunked = framingOf(head({{"Transfer-Encoding", "chunked"}}));
    EXPECT_TRUE(chunked.chunked);
    EXPECT_EQ(chunked.problem, FramingProblem::None);
    const MessageFraming neither = framingOf(head({}));
    EXPECT_FALSE(neither.content_length || neither.chunked);
    EXPECT_EQ(neither.problem, FramingProblem::None);
}

TEST(MessageFraming, NamesEveryAmbiguousHead) {
    const std::vector<std::pair<std::vector<std::pair<const char*, const char*>>, FramingProblem>>
        cases{
            {{{"Transfer-Encoding", "chunked"}, {"Content-Length", "5"}},
             FramingProblem::LengthWithCoding},
            {{{"Transfer-Encoding", "gzip"}}, FramingProblem::UnknownCoding},
            {{{"Transfer-Encoding", "gzip"}, {"Content-Length", "5"}},
             FramingProblem::UnknownCoding},
            {{{"Content-Length", "-1"}}, FramingProblem::MalformedLength},
            {{{"Content-Length", "+5"}}, FramingProblem::MalformedLength},
            {{{"Content-Length", "5, 5"}}, FramingProblem::MalformedLength},
            {{{"Content-Length", ""}}, FramingProblem::MalformedLength},
            {{{"Content-Length", "5"}, {"Content-Length", "6"}},
             FramingProblem::ConflictingLengths},
        };
    for (const auto& [headers, problem] : cases) {
        const MessageFraming framing = framingOf(head(headers));
        EXPECT_EQ(framing.problem, problem) << describe(problem);
        EXPECT_FALSE(framing.content_length) << describe(problem);
    }
}

}  // namespace
}  // namespace sluice::core::http
