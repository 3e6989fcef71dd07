#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace sluice::emulator {

/// One WHAM task of an account.
struct WhamTask {
    std::string id;
    std::string title;
    double created_at = 0;  ///< unix seconds, as WHAM sends them (floats)
    double updated_at = 0;
};

/// One page of an account's tasks, newest first.
struct WhamTaskPage {
    std::vector<WhamTask> tasks;
    std::optional<std::string> cursor;  ///< for the next page; nullopt on the last
};

/// The WHAM tasks of every account: the fixture task each account owns from the start
/// (WhamFixtures::taskIdFor) plus the tasks created through POST /wham/tasks. Ids are per
/// account, as upstream. Thread-safe.
class WhamTasks final {
public:
    /// A new task on `account_id`, newer than every task before it.
    WhamTask create(const std::string& account_id, std::string title, std::int64_t now);
    std::optional<WhamTask> find(const std::string& account_id, const std::string& task_id) const;
    /// `limit` tasks from `cursor` (nullopt: the first page). nullopt for a cursor this store
    /// did not hand out for the account.
    std::optional<WhamTaskPage> page(const std::string& account_id,
                                     const std::optional<std::string>& cursor,
                                     std::size_t limit) const;
    /// How many tasks `account_id` created (what its task quota has spent).
    std::size_t createdCount(const std::string& account_id) const;
    /// Back to the fixture tasks only.
    void clear();

private:
    std::vector<WhamTask> newestFirst(const std::string& account_id) const;

    mutable std::mutex mutex_;
    std::map<std::string, std::vector<WhamTask>> created_;  ///< by account, oldest first
    std::uint64_t serial_ = 0;
};

}  // namespace sluice::emulator
