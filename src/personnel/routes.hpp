#pragma once

// HTTP of personnel/: officers, exam sessions and certificates behind the
// guard, and the public certificate check (docs/openapi/personnel.paths.json).

#include <memory>
#include <string>

#include "auth/guard.hpp"
#include "http/router.hpp"
#include "personnel/service.hpp"

namespace xzzf::personnel {

void register_routes(http::Router& router, const auth::Guard& guard,
                     std::shared_ptr<const PersonnelService> service);
// `public_url` (portal.public_url) is where the QR codes of certificates
// lead; empty: the address each request came to.
void register_public_routes(http::Router& router,
                            const std::shared_ptr<const PersonnelService>& service,
                            std::string public_url);

}  // namespace xzzf::personnel
