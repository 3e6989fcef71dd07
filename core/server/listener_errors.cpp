#include "core/server/listener_errors.hpp"

namespace sluice::core::server {

void ListenerErrorLog::report(const std::string& reason) noexcept {
    using std::chrono::duration_cast;
    using std::chrono::milliseconds;
    const std::int64_t now =
        duration_cast<milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
    const std::uint64_t failures = unreported_.fetch_add(1) + 1;
    std::int64_t due = next_line_at_.load();
    if (now < due || !next_line_at_.compare_exchange_strong(due, now + 1000)) {
        return;
    }
    unreported_.fetch_sub(failures);
    try {
        logger_.error("listener_error",
                      {{"reason", reason}, {"failures", std::to_string(failures)}});
    } catch (...) {
        // Logging is best effort here: this runs on the accepting loop.
    }
}

}  // namespace sluice::core::server
