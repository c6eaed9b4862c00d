#include "auth/service.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "auth/repository.hpp"

namespace xzzf::auth {

using nlohmann::json;
using storage::Tx;

namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
// last_seen is written at most once a minute, not on every request.
constexpr std::int64_t kTouchInterval = 60 * kMicrosPerSecond;

json roles_json(const std::vector<Role>& roles) {
  json a = json::array();
  for (auto r : roles) a.push_back(role_code(r));
  return a;
}

int scope_rank(Scope::Kind k) {
  switch (k) {
    case Scope::Kind::kAll:
      return 3;
    case Scope::Kind::kJurisdictions:
      return 2;
    case Scope::Kind::kDepartment:
      return 1;
    case Scope::Kind::kNone:
      break;
  }
  return 0;
}

bool is_jurisdiction_role(Role r) {
  return r == Role::kLegalOffice || r == Role::kMonitor || r == Role::kSocialSupervisor;
}

}  // namespace

AuthSettings AuthSettings::from(const Config& config) {
  AuthSettings s;
  s.lockout_threshold = config.auth.lockout_threshold;
  s.lockout = std::chrono::minutes(config.auth.lockout_minutes);
  s.idle_timeout = config.testing.idle_timeout_seconds > 0
                       ? std::chrono::seconds(config.testing.idle_timeout_seconds)
                       : std::chrono::seconds(config.auth.idle_timeout_minutes * 60);
  s.policy.min_length = config.auth.password_min_length;
  s.password_max_age_days = config.auth.password_max_age_days;
  s.cookie_secure = config.auth.cookie_secure;
  s.max_concurrent_hashes = config.auth.max_concurrent_hashes;
  s.fast_hashing = config.testing.fast_hashing;
  return s;
}

Scope scope_for(const std::vector<Role>& roles, std::optional<std::int64_t> department_id,
                std::optional<std::int64_t> department_jurisdiction_id,
                std::optional<std::int64_t> jurisdiction_id, bool jurisdiction_is_root,
                const std::function<std::set<std::int64_t>(std::int64_t)>& subtree) {
  Scope best = Scope::none();
  auto consider = [&best](Scope s) {
    if (scope_rank(s.kind()) > scope_rank(best.kind())) best = std::move(s);
  };
  auto effective_jurisdiction = jurisdiction_id ? jurisdiction_id : department_jurisdiction_id;
  for (auto r : roles) {
    if (is_sanyuan(r)) {
      consider(Scope::all());
    } else if (!department_id && (!effective_jurisdiction || jurisdiction_is_root)) {
      // An account of the whole deployment; a department role needs a department.
      if (!is_department_role(r)) consider(Scope::all());
    } else if (is_jurisdiction_role(r)) {
      if (effective_jurisdiction) consider(Scope::jurisdictions(subtree(*effective_jurisdiction)));
    } else if (is_department_role(r) && department_id && department_jurisdiction_id) {
      consider(Scope::department(*department_id, *department_jurisdiction_id));
    }
  }
  return best;
}

Result<void> check_role_assignment(const Caller& actor, std::int64_t target_id,
                                   const std::vector<Role>& roles, bool target_has_department) {
  if (auto ok = actor.require(Permission::kRoleGrant); !ok) return ok;
  if (actor.user_id == target_id) return fail(ErrorCode::kAuthOwnRoles);
  bool sanyuan = std::any_of(roles.begin(), roles.end(), is_sanyuan);
  if (sanyuan && roles.size() > 1) return fail(ErrorCode::kAuthSanyuanAlone);
  for (auto r : roles) {
    if (is_department_role(r) && !target_has_department) {
      return fail(ErrorCode::kAuthRoleNeedsDepartment, field("role", std::string(role_name(r))));
    }
  }
  return {};
}

Result<void> check_username(std::string_view username) {
  bool ok = username.size() >= 3 && username.size() <= 64;
  for (char c : username) {
    ok = ok &&
         ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-');
  }
  if (!ok) return fail(ErrorCode::kAuthUsernameInvalid);
  return {};
}

