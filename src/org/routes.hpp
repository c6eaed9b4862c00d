#pragma once

// The HTTP mapping of org/: decodes requests into commands (unknown JSON
// fields refused), calls OrgService with the Caller the guard found, and
// encodes the answers. /api/v1/public/subjects needs no login.

#include "audit/trail.hpp"
#include "auth/guard.hpp"
#include "core/time.hpp"
#include "http/router.hpp"
#include "org/service.hpp"
#include "storage/database.hpp"

namespace xzzf::org {

// Borrowed by the routes for the life of the server.
struct OrgDeps {
  storage::Database& db;
  const auth::Guard& guard;
  audit::AuditTrail& audit;
  const Clock& clock;
  MergeHook on_merge = {};  // the other modules' part of a merge
};

void register_routes(http::Router& router, const OrgDeps& deps);

}  // namespace xzzf::org
