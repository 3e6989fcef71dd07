#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::emulator {

/// One field of a multipart/form-data body; `data` views the body.
struct FormField {
    std::string name;
    std::optional<std::string> filename;  ///< set for file fields
    std::string_view data;
};

/// The fields of a multipart/form-data body whose boundary the Content-Type names; nullopt
/// when either is malformed. Enough for what the emulated backend reads (names and sizes).
std::optional<std::vector<FormField>> parseMultipart(std::string_view content_type,
                                                     std::string_view body);

}  // namespace sluice::emulator
