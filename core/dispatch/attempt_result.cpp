#include "core/dispatch/attempt_result.hpp"

namespace sluice::core::dispatch {

const char* attemptEndName(AttemptEnd end) noexcept {
    switch (end) {
        case AttemptEnd::Completed: return "completed";
        case AttemptEnd::Interrupted: return "interrupted";
        case AttemptEnd::ClientGone: return "client_gone";
        case AttemptEnd::Failover: return "failover";
        case AttemptEnd::PassThrough: return "pass_through";
    }
    return "unknown";
}

}  // namespace sluice::core::dispatch