AuthService::AuthService(storage::Database& db, audit::AuditTrail& trail, const Clock& clock,
                         AuthSettings settings)
    : db_(db),
      trail_(trail),
      clock_(clock),
      settings_(settings),
      hasher_(settings.max_concurrent_hashes, settings.fast_hashing),
      journal_(clock) {}

audit::AuditEvent AuthService::event(const Caller& caller, std::string name,
                                     std::string detail_json) const {
  return audit::AuditEvent{
      .at = clock_.now(),
      .event = std::move(name),
      .actor_user_id = caller.user_id ? std::optional(caller.user_id) : std::nullopt,
      .actor = caller.username.empty() ? "cli" : caller.username,
      .remote_addr = caller.remote_addr,
      .method = {},
      .path = {},
      .status = 0,
      .code = {},
      .detail_json = std::move(detail_json),
      .request_id = caller.request_id};
}

Result<void> AuthService::account_act(Tx& tx, const Caller& caller, std::string name,
                                      const UserRecord& subject, const json& detail,
                                      const Origin* origin) {
  auto ev = event(caller, name, detail.dump());
  if (origin) {
    ev.method = origin->method;
    ev.path = origin->path;
  }
  XZZF_CHECK(trail_.append(tx, ev));
  json payload = detail;
  payload.erase("username");
  payload.erase("display_name");
  const auto& u = subject.user;
  XZZF_CHECK(journal_.record(
      tx,
      record::Act{
          .at = ev.at,
          .actor_user_id = caller.user_id > 0 ? std::optional(caller.user_id) : std::nullopt,
          .jurisdiction_id = subject.department_jurisdiction_id ? subject.department_jurisdiction_id
                                                                : u.jurisdiction_id,
          .department_id = u.department_id,
          .subject_type = "user",
          .subject_id = u.id,
          .action = std::move(name),
          .payload = std::move(payload)}));
  return {};
}

Result<UserRecord> AuthService::load_user(Tx& tx, std::int64_t id) {
  auto rec = repo::find_user(tx, id, clock_.now());
  if (!rec) return fail(rec.error());
  if (!*rec) return fail(ErrorCode::kAuthUserNotFound, field("id", id));
  return std::move(**rec);
}

Result<Caller> AuthService::load_caller(Tx& tx, std::int64_t user_id) {
  auto rec = load_user(tx, user_id);
  if (!rec) return fail(rec.error());
  const auto& u = rec->user;
  bool root = false;
  if (u.jurisdiction_id) {
    auto r = repo::jurisdiction_is_root(tx, *u.jurisdiction_id);
    if (!r) return fail(r.error());
    root = r->value_or(false);
  }
  std::optional<Error> failure;
  auto subtree = [&](std::int64_t j) -> std::set<std::int64_t> {
    auto ids = repo::jurisdiction_subtree(tx, j);
    if (!ids) {
      failure = ids.error();
      return {};
    }
    return *ids;
  };
  Caller c;
  c.user_id = u.id;
  c.username = u.username;
  c.display_name = u.display_name;
  c.roles = u.roles;
  c.department_id = u.department_id;
  c.jurisdiction_id = u.jurisdiction_id ? u.jurisdiction_id : rec->department_jurisdiction_id;
  c.scope = scope_for(u.roles, u.department_id, rec->department_jurisdiction_id, u.jurisdiction_id,
                      root, subtree);
  if (failure) return fail(*failure);
  c.must_change_password = u.must_change_password;
  return c;
}

// --- sessions ---------------------------------------------------------------

