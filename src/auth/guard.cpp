#include "auth/guard.hpp"

#include <nlohmann/json.hpp>

#include "auth/password.hpp"

namespace xzzf::auth {

std::optional<std::string> cookie_value(const http::Request& req, std::string_view name) {
  for (const auto& [h, value] : req.headers) {
    if (h != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      auto semi = rest.find(';');
      std::string_view part = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      auto eq = part.find('=');
      if (eq != std::string_view::npos && part.substr(0, eq) == name) {
        return std::string(part.substr(eq + 1));
      }
    }
  }
  return std::nullopt;
}

void Guard::denied(http::Request& req, const Caller* caller, const Error& e) const {
  req.audited = true;
  nlohmann::json detail = {{"message", e.message}};
  trail_.submit(
      audit::AuditEvent{.at = {},
                        .event = "access.denied",
                        .actor_user_id = caller ? std::optional(caller->user_id) : std::nullopt,
                        .actor = caller ? caller->username : std::string("anonymous"),
                        .remote_addr = req.remote_addr,
                        .method = std::string(http::method_name(req.method)),
                        .path = req.path,
                        .status = http::status_for(e.kind()),
                        .code = std::string(e.code_string()),
                        .detail_json = detail.dump(),
                        .request_id = req.request_id});
}

http::Handler Guard::wrap(std::optional<Permission> permission, bool pending_ok,
                          GuardedHandler handler) const {
  return [this, permission, pending_ok,
          handler = std::move(handler)](http::Request& req) -> Result<http::Response> {
    Result<Caller> caller = fail(ErrorCode::kAuthUnauthenticated);
    bool via_cookie = false;
    if (auto auth = req.header("authorization"); auth && auth->starts_with("Bearer ")) {
      caller = service_.authenticate_bearer(auth->substr(7));
    } else if (auto token = cookie_value(req, kSessionCookie); token && !token->empty()) {
      via_cookie = true;
      caller = service_.authenticate_session(*token);
    }
    if (!caller) return fail(caller.error());
    caller->remote_addr = req.remote_addr;
    caller->request_id = req.request_id;
    req.actor = caller->username;
    req.actor_user_id = caller->user_id;

    auto refuse = [&](Error e) -> Result<http::Response> {
      denied(req, &*caller, e);
      return fail(std::move(e));
    };
    if (via_cookie && http::is_mutating(req.method)) {
      auto header = req.header("x-csrf-token");
      if (!header || !constant_time_equal(*header, caller->csrf_token)) {
        return refuse(make_error(ErrorCode::kAuthCsrf));
      }
    }
    if (caller->must_change_password && !pending_ok) {
      return refuse(make_error(ErrorCode::kAuthPasswordChangeRequired));
    }
    if (permission && !caller->has(*permission)) {
      return refuse(make_error(ErrorCode::kAuthForbidden,
                               field("permission", std::string(permission_code(*permission)))));
    }
    auto result = handler(req, *caller);
    if (!result && result.error().kind() == ErrorKind::kForbidden)
      denied(req, &*caller, result.error());
    return result;
  };
}

http::Handler Guard::require(Permission permission, GuardedHandler handler) const {
  return wrap(permission, false, std::move(handler));
}

http::Handler Guard::authenticated(GuardedHandler handler) const {
  return wrap(std::nullopt, false, std::move(handler));
}

http::Handler Guard::session(GuardedHandler handler) const {
  return wrap(std::nullopt, true, std::move(handler));
}

}  // namespace xzzf::auth
