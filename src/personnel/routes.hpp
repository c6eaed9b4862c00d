#pragma once

// HTTP of personnel/: officers, exam sessions and certificates behind the
// guard, and the public certificate check (docs/openapi/personnel.paths.json).

#include <memory>

#include "auth/guard.hpp"
#include "http/router.hpp"
#include "personnel/service.hpp"

namespace xzzf::personnel {

void register_routes(http::Router& router, const auth::Guard& guard,
                     std::shared_ptr<const PersonnelService> service);
void register_public_routes(http::Router& router,
                            const std::shared_ptr<const PersonnelService>& service);

}  // namespace xzzf::personnel