Result<LoginResult> AuthService::login(std::string_view username, std::string_view password,
                                       const Origin& origin) {
  const Instant now = clock_.now();
  struct State {
    std::optional<UserRecord> user;
    std::optional<LoginFailures> failures;
  };
  auto state = db_.read([&](Tx& tx) -> Result<State> {
    auto f = repo::login_failures(tx, username);
    if (!f) return fail(f.error());
    auto u = repo::find_user_by_name(tx, username, now);
    if (!u) return fail(u.error());
    return State{std::move(*u), *f};
  });
  if (!state) return fail(state.error());

  auto login_event = [&](std::string name, int status, std::string code, std::string detail) {
    return audit::AuditEvent{
        .at = now,
        .event = std::move(name),
        .actor_user_id = state->user ? std::optional(state->user->user.id) : std::nullopt,
        .actor = std::string(username.substr(0, 64)),
        .remote_addr = origin.remote_addr,
        .method = origin.method,
        .path = origin.path,
        .status = status,
        .code = std::move(code),
        .detail_json = std::move(detail),
        .request_id = origin.request_id};
  };
  auto minutes_left = [&](std::int64_t until) {
    return std::max<std::int64_t>(
        1, (until - now.micros + 60 * kMicrosPerSecond - 1) / (60 * kMicrosPerSecond));
  };

  if (state->failures && state->failures->locked_until_us &&
      *state->failures->locked_until_us > now.micros) {
    auto until = *state->failures->locked_until_us;
    hasher_.waste_one_verification(password);
    auto w = db_.write([&](Tx& tx) -> Result<bool> {
      auto a = trail_.append(tx, login_event("auth.locked", 401, "auth.locked", ""));
      if (!a) return fail(a.error());
      return true;
    });
    if (!w) return fail(w.error());
    return fail(ErrorCode::kAuthLocked, field("minutes", minutes_left(until)));
  }

  bool ok = false;
  const auto& user = state->user;
  if (user && user->password_hash && user->user.status == "active" && !user->user.is_service) {
    ok = hasher_.verify(*user->password_hash, password);
  } else {
    hasher_.waste_one_verification(password);
  }

  if (!ok) {
    LoginFailures f = state->failures.value_or(LoginFailures{});
    // A count older than the lockout window starts again.
    if (f.failures == 0 ||
        now.micros - f.first_failure_at_us >
            std::chrono::duration_cast<std::chrono::microseconds>(settings_.lockout).count()) {
      f = LoginFailures{.failures = 0, .first_failure_at_us = now.micros, .locked_until_us = {}};
    }
    f.failures += 1;
    bool locks = f.failures >= settings_.lockout_threshold;
    if (locks) {
      f.locked_until_us =
          now.micros +
          std::chrono::duration_cast<std::chrono::microseconds>(settings_.lockout).count();
    }
    auto w = db_.write([&](Tx& tx) -> Result<bool> {
      if (auto s = repo::save_login_failures(tx, username, f); !s) return fail(s.error());
      json detail = {{"failures", f.failures}};
      if (auto a = trail_.append(
              tx, login_event("auth.login_failed", 401, "auth.bad_credentials", detail.dump()));
          !a)
        return fail(a.error());
      if (locks) {
        if (auto a = trail_.append(tx, login_event("auth.locked", 401, "auth.locked", "")); !a)
          return fail(a.error());
      }
      return true;
    });
    if (!w) return fail(w.error());
    if (locks)
      return fail(ErrorCode::kAuthLocked, field("minutes", minutes_left(*f.locked_until_us)));
    return fail(ErrorCode::kAuthBadCredentials);
  }

  std::optional<std::string> rehash;
  if (hasher_.needs_rehash(*user->password_hash)) {
    auto h = hasher_.hash(password);
    if (h) rehash = *h;
  }
  bool expired = user->password_changed_at_us &&
                 now.micros - *user->password_changed_at_us >
                     std::int64_t{settings_.password_max_age_days} * 86400 * kMicrosPerSecond;
  std::string token = random_token();
  std::string csrf = random_token();
  auto result = db_.write([&](Tx& tx) -> Result<LoginResult> {
    std::int64_t uid = user->user.id;
    if (auto c = repo::clear_login_failures(tx, username); !c) return fail(c.error());
    if (rehash) {
      auto r = tx.exec("UPDATE users SET password_hash = ? WHERE id = ?", {*rehash, uid});
      if (!r) return fail(r.error());
    }
    if (expired && !user->user.must_change_password) {
      if (auto r = repo::set_must_change(tx, uid, true); !r) return fail(r.error());
    }
    auto sid = repo::insert_session(tx, sha256_hex(token), uid, csrf, origin.remote_addr, now);
    if (!sid) return fail(sid.error());
    auto caller = load_caller(tx, uid);
    if (!caller) return fail(caller.error());
    caller->session_id = *sid;
    caller->csrf_token = csrf;
    caller->remote_addr = origin.remote_addr;
    caller->request_id = origin.request_id;
    json detail = {{"session_id", *sid}};
    if (expired) detail["password_expired"] = true;
    if (auto a = trail_.append(tx, login_event("auth.login", 200, "", detail.dump())); !a)
      return fail(a.error());
    auto rec = load_user(tx, uid);
    if (!rec) return fail(rec.error());
    return LoginResult{token, std::move(*caller), std::move(rec->user)};
  });
  return result;
}

