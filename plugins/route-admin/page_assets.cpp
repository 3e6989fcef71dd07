#include "page_assets.hpp"

namespace sluice::plugins::route_admin {

// Defined in the generated page_assets_data.cpp.
extern const PageAsset kPageAssets[];
extern const std::size_t kPageAssetCount;

namespace {

bool endsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

const PageAsset* findPageAsset(std::string_view name) noexcept {
    for (std::size_t i = 0; i < kPageAssetCount; ++i) {
        if (kPageAssets[i].name == name) {
            return &kPageAssets[i];
        }
    }
    return nullptr;
}

std::string_view contentTypeOf(std::string_view name) noexcept {
    if (endsWith(name, ".html")) {
        return "text/html; charset=utf-8";
    }
    if (endsWith(name, ".js")) {
        return "text/javascript; charset=utf-8";
    }
    if (endsWith(name, ".css")) {
        return "text/css; charset=utf-8";
    }
    if (endsWith(name, ".svg")) {
        return "image/svg+xml";
    }
    return "application/octet-stream";
}

}  // namespace sluice::plugins::route_admin
