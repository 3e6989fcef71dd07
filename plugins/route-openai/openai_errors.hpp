#pragma once

#include <string>
#include <string_view>

#include "sluice/sdk/gateway.hpp"
#include "sluice/sdk/http.hpp"

namespace sluice::plugins::route_openai {

// The typed client errors of the /v1 surface. Each renders as
// {"error":{"message","type","code","param"}}; codes are stable and documented in README.md.

/// 400 unsupported_parameter: a parameter this gateway cannot honour, named in `param`.
sdk::ErrorInfo unsupportedParameter(const std::string& param, const std::string& why = {});
/// 400 unsupported_value: a parameter whose value this gateway cannot honour.
sdk::ErrorInfo unsupportedValue(const std::string& param, const std::string& message);
/// 400 invalid_value: a parameter of the wrong type or shape.
sdk::ErrorInfo invalidValue(const std::string& param, const std::string& message);
/// 400 missing_required_parameter.
sdk::ErrorInfo missingParameter(const std::string& param);
/// 400 invalid_request: a body that is not what the endpoint takes at all.
sdk::ErrorInfo invalidRequest(const std::string& message, const std::string& param = {});
/// 404 unsupported_endpoint: routed, authenticated, and never dispatched.
sdk::ErrorInfo unsupportedEndpoint();
/// 400 model_not_available: the pool's catalog does not name the model.
sdk::ErrorInfo modelNotAvailable(const std::string& model);
/// 404 model_not_found: GET /models/{id} for a model the pool's catalog does not name.
sdk::ErrorInfo modelNotFound(const std::string& model);
/// 404 file_not_found: no unexpired file of this pool has the id.
sdk::ErrorInfo fileNotFound(const std::string& id);
/// 404 not_found: no stored object of the caller has the id (another key's objects included).
sdk::ErrorInfo storedNotFound(std::string_view what, const std::string& id);
/// 400 response_not_cancellable: only a running background response can be cancelled, and
/// this gateway runs none (a stored response has completed).
sdk::ErrorInfo notCancellable(const std::string& id);
/// 400 response_not_compactable: the stored response has not finished, or has no output, so
/// there is no conversation to compact; `why` says which.
sdk::ErrorInfo notCompactable(const std::string& id, const std::string& why);
/// 409 file_assignment_conflict: the request references files owned by different accounts.
sdk::ErrorInfo fileOwnerConflict();
/// 502 upstream_error with a fixed message: the upstream's words never reach /v1 clients.
sdk::ErrorInfo upstreamError(const std::string& code = "upstream_error");

/// The /v1 error for a dispatch whose upstream answers all failed: the gateway's own typed
/// errors as they are, an upstream answer reduced to its status class and a safe code
/// (upstream 401/403/404 become 502: they describe the account, not the client's request).
sdk::ErrorInfo redactedFailure(const sdk::DispatchOutcome& outcome);

/// The /v1 error for a Responses failure event (`response.failed`, `error`) before any output
/// reached the client: the upstream code when it is a plain identifier, never its message.
sdk::ErrorInfo failureFromEvent(std::string_view code);

}  // namespace sluice::plugins::route_openai