Result<Caller> AuthService::authenticate_session(std::string_view token) {
  const Instant now = clock_.now();
  std::string hash = sha256_hex(token);
  struct Found {
    SessionRecord session;
    std::optional<Caller> caller;
  };
  auto found = db_.read([&](Tx& tx) -> Result<std::optional<Found>> {
    auto s = repo::find_session(tx, hash);
    if (!s) return fail(s.error());
    if (!*s || (*s)->ended) return std::optional<Found>{};
    auto rec = repo::find_user(tx, (*s)->user_id, now);
    if (!rec) return fail(rec.error());
    if (!*rec || (*rec)->user.status != "active") return std::optional<Found>{};
    Found f{**s, std::nullopt};
    if (now.micros - f.session.last_seen_at_us <=
        std::chrono::duration_cast<std::chrono::microseconds>(settings_.idle_timeout).count()) {
      auto c = load_caller(tx, f.session.user_id);
      if (!c) return fail(c.error());
      f.caller = std::move(*c);
    }
    return std::optional<Found>{std::move(f)};
  });
  if (!found) return fail(found.error());
  if (!*found) return fail(ErrorCode::kAuthUnauthenticated);
  auto& f = **found;
  if (!f.caller) {
    auto w = db_.write([&](Tx& tx) -> Result<bool> {
      if (auto e = repo::end_session(tx, f.session.id, "idle", now); !e) return fail(e.error());
      return true;
    });
    if (!w) return fail(w.error());
    return fail(ErrorCode::kAuthUnauthenticated);
  }
  if (now.micros - f.session.last_seen_at_us >= kTouchInterval) {
    auto w = db_.write([&](Tx& tx) -> Result<bool> {
      if (auto t = repo::touch_session(tx, f.session.id, now); !t) return fail(t.error());
      return true;
    });
    if (!w) return fail(w.error());
  }
  f.caller->session_id = f.session.id;
  f.caller->csrf_token = f.session.csrf_token;
  return std::move(*f.caller);
}

Result<Caller> AuthService::authenticate_bearer(std::string_view token) {
  std::string hash = sha256_hex(token);
  auto caller = db_.read([&](Tx& tx) -> Result<std::optional<Caller>> {
    auto uid = repo::token_user(tx, hash);
    if (!uid) return fail(uid.error());
    if (!*uid) return std::optional<Caller>{};
    auto rec = repo::find_user(tx, **uid, clock_.now());
    if (!rec) return fail(rec.error());
    if (!*rec || (*rec)->user.status != "active" || !(*rec)->user.is_service)
      return std::optional<Caller>{};
    auto c = load_caller(tx, **uid);
    if (!c) return fail(c.error());
    return std::optional<Caller>{std::move(*c)};
  });
  if (!caller) return fail(caller.error());
  if (!*caller) return fail(ErrorCode::kAuthUnauthenticated);
  (*caller)->via_token = true;
  (*caller)->must_change_password = false;
  return std::move(**caller);
}

