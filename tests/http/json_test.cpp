#include "http/json.hpp"

#include <gtest/gtest.h>

namespace xzzf::http {
namespace {

TEST(ParseJsonObject, RefusesMalformedAndNonObjects) {
  EXPECT_EQ(parse_json_object("{").error().code, ErrorCode::kJsonMalformed);
  EXPECT_EQ(parse_json_object("").error().code, ErrorCode::kJsonMalformed);
  EXPECT_EQ(parse_json_object("[1]").error().code, ErrorCode::kJsonNotObject);
  EXPECT_EQ(parse_json_object("\"x\"").error().code, ErrorCode::kJsonNotObject);
  EXPECT_TRUE(parse_json_object(R"({"a":1})"));
}

TEST(ObjectReader, ReadsFieldsAndRefusesUnknownOnes) {
  auto obj = *parse_json_object(R"({"name":"市场监督管理局","count":3,"department_id":7})");
  ObjectReader r(obj);
  EXPECT_EQ(*r.string("name"), "市场监督管理局");
  EXPECT_EQ(*r.integer("count"), 3);
  auto done = r.finish();
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().code, ErrorCode::kJsonUnknownField);
  EXPECT_EQ(done.error().message, "不允许的字段：department_id");
}

TEST(ObjectReader, MissingWrongTypeAndNullAsAbsent) {
  auto obj = *parse_json_object(R"({"a":"x","b":null,"c":1.5})");
  ObjectReader r(obj);
  EXPECT_EQ(r.integer("a").error().code, ErrorCode::kJsonWrongType);
  EXPECT_EQ(r.string("b").error().code, ErrorCode::kJsonMissingField);
  EXPECT_FALSE(r.optional_string("b")->has_value());
  EXPECT_EQ(r.integer("c").error().code, ErrorCode::kJsonWrongType);
  EXPECT_EQ(r.string("zzz").error().code, ErrorCode::kJsonMissingField);
  EXPECT_TRUE(r.finish());
}

}  // namespace
}  // namespace xzzf::http
