// Writes the o200k_base ranks the count_tokens endpoints load (`o200k_ranks_path`) as a
// .tiktoken file, one `<base64 token> <rank>` line per token, from the encoder JSON the npm
// `tiktoken` package ships. The build runs it on the pinned package (fetch_tiktoken.cmake).
//
//   sluice_o200k_ranks <package/encoders/o200k_base.json> <output file>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace {

// o200k_base has 199,998 ranks; far fewer means the wrong encoder or a truncated file.
constexpr long kFewestRanks = 199000;

// The package keeps `bpe_ranks` as lines of `! <first rank> <token> <token> ...`, the tokens
// base64 and their ranks consecutive from the first.
long writeRanks(const std::string& bpe_ranks, std::ostream& out) {
    std::istringstream lines(bpe_ranks);
    std::string line;
    long count = 0;
    while (std::getline(lines, line)) {
        std::istringstream fields(line);
        std::string marker;
        long rank = 0;
        if (!(fields >> marker >> rank)) {
            continue;
        }
        for (std::string token; fields >> token; ++rank, ++count) {
            out << token << ' ' << rank << '\n';
        }
    }
    return count;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: sluice_o200k_ranks <o200k_base.json> <output file>\n";
        return 2;
    }
    const std::filesystem::path output = argv[2];
    const std::filesystem::path partial = output.string() + ".tmp";
    try {
        std::ifstream input(argv[1]);
        const auto encoder = nlohmann::json::parse(input);
        std::ofstream out(partial, std::ios::trunc);
        const long count = writeRanks(encoder.at("bpe_ranks").get<std::string>(), out);
        out.close();
        if (!out || count < kFewestRanks) {
            std::cerr << argv[1] << ": only " << count << " ranks; is this o200k_base?\n";
            std::filesystem::remove(partial);
            return 1;
        }
        std::filesystem::rename(partial, output);
        std::cout << output.string() << ": " << count << " ranks\n";
        return 0;
    } catch (const std::exception& error) {
        std::cerr << argv[1] << ": " << error.what() << '\n';
        std::filesystem::remove(partial);
        return 1;
    }
}
