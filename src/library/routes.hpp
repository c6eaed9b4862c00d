#pragma once

// The HTTP mapping of library/: /api/v1/norms, /norms/{id},
// /norms/{id}/versions and /norms/{id}/articles (library.read).

#include <memory>

#include "auth/guard.hpp"
#include "http/router.hpp"
#include "library/service.hpp"

namespace xzzf::library {

void register_routes(http::Router& router, const auth::Guard& guard,
                     std::shared_ptr<const LibraryService> service);

}  // namespace xzzf::library
