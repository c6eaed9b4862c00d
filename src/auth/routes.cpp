#include "auth/routes.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/ids.hpp"
#include "http/json.hpp"
#include "http/params.hpp"

namespace xzzf::auth {

using http::Method;
using http::Request;
using http::Response;
using nlohmann::json;

namespace {

json nullable(const std::optional<std::int64_t>& v) {
  return v ? json(*v) : json(nullptr);
}

json permissions_json(const std::vector<Role>& roles) {
  std::vector<std::string_view> codes;
  for (auto r : roles) {
    for (auto p : permissions_of(r)) {
      auto c = permission_code(p);
      if (std::find(codes.begin(), codes.end(), c) == codes.end()) codes.push_back(c);
    }
  }
  std::sort(codes.begin(), codes.end());
  return codes;
}

json session_json(const User& u, const Caller& c) {
  return {{"user", user_json(u)},
          {"csrf_token", c.csrf_token},
          {"must_change_password", u.must_change_password},
          {"permissions", permissions_json(u.roles)}};
}

Origin origin_of(const Request& req) {
  return Origin{req.remote_addr, req.request_id, std::string(http::method_name(req.method)),
                req.path};
}

Result<std::optional<Instant>> query_date(const Request& req, std::string_view name,
                                          int plus_days) {
  auto v = req.query_param(name);
  if (!v || v->empty()) return std::optional<Instant>{};
  auto d = Date::parse(*v);
  if (!d) {
    return fail(ErrorCode::kQueryInvalid, field("name", std::string(name)),
                field("detail", "应为 YYYY-MM-DD"));
  }
  return std::optional<Instant>{d->plus_days(plus_days).start()};
}

std::string session_cookie(const AuthService& s, std::string_view value, bool clear) {
  std::string c = fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict", kSessionCookie, value);
  if (clear) c += "; Max-Age=0";
  if (s.settings().cookie_secure) c += "; Secure";
  return c;
}

template <typename T>
json page_json(const Page<T>& page, json items) {
  return {{"items", std::move(items)}, {"total", page.total}};
}

// Reads {"roles": [...]} strictly: an array of known role codes, no other field.
Result<std::vector<Role>> read_roles(const json& body) {
  json rest = body;
  rest.erase("roles");
  http::ObjectReader reader(rest);
  if (auto f = reader.finish(); !f) return fail(f.error());
  if (!body.contains("roles")) return fail(ErrorCode::kJsonMissingField, field("field", "roles"));
  const auto& roles = body["roles"];
  if (!roles.is_array()) {
    return fail(ErrorCode::kJsonWrongType, field("field", "roles"),
                field("expected", "字符串数组"));
  }
  std::vector<Role> out;
  for (const auto& r : roles) {
    if (!r.is_string()) {
      return fail(ErrorCode::kJsonWrongType, field("field", "roles"),
                  field("expected", "字符串数组"));
    }
    auto role = parse_role(r.get<std::string>());
    if (!role) return fail(ErrorCode::kAuthUnknownRole, field("role", r.get<std::string>()));
    out.push_back(*role);
  }
  return out;
}

}  // namespace

json user_json(const User& u) {
  json roles = json::array();
  for (auto r : u.roles) roles.push_back(role_code(r));
  return {{"id", u.id},
          {"username", u.username},
          {"display_name", u.display_name},
          {"roles", roles},
          {"department_id", nullable(u.department_id)},
          {"department_name", u.department_name ? json(*u.department_name) : json(nullptr)},
          {"jurisdiction_id", nullable(u.jurisdiction_id)},
          {"status", u.status},
          {"must_change_password", u.must_change_password},
          {"locked", u.locked},
          {"is_service", u.is_service}};
}

void register_routes(http::Router& router, const AuthDeps& deps) {
  AuthService& svc = deps.service;
  const Guard& guard = deps.guard;

  router.add({.method = Method::kPost,
              .pattern = "/api/v1/session",
              .handler = [&svc](Request& req) -> Result<Response> {
                auto body = http::parse_json_object(req.body);
                if (!body) return fail(body.error());
                http::ObjectReader reader(*body);
                auto username = reader.string("username");
                if (!username) return fail(username.error());
                auto password = reader.string("password");
                if (!password) return fail(password.error());
                if (auto f = reader.finish(); !f) return fail(f.error());
                req.actor = username->substr(0, 64);
                auto r = svc.login(*username, *password, origin_of(req));
                if (!r) {
                  // The service recorded failed logins and lockouts itself.
                  req.audited = r.error().code == ErrorCode::kAuthBadCredentials ||
                                r.error().code == ErrorCode::kAuthLocked;
                  return fail(r.error());
                }
                req.actor_user_id = r->user.id;
                auto res = Response::json(200, session_json(r->user, r->caller));
                res.headers.emplace_back("Set-Cookie",
                                         session_cookie(svc, r->session_token, false));
                res.headers.emplace_back("Cache-Control", "no-store");
                return res;
              },
              .body = http::BodyKind::kJson,
              .summary = "Log in: a new session cookie and its CSRF token"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/session",
              .handler = guard.session([&svc](Request&, const Caller& c) -> Result<Response> {
                auto u = svc.current_user(c);
                if (!u) return fail(u.error());
                auto res = Response::json(200, session_json(*u, c));
                res.headers.emplace_back("Cache-Control", "no-store");
                return res;
              }),
              .summary = "The current session: user, CSRF token, permissions"});
  router.add({.method = Method::kDelete,
              .pattern = "/api/v1/session",
              .handler = guard.session([&svc](Request& req, const Caller& c) -> Result<Response> {
                if (auto r = svc.logout(c, origin_of(req)); !r) return fail(r.error());
                auto res = Response::no_content();
                res.headers.emplace_back("Set-Cookie", session_cookie(svc, "", true));
                return res;
              }),
              .summary = "Log out: the session ends on the server"});
  router.add({.method = Method::kPut,
              .pattern = "/api/v1/session/password",
              .handler = guard.session([&svc](Request& req, const Caller& c) -> Result<Response> {
                auto body = http::parse_json_object(req.body);
                if (!body) return fail(body.error());
                http::ObjectReader reader(*body);
                auto current = reader.string("current_password");
                if (!current) return fail(current.error());
                auto next = reader.string("new_password");
                if (!next) return fail(next.error());
                if (auto f = reader.finish(); !f) return fail(f.error());
                if (auto r = svc.change_password(c, *current, *next, origin_of(req)); !r)
                  return fail(r.error());
                return Response::no_content();
              }),
              .body = http::BodyKind::kJson,
              .summary = "Change one's own password; other sessions end"});

  router.add({.method = Method::kGet,
              .pattern = "/api/v1/roles",
              .handler = guard.authenticated([](Request&, const Caller&) -> Result<Response> {
                json items = json::array();
                for (auto r : all_roles()) {
                  json perms = json::array();
                  for (auto p : permissions_of(r)) perms.push_back(permission_code(p));
                  items.push_back({{"code", role_code(r)},
                                   {"name", role_name(r)},
                                   {"sanyuan", is_sanyuan(r)},
                                   {"department_bound", is_department_role(r)},
                                   {"permissions", perms}});
                }
                return Response::json(200, {{"items", items}});
              }),
              .summary = "The fixed roles and their permissions"});

  router.add({.method = Method::kGet,
              .pattern = "/api/v1/users",
              .handler = guard.require(Permission::kUserRead,
                                       [&svc](Request& req, const Caller& c) -> Result<Response> {
                                         UserQuery q;
                                         if (auto v = req.query_param("q")) q.q = std::string(*v);
                                         auto d = http::query_id(req, "department_id");
                                         if (!d) return fail(d.error());
                                         q.department_id = *d;
                                         auto p = http::page_request(req);
                                         if (!p) return fail(p.error());
                                         q.page = *p;
                                         auto page = svc.list_users(c, q);
                                         if (!page) return fail(page.error());
                                         json items = json::array();
                                         for (const auto& u : page->items)
                                           items.push_back(user_json(u));
                                         return Response::json(200, page_json(*page, items));
                                       }),
              .summary = "Accounts (user.read)"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/users/{id}",
              .handler = guard.require(Permission::kUserRead,
                                       [&svc](Request& req, const Caller& c) -> Result<Response> {
                                         auto id = path_id(req, "id");
                                         if (!id) return fail(id.error());
                                         auto u = svc.get_user(c, *id);
                                         if (!u) return fail(u.error());
                                         return Response::json(200, user_json(*u));
                                       }),
              .summary = "One account (user.read)"});
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/users",
              .handler = guard.require(Permission::kUserManage,
                                       [&svc](Request& req, const Caller& c) -> Result<Response> {
                                         auto body = http::parse_json_object(req.body);
                                         if (!body) return fail(body.error());
                                         http::ObjectReader reader(*body);
                                         NewUser u;
                                         auto username = reader.string("username");
                                         if (!username) return fail(username.error());
                                         u.username = *username;
                                         auto display = reader.string("display_name");
                                         if (!display) return fail(display.error());
                                         u.display_name = *display;
                                         auto dept = reader.optional_integer("department_id");
                                         if (!dept) return fail(dept.error());
                                         u.department_id = *dept;
                                         auto jur = reader.optional_integer("jurisdiction_id");
                                         if (!jur) return fail(jur.error());
                                         u.jurisdiction_id = *jur;
                                         auto service = reader.optional_boolean("is_service");
                                         if (!service) return fail(service.error());
                                         u.is_service = service->value_or(false);
                                         if (auto f = reader.finish(); !f) return fail(f.error());
                                         auto r = svc.create_user(c, u);
                                         if (!r) return fail(r.error());
                                         json out = {{"user", user_json(r->first)}};
                                         out["initial_password"] =
                                             r->second ? json(*r->second) : json(nullptr);
                                         auto res = Response::json(201, out);
                                         res.headers.emplace_back("Cache-Control", "no-store");
                                         return res;
                                       }),
              .body = http::BodyKind::kJson,
              .summary = "Create an account with a one-time initial password (user.manage)"});
  router.add({.method = Method::kPut,
              .pattern = "/api/v1/users/{id}",
              .handler = guard.require(Permission::kUserManage,
                                       [&svc](Request& req, const Caller& c) -> Result<Response> {
                                         auto id = path_id(req, "id");
                                         if (!id) return fail(id.error());
                                         auto body = http::parse_json_object(req.body);
                                         if (!body) return fail(body.error());
                                         http::ObjectReader reader(*body);
                                         UserChanges ch;
                                         auto display = reader.optional_string("display_name");
                                         if (!display) return fail(display.error());
                                         ch.display_name = *display;
                                         bool has_dept = body->contains("department_id");
                                         auto dept = reader.optional_integer("department_id");
                                         if (!dept) return fail(dept.error());
                                         if (has_dept) ch.department_id = *dept;
                                         auto status = reader.optional_string("status");
                                         if (!status) return fail(status.error());
                                         ch.status = *status;
                                         if (auto f = reader.finish(); !f) return fail(f.error());
                                         auto u = svc.update_user(c, *id, ch);
                                         if (!u) return fail(u.error());
                                         return Response::json(200, user_json(*u));
                                       }),
              .body = http::BodyKind::kJson,
              .summary = "Edit an account: name, department, status (user.manage)"});
  router.add(
      {.method = Method::kPost,
       .pattern = "/api/v1/users/{id}/reset-password",
       .handler = guard.require(Permission::kUserManage,
                                [&svc](Request& req, const Caller& c) -> Result<Response> {
                                  auto id = path_id(req, "id");
                                  if (!id) return fail(id.error());
                                  auto pw = svc.reset_password(c, *id);
                                  if (!pw) return fail(pw.error());
                                  auto res = Response::json(200, {{"initial_password", *pw}});
                                  res.headers.emplace_back("Cache-Control", "no-store");
                                  return res;
                                }),
       .summary = "A new one-time password; the account's sessions end (user.manage)"});
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/users/{id}/unlock",
              .handler = guard.require(Permission::kUserManage,
                                       [&svc](Request& req, const Caller& c) -> Result<Response> {
                                         auto id = path_id(req, "id");
                                         if (!id) return fail(id.error());
                                         if (auto r = svc.unlock(c, *id); !r)
                                           return fail(r.error());
                                         return Response::no_content();
                                       }),
              .summary = "Lift a lockout after failed logins (user.manage)"});
  router.add({.method = Method::kPut,
              .pattern = "/api/v1/users/{id}/roles",
              .handler = guard.require(Permission::kRoleGrant,
                                       [&svc](Request& req, const Caller& c) -> Result<Response> {
                                         auto id = path_id(req, "id");
                                         if (!id) return fail(id.error());
                                         auto body = http::parse_json_object(req.body);
                                         if (!body) return fail(body.error());
                                         auto roles = read_roles(*body);
                                         if (!roles) return fail(roles.error());
                                         auto u = svc.set_roles(c, *id, *roles);
                                         if (!u) return fail(u.error());
                                         return Response::json(200, user_json(*u));
                                       }),
              .body = http::BodyKind::kJson,
              .summary = "Set an account's roles (role.grant; 三员 alone; not one's own)"});
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/users/{id}/tokens",
              .handler = guard.require(
                  Permission::kUserManage,
                  [&svc](Request& req, const Caller& c) -> Result<Response> {
                    auto id = path_id(req, "id");
                    if (!id) return fail(id.error());
                    auto body = http::parse_json_object(req.body);
                    if (!body) return fail(body.error());
                    http::ObjectReader reader(*body);
                    auto name = reader.string("name");
                    if (!name) return fail(name.error());
                    if (auto f = reader.finish(); !f) return fail(f.error());
                    auto t = svc.create_token(c, *id, *name);
                    if (!t) return fail(t.error());
                    auto res = Response::json(201, {{"id", t->first}, {"token", t->second}});
                    res.headers.emplace_back("Cache-Control", "no-store");
                    return res;
                  }),
              .body = http::BodyKind::kJson,
              .summary = "A bearer token for a service account, shown once (user.manage)"});
  router.add({.method = Method::kDelete,
              .pattern = "/api/v1/users/{id}/tokens/{token_id}",
              .handler = guard.require(Permission::kUserManage,
                                       [&svc](Request& req, const Caller& c) -> Result<Response> {
                                         auto id = path_id(req, "id");
                                         if (!id) return fail(id.error());
                                         auto tid = path_id(req, "token_id");
                                         if (!tid) return fail(tid.error());
                                         if (auto r = svc.revoke_token(c, *id, *tid); !r)
                                           return fail(r.error());
                                         return Response::no_content();
                                       }),
              .summary = "Revoke a bearer token (user.manage)"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/audit",
              .handler = guard.require(Permission::kAuditRead,
                                       [&svc](Request& req, const Caller& c) -> Result<Response> {
                                         AuditQuery q;
                                         if (auto v = req.query_param("event"); v && !v->empty())
                                           q.event = std::string(*v);
                                         if (auto v = req.query_param("actor"); v && !v->empty())
                                           q.actor = std::string(*v);
                                         auto from = query_date(req, "from", 0);
                                         if (!from) return fail(from.error());
                                         q.from = *from;
                                         auto to = query_date(req, "to", 1);
                                         if (!to) return fail(to.error());
                                         q.to = *to;
                                         auto p = http::page_request(req);
                                         if (!p) return fail(p.error());
                                         q.page = *p;
                                         auto page = svc.list_audit(c, q);
                                         if (!page) return fail(page.error());
                                         json items = json::array();
                                         auto opt = [](const auto& v) {
                                           return v ? json(*v) : json(nullptr);
                                         };
                                         for (const auto& e : page->items) {
                                           json detail = nullptr;
                                           if (e.detail && !e.detail->empty()) {
                                             detail = json::parse(*e.detail, nullptr, false);
                                             if (detail.is_discarded()) detail = *e.detail;
                                           }
                                           items.push_back({{"id", e.id},
                                                            {"at", format_shanghai_iso8601(e.at)},
                                                            {"event", e.event},
                                                            {"actor", e.actor},
                                                            {"remote_addr", opt(e.remote_addr)},
                                                            {"method", opt(e.method)},
                                                            {"path", opt(e.path)},
                                                            {"status", opt(e.status)},
                                                            {"code", opt(e.code)},
                                                            {"detail", detail}});
                                         }
                                         return Response::json(200, page_json(*page, items));
                                       }),
              .summary = "The security audit trail, newest first (audit.read)"});
}

}  // namespace xzzf::auth
