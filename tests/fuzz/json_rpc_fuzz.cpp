// MCP's JSON-RPC message validation on arbitrary bodies, parsed as the family parses them: every
// message is a request, an error to answer, or neither, and every answer serializes.
#include <cstdint>
#include <string_view>

#include "json_rpc.hpp"
#include "sluice/plugins/common/bounded_json.hpp"

namespace {

namespace mcp = sluice::plugins::route_mcp;

void serialize(const nlohmann::json& value) {
    (void)value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const nlohmann::json document = sluice::plugins::common::parseJson(input);
    const mcp::ParsedMessage message = mcp::parseMessage(document);
    if (message.request && message.error) {
        __builtin_trap();  // one verdict per message
    }
    if (message.error) {
        serialize(mcp::errorMessage(message.id, *message.error));
    }
    if (message.request) {
        serialize(mcp::resultMessage(message.request->id, message.request->params));
    }
    return 0;
}
