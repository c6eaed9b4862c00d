#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <string>

#include "app/routes.hpp"
#include "audit/trail.hpp"
#include "auth/guard.hpp"
#include "auth/service.hpp"
#include "core/config.hpp"
#include "storage/database.hpp"

namespace xzzf::app {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

// The services the routes borrow, on an in-memory database: enough to
// register every route (no request is made).
struct Services {
  Config config;
  SystemClock clock;
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<audit::AuditTrail> trail;
  std::unique_ptr<auth::AuthService> auth;
  std::unique_ptr<auth::Guard> guard;
  privacy::Sealer sealer = privacy::Sealer::from_key(privacy::Sealer::Key{});

  explicit Services(bool test_routes) {
    config.testing.routes = test_routes;
    db = std::move(
        *storage::Database::open(*storage::DbUrl::parse("sqlite::memory:"), {.pool_size = 1}));
    EXPECT_TRUE(db->migrate());
    trail = std::make_unique<audit::AuditTrail>(*db, clock);
    auto settings = auth::AuthSettings::from(config);
    settings.fast_hashing = true;
    auth = std::make_unique<auth::AuthService>(*db, *trail, clock, settings);
    guard = std::make_unique<auth::Guard>(*auth, *trail);
  }

  http::Router routes() {
    AppContext ctx{config, clock, db.get()};
    ctx.trail = trail.get();
    ctx.auth = auth.get();
    ctx.guard = guard.get();
    ctx.sealer = &sealer;
    http::Router router;
    register_all_routes(router, ctx);
    return router;
  }
};

// API.md: every route the server registers is in the OpenAPI document, with
// its method — the test routes included, since the test suite turns them on.
TEST(OpenApi, DocumentsEveryRegisteredRoute) {
  Services services(/*test_routes=*/true);
  http::Router router = services.routes();
  ASSERT_GT(router.routes().size(), 5U);

  auto doc = nlohmann::json::parse(openapi_document());
  ASSERT_TRUE(doc.contains("paths"));
  EXPECT_EQ(doc["openapi"], "3.0.3");
  EXPECT_EQ(doc["info"]["version"], XZZF_VERSION);
  for (const auto& route : router.routes()) {
    std::string method = lower(http::method_name(route.method));
    ASSERT_TRUE(doc["paths"].contains(route.pattern))
        << route.pattern << " is not in docs/openapi.json";
    EXPECT_TRUE(doc["paths"][route.pattern].contains(method))
        << http::method_name(route.method) << " " << route.pattern
        << " is not in docs/openapi.json";
  }
}

// And the other way round: the document promises nothing the server lacks.
TEST(OpenApi, DocumentsNoRouteTheServerLacks) {
  Services services(/*test_routes=*/true);
  http::Router router = services.routes();
  auto doc = nlohmann::json::parse(openapi_document());
  for (const auto& [path, ops] : doc["paths"].items()) {
    for (const auto& [method, unused] : ops.items()) {
      std::string upper(method);
      std::transform(upper.begin(), upper.end(), upper.begin(),
                     [](unsigned char c) { return std::toupper(c); });
      // A pattern matches itself: its {name} segments are non-empty text.
      auto m = router.match(http::parse_method(upper), path);
      EXPECT_EQ(m.outcome, http::Router::Outcome::kFound) << method << " " << path;
    }
  }
}

TEST(OpenApi, TestRoutesExistOnlyWhenConfigured) {
  Services services(/*test_routes=*/false);
  http::Router router = services.routes();
  for (const auto& route : router.routes()) {
    EXPECT_FALSE(route.pattern.starts_with("/api/v1/test/")) << route.pattern;
  }
}

}  // namespace
}  // namespace xzzf::app
