#include "core/lifecycle/sign_in_desk.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/security/encoding.hpp"
#include "core/security/secret_box.hpp"
#include "plugins/storage-memory/memory_backend.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "tests/unit/core/lifecycle/auth_server_reply.hpp"

namespace sluice::core::lifecycle {
namespace {

using json = nlohmann::json;
using testing::jsonReply;
using namespace std::chrono_literals;

json userCode(const std::string& code) {
    return {{"device_auth_id", "dev_secret_" + code}, {"user_code", code}, {"interval", "1"}};
}

class SignInDeskTest : public ::testing::Test {
protected:
    SignInDeskTest() {
        sdk::PoolRecord pool;
        pool.name = "team";
        pool.strategy = "main";
        EXPECT_TRUE(storage_.pools().create(pool).ok());
    }

    std::vector<sdk::AuditRecord> audit(const std::string& action) {
        sdk::AuditQuery query;
        query.limit = 100;
        query.action = action;
        return storage_.audit().query(query)->items;
    }

    sdk::testing::FakeHost host_;
    plugins::storage_memory::MemoryBackend storage_;
    security::SecretBox secrets_{{{1, std::string(32, 'k')}}, 1};
    std::shared_ptr<const config::Pipeline> pipeline_ = std::make_shared<config::Pipeline>();
    int changes_ = 0;
    control::ControlContext control_{storage_,      [this] { return pipeline_; }, secrets_,
                                     host_.clock(), [this] { ++changes_; },       nullptr};
    SignInDesk desk_{control_, host_.fakeHttp(),
                     DeviceSignInEndpoints{"http://auth.test", "app_client", "test", 1s},
                     host_.clock(), host_.logger("sign_in")};
};

TEST_F(SignInDeskTest, BeginAnswersTheCodeAndTheWorkerStoresTheAccountOnceApproved) {
    host_.fakeHttp().enqueue(jsonReply(200, userCode("ABCD-EFGH")));
    auto started = desk_.begin({"team", "alice", {{"tier", "gold"}}, "admin:ops"});
    ASSERT_TRUE(started.ok()) << started.status().message();
    EXPECT_EQ(started->phase, DeviceSignIn::Phase::AwaitingUser);
    EXPECT_EQ(started->user_code, "ABCD-EFGH");
    EXPECT_EQ(started->verification_url, "http://auth.test/codex/device");
    EXPECT_EQ(desk_.get(started->id)->phase, DeviceSignIn::Phase::AwaitingUser);

    const std::string id_token =
        security::toBase64Url("{}") + "." +
        security::toBase64Url(
            json{{"https://api.openai.com/auth",
                  {{"chatgpt_account_id", "acc-1"}, {"chatgpt_plan_type", "pro"}}}}
                .dump()) +
        ".sig";
    host_.fakeHttp().enqueue(
        jsonReply(200, {{"authorization_code", "ac"}, {"code_verifier", "v"}}));
    host_.fakeHttp().enqueue(
        jsonReply(200, {{"id_token", id_token}, {"access_token", "at"}, {"refresh_token", "rt"}}));
    host_.fakeClock().advance(1s);  // the poll is due; the worker notices within its interval
    const auto finished = desk_.waitFinished(started->id);
    ASSERT_TRUE(finished.ok());
    ASSERT_EQ(finished->phase, DeviceSignIn::Phase::Stored) << finished->error_message;
    ASSERT_TRUE(finished->account);
    EXPECT_EQ(finished->account->label, "alice");
    EXPECT_EQ(finished->account->plan_type, "pro");

    const auto stored = storage_.accounts().get(finished->account->id);
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(stored->chatgpt_account_id, "acc-1");
    EXPECT_EQ(secrets_.decrypt(stored->refresh_token,
                               security::accountSecretAad(stored->id, "refresh_token")),
              "rt");
    EXPECT_EQ(changes_, 1);
    ASSERT_EQ(audit("account.sign_in").size(), 1u);
    EXPECT_EQ(audit("account.sign_in")[0].actor, "admin:ops");
    EXPECT_EQ(audit("account.sign_in.start").size(), 1u);
    for (const auto& line : host_.lines()) {
        for (const auto& [key, value] : line.fields) {
            EXPECT_EQ(value.find("ABCD-EFGH"), std::string::npos) << line.event;
            EXPECT_EQ(value.find("dev_secret"), std::string::npos) << line.event;
        }
    }
}

TEST_F(SignInDeskTest, RefusesBadRequestsBeforeAskingForACode) {
    EXPECT_EQ(desk_.begin({"absent", std::nullopt, {}, "cli"}).status().code(),
              sdk::StatusCode::NotFound);
    EXPECT_EQ(desk_.begin({"team", "Not Valid", {}, "cli"}).status().code(),
              sdk::StatusCode::InvalidArgument);
    EXPECT_TRUE(host_.fakeHttp().calls().empty());
    EXPECT_EQ(audit("account.sign_in.start").size(), 2u);
    EXPECT_EQ(audit("account.sign_in.start")[0].outcome, "failure");
    EXPECT_EQ(desk_.get("signin_unknown").status().code(), sdk::StatusCode::NotFound);
}

TEST_F(SignInDeskTest, NoCodeFromTheAuthServerIsUnavailable) {
    const auto refused = desk_.begin({"team", std::nullopt, {}, "cli"});  // nothing queued
    EXPECT_EQ(refused.status().code(), sdk::StatusCode::Unavailable);
    EXPECT_NE(refused.status().message().find("could not be reached"), std::string::npos);
}

TEST_F(SignInDeskTest, LimitsTheSignInsWaitingAtOnce) {
    for (int i = 0; i < 16; ++i) {
        host_.fakeHttp().enqueue(jsonReply(200, userCode("CODE-" + std::to_string(i))));
        ASSERT_TRUE(desk_.begin({"team", std::nullopt, {}, "cli"}).ok());
    }
    EXPECT_EQ(desk_.begin({"team", std::nullopt, {}, "cli"}).status().code(),
              sdk::StatusCode::FailedPrecondition);
}

}  // namespace
}  // namespace sluice::core::lifecycle
