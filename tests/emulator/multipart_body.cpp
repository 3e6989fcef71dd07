#include "tests/emulator/multipart_body.hpp"

namespace sluice::emulator {
namespace {

/// The value of `key="…"` (or key=token) inside a header value, if present.
std::optional<std::string> headerParameter(std::string_view header, std::string_view key) {
    const std::string needle = std::string(key) + "=";
    std::size_t at = 0;
    while ((at = header.find(needle, at)) != std::string_view::npos) {
        const bool starts = at == 0 || header[at - 1] == ' ' || header[at - 1] == ';';
        at += needle.size();
        if (!starts)
            continue;
        if (at < header.size() && header[at] == '"') {
            const auto close = header.find('"', at + 1);
            if (close == std::string_view::npos)
                return std::nullopt;
            return std::string(header.substr(at + 1, close - at - 1));
        }
        const auto end = header.find(';', at);
        return std::string(header.substr(at, end == std::string_view::npos ? end : end - at));
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::vector<FormField>> parseMultipart(std::string_view content_type,
                                                     std::string_view body) {
    if (content_type.substr(0, 19) != "multipart/form-data")
        return std::nullopt;
    const auto boundary = headerParameter(content_type, "boundary");
    if (!boundary || boundary->empty())
        return std::nullopt;
    const std::string delimiter = "--" + *boundary;
    std::vector<FormField> fields;
    auto at = body.find(delimiter);
    while (at != std::string_view::npos) {
        at += delimiter.size();
        if (body.substr(at, 2) == "--")
            return fields;
        if (body.substr(at, 2) != "\r\n")
            return std::nullopt;
        const auto headers_end = body.find("\r\n\r\n", at);
        if (headers_end == std::string_view::npos)
            return std::nullopt;
        const auto headers = body.substr(at + 2, headers_end - at - 2);
        const auto next = body.find("\r\n" + delimiter, headers_end + 4);
        if (next == std::string_view::npos)
            return std::nullopt;
        FormField field;
        field.name = headerParameter(headers, "name").value_or("");
        field.filename = headerParameter(headers, "filename");
        field.data = body.substr(headers_end + 4, next - headers_end - 4);
        fields.push_back(std::move(field));
        at = next + 2;
    }
    return std::nullopt;
}

}  // namespace sluice::emulator
