#pragma once

// The HTTP mapping of rules/: /api/v1/rules (in force, history, amendment)
// and /api/v1/calendar (working days, deadlines, a year's days, a
// jurisdiction's own days). Unknown JSON fields are refused.

#include <memory>

#include "auth/guard.hpp"
#include "http/router.hpp"
#include "rules/service.hpp"

namespace xzzf::rules {

// Registers the routes; they share `service`, which must outlive the router.
void register_routes(http::Router& router, const auth::Guard& guard,
                     std::shared_ptr<const RuleService> service);

}  // namespace xzzf::rules
