#include "tests/emulator/responses_handler.hpp"

#include "tests/emulator/body_decoder.hpp"
#include "tests/emulator/connection_control.hpp"
#include "tests/emulator/error_replies.hpp"
#include "tests/emulator/http_util.hpp"
#include "tests/emulator/rate_limit_views.hpp"
#include "tests/emulator/response_generator.hpp"
#include "tests/emulator/sse_writer.hpp"
#include "tests/emulator/token_minter.hpp"

namespace sluice::emulator {

void ResponsesHandler::serve(Poco::Net::HTTPServerRequest& request,
                             Poco::Net::HTTPServerResponse& response) {
    auto record = startRecord(request);
    const auto account = authenticate(request, response, record);
    if (!account)
        return;
    account->countRequest();

    const auto encoding = request.get("Content-Encoding", "");
    if (!encoding.empty())
        record.content_encoding = encoding;
    auto raw = readBodyOrReject(request, response, record);
    if (!raw)
        return;
    auto decoded = decodeBody(std::move(*raw), encoding, kMaxBodyBytes);
    if (!decoded.ok) {
        return reject(response, std::move(record), decoded.status, "invalid_body", decoded.error);
    }
    const auto body = nlohmann::json::parse(decoded.body, nullptr, false);
    if (body.is_discarded()) {
        return reject(response, std::move(record), 400, "invalid_json",
                      "the request body is not valid JSON");
    }
    std::string error;
    const auto turn = parseTurnRequest(body, error);
    if (!turn)
        return reject(response, std::move(record), 400, "invalid_request", error);

    record.model = turn->model;
    record.input_items = turn->input_items;
    record.last_input_type = turn->last_input_type;
    record.stream = turn->stream;
    record.previous_response_id = turn->previous_response_id;
    record.reasoning_effort = turn->reasoning_effort;
    record.has_function_call_output = turn->has_function_call_output;
    record.has_encrypted_content = turn->has_encrypted_content;
    record.file_ids = turn->file_ids;
    // A file lives on the account that created it; any other account cannot see it.
    for (const auto& file_id : turn->file_ids) {
        if (!context_.files.ownedBy(file_id, account->id())) {
            return reject(response, std::move(record), 404, "file_not_found",
                          "this account has no file " + file_id);
        }
    }

    const auto profile = account->profile();
    const auto behaviour = account->takeBehaviour(*profile);
    const auto now = context_.clock();
    const auto reply = errorReplyFor(behaviour, *profile, now);
    record.status = reply ? reply->status : (behaviour.mode == Mode::kHang ? 0 : 200);
    record.outcome = std::string(modeName(behaviour.mode));
    // Recorded before any scripted wait, so a test sees a hanging request while it hangs.
    context_.recorder.record(std::move(record));

    if (behaviour.delay.count() > 0 && !context_.stop.waitFor(behaviour.delay)) {
        return cutConnection(request, response);
    }
    if (behaviour.mode == Mode::kHang) {
        holdUntilPeerLeaves(requestSocket(request), behaviour.hang_for, context_.stop);
        return cutConnection(request, response);
    }
    if (reply) {
        if (reply->status != 401)
            addRateLimitHeaders(response, *profile, now);
        return sendJson(response, reply->status, reply->body);
    }
    answer(request, response, *profile, behaviour, *turn, body);
}

void ResponsesHandler::answer(Poco::Net::HTTPServerRequest& request,
                              Poco::Net::HTTPServerResponse& response, const AccountSpec& profile,
                              const Behaviour& behaviour, const TurnRequest& turn,
                              const nlohmann::json& body) {
    addRateLimitHeaders(response, profile, context_.clock());
    response.set("x-request-id", context_.nextId("req"));
    // Codex echoes this on follow-up requests of the same turn; gateways must keep it intact.
    response.set("x-codex-turn-state",
                 request.get("x-codex-turn-state", context_.nextId("turnstate")));
    if (endpoint_ == Endpoint::kCompact)
        return answerCompact(response, body);
    if (turn.stream)
        return answerStream(request, response, profile, behaviour, turn);

    const auto scenario = chooseScenario(turn, behaviour.mode);
    ResponseGenerator generator(
        scenario, behaviour,
        {context_.nextId("resp"), context_.nextId(itemPrefix(scenario)), context_.nextId("call")},
        turn.model, context_.clock());
    if (behaviour.mode == Mode::kFailFirstEvent) {
        auto failed =
            generator.failedEvent(defaultErrorCode(behaviour), behaviour.error_message.empty()
                                                                   ? "The server is overloaded."
                                                                   : behaviour.error_message);
        return sendJsonText(response, 200, failed["response"].dump());
    }
    const auto text = generator.finalResponse().dump();
    if (behaviour.mode == Mode::kCut) {
        // Announce the whole body, send a part, then drop the connection.
        response.setContentType("application/json");
        response.setContentLength(static_cast<std::streamsize>(text.size()));
        auto& out = response.send();
        out.write(text.data(), static_cast<std::streamsize>(text.size() / 2));
        out.flush();
        return cutConnection(request, response);
    }
    sendJsonText(response, 200, text);
}

void ResponsesHandler::answerStream(Poco::Net::HTTPServerRequest& request,
                                    Poco::Net::HTTPServerResponse& response,
                                    const AccountSpec& profile, const Behaviour& behaviour,
                                    const TurnRequest& turn) {
    const auto scenario = chooseScenario(turn, behaviour.mode);
    ResponseGenerator generator(
        scenario, behaviour,
        {context_.nextId("resp"), context_.nextId(itemPrefix(scenario)), context_.nextId("call")},
        turn.model, context_.clock());
    if (profile.rate_limits.stream_event)
        generator.setRateLimitsEvent(rateLimitsEvent(profile));

    response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
    response.setContentType("text/event-stream");
    response.set("Cache-Control", "no-cache");
    response.setChunkedTransferEncoding(true);
    auto& out = response.send();
    SseWriter sse(out);
    if (behaviour.mode == Mode::kFailFirstEvent) {
        sse.emit(generator.failedEvent(defaultErrorCode(behaviour),
                                       behaviour.error_message.empty() ? "The server is overloaded."
                                                                       : behaviour.error_message));
        return;
    }
    PacedSink paced(
        sse, behaviour.event_delay,
        behaviour.mode == Mode::kCut ? std::optional(behaviour.cut_after) : std::nullopt,
        context_.stop);
    if (!generator.stream(paced) && (paced.cut() || context_.stop.stopped())) {
        cutConnection(request, response);
    }
}

void ResponsesHandler::answerCompact(Poco::Net::HTTPServerResponse& response,
                                     const nlohmann::json& body) {
    // The legacy endpoint returns the replacement history: the user messages, then one
    // compaction item standing in for everything else.
    auto output = nlohmann::json::array();
    if (const auto input = body.find("input"); input != body.end() && input->is_array()) {
        for (const auto& item : *input) {
            if (item.is_object() && item.value("role", "") == "user" &&
                item.value("type", "message") == "message") {
                output.push_back(item);
            }
        }
    }
    const auto id = context_.nextId("cmp");
    output.push_back({{"type", "compaction"},
                      {"id", id},
                      {"encrypted_content", "emu-compaction." + base64UrlEncode(id)}});
    sendJson(response, 200, {{"output", std::move(output)}});
}

}  // namespace sluice::emulator
