#include "multipart_form.hpp"

#include "openai_errors.hpp"
#include "sluice/sdk/http.hpp"

namespace sluice::plugins::route_openai {

namespace {

constexpr std::size_t kMaxParts = 1000;
constexpr std::size_t kMaxBoundary = 70;  // RFC 2046 §5.1.1
constexpr std::string_view kCrlf = "\r\n";

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool startsWithIgnoreCase(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) {
        return false;
    }
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (lower(text[i]) != lower(prefix[i])) {
            return false;
        }
    }
    return true;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

// Header parameters `; key=value` or `; key="quoted \" value"`; keys compared lowercase.
std::vector<std::pair<std::string, std::string>> parameters(std::string_view text) {
    std::vector<std::pair<std::string, std::string>> out;
    std::size_t i = text.find(';');
    while (i != std::string_view::npos && i < text.size()) {
        ++i;
        const std::size_t equals = text.find('=', i);
        if (equals == std::string_view::npos) {
            break;
        }
        std::string key;
        for (const char c : trim(text.substr(i, equals - i))) {
            key += lower(c);
        }
        std::size_t j = equals + 1;
        while (j < text.size() && text[j] == ' ') {
            ++j;
        }
        std::string value;
        if (j < text.size() && text[j] == '"') {
            for (++j; j < text.size() && text[j] != '"'; ++j) {
                if (text[j] == '\\' && j + 1 < text.size()) {
                    ++j;
                }
                value += text[j];
            }
            i = text.find(';', j);
        } else {
            const std::size_t end = text.find(';', j);
            value = std::string(trim(
                text.substr(j, end == std::string_view::npos ? std::string_view::npos : end - j)));
            i = end;
        }
        out.emplace_back(std::move(key), std::move(value));
    }
    return out;
}

sdk::ErrorInfo malformed(const std::string& why) {
    return invalidRequest("The request body is not valid multipart/form-data: " + why + ".");
}

// Fills `part` from its header block ("Name: value" lines separated by CRLF).
bool readHeaders(std::string_view block, FormPart& part) {
    bool disposition = false;
    while (!block.empty()) {
        const std::size_t end = block.find(kCrlf);
        const std::string_view line = block.substr(0, end);
        block =
            end == std::string_view::npos ? std::string_view() : block.substr(end + kCrlf.size());
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) {
            return false;
        }
        const std::string_view name = trim(line.substr(0, colon));
        const std::string_view value = trim(line.substr(colon + 1));
        if (sdk::equalsIgnoreCase(name, "content-disposition")) {
            if (!startsWithIgnoreCase(value, "form-data")) {
                return false;
            }
            disposition = true;
            for (auto& [key, text] : parameters(value)) {
                if (key == "name") {
                    part.name = std::move(text);
                } else if (key == "filename") {
                    part.filename = std::move(text);
                    part.is_file = true;
                }
            }
        } else if (sdk::equalsIgnoreCase(name, "content-type")) {
            part.content_type = std::string(value);
        }
    }
    return disposition && !part.name.empty();
}

}  // namespace

Translated<MultipartForm> MultipartForm::parse(std::string_view content_type,
                                               std::string_view body) {
    if (!startsWithIgnoreCase(trim(content_type), "multipart/form-data")) {
        return invalidRequest("This endpoint takes multipart/form-data.");
    }
    std::string boundary;
    for (auto& [key, value] : parameters(content_type)) {
        if (key == "boundary") {
            boundary = std::move(value);
        }
    }
    if (boundary.empty() || boundary.size() > kMaxBoundary) {
        return malformed("the Content-Type names no usable boundary");
    }
    const std::string delimiter = "--" + boundary;
    const std::string separator = std::string(kCrlf) + delimiter;
    std::size_t at = 0;
    if (body.compare(0, delimiter.size(), delimiter) != 0) {
        at = body.find(separator);
        if (at == std::string_view::npos) {
            return malformed("no part starts with the boundary");
        }
        at += kCrlf.size();
    }
    MultipartForm form;
    while (true) {
        at += delimiter.size();
        if (body.compare(at, 2, "--") == 0) {
            return form;  // the closing delimiter; an epilogue after it is ignored
        }
        while (at < body.size() && (body[at] == ' ' || body[at] == '\t')) {
            ++at;
        }
        if (body.compare(at, kCrlf.size(), kCrlf) != 0) {
            return malformed("a boundary line is not followed by a line break");
        }
        at += kCrlf.size();
        if (form.parts_.size() == kMaxParts) {
            return malformed("more than 1000 parts");
        }
        std::string_view headers;
        if (body.compare(at, kCrlf.size(), kCrlf) == 0) {
            at += kCrlf.size();
        } else {
            const std::size_t blank = body.find("\r\n\r\n", at);
            if (blank == std::string_view::npos) {
                return malformed("a part's headers never end");
            }
            headers = body.substr(at, blank - at);
            at = blank + 4;
        }
        FormPart part;
        if (!readHeaders(headers, part)) {
            return malformed("a part lacks a form-data Content-Disposition with a name");
        }
        const std::size_t next = body.find(separator, at);
        if (next == std::string_view::npos) {
            return malformed("the body ends inside a part");
        }
        part.body = body.substr(at, next - at);
        form.parts_.push_back(std::move(part));
        at = next + kCrlf.size();
    }
}

const FormPart* MultipartForm::find(std::string_view name) const noexcept {
    for (const FormPart& part : parts_) {
        if (part.name == name) {
            return &part;
        }
    }
    return nullptr;
}

void MultipartWriter::field(std::string_view name, std::string_view value) {
    body_ += "--" + boundary_ + "\r\nContent-Disposition: form-data; name=\"";
    body_.append(name);
    body_ += "\"\r\n\r\n";
    body_.append(value);
    body_ += kCrlf;
}

void MultipartWriter::file(std::string_view name, std::string_view filename,
                           std::string_view content_type, std::string_view bytes) {
    std::string safe_name;
    for (const char c : filename) {
        // Quotes and line breaks would end the header value early.
        safe_name += (c == '"' || c == '\r' || c == '\n' || c == '\\') ? '_' : c;
    }
    body_ += "--" + boundary_ + "\r\nContent-Disposition: form-data; name=\"";
    body_.append(name);
    body_ += "\"; filename=\"" + safe_name + "\"\r\nContent-Type: ";
    body_.append(content_type.empty() ? std::string_view("application/octet-stream")
                                      : content_type);
    body_ += "\r\n\r\n";
    body_.append(bytes);
    body_ += kCrlf;
}

std::string MultipartWriter::finish() {
    body_ += "--" + boundary_ + "--\r\n";
    return std::move(body_);
}

}  // namespace sluice::plugins::route_openai
