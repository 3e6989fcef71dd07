#include "tests/emulator/body_decoder.hpp"

#include <Poco/InflatingStream.h>
#include <zstd.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <sstream>

namespace sluice::emulator {
namespace {

DecodedBody failure(int status, std::string error) {
    DecodedBody out;
    out.status = status;
    out.error = std::move(error);
    return out;
}

DecodedBody decodeZstd(const std::string& raw, std::size_t limit) {
    const std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> context(ZSTD_createDCtx(),
                                                                       &ZSTD_freeDCtx);
    if (!context)
        return failure(500, "zstd: out of memory");
    DecodedBody out;
    std::string chunk(ZSTD_DStreamOutSize(), '\0');
    ZSTD_inBuffer input{raw.data(), raw.size(), 0};
    std::size_t last = 0;
    for (;;) {
        ZSTD_outBuffer output{chunk.data(), chunk.size(), 0};
        last = ZSTD_decompressStream(context.get(), &output, &input);
        if (ZSTD_isError(last) != 0) {
            return failure(400, std::string("zstd: ") + ZSTD_getErrorName(last));
        }
        out.body.append(chunk.data(), output.pos);
        if (out.body.size() > limit)
            return failure(413, "decoded body exceeds the size limit");
        // Done when the input is used up and the decoder holds nothing back: it finished the
        // frame (0) or could not fill the output buffer.
        if (input.pos == input.size && (last == 0 || output.pos < output.size))
            break;
    }
    if (last != 0)
        return failure(400, "zstd: truncated frame");
    out.ok = true;
    return out;
}

DecodedBody decodeInflate(const std::string& raw, Poco::InflatingStreamBuf::StreamType type,
                          std::size_t limit) {
    std::istringstream source(raw);
    Poco::InflatingInputStream inflater(source, type);
    DecodedBody out;
    std::string chunk(16384, '\0');
    try {
        while (inflater) {
            inflater.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
            out.body.append(chunk.data(), static_cast<std::size_t>(inflater.gcount()));
            if (out.body.size() > limit)
                return failure(413, "decoded body exceeds the size limit");
        }
    } catch (const std::exception& e) {
        return failure(400, std::string("inflate: ") + e.what());
    }
    if (inflater.bad())
        return failure(400, "inflate: corrupt body");
    out.ok = true;
    return out;
}

}  // namespace

DecodedBody decodeBody(std::string raw, std::string_view content_encoding, std::size_t limit) {
    std::string encoding(content_encoding);
    std::transform(encoding.begin(), encoding.end(), encoding.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (encoding.empty() || encoding == "identity") {
        if (raw.size() > limit)
            return failure(413, "body exceeds the size limit");
        DecodedBody out;
        out.ok = true;
        out.body = std::move(raw);
        return out;
    }
    if (encoding == "zstd")
        return decodeZstd(raw, limit);
    if (encoding == "gzip" || encoding == "x-gzip") {
        return decodeInflate(raw, Poco::InflatingStreamBuf::STREAM_GZIP, limit);
    }
    if (encoding == "deflate")
        return decodeInflate(raw, Poco::InflatingStreamBuf::STREAM_ZLIB, limit);
    return failure(415, "unsupported content-encoding '" + encoding + "'");
}

}  // namespace sluice::emulator
