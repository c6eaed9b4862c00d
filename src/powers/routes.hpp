#pragma once

// The HTTP mapping of powers/: /api/v1/power-items, /power-items/{id},
// /power-items/{id}/versions, the review steps
// POST /power-items/{id}/{submit,return,approve,publish,amend}, the change
// requests POST /power-items/{id}/{cancel,delegate,transfer}, the progress
// dashboard and deadline, /authorizations, and the portal's
// /public/power-items (no login).

#include <memory>

#include "auth/guard.hpp"
#include "http/router.hpp"
#include "powers/authorizations.hpp"
#include "powers/service.hpp"

namespace xzzf::powers {

void register_routes(http::Router& router, const auth::Guard& guard,
                     std::shared_ptr<const PowerService> service);
void register_authorization_routes(http::Router& router, const auth::Guard& guard,
                                   std::shared_ptr<const AuthorizationService> service);
// `search_total_cap`: portal.search_total_cap (a search's total is exact up
// to it; beyond, "total_capped": true).
void register_public_routes(http::Router& router,
                            const std::shared_ptr<const PowerService>& service,
                            std::int64_t search_total_cap);

}  // namespace xzzf::powers
