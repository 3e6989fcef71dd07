// sluice-loadgen: a closed-loop HTTP load generator for streamed and plain responses. Each
// connection is a keep-alive session on its own thread that sends the next request as soon as
// the previous response has been read to its end, recording time to first byte (response
// headers) and time to the last byte.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
    std::string url;
    std::string method = "POST";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    int connections = 1;
    double duration_s = 10;
    double warmup_s = 2;
};

struct Samples {
    std::vector<double> total_us;
    std::vector<double> first_byte_us;
    std::uint64_t errors = 0;
    std::uint64_t bytes = 0;
};

[[noreturn]] void usage(const std::string& problem) {
    std::cerr
        << "error: " << problem << "\n"
        << "usage: sluice-loadgen --url URL [--method POST] [--body-file F] [--header 'K: V']...\n"
        << "                      [--connections N] [--duration SECONDS] [--warmup SECONDS]\n";
    std::exit(2);
}

Options parse(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                usage(arg + " needs a value");
            }
            return argv[++i];
        };
        if (arg == "--url") {
            options.url = value();
        } else if (arg == "--method") {
            options.method = value();
        } else if (arg == "--body-file") {
            std::ifstream in(value());
            std::ostringstream text;
            text << in.rdbuf();
            options.body = text.str();
        } else if (arg == "--header") {
            const std::string header = value();
            const auto colon = header.find(':');
            if (colon == std::string::npos) {
                usage("a header is 'Name: value'");
            }
            options.headers.emplace_back(header.substr(0, colon),
                                         header.substr(header.find_first_not_of(' ', colon + 1)));
        } else if (arg == "--connections") {
            options.connections = std::stoi(value());
        } else if (arg == "--duration") {
            options.duration_s = std::stod(value());
        } else if (arg == "--warmup") {
            options.warmup_s = std::stod(value());
        } else {
            usage("unknown option " + arg);
        }
    }
    if (options.url.empty() || options.connections < 1) {
        usage("--url and a positive --connections are required");
    }
    return options;
}

double percentile(std::vector<double>& values, double p) {
    if (values.empty()) {
        return 0;
    }
    const auto index =
        static_cast<std::size_t>(p / 100.0 * static_cast<double>(values.size() - 1) + 0.5);
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index),
                     values.end());
    return values[index];
}

void runConnection(const Options& options, const Poco::URI& uri, Clock::time_point measure_from,
                   Clock::time_point stop_at, Samples& samples) {
    Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
    session.setKeepAlive(true);
    session.setTimeout(Poco::Timespan(60, 0));
    std::vector<char> buffer(64 * 1024);
    while (Clock::now() < stop_at) {
        const auto started = Clock::now();
        try {
            Poco::Net::HTTPRequest request(options.method, uri.getPathAndQuery(),
                                           Poco::Net::HTTPMessage::HTTP_1_1);
            request.setKeepAlive(true);
            for (const auto& [name, value] : options.headers) {
                request.set(name, value);
            }
            if (!options.body.empty()) {
                request.setContentLength64(static_cast<Poco::Int64>(options.body.size()));
            }
            session.sendRequest(request) << options.body;
            Poco::Net::HTTPResponse response;
            std::istream& in = session.receiveResponse(response);
            const auto first_byte = Clock::now();
            std::uint64_t bytes = 0;
            while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) ||
                   in.gcount() > 0) {
                bytes += static_cast<std::uint64_t>(in.gcount());
            }
            const auto finished = Clock::now();
            if (started < measure_from) {
                continue;
            }
            if (response.getStatus() >= 400) {
                ++samples.errors;
                continue;
            }
            samples.bytes += bytes;
            samples.first_byte_us.push_back(
                std::chrono::duration<double, std::micro>(first_byte - started).count());
            samples.total_us.push_back(
                std::chrono::duration<double, std::micro>(finished - started).count());
        } catch (const std::exception&) {
            if (started >= measure_from) {
                ++samples.errors;
            }
            session.reset();
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    const Options options = parse(argc, argv);
    const Poco::URI uri(options.url);
    const auto start = Clock::now();
    const auto measure_from = start + std::chrono::duration_cast<Clock::duration>(
                                          std::chrono::duration<double>(options.warmup_s));
    const auto stop_at = measure_from + std::chrono::duration_cast<Clock::duration>(
                                            std::chrono::duration<double>(options.duration_s));
    std::vector<Samples> per_connection(static_cast<std::size_t>(options.connections));
    std::vector<std::thread> threads;
    for (auto& samples : per_connection) {
        threads.emplace_back([&] { runConnection(options, uri, measure_from, stop_at, samples); });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    Samples all;
    for (auto& samples : per_connection) {
        all.total_us.insert(all.total_us.end(), samples.total_us.begin(), samples.total_us.end());
        all.first_byte_us.insert(all.first_byte_us.end(), samples.first_byte_us.begin(),
                                 samples.first_byte_us.end());
        all.errors += samples.errors;
        all.bytes += samples.bytes;
    }
    const double requests = static_cast<double>(all.total_us.size());
    nlohmann::json report{
        {"url", options.url},
        {"connections", options.connections},
        {"duration_s", options.duration_s},
        {"requests", all.total_us.size()},
        {"errors", all.errors},
        {"requests_per_s", requests / options.duration_s},
        {"bytes_per_request", requests > 0 ? static_cast<double>(all.bytes) / requests : 0},
        {"latency_us",
         {{"p50", percentile(all.total_us, 50)},
          {"p90", percentile(all.total_us, 90)},
          {"p99", percentile(all.total_us, 99)},
          {"max", percentile(all.total_us, 100)}}},
        {"first_byte_us",
         {{"p50", percentile(all.first_byte_us, 50)},
          {"p90", percentile(all.first_byte_us, 90)},
          {"p99", percentile(all.first_byte_us, 99)}}},
    };
    std::cout << report.dump(2) << std::endl;
    return all.errors > 0 && all.total_us.empty() ? 1 : 0;
}
