#pragma once

// The HTTP routes of this modules: operations (/healthz, /readyz,
// /metrics), the public info and the OpenAPI document, and — only when
// configured for the test suite — the /api/v1/test/* routes that exercise the
// server's limits. Later modules add their own registration functions here.

#include <atomic>
#include <functional>
#include <memory>

#include "audit/trail.hpp"
#include "auth/guard.hpp"
#include "auth/service.hpp"
#include "core/config.hpp"
#include "core/time.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/static_site.hpp"
#include "privacy/sealer.hpp"
#include "record/checkpoints.hpp"
#include "record/routes.hpp"
#include "storage/database.hpp"

namespace xzzf::app {

// What the route handlers borrow. Everything here outlives the server.
struct AppContext {
  const Config& config;
  const Clock& clock;
  storage::Database* db = nullptr;
  const http::StaticSite* site = nullptr;
  const http::Metrics* metrics = nullptr;  // set once the router is complete
  std::function<bool()> shutting_down = [] { return false; };
  // The modules' services, built by serve() before the routes are registered.
  audit::AuditTrail* trail = nullptr;
  auth::AuthService* auth = nullptr;
  const auth::Guard* guard = nullptr;
  const privacy::Sealer* sealer = nullptr;  // personal data at rest
  // The record's signing key (public half) and checkpoint policy, when this
  // process signs checkpoints; the record routes' state, kept alive here.
  std::optional<record::PublicKey> record_key;
  record::CheckpointPolicy record_policy;
  std::shared_ptr<record::RecordRoutes> record_routes;
};

void register_ops_routes(http::Router& router, AppContext& ctx);
void register_public_routes(http::Router& router, AppContext& ctx);
void register_test_routes(http::Router& router, AppContext& ctx);
void register_web_fallback(http::Router& router, AppContext& ctx);
// Every module's API behind the auth guard (auth, org, rules, record).
void register_module_routes(http::Router& router, AppContext& ctx);

// All of the above, as `xzzf serve` wires them.
void register_all_routes(http::Router& router, AppContext& ctx);

// The OpenAPI 3 document compiled into the binary: docs/openapi/base.json
// merged with every docs/openapi/*.paths.json fragment.
[[nodiscard]] const std::string& openapi_document();

}  // namespace xzzf::app