Result<void> AuthService::logout(const Caller& caller, const Origin& origin) {
  auto w = db_.write([&](Tx& tx) -> Result<bool> {
    if (caller.session_id != 0) {
      if (auto e = repo::end_session(tx, caller.session_id, "logout", clock_.now()); !e)
        return fail(e.error());
    }
    auto ev = event(caller, "auth.logout", json({{"session_id", caller.session_id}}).dump());
    ev.method = origin.method;
    ev.path = origin.path;
    if (auto a = trail_.append(tx, ev); !a) return fail(a.error());
    return true;
  });
  if (!w) return fail(w.error());
  return {};
}

Result<void> AuthService::change_password(const Caller& caller, std::string_view current,
                                          std::string_view next, const Origin& origin) {
  auto rec = db_.read([&](Tx& tx) { return load_user(tx, caller.user_id); });
  if (!rec) return fail(rec.error());
  if (!rec->password_hash || !hasher_.verify(*rec->password_hash, current)) {
    return fail(ErrorCode::kAuthCurrentPasswordWrong);
  }
  if (auto p = check_password_policy(settings_.policy, next, rec->user.username, current); !p)
    return p;
  auto hash = hasher_.hash(next);
  if (!hash) return fail(hash.error());
  auto w = db_.write([&](Tx& tx) -> Result<bool> {
    const Instant now = clock_.now();
    if (auto s = repo::set_password(tx, caller.user_id, *hash, false, now); !s)
      return fail(s.error());
    auto ended =
        repo::end_user_sessions(tx, caller.user_id, "password_changed", caller.session_id, now);
    if (!ended) return fail(ended.error());
    auto changed = load_user(tx, caller.user_id);
    if (!changed) return fail(changed.error());
    XZZF_CHECK(account_act(tx, caller, "auth.password_changed", *changed,
                           json{{"user_id", caller.user_id}, {"sessions_ended", *ended}}, &origin));
    return true;
  });
  if (!w) return fail(w.error());
  return {};
}

Result<User> AuthService::current_user(const Caller& caller) {
  auto rec = db_.read([&](Tx& tx) { return load_user(tx, caller.user_id); });
  if (!rec) return fail(rec.error());
  return std::move(rec->user);
}

// --- accounts ---------------------------------------------------------------

Result<Page<User>> AuthService::list_users(const Caller& caller, const UserQuery& q) {
  if (auto ok = caller.require(Permission::kUserRead); !ok) return fail(ok.error());
  return db_.read([&](Tx& tx) { return repo::list_users(tx, q, clock_.now()); });
}

Result<User> AuthService::get_user(const Caller& caller, std::int64_t id) {
  if (auto ok = caller.require(Permission::kUserRead); !ok) return fail(ok.error());
  auto rec = db_.read([&](Tx& tx) { return load_user(tx, id); });
  if (!rec) return fail(rec.error());
  return std::move(rec->user);
}

Result<std::pair<User, std::optional<std::string>>> AuthService::create_user(const Caller& caller,
                                                                             const NewUser& u) {
  if (auto ok = caller.require(Permission::kUserManage); !ok) return fail(ok.error());
  if (auto ok = check_username(u.username); !ok) return fail(ok.error());
  std::optional<std::string> password;
  std::optional<std::string> hash;
  if (!u.is_service) {
    password = generate_password();
    auto h = hasher_.hash(*password);
    if (!h) return fail(h.error());
    hash = *h;
  }
  auto user = db_.write([&](Tx& tx) -> Result<User> {
    if (u.department_id) {
      auto d = repo::find_department(tx, *u.department_id);
      if (!d) return fail(d.error());
      if (!*d)
        return fail(ErrorCode::kAuthDepartmentNotFound, field("department", *u.department_id));
    }
    if (u.jurisdiction_id) {
      auto j = repo::jurisdiction_is_root(tx, *u.jurisdiction_id);
      if (!j) return fail(j.error());
      if (!*j) return fail(ErrorCode::kAuthJurisdictionNotFound, field("id", *u.jurisdiction_id));
    }
    auto existing = repo::find_user_by_name(tx, u.username, clock_.now());
    if (!existing) return fail(existing.error());
    if (*existing) return fail(ErrorCode::kAuthUsernameTaken, field("username", u.username));
    auto id = repo::insert_user(tx, u, hash, true, clock_.now());
    if (!id) return fail(id.error());
    json detail = {{"user_id", *id},
                   {"username", u.username},
                   {"department_id", u.department_id ? json(*u.department_id) : json(nullptr)},
                   {"is_service", u.is_service}};
    auto rec = load_user(tx, *id);
    if (!rec) return fail(rec.error());
    XZZF_CHECK(account_act(tx, caller, "user.created", *rec, detail));
    return std::move(rec->user);
  });
  if (!user) return fail(user.error());
  return std::pair{std::move(*user), std::move(password)};
}

