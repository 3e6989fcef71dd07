#include "core/upstream/upstream_origin.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace sluice::core::upstream {

std::optional<UpstreamOrigin> UpstreamOrigin::parse(const std::string& url) {
    try {
        const Poco::URI uri(url);
        if ((uri.getScheme() != "http" && uri.getScheme() != "https") || uri.getHost().empty()) {
            return std::nullopt;
        }
        return UpstreamOrigin{uri.getScheme() == "https", uri.getHost(), uri.getPort()};
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
}

std::string UpstreamOrigin::text() const {
    return std::string(secure ? "https://" : "http://") + host + ":" + std::to_string(port);
}

}  // namespace sluice::core::upstream
