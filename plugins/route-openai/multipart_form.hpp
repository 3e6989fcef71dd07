#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "translated.hpp"

namespace sluice::plugins::route_openai {

/// One part of a multipart/form-data body; `body` views the request body.
struct FormPart {
    std::string name;
    std::string filename;  ///< as the client sent it (a file part); empty for plain fields
    bool is_file = false;
    std::string content_type;  ///< empty when the part gave none
    std::string_view body;
};

/// A parsed multipart/form-data request body (RFC 7578). The parts view the body passed to
/// parse(), which must outlive the form.
class MultipartForm final {
public:
    /// Parses `body` with the boundary named by the `content_type` header; a 400
    /// invalid_request naming the problem when either is malformed.
    static Translated<MultipartForm> parse(std::string_view content_type, std::string_view body);

    const std::vector<FormPart>& parts() const noexcept { return parts_; }
    /// The first part named `name`, or nullptr.
    const FormPart* find(std::string_view name) const noexcept;

private:
    std::vector<FormPart> parts_;
};

/// Writes a multipart/form-data body, for forwarding uploads upstream.
class MultipartWriter final {
public:
    /// `boundary` must not occur in any part (a random token of 24+ characters will not).
    explicit MultipartWriter(std::string boundary) : boundary_(std::move(boundary)) {}

    void field(std::string_view name, std::string_view value);
    void file(std::string_view name, std::string_view filename, std::string_view content_type,
              std::string_view bytes);
    /// The Content-Type header value for the body.
    std::string contentType() const { return "multipart/form-data; boundary=" + boundary_; }
    /// The finished body; the writer is spent afterwards.
    std::string finish();

private:
    std::string boundary_;
    std::string body_;
};

}  // namespace sluice::plugins::route_openai
