// Request and answer heads as a client or upstream may send them: Poco reads the header fields,
// then framingOf() decides where the body ends. A head that reads must get exactly one verdict:
// a problem, chunked, a length, or read-to-close, never a length beside a problem.
#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>

#include <cstdint>
#include <sstream>
#include <string>

#include "core/http/message_framing.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    Poco::Net::HTTPRequest head;
    try {
        head.read(in);
    } catch (const Poco::Exception&) {
        return 0;  // Poco refuses the head: the connection gets 400 before any framing
    }
    const sluice::core::http::MessageFraming framing = sluice::core::http::framingOf(head);
    const bool problem = framing.problem != sluice::core::http::FramingProblem::None;
    if ((problem || framing.chunked) && framing.content_length) {
        __builtin_trap();
    }
    (void)sluice::core::http::describe(framing.problem);
    return 0;
}
