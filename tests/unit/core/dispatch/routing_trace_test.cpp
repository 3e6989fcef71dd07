#include "core/dispatch/routing_trace.hpp"

#include <gtest/gtest.h>

namespace sluice::core::dispatch {
namespace {

TEST(RoutingTraceTest, SerialisesEveryPartInKeyOrder) {
    RoutingTrace trace;
    trace.excluded.push_back({"acct-1", "paused-one", "paused by an operator"});
    trace.order = {"first", "second"};
    trace.affinity_account = "first";
    trace.attempts.push_back({"acct-2", "first", "upstream_error", "server_error", 502, 1200});
    trace.attempts.push_back({"acct-3", "second", "success", "", 200, 900});
    EXPECT_EQ(
        trace.toJson(),
        R"({"affinity_account":"first","attempts":[)"
        R"({"account":"first","end":"upstream_error","latency_us":1200,"reason":"server_error","upstream_status":502},)"
        R"({"account":"second","end":"success","latency_us":900,"reason":"","upstream_status":200}],)"
        R"("excluded":[{"account":"paused-one","reason":"paused by an operator"}],)"
        R"("order":["first","second"],"pinned":false})");
}

TEST(RoutingTraceTest, AnEmptyTraceKeepsItsListsAndLeavesOutTheAffinity) {
    EXPECT_EQ(RoutingTrace{}.toJson(),
              R"({"attempts":[],"excluded":[],"order":[],"pinned":false})");
}

TEST(RoutingTraceTest, InvalidUtf8IsReplacedNotFatal) {
    RoutingTrace trace;
    trace.order = {std::string("bad\xff")};
    EXPECT_EQ(trace.toJson(),
              "{\"attempts\":[],\"excluded\":[],\"order\":[\"bad\xef\xbf\xbd\"],\"pinned\":false}");
}

}  // namespace
}  // namespace sluice::core::dispatch
