#include "http/router.hpp"

#include <gtest/gtest.h>

namespace xzzf::http {
namespace {

Handler ok() {
  return [](Request&) -> Result<Response> { return Response::text(200, "text/plain", "ok"); };
}

TEST(Router, MatchesLiteralAndParameterSegments) {
  Router r;
  r.add({.method = Method::kGet, .pattern = "/api/v1/departments", .handler = ok()});
  r.add({.method = Method::kGet, .pattern = "/api/v1/departments/{id}/agencies", .handler = ok()});
  r.add({.method = Method::kPost, .pattern = "/api/v1/power-items/{id}/submit", .handler = ok()});

  auto m = r.match(Method::kGet, "/api/v1/departments/42/agencies");
  ASSERT_EQ(m.outcome, Router::Outcome::kFound);
  EXPECT_EQ(m.route->pattern, "/api/v1/departments/{id}/agencies");
  EXPECT_EQ(m.params.at("id"), "42");

  EXPECT_EQ(r.match(Method::kGet, "/api/v1/departments").outcome, Router::Outcome::kFound);
  EXPECT_EQ(r.match(Method::kGet, "/api/v1/departments/").outcome, Router::Outcome::kNotFound);
  EXPECT_EQ(r.match(Method::kGet, "/api/v1/departments//agencies").outcome,
            Router::Outcome::kNotFound);
  EXPECT_EQ(r.match(Method::kGet, "/api/v1/nothing").outcome, Router::Outcome::kNotFound);
}

TEST(Router, WrongMethodIsNotAllowedAndHeadMatchesGet) {
  Router r;
  r.add({.method = Method::kGet, .pattern = "/api/v1/public/info", .handler = ok()});
  EXPECT_EQ(r.match(Method::kPost, "/api/v1/public/info").outcome,
            Router::Outcome::kMethodNotAllowed);
  EXPECT_EQ(r.match(Method::kHead, "/api/v1/public/info").outcome, Router::Outcome::kFound);
}

TEST(Router, SameMethodAndPatternTwiceAborts) {
  Router r;
  r.add({.method = Method::kGet, .pattern = "/x", .handler = ok()});
  EXPECT_DEATH(r.add({.method = Method::kGet, .pattern = "/x", .handler = ok()}), "");
}

TEST(Router, IndexesRoutesInOrder) {
  Router r;
  r.add({.method = Method::kGet, .pattern = "/a", .handler = ok()});
  r.add({.method = Method::kGet, .pattern = "/b", .handler = ok()});
  EXPECT_EQ(r.routes()[1].index, 1U);
}

}  // namespace
}  // namespace xzzf::http
