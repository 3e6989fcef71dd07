#include "multipart_form.hpp"

#include <gtest/gtest.h>

namespace sluice::plugins::route_openai {
namespace {

constexpr std::string_view kType = "multipart/form-data; boundary=----b0undary";

std::string body(std::string_view parts) {
    return std::string(parts) + "------b0undary--\r\n";
}

TEST(MultipartForm, ReadsFieldsAndFilesAsTheNodeFormDataSendsThem) {
    const std::string text = body(
        "------b0undary\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nuser_data\r\n"
        "------b0undary\r\ncontent-disposition: form-data; name=\"file\"; filename=\"a "
        "%22quoted%22.txt\"\r\n"
        "Content-Type: text/plain\r\n\r\nline one\r\nline two\r\n");
    const auto form = MultipartForm::parse(kType, text);
    ASSERT_TRUE(form.ok()) << form.error().message;
    ASSERT_EQ(form.value().parts().size(), 2u);
    const FormPart* purpose = form.value().find("purpose");
    ASSERT_NE(purpose, nullptr);
    EXPECT_FALSE(purpose->is_file);
    EXPECT_EQ(purpose->body, "user_data");
    const FormPart* file = form.value().find("file");
    ASSERT_NE(file, nullptr);
    EXPECT_TRUE(file->is_file);
    EXPECT_EQ(file->filename, "a %22quoted%22.txt");
    EXPECT_EQ(file->content_type, "text/plain");
    EXPECT_EQ(file->body, "line one\r\nline two") << "line breaks inside a part are data";
    EXPECT_EQ(form.value().find("missing"), nullptr);
}

TEST(MultipartForm, AcceptsAQuotedBoundaryAPreambleAndAnEmptyFile) {
    const std::string text =
        "preamble\r\n--xyz\r\nContent-Disposition: form-data; name=\"file\"; "
        "filename=\"\"\r\n\r\n\r\n--xyz--";
    const auto form = MultipartForm::parse("multipart/form-data; boundary=\"xyz\"", text);
    ASSERT_TRUE(form.ok()) << form.error().message;
    ASSERT_EQ(form.value().parts().size(), 1u);
    EXPECT_TRUE(form.value().parts()[0].is_file);
    EXPECT_TRUE(form.value().parts()[0].body.empty());
}

TEST(MultipartForm, RefusesMalformedBodiesWithA400) {
    const struct {
        std::string_view content_type;
        std::string body;
    } cases[] = {
        {"application/json", "{}"},
        {"multipart/form-data", body("")},
        {kType, "no delimiter at all"},
        {kType, "------b0undary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated"},
        {kType, body("------b0undary\r\nContent-Type: text/plain\r\n\r\nno disposition\r\n")},
        {kType, body("------b0undary\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n")},
        {kType, body("------b0undaryjunk\r\n")},
        {kType, "------b0undary\r\nContent-Disposition: form-data; name=\"a\"\r\n"},
    };
    for (const auto& bad : cases) {
        const auto form = MultipartForm::parse(bad.content_type, bad.body);
        ASSERT_FALSE(form.ok()) << bad.body;
        EXPECT_EQ(form.error().http_status, 400);
        EXPECT_EQ(form.error().code, "invalid_request");
    }
}

TEST(MultipartForm, CapsThePartCount) {
    std::string parts;
    for (int i = 0; i < 1001; ++i) {
        parts += "------b0undary\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n";
    }
    const auto form = MultipartForm::parse(kType, body(parts));
    ASSERT_FALSE(form.ok());
    EXPECT_NE(form.error().message.find("1000"), std::string::npos);
}

TEST(MultipartWriter, WritesWhatTheParserReadsBack) {
    MultipartWriter writer("sluice-test-boundary");
    writer.field("model", "gpt-4o-transcribe");
    writer.file("file", "voice\"note\r\n.wav", "audio/wav", std::string("RIFF\0\r\n--x", 10));
    const std::string type = writer.contentType();
    const std::string text = writer.finish();
    const auto form = MultipartForm::parse(type, text);
    ASSERT_TRUE(form.ok()) << form.error().message;
    EXPECT_EQ(form.value().find("model")->body, "gpt-4o-transcribe");
    const FormPart* file = form.value().find("file");
    ASSERT_NE(file, nullptr);
    EXPECT_EQ(file->filename, "voice_note__.wav") << "quotes and line breaks cannot end the header";
    EXPECT_EQ(file->content_type, "audio/wav");
    EXPECT_EQ(file->body, std::string_view("RIFF\0\r\n--x", 10));
}

}  // namespace
}  // namespace sluice::plugins::route_openai