Result<User> AuthService::update_user(const Caller& caller, std::int64_t id,
                                      const UserChanges& changes) {
  if (auto ok = caller.require(Permission::kUserManage); !ok) return fail(ok.error());
  if (changes.status && *changes.status != "active" && *changes.status != "disabled") {
    return fail(ErrorCode::kAuthInvalidStatus, field("status", *changes.status));
  }
  if (id == caller.user_id && changes.status) {
    return fail(ErrorCode::kAuthOwnAccount, field("what", "状态"));
  }
  if (id == caller.user_id && changes.department_id) {
    return fail(ErrorCode::kAuthOwnAccount, field("what", "所属部门"));
  }
  return db_.write([&](Tx& tx) -> Result<User> {
    const Instant now = clock_.now();
    auto rec = load_user(tx, id);
    if (!rec) return fail(rec.error());
    User before = rec->user;
    std::string display = changes.display_name.value_or(before.display_name);
    auto department = changes.department_id ? *changes.department_id : before.department_id;
    std::string status = changes.status.value_or(before.status);
    if (department && department != before.department_id) {
      auto d = repo::find_department(tx, *department);
      if (!d) return fail(d.error());
      if (!*d) return fail(ErrorCode::kAuthDepartmentNotFound, field("department", *department));
    }
    if (!department) {
      for (auto r : before.roles) {
        if (is_department_role(r))
          return fail(ErrorCode::kAuthRoleNeedsDepartment,
                      field("role", std::string(role_name(r))));
      }
    }
    if (auto u = repo::update_user(tx, id, display, department, status, now); !u)
      return fail(u.error());
    bool disabling = status == "disabled" && before.status != "disabled";
    if (disabling) {
      if (auto e = repo::end_user_sessions(tx, id, "disabled", 0, now); !e) return fail(e.error());
    }
    json detail = {{"user_id", id},
                   {"username", before.username},
                   {"display_name", display},
                   {"department_id", department ? json(*department) : json(nullptr)},
                   {"status", status}};
    auto after = load_user(tx, id);
    if (!after) return fail(after.error());
    XZZF_CHECK(
        account_act(tx, caller, disabling ? "user.disabled" : "user.updated", *after, detail));
    return std::move(after->user);
  });
}

Result<std::string> AuthService::reset_password(const Caller& caller, std::int64_t id) {
  if (auto ok = caller.require(Permission::kUserManage); !ok) return fail(ok.error());
  if (id == caller.user_id)
    return fail(ErrorCode::kAuthOwnAccount, field("what", "密码（请使用修改密码）"));
  std::string password = generate_password();
  auto hash = hasher_.hash(password);
  if (!hash) return fail(hash.error());
  auto w = db_.write([&](Tx& tx) -> Result<bool> {
    const Instant now = clock_.now();
    auto rec = load_user(tx, id);
    if (!rec) return fail(rec.error());
    if (rec->user.is_service) return fail(ErrorCode::kAuthNotService);
    if (auto s = repo::set_password(tx, id, *hash, true, now); !s) return fail(s.error());
    if (auto e = repo::end_user_sessions(tx, id, "password_changed", 0, now); !e)
      return fail(e.error());
    json detail = {{"user_id", id}, {"username", rec->user.username}};
    XZZF_CHECK(account_act(tx, caller, "password.reset", *rec, detail));
    return true;
  });
  if (!w) return fail(w.error());
  return password;
}

