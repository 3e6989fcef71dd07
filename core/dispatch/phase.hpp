#pragma once

namespace sluice::core::dispatch {

/// Where a request's answer stands with the client. Failover is allowed only while Holding.
enum class Phase {
    Holding,    ///< nothing has reached the client: another account may still answer
    Committed,  ///< the answer's head (and maybe more) went out: no failover any more
    Done,       ///< the answer ended, one way or another
};

}  // namespace sluice::core::dispatch
