#pragma once

// The HTTP mapping of powers/: /api/v1/power-items, /power-items/{id},
// /power-items/{id}/versions and the review steps
// POST /power-items/{id}/{submit,return,approve,publish,amend}.

#include <memory>

#include "auth/guard.hpp"
#include "http/router.hpp"
#include "powers/service.hpp"

namespace xzzf::powers {

void register_routes(http::Router& router, const auth::Guard& guard,
                     std::shared_ptr<const PowerService> service);

}  // namespace xzzf::powers