Result<void> AuthService::unlock(const Caller& caller, std::int64_t id) {
  if (auto ok = caller.require(Permission::kUserManage); !ok) return fail(ok.error());
  auto w = db_.write([&](Tx& tx) -> Result<bool> {
    auto rec = load_user(tx, id);
    if (!rec) return fail(rec.error());
    if (auto c = repo::clear_login_failures(tx, rec->user.username); !c) return fail(c.error());
    json detail = {{"user_id", id}, {"username", rec->user.username}};
    XZZF_CHECK(account_act(tx, caller, "user.unlocked", *rec, detail));
    return true;
  });
  if (!w) return fail(w.error());
  return {};
}

Result<User> AuthService::set_roles(const Caller& caller, std::int64_t id,
                                    const std::vector<Role>& wanted) {
  if (auto ok = caller.require(Permission::kRoleGrant); !ok) return fail(ok.error());
  if (caller.user_id == id) return fail(ErrorCode::kAuthOwnRoles);
  std::vector<Role> roles = wanted;
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  return db_.write([&](Tx& tx) -> Result<User> {
    XZZF_CHECK(journal_.hold(tx));  // one act per role, with grants between them
    const Instant now = clock_.now();
    auto rec = load_user(tx, id);
    if (!rec) return fail(rec.error());
    if (auto ok = check_role_assignment(caller, id, roles, rec->user.department_id.has_value());
        !ok)
      return fail(ok.error());
    const auto& before = rec->user.roles;
    for (auto r : roles) {
      if (std::find(before.begin(), before.end(), r) != before.end()) continue;
      if (auto g = repo::grant_role(tx, id, r, caller.user_id, now); !g) return fail(g.error());
      json detail = {{"user_id", id}, {"username", rec->user.username}, {"role", role_code(r)}};
      XZZF_CHECK(account_act(tx, caller, "role.granted", *rec, detail));
    }
    for (auto r : before) {
      if (std::find(roles.begin(), roles.end(), r) != roles.end()) continue;
      if (auto g = repo::revoke_role(tx, id, r); !g) return fail(g.error());
      json detail = {{"user_id", id}, {"username", rec->user.username}, {"role", role_code(r)}};
      XZZF_CHECK(account_act(tx, caller, "role.revoked", *rec, detail));
    }
    auto after = load_user(tx, id);
    if (!after) return fail(after.error());
    return std::move(after->user);
  });
}

Result<std::pair<std::int64_t, std::string>> AuthService::create_token(const Caller& caller,
                                                                       std::int64_t user_id,
                                                                       std::string_view name) {
  if (auto ok = caller.require(Permission::kUserManage); !ok) return fail(ok.error());
  std::string token = random_token();
  return db_.write([&](Tx& tx) -> Result<std::pair<std::int64_t, std::string>> {
    auto rec = load_user(tx, user_id);
    if (!rec) return fail(rec.error());
    if (!rec->user.is_service) return fail(ErrorCode::kAuthNotService);
    auto id = repo::insert_token(tx, user_id, name, sha256_hex(token), clock_.now());
    if (!id) return fail(id.error());
    json detail = {
        {"user_id", user_id}, {"username", rec->user.username}, {"token_id", *id}, {"name", name}};
    XZZF_CHECK(account_act(tx, caller, "token.created", *rec, detail));
    return std::pair{*id, token};
  });
}

