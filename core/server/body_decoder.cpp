#include "core/server/body_decoder.hpp"

#include <Poco/InflatingStream.h>
#include <zstd.h>

#include <memory>
#include <sstream>

#include "sluice/sdk/http.hpp"

namespace sluice::core::server {

namespace {

constexpr std::size_t kChunk = 64 * 1024;

DecodedBody inflate(const std::string& raw, Poco::InflatingStreamBuf::StreamType type,
                    std::uint64_t limit) {
    DecodedBody out;
    try {
        std::istringstream source(raw);
        Poco::InflatingInputStream inflater(source, type);
        std::string buffer(kChunk, '\0');
        while (inflater) {
            inflater.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
            const auto got = static_cast<std::size_t>(inflater.gcount());
            if (out.body.size() + got > limit) {
                return {BodyDecodeError::TooLarge, {}};
            }
            out.body.append(buffer.data(), got);
        }
        if (inflater.bad()) {
            return {BodyDecodeError::Corrupt, {}};
        }
    } catch (const std::exception&) {
        return {BodyDecodeError::Corrupt, {}};
    }
    return out;
}

DecodedBody unzstd(const std::string& raw, std::uint64_t limit) {
    std::unique_ptr<ZSTD_DStream, decltype(&ZSTD_freeDStream)> stream(ZSTD_createDStream(),
                                                                      &ZSTD_freeDStream);
    if (!stream) {
        return {BodyDecodeError::Corrupt, {}};
    }
    ZSTD_initDStream(stream.get());
    DecodedBody out;
    std::string buffer(kChunk, '\0');
    ZSTD_inBuffer input{raw.data(), raw.size(), 0};
    std::size_t last = 1;
    while (input.pos < input.size || last != 0) {
        ZSTD_outBuffer output{buffer.data(), buffer.size(), 0};
        last = ZSTD_decompressStream(stream.get(), &output, &input);
        if (ZSTD_isError(last) != 0) {
            return {BodyDecodeError::Corrupt, {}};
        }
        if (out.body.size() + output.pos > limit) {
            return {BodyDecodeError::TooLarge, {}};
        }
        out.body.append(buffer.data(), output.pos);
        if (input.pos == input.size && output.pos < output.size && last != 0) {
            return {BodyDecodeError::Corrupt, {}};  // truncated frame
        }
    }
    return out;
}

}  // namespace

DecodedBody decodeBody(std::string_view content_encoding, std::string&& raw, std::uint64_t limit) {
    if (content_encoding.empty() || sdk::equalsIgnoreCase(content_encoding, "identity")) {
        if (raw.size() > limit) {
            return {BodyDecodeError::TooLarge, {}};
        }
        return {BodyDecodeError::None, std::move(raw)};
    }
    if (sdk::equalsIgnoreCase(content_encoding, "zstd")) {
        return unzstd(raw, limit);
    }
    if (sdk::equalsIgnoreCase(content_encoding, "gzip")) {
        return inflate(raw, Poco::InflatingStreamBuf::STREAM_GZIP, limit);
    }
    if (sdk::equalsIgnoreCase(content_encoding, "deflate")) {
        return inflate(raw, Poco::InflatingStreamBuf::STREAM_ZLIB, limit);
    }
    return {BodyDecodeError::UnsupportedEncoding, {}};
}

}  // namespace sluice::core::server
