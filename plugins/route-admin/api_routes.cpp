#include "api_routes.hpp"

namespace sluice::plugins::route_admin {

const ApiRoute* findApiRoute(std::string_view operation) noexcept {
    for (const ApiRoute& route : kApiRoutes) {
        if (route.operation == operation) {
            return &route;
        }
    }
    return nullptr;
}

}  // namespace sluice::plugins::route_admin