Result<void> AuthService::revoke_token(const Caller& caller, std::int64_t user_id,
                                       std::int64_t token_id) {
  if (auto ok = caller.require(Permission::kUserManage); !ok) return fail(ok.error());
  auto w = db_.write([&](Tx& tx) -> Result<bool> {
    auto done = repo::revoke_token(tx, user_id, token_id, clock_.now());
    if (!done) return fail(done.error());
    if (!*done) return fail(ErrorCode::kAuthTokenNotFound, field("id", token_id));
    auto rec = load_user(tx, user_id);
    if (!rec) return fail(rec.error());
    json detail = {{"user_id", user_id}, {"token_id", token_id}};
    XZZF_CHECK(account_act(tx, caller, "token.revoked", *rec, detail));
    return true;
  });
  if (!w) return fail(w.error());
  return {};
}

Result<Page<AuditItem>> AuthService::list_audit(const Caller& caller, const AuditQuery& q) {
  if (auto ok = caller.require(Permission::kAuditRead); !ok) return fail(ok.error());
  return db_.read([&](Tx& tx) { return repo::list_audit(tx, q); });
}

Result<std::optional<User>> AuthService::create_user_cli(const CliUser& u, bool skip_existing) {
  if (auto ok = check_username(u.username); !ok) return fail(ok.error());
  bool sanyuan = std::any_of(u.roles.begin(), u.roles.end(), is_sanyuan);
  if (sanyuan && u.roles.size() > 1) return fail(ErrorCode::kAuthSanyuanAlone);
  if (auto p = check_password_policy(settings_.policy, u.password, u.username); !p)
    return fail(p.error());
  auto exists = db_.read([&](Tx& tx) -> Result<bool> {
    auto e = repo::find_user_by_name(tx, u.username, clock_.now());
    if (!e) return fail(e.error());
    return e->has_value();
  });
  if (!exists) return fail(exists.error());
  if (*exists) {
    if (skip_existing) return std::optional<User>{};
    return fail(ErrorCode::kAuthUsernameTaken, field("username", u.username));
  }
  auto hash = hasher_.hash(u.password);
  if (!hash) return fail(hash.error());
  auto user = db_.write([&](Tx& tx) -> Result<User> {
    XZZF_CHECK(journal_.hold(tx));  // the account and its roles, several acts
    const Instant now = clock_.now();
    NewUser nu{.username = u.username, .display_name = u.display_name};
    if (u.department_code) {
      auto d = repo::find_department_by_code(tx, *u.department_code);
      if (!d) return fail(d.error());
      if (!*d)
        return fail(ErrorCode::kAuthDepartmentNotFound, field("department", *u.department_code));
      nu.department_id = (*d)->id;
    }
    if (u.jurisdiction_code) {
      auto j = repo::jurisdiction_by_code(tx, *u.jurisdiction_code);
      if (!j) return fail(j.error());
      if (!*j) return fail(ErrorCode::kAuthJurisdictionNotFound, field("id", *u.jurisdiction_code));
      nu.jurisdiction_id = *j;
    }
    for (auto r : u.roles) {
      if (is_department_role(r) && !nu.department_id)
        return fail(ErrorCode::kAuthRoleNeedsDepartment, field("role", std::string(role_name(r))));
    }
    auto id = repo::insert_user(tx, nu, *hash, u.must_change, now);
    if (!id) return fail(id.error());
    Caller operator_{};
    operator_.username = "cli";
    json detail = {{"user_id", *id}, {"username", u.username}, {"roles", roles_json(u.roles)}};
    auto created = load_user(tx, *id);
    if (!created) return fail(created.error());
    XZZF_CHECK(account_act(tx, operator_, "user.created", *created, detail));
    for (auto r : u.roles) {
      if (auto g = repo::grant_role(tx, *id, r, std::nullopt, now); !g) return fail(g.error());
      json rd = {{"user_id", *id}, {"username", u.username}, {"role", role_code(r)}};
      XZZF_CHECK(account_act(tx, operator_, "role.granted", *created, rd));
    }
    auto rec = load_user(tx, *id);
    if (!rec) return fail(rec.error());
    return std::move(rec->user);
  });
  if (!user) return fail(user.error());
  return std::optional<User>{std::move(*user)};
}

}  // namespace xzzf::auth
