#pragma once

#include <chrono>
#include <string>

#include "sluice/sdk/gateway.hpp"
#include "sluice/sdk/host_services.hpp"

namespace sluice::plugins::common {

/// Where and how long to finalize an upload (POST {backend}/files/{id}/uploaded).
struct FinalizeCall {
    std::string path;     ///< upstream path, e.g. "/backend-api/files/file_1/uploaded"
    std::string account;  ///< the account that created the file: the only one that can see it
    std::chrono::milliseconds poll_interval{250};
    std::chrono::milliseconds timeout{30'000};
};

/// The last upstream answer of a finalize, and what it amounted to.
struct FinalizeResult {
    enum class Kind {
        Finalized,  ///< the upstream answered {"status":"success",...}
        Rejected,   ///< the dispatch reached no upstream answer (`outcome.error` says why)
        Failed,     ///< the upstream answered something else (`status` and `body` hold it)
        TimedOut,   ///< still "retry" when the timeout ran out
    };
    Kind kind = Kind::Failed;
    sdk::DispatchOutcome outcome;
    int status = 0;
    std::string body;
};

/// Finalizes an upload on its account, asking again every poll interval while the upstream
/// answers {"status":"retry"} (it is still processing the bytes). Blocks the request thread for
/// at most the timeout.
FinalizeResult finalizeUpload(sdk::Gateway& gateway, const sdk::Clock& clock,
                              const FinalizeCall& call);

}  // namespace sluice::plugins::common
