#pragma once

// The HTTP API of auth/: /api/v1/session, /roles, /users, /audit.

#include "auth/guard.hpp"
#include "auth/service.hpp"
#include "http/router.hpp"

namespace xzzf::auth {

struct AuthDeps {
  AuthService& service;
  const Guard& guard;
};

void register_routes(http::Router& router, const AuthDeps& deps);

// {"id","username",…} as in docs/openapi/auth.paths.json.
[[nodiscard]] nlohmann::json user_json(const User& u);

}  // namespace xzzf::auth
