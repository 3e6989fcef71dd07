#pragma once

// SDK ABI 2.2: the opt-in local response store (issue 16). Storage backends that offer it keep
// sealed rows (StoresResponses); the host lends route families a store that encrypts with the
// gateway's secret key and writes behind the request (HostResponseStore). Both are optional
// capabilities found with dynamic_cast, so no released interface changes.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/sdk/export.hpp"
#include "sluice/sdk/status.hpp"
#include "sluice/sdk/storage_records.hpp"
#include "sluice/sdk/time.hpp"

namespace sluice::sdk {

/// What a stored object answers as.
enum class StoredKind { Response, ChatCompletion };

/// The kind's name where backends spell it ("response", "chat_completion").
inline const char* storedKindName(StoredKind kind) noexcept {
    return kind == StoredKind::Response ? "response" : "chat_completion";
}

/// One stored answer as a backend keeps it: index fields in the clear, the document (which
/// holds prompts) only sealed by the host.
struct StoredResponseRecord {
    std::string id;         ///< the answer's id ("resp_…", "chatcmpl-…"), unique
    std::string owner_key;  ///< the creating Pool API key's prefix (Principal::id)
    StoredKind kind = StoredKind::Response;
    std::string model;
    TimePoint created_at{};
    TimePoint expires_at{};  ///< never served from this instant on; purged behind
    EncryptedSecret sealed;  ///< the document, encrypted by the host
};

/// One page of an owner's stored objects of one kind, ordered by (created_at, id).
struct StoredResponseQuery {
    std::string owner_key;
    StoredKind kind = StoredKind::Response;
    std::string model;     ///< empty: any model
    std::string after_id;  ///< empty: from the first; an id not in the listing: an empty page
    bool ascending = false;
    std::uint32_t limit = 20;
    TimePoint now{};  ///< rows with expires_at <= now are left out
};

/// Sealed stored answers. Thread-safe; blocking (the host calls it behind the request path, or
/// on the store's own routes).
class SLUICE_SDK_API ResponseRepository {
public:
    virtual ~ResponseRepository() = default;

    /// Inserts the record, or replaces the one with its id.
    virtual Status save(const StoredResponseRecord& record) noexcept = 0;
    virtual Result<StoredResponseRecord> get(std::string_view id) noexcept = 0;  ///< NotFound
    virtual Result<std::vector<StoredResponseRecord>> list(
        const StoredResponseQuery& query) noexcept = 0;
    virtual Status remove(std::string_view id) noexcept = 0;  ///< NotFound
    /// Removes every record with expires_at <= now; returns how many.
    virtual Result<std::uint64_t> purgeExpired(TimePoint now) noexcept = 0;
};

/// Optional: a StorageBackend that also derives from this keeps stored answers. The repository
/// is owned by the backend and lives as long as it does.
class SLUICE_SDK_API StoresResponses {
public:
    virtual ~StoresResponses() = default;
    virtual ResponseRepository& responses() noexcept = 0;
};

/// A stored answer as a route family sees it: the document in the clear.
struct StoredDocument {
    std::string id;
    StoredKind kind = StoredKind::Response;
    std::string model;
    TimePoint created_at{};
    TimePoint expires_at{};
    std::string body;  ///< the family's own JSON document (answer, input items, metadata)
};

/// A listing of the caller's stored objects; `keep` (may be empty) filters documents further.
struct StoredDocumentQuery {
    StoredKind kind = StoredKind::Response;
    std::string model;
    std::string after_id;
    bool ascending = false;
    std::uint32_t limit = 20;
    std::function<bool(const StoredDocument&)> keep;
};

/// The host's response store: documents sealed with the gateway's secret key, bound to their
/// id and owner, visible only to the Pool key that created them (another key's ids are
/// NotFound), never served once expired, purged behind. Thread-safe; request threads.
class SLUICE_SDK_API ResponseStore {
public:
    virtual ~ResponseStore() = default;

    /// Queues the document to be written behind; never waits on storage.
    virtual void keep(std::string_view owner_key, StoredDocument document) noexcept = 0;
    /// The lookups see every document kept before them. NotFound when absent, expired,
    /// another key's or of another kind.
    virtual Result<StoredDocument> find(std::string_view owner_key, StoredKind kind,
                                        std::string_view id) noexcept = 0;
    virtual Result<std::vector<StoredDocument>> list(std::string_view owner_key,
                                                     const StoredDocumentQuery& query) noexcept = 0;
    /// Replaces a found document's body (its times stay); NotFound as for find().
    virtual Status update(std::string_view owner_key, const StoredDocument& document) noexcept = 0;
    virtual Status remove(std::string_view owner_key, StoredKind kind,
                          std::string_view id) noexcept = 0;  ///< NotFound as for find()
};

/// Optional: the HostServices a factory gets also derives from this when the storage backend
/// keeps stored answers. Owned by the host; outlives every plugin object.
class SLUICE_SDK_API HostResponseStore {
public:
    virtual ~HostResponseStore() = default;
    /// Null when the storage backend keeps no stored answers.
    virtual ResponseStore* responseStore() noexcept = 0;
};

}  // namespace sluice::sdk
