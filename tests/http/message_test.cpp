#include "http/message.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace xzzf::http {
namespace {

TEST(SplitTarget, DecodesPathAndQuery) {
  auto r =
      split_target("/api/v1/public/power-items?q=%E9%A3%9F%E5%93%81&department_id=3&x=a+b&flag");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first, "/api/v1/public/power-items");
  ASSERT_EQ(r->second.size(), 4U);
  EXPECT_EQ(r->second[0].second, "食品");
  EXPECT_EQ(r->second[2].second, "a b");
  EXPECT_EQ(r->second[3].first, "flag");
}

TEST(SplitTarget, RefusesBrokenTargets) {
  EXPECT_FALSE(split_target("api/v1"));
  EXPECT_FALSE(split_target("/a%zz"));
  EXPECT_FALSE(split_target("/a%00b"));
  EXPECT_FALSE(split_target("/a?q=%4"));
}

TEST(Response, ErrorBodyHasCodeMessageAndBasis) {
  Error e = make_rule_error(ErrorCode::kHttpBodyTooLarge, "《条例》第二十四条", field("limit", 10));
  Response r = Response::error(e);
  EXPECT_EQ(r.status, 413);
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["error"]["code"], "http.body_too_large");
  EXPECT_EQ(body["error"]["message"], "请求内容过大，上限为 10 字节");
  EXPECT_EQ(body["error"]["basis"], "《条例》第二十四条");
  EXPECT_EQ(r.error_code, "http.body_too_large");
}

TEST(StatusFor, EachKindHasItsStatus) {
  EXPECT_EQ(status_for(ErrorKind::kInvalidInput), 400);
  EXPECT_EQ(status_for(ErrorKind::kUnauthenticated), 401);
  EXPECT_EQ(status_for(ErrorKind::kForbidden), 403);
  EXPECT_EQ(status_for(ErrorKind::kNotFound), 404);
  EXPECT_EQ(status_for(ErrorKind::kConflict), 409);
  EXPECT_EQ(status_for(ErrorKind::kTooLarge), 413);
  EXPECT_EQ(status_for(ErrorKind::kRuleRefused), 422);
  EXPECT_EQ(status_for(ErrorKind::kUnavailable), 503);
}

}  // namespace
}  // namespace xzzf::http
