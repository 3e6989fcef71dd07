#include "core/ops/admin/admin_support.hpp"
#include "core/ops/views.hpp"

namespace sluice::core::ops::admin {

namespace {

using Phase = lifecycle::DeviceSignIn::Phase;

json signInView(const lifecycle::SignInView& view, const AdminOperationsContext& context) {
    return {{"sign_in", view.id},
            {"pool", view.pool},
            {"phase", lifecycle::signInPhaseName(view.phase)},
            {"user_code", view.user_code},
            {"verification_url", view.verification_url},
            {"interval_seconds", view.interval.count()},
            {"expires_at", views::time(view.expires_at)},
            {"account", view.account ? accountView(*view.account, context) : json(nullptr)},
            {"error", view.error_code.empty()
                          ? json(nullptr)
                          : json{{"code", view.error_code}, {"message", view.error_message}}}};
}

json signInSchema() {
    std::vector<std::string> phases;
    for (const Phase phase : {Phase::Requested, Phase::AwaitingUser, Phase::Exchanging,
                              Phase::Stored, Phase::Expired, Phase::Denied, Phase::Failed}) {
        phases.emplace_back(lifecycle::signInPhaseName(phase));
    }
    return s::shape(
        {{"sign_in", s::text("sign-in id (signin_...)")},
         {"pool", s::text("the pool the account joins")},
         {"phase", s::oneOf("where the sign-in stands", phases)},
         {"user_code", s::text("the code the user enters at verification_url")},
         {"verification_url", s::text("where the user signs in to ChatGPT and enters the code")},
         {"interval_seconds", s::integer("how often the gateway asks whether it was approved")},
         {"expires_at", views::timeSchema("the user code stops working")},
         {"account", s::nullable(accountSchema())},
         {"error", s::nullable(s::shape(
                       {{"code", s::oneOf("why it ended",
                                          {"sign_in_denied", "sign_in_expired", "sign_in_failed"})},
                        {"message", s::text("what happened")}},
                       {"code", "message"}))}},
        {"sign_in", "pool", "phase", "user_code", "verification_url", "expires_at", "account",
         "error"});
}

}  // namespace

void addSignInAdminOperations(Operations& operations, const AdminOperationsContext& context) {
    operations.add(
        {"sign_ins.start", kAdmins, true,
         "Add an account by ChatGPT device-code sign-in: answers the user code and where to "
         "enter it; the gateway waits for the approval behind and stores the tokens encrypted",
         s::params({{"pool", s::text("pool", 63)},
                    {"label", s::text("operator-facing name", 120)},
                    {"labels", labelsParam()}},
                   {"pool"}),
         signInSchema(), [context](const OperationCall& call) -> sdk::Result<json> {
             auto view =
                 context.sign_ins.begin({call.params["pool"], optionalString(call.params, "label"),
                                         labelsOf(call.params), actorOf(call)});
             if (!view.ok()) {
                 return view.status();
             }
             return signInView(view.value(), context);
         }});

    operations.add(
        {"sign_ins.get", kAdmins, false,
         "A device sign-in: awaiting_user until approved, then stored with its account, or "
         "denied, expired or failed with a typed error",
         s::params({{"sign_in", s::text("sign-in id (signin_...)", 64)}}, {"sign_in"}),
         signInSchema(), [context](const OperationCall& call) -> sdk::Result<json> {
             auto view = context.sign_ins.get(call.params["sign_in"]);
             if (!view.ok()) {
                 return view.status();
             }
             return signInView(view.value(), context);
         }});
}

}  // namespace sluice::core::ops::admin
