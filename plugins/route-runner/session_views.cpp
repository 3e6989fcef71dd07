#include "session_views.hpp"

#include <algorithm>
#include <set>
#include <sstream>

#include "json_fields.hpp"
#include "sluice/plugins/common/bounded_json.hpp"
#include "sluice/plugins/common/private_files.hpp"

namespace sluice::plugins::route_runner {

using json = nlohmann::json;

namespace {

std::string readLog(const SessionView& session, const char* name) {
    auto text = common::readWholeFile(session.dir / name);
    return text.ok() ? std::move(text).value() : std::string();
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::set<std::string> words(const std::string& text) {
    std::set<std::string> out;
    std::istringstream in(lower(text));
    for (std::string word; in >> word;) {
        out.insert(word);
    }
    return out;
}

std::vector<std::string> splitLines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

json signal(std::size_t line, double score, std::string context, const char* type) {
    return {{"line", line},
            {"score", score},
            {"context", context},
            {"snippet", context},
            {"signal_type", type}};
}

}  // namespace

std::string tailLines(const std::string& text, int lines) {
    std::size_t end = text.size();
    if (end > 0 && text[end - 1] == '\n') {
        --end;
    }
    std::size_t start = end;
    for (int seen = 0; start > 0; --start) {
        if (text[start - 1] == '\n' && ++seen == lines) {
            break;
        }
    }
    return text.substr(start, end - start);
}

json sessionSummary(const SessionView& session) {
    const json& meta = session.meta;
    return {{"session_id", textField(meta, "session_id")},
            {"gateway_session_id", textField(meta, "session_id")},
            {"codex_session_id", meta.value("codex_session_id", json())},
            {"dir", session.dir.string()},
            {"modified", textField(meta, "updated_at")},
            {"created_at", textField(meta, "created_at")},
            {"updated_at", textField(meta, "updated_at")},
            {"status", textField(meta, "status")},
            {"model", meta.value("model", json())},
            {"secure", flagField(meta, "secure", false)},
            {"metadata", meta.value("metadata", json::object())},
            {"runs", meta.value("runs", json::array()).size()}};
}

json sessionDetail(const SessionView& session, const DetailOptions& options) {
    json detail = session.meta;
    detail.erase("owner_key");
    detail.erase("usage_total");
    detail["gateway_session_id"] = textField(detail, "session_id");
    detail["stdout"] = {{"tail", tailLines(readLog(session, "stdout.log"), options.tail_lines)},
                        {"tail_lines", options.tail_lines}};
    if (options.include_stderr) {
        detail["stderr"] = {{"tail", tailLines(readLog(session, "stderr.log"), options.tail_lines)},
                            {"tail_lines", options.tail_lines}};
    }
    if (options.include_events) {
        json events = json::array();
        for (const std::string& line : splitLines(readLog(session, "events.jsonl"))) {
            json event = common::parseJson(line);
            if (event.is_object()) {
                events.push_back(std::move(event));
            }
        }
        detail["events"] = std::move(events);
    }
    return detail;
}

json searchSession(const SessionView& session, const SearchOptions& options) {
    std::string log = readLog(session, "stdout.log");
    std::size_t first_line = 1;
    if (options.tail_lines > 0) {
        const std::string tail = tailLines(log, options.tail_lines);
        first_line += static_cast<std::size_t>(
            std::count(log.begin(),
                       log.begin() + static_cast<std::ptrdiff_t>(log.size() - tail.size()), '\n'));
        log = tail;
    }
    const std::vector<std::string> lines = splitLines(log);
    json signals = json::array();
    const std::string needle = lower(options.query);
    const std::set<std::string> query_words = words(options.query);
    for (std::size_t i = 0;
         i < lines.size() && signals.size() < static_cast<std::size_t>(options.max_results); ++i) {
        const std::string hay = lower(lines[i]);
        if (!options.fuzzy) {
            const std::size_t at = hay.find(needle);
            if (at == std::string::npos) {
                continue;
            }
            const std::size_t from = at > options.context_chars ? at - options.context_chars : 0;
            signals.push_back(signal(
                first_line + i, 1.0,
                lines[i].substr(from, needle.size() + 2 * options.context_chars), "text_match"));
            continue;
        }
        const std::set<std::string> line_words = words(lines[i]);
        std::size_t present = 0;
        for (const std::string& word : query_words) {
            present += line_words.count(word);
        }
        const double score =
            query_words.empty() ? 0.0 : double(present) / double(query_words.size());
        if (score >= options.min_score && present > 0) {
            signals.push_back(
                signal(first_line + i, score, lines[i].substr(0, 320), "fuzzy_text_hit"));
        }
    }
    return {{"session_id", textField(session.meta, "session_id")},
            {"codex_session_id", session.meta.value("codex_session_id", json())},
            {"query", options.query},
            {"fuzzy", options.fuzzy},
            {"signals", signals}};
}

}  // namespace sluice::plugins::route_runner
