#pragma once

// The guard in front of every route that needs a login: finds the caller from
// the session cookie or a bearer token, enforces CSRF on mutating requests of
// a cookie session, the forced password change and the route's permission,
// and records every 403 in the audit trail as 'access.denied'.

#include <functional>

#include "audit/trail.hpp"
#include "auth/caller.hpp"
#include "auth/service.hpp"
#include "http/router.hpp"

namespace xzzf::auth {

inline constexpr std::string_view kSessionCookie = "xzzf_session";

using GuardedHandler = std::function<Result<http::Response>(http::Request&, const Caller&)>;

// Thread-safe; built once in app and borrowed by every module's routes.
class Guard {
 public:
  Guard(AuthService& service, audit::AuditTrail& trail) : service_(service), trail_(trail) {}

  // 401 auth.unauthenticated without a valid session cookie or bearer token; on
  // POST/PUT/PATCH/DELETE with a cookie session, 403 auth.csrf without a
  // matching X-CSRF-Token header; 403 auth.forbidden without the permission;
  // 403 auth.password_change_required while the account must change its
  // password. Sets request.actor/actor_user_id.
  [[nodiscard]] http::Handler require(Permission permission, GuardedHandler handler) const;
  [[nodiscard]] http::Handler authenticated(GuardedHandler handler) const;
  // Like authenticated(), but also while a password change is pending: only
  // for GET/DELETE /session and PUT /session/password.
  [[nodiscard]] http::Handler session(GuardedHandler handler) const;

  [[nodiscard]] AuthService& service() const { return service_; }

 private:
  [[nodiscard]] http::Handler wrap(std::optional<Permission> permission, bool pending_ok,
                                   GuardedHandler handler) const;
  void denied(http::Request& req, const Caller* caller, const Error& e) const;

  AuthService& service_;
  audit::AuditTrail& trail_;
};

// The value of one cookie of a request.
[[nodiscard]] std::optional<std::string> cookie_value(const http::Request& req,
                                                      std::string_view name);

}  // namespace xzzf::auth
