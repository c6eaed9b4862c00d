#include "core/errors.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/result.hpp"

namespace xzzf {
namespace {

TEST(ErrorCatalog, CodesAreUniqueDottedAndMessagesChinese) {
  std::set<std::string> seen;
  for (ErrorCode code : all_error_codes()) {
    const ErrorSpec& spec = error_spec(code);
    EXPECT_TRUE(seen.insert(std::string(spec.code)).second) << "duplicate code " << spec.code;
    for (char c : spec.code) {
      EXPECT_TRUE((c >= 'a' && c <= 'z') || c == '.' || c == '_') << spec.code;
    }
    // Every message is for a Chinese-speaking user: it holds CJK text (UTF-8 lead bytes
    // 0xE4..0xE9).
    bool has_cjk = false;
    for (unsigned char c : spec.message_template) has_cjk = has_cjk || (c >= 0xE4 && c <= 0xE9);
    EXPECT_TRUE(has_cjk) << spec.code << " has no Chinese message";
  }
}

TEST(MakeError, FillsNamedFields) {
  Error e = make_error(ErrorCode::kHttpBodyTooLarge, field("limit", 65536));
  EXPECT_EQ(e.message, "请求内容过大，上限为 65536 字节");
  EXPECT_EQ(e.code_string(), "http.body_too_large");
  EXPECT_EQ(e.kind(), ErrorKind::kTooLarge);
  EXPECT_FALSE(e.basis.has_value());
}

TEST(MakeError, MissingFieldShowsTemplateInsteadOfThrowing) {
  Error e = make_error(ErrorCode::kHttpBodyTooLarge);
  EXPECT_EQ(e.message, "请求内容过大，上限为 {limit} 字节");
}

TEST(MakeError, RuleErrorCarriesBasis) {
  Error e = make_rule_error(ErrorCode::kHttpBodyTooLarge, "《中华人民共和国行政处罚法》第四十二条",
                            field("limit", 1));
  ASSERT_TRUE(e.basis.has_value());
  EXPECT_EQ(*e.basis, "《中华人民共和国行政处罚法》第四十二条");
}

TEST(Result, FailProducesUnexpected) {
  auto f = []() -> Result<int> { return fail(ErrorCode::kIdInvalid, field("text", "x")); };
  auto r = f();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kIdInvalid);
  EXPECT_EQ(r.error().message, "编号无效：x");
}

}  // namespace
}  // namespace xzzf
