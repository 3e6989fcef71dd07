#include <Poco/Util/ServerApplication.h>

#include <csignal>
#include <iostream>
#include <optional>
#include <string>

#include "core/app/gateway_service.hpp"
#include "core/app/service_notifier.hpp"
#include "core/cli/commands.hpp"
#include "core/observability/fatal_signal.hpp"

namespace sluice::core::cli {

namespace {

sigset_t handledSignals() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGQUIT);
    sigaddset(&signals, SIGHUP);
    return signals;
}

/// Poco's ServerApplication runs the gateway: SIGHUP reloads the pipeline, SIGINT/SIGTERM/
/// SIGQUIT drain and stop it. A service manager ($NOTIFY_SOCKET) hears when the port is bound,
/// while a reload runs and when a stop begins.
class ServeApplication final : public Poco::Util::ServerApplication {
public:
    explicit ServeApplication(runtime::Runtime& runtime) : runtime_(runtime) {}

protected:
    int main(const std::vector<std::string>&) override {
        // Here, not earlier: Poco's Application installs crash handlers of its own on setup.
        observability::fatal_signal::install(runtime_.pipeline().logging.file);
        std::optional<app::GatewayService> gateway;
        try {
            gateway.emplace(runtime_);
        } catch (const std::exception& e) {
            std::cerr << "error: " << e.what() << '\n';
            return Poco::Util::Application::EXIT_UNAVAILABLE;
        }
        gateway->start();
        const app::ServiceNotifier notifier = app::ServiceNotifier::fromEnvironment();
        notifier.notify("READY=1\nSTATUS=serving on port " + std::to_string(gateway->port()));
        const sigset_t signals = handledSignals();
        int received = 0;
        while (sigwait(&signals, &received) == 0 && received == SIGHUP) {
            notifier.notify("RELOADING=1");
            gateway->reload();
            notifier.notify("READY=1");
        }
        notifier.notify("STOPPING=1\nSTATUS=draining");
        gateway->stop();
        return Poco::Util::Application::EXIT_OK;
    }

private:
    runtime::Runtime& runtime_;
};

}  // namespace

/// `sluice serve --config F`.
int serveCommand(CommandContext& context) {
    context.args.expect({"--config"}, 1);
    // Block the handled signals before any thread starts, so every thread inherits the mask and
    // only the main thread's sigwait receives them.
    const sigset_t signals = handledSignals();
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    auto runtime = context.openRuntime();
    ServeApplication application(*runtime);
    return application.run(std::vector<std::string>{"sluice"});
}

}  // namespace sluice::core::cli
