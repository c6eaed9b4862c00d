#include "auth/repository.hpp"

#include <fmt/format.h>

namespace xzzf::auth::repo {

namespace {

constexpr std::string_view kUserSelect =
    "SELECT u.id, u.username, u.display_name, u.department_id, d.name, u.jurisdiction_id, "
    "d.jurisdiction_id, u.status, u.must_change_password, u.is_service, u.password_hash, "
    "u.password_changed_at_us, lf.locked_until_us "
    "FROM users u LEFT JOIN departments d ON d.id = u.department_id "
    "LEFT JOIN login_failures lf ON lf.username = u.username ";

UserRecord user_from_row(const storage::Row& r, Instant now) {
  UserRecord rec;
  auto& u = rec.user;
  u.id = r.i64(0);
  u.username = r.text(1);
  u.display_name = r.text(2);
  u.department_id = r.opt_i64(3);
  u.department_name = r.opt_text(4);
  u.jurisdiction_id = r.opt_i64(5);
  rec.department_jurisdiction_id = r.opt_i64(6);
  if (!u.jurisdiction_id) u.jurisdiction_id = rec.department_jurisdiction_id;
  u.status = r.text(7);
  u.must_change_password = r.i64(8) != 0;
  u.is_service = r.i64(9) != 0;
  rec.password_hash = r.opt_text(10);
  rec.password_changed_at_us = r.opt_i64(11);
  auto locked_until = r.opt_i64(12);
  u.locked = locked_until && *locked_until > now.micros;
  return rec;
}

Result<std::optional<UserRecord>> one_user(Tx& tx, std::string_view where, const storage::Params& p,
                                           Instant now) {
  auto row = tx.query_one(fmt::format("{}{}", kUserSelect, where), p);
  if (!row) return fail(row.error());
  if (!*row) return std::optional<UserRecord>{};
  auto rec = user_from_row(**row, now);
  auto roles = roles_of(tx, rec.user.id);
  if (!roles) return fail(roles.error());
  rec.user.roles = std::move(*roles);
  return std::optional<UserRecord>{std::move(rec)};
}

}  // namespace

Result<std::optional<UserRecord>> find_user(Tx& tx, std::int64_t id, Instant now) {
  return one_user(tx, "WHERE u.id = ?", {id}, now);
}

Result<std::optional<UserRecord>> find_user_by_name(Tx& tx, std::string_view username,
                                                    Instant now) {
  return one_user(tx, "WHERE u.username = ?", {username}, now);
}

Result<Page<User>> list_users(Tx& tx, const UserQuery& q, Instant now) {
  std::string where = "WHERE 1 = 1";
  storage::Params params;
  if (q.q && !q.q->empty()) {
    where += " AND (u.username LIKE ? ESCAPE '\\' OR u.display_name LIKE ? ESCAPE '\\')";
    params.emplace_back(storage::like_contains(*q.q));
    params.emplace_back(storage::like_contains(*q.q));
  }
  if (q.department_id) {
    where += " AND u.department_id = ?";
    params.emplace_back(*q.department_id);
  }
  auto count = tx.query_one(fmt::format("SELECT COUNT(*) FROM users u {}", where), params);
  if (!count) return fail(count.error());
  Page<User> page;
  page.total = (*count)->i64(0);
  auto list_params = params;
  list_params.emplace_back(q.page.page_size);
  list_params.emplace_back(q.page.offset());
  auto rows = tx.query(fmt::format("{}{} ORDER BY u.username LIMIT ? OFFSET ?", kUserSelect, where),
                       list_params);
  if (!rows) return fail(rows.error());
  for (const auto& r : *rows) {
    auto rec = user_from_row(r, now);
    auto roles = roles_of(tx, rec.user.id);
    if (!roles) return fail(roles.error());
    rec.user.roles = std::move(*roles);
    page.items.push_back(std::move(rec.user));
  }
  return page;
}

Result<std::int64_t> insert_user(Tx& tx, const NewUser& u,
                                 const std::optional<std::string>& password_hash,
                                 bool must_change_password, Instant now) {
  return tx.insert(
      "INSERT INTO users (username, display_name, password_hash, must_change_password, "
      "password_changed_at_us, department_id, jurisdiction_id, is_service, status, "
      "created_at_us, updated_at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)",
      {u.username, u.display_name, password_hash, must_change_password,
       password_hash ? storage::Value(now.micros) : storage::Value(), u.department_id,
       u.jurisdiction_id, u.is_service, now.micros, now.micros});
}

Result<void> update_user(Tx& tx, std::int64_t id, const std::string& display_name,
                         std::optional<std::int64_t> department_id, const std::string& status,
                         Instant now) {
  auto r = tx.exec(
      "UPDATE users SET display_name = ?, department_id = ?, status = ?, updated_at_us = ? "
      "WHERE id = ?",
      {display_name, department_id, status, now.micros, id});
  if (!r) return fail(r.error());
  return {};
}

Result<void> set_password(Tx& tx, std::int64_t id, const std::string& hash, bool must_change,
                          Instant now) {
  auto r = tx.exec(
      "UPDATE users SET password_hash = ?, must_change_password = ?, password_changed_at_us = ?, "
      "updated_at_us = ? WHERE id = ?",
      {hash, must_change, now.micros, now.micros, id});
  if (!r) return fail(r.error());
  return {};
}

Result<void> set_must_change(Tx& tx, std::int64_t id, bool must_change) {
  auto r = tx.exec("UPDATE users SET must_change_password = ? WHERE id = ?", {must_change, id});
  if (!r) return fail(r.error());
  return {};
}

Result<std::vector<Role>> roles_of(Tx& tx, std::int64_t user_id) {
  auto rows = tx.query("SELECT role FROM user_roles WHERE user_id = ?", {user_id});
  if (!rows) return fail(rows.error());
  std::vector<Role> roles;
  for (const auto& r : *rows) {
    if (auto role = parse_role(r.text(0))) roles.push_back(*role);
  }
  std::sort(roles.begin(), roles.end());
  return roles;
}

Result<void> grant_role(Tx& tx, std::int64_t user_id, Role role, std::optional<std::int64_t> by,
                        Instant now) {
  auto r = tx.exec(
      "INSERT INTO user_roles (user_id, role, granted_by, granted_at_us) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (user_id, role) DO NOTHING",
      {user_id, role_code(role), by, now.micros});
  if (!r) return fail(r.error());
  return {};
}

Result<void> revoke_role(Tx& tx, std::int64_t user_id, Role role) {
  auto r =
      tx.exec("DELETE FROM user_roles WHERE user_id = ? AND role = ?", {user_id, role_code(role)});
  if (!r) return fail(r.error());
  return {};
}

Result<std::optional<LoginFailures>> login_failures(Tx& tx, std::string_view username) {
  auto row = tx.query_one(
      "SELECT failures, first_failure_at_us, locked_until_us FROM login_failures WHERE username = "
      "?",
      {username});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<LoginFailures>{};
  return std::optional<LoginFailures>{LoginFailures{.failures = static_cast<int>((*row)->i64(0)),
                                                    .first_failure_at_us = (*row)->i64(1),
                                                    .locked_until_us = (*row)->opt_i64(2)}};
}

Result<void> save_login_failures(Tx& tx, std::string_view username, const LoginFailures& f) {
  auto r = tx.exec(
      "INSERT INTO login_failures (username, failures, first_failure_at_us, locked_until_us) "
      "VALUES (?, ?, ?, ?) ON CONFLICT (username) DO UPDATE SET failures = excluded.failures, "
      "first_failure_at_us = excluded.first_failure_at_us, "
      "locked_until_us = excluded.locked_until_us",
      {username, f.failures, f.first_failure_at_us, f.locked_until_us});
  if (!r) return fail(r.error());
  return {};
}

Result<void> clear_login_failures(Tx& tx, std::string_view username) {
  auto r = tx.exec("DELETE FROM login_failures WHERE username = ?", {username});
  if (!r) return fail(r.error());
  return {};
}

Result<std::int64_t> insert_session(Tx& tx, std::string_view token_hash, std::int64_t user_id,
                                    std::string_view csrf, std::string_view remote_addr,
                                    Instant now) {
  return tx.insert(
      "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at_us, last_seen_at_us, "
      "remote_addr) VALUES (?, ?, ?, ?, ?, ?)",
      {token_hash, user_id, csrf, now.micros, now.micros, remote_addr});
}

Result<std::optional<SessionRecord>> find_session(Tx& tx, std::string_view token_hash) {
  auto row = tx.query_one(
      "SELECT id, user_id, csrf_token, last_seen_at_us, ended_at_us FROM sessions "
      "WHERE token_hash = ?",
      {token_hash});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<SessionRecord>{};
  const auto& r = **row;
  return std::optional<SessionRecord>{SessionRecord{.id = r.i64(0),
                                                    .user_id = r.i64(1),
                                                    .csrf_token = r.text(2),
                                                    .last_seen_at_us = r.i64(3),
                                                    .ended = !r.is_null(4)}};
}

Result<void> touch_session(Tx& tx, std::int64_t id, Instant now) {
  auto r = tx.exec("UPDATE sessions SET last_seen_at_us = ? WHERE id = ? AND ended_at_us IS NULL",
                   {now.micros, id});
  if (!r) return fail(r.error());
  return {};
}

Result<void> end_session(Tx& tx, std::int64_t id, std::string_view reason, Instant now) {
  auto r = tx.exec(
      "UPDATE sessions SET ended_at_us = ?, end_reason = ? WHERE id = ? AND ended_at_us IS NULL",
      {now.micros, reason, id});
  if (!r) return fail(r.error());
  return {};
}

Result<std::int64_t> end_user_sessions(Tx& tx, std::int64_t user_id, std::string_view reason,
                                       std::int64_t keep, Instant now) {
  return tx.exec(
      "UPDATE sessions SET ended_at_us = ?, end_reason = ? "
      "WHERE user_id = ? AND id <> ? AND ended_at_us IS NULL",
      {now.micros, reason, user_id, keep});
}

Result<std::int64_t> insert_token(Tx& tx, std::int64_t user_id, std::string_view name,
                                  std::string_view token_hash, Instant now) {
  return tx.insert(
      "INSERT INTO api_tokens (user_id, name, token_hash, created_at_us) VALUES (?, ?, ?, ?)",
      {user_id, name, token_hash, now.micros});
}

Result<std::optional<std::int64_t>> token_user(Tx& tx, std::string_view token_hash) {
  auto row =
      tx.query_one("SELECT user_id FROM api_tokens WHERE token_hash = ? AND revoked_at_us IS NULL",
                   {token_hash});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{(*row)->i64(0)};
}

Result<bool> revoke_token(Tx& tx, std::int64_t user_id, std::int64_t token_id, Instant now) {
  auto r = tx.exec(
      "UPDATE api_tokens SET revoked_at_us = ? WHERE id = ? AND user_id = ? "
      "AND revoked_at_us IS NULL",
      {now.micros, token_id, user_id});
  if (!r) return fail(r.error());
  return *r > 0;
}

namespace {
Result<std::optional<DepartmentRef>> one_department(Tx& tx, std::string_view where,
                                                    const storage::Params& p) {
  auto row = tx.query_one(
      fmt::format("SELECT id, jurisdiction_id, name FROM departments WHERE {}", where), p);
  if (!row) return fail(row.error());
  if (!*row) return std::optional<DepartmentRef>{};
  return std::optional<DepartmentRef>{
      DepartmentRef{(*row)->i64(0), (*row)->i64(1), (*row)->text(2)}};
}
}  // namespace

Result<std::optional<DepartmentRef>> find_department(Tx& tx, std::int64_t id) {
  return one_department(tx, "id = ?", {id});
}

Result<std::optional<DepartmentRef>> find_department_by_code(Tx& tx, std::string_view code) {
  return one_department(tx, "code = ?", {code});
}

Result<std::optional<bool>> jurisdiction_is_root(Tx& tx, std::int64_t id) {
  auto row = tx.query_one("SELECT parent_id FROM jurisdictions WHERE id = ?", {id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<bool>{};
  return std::optional<bool>{(*row)->is_null(0)};
}

Result<std::optional<std::int64_t>> jurisdiction_by_code(Tx& tx, std::string_view code) {
  auto row = tx.query_one("SELECT id FROM jurisdictions WHERE code = ?", {code});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{(*row)->i64(0)};
}

Result<std::set<std::int64_t>> jurisdiction_subtree(Tx& tx, std::int64_t id) {
  auto rows = tx.query(
      "WITH RECURSIVE sub (id) AS (SELECT id FROM jurisdictions WHERE id = ? "
      "UNION ALL SELECT j.id FROM jurisdictions j JOIN sub ON j.parent_id = sub.id) "
      "SELECT id FROM sub",
      {id});
  if (!rows) return fail(rows.error());
  std::set<std::int64_t> ids;
  for (const auto& r : *rows) ids.insert(r.i64(0));
  return ids;
}

Result<Page<AuditItem>> list_audit(Tx& tx, const AuditQuery& q) {
  std::string where = "WHERE 1 = 1";
  storage::Params params;
  if (q.event) {
    where += " AND event = ?";
    params.emplace_back(*q.event);
  }
  if (q.actor) {
    where += " AND actor = ?";
    params.emplace_back(*q.actor);
  }
  if (q.from) {
    where += " AND at_us >= ?";
    params.emplace_back(q.from->micros);
  }
  if (q.to) {
    where += " AND at_us < ?";
    params.emplace_back(q.to->micros);
  }
  auto count = tx.query_one(fmt::format("SELECT COUNT(*) FROM audit_events {}", where), params);
  if (!count) return fail(count.error());
  Page<AuditItem> page;
  page.total = (*count)->i64(0);
  params.emplace_back(q.page.page_size);
  params.emplace_back(q.page.offset());
  auto rows = tx.query(
      fmt::format("SELECT id, at_us, event, actor, remote_addr, method, path, status, code, "
                  "detail FROM audit_events {} ORDER BY at_us DESC, id DESC LIMIT ? OFFSET ?",
                  where),
      params);
  if (!rows) return fail(rows.error());
  for (const auto& r : *rows) {
    page.items.push_back(AuditItem{.id = r.i64(0),
                                   .at = Instant{r.i64(1)},
                                   .event = r.text(2),
                                   .actor = r.text(3),
                                   .remote_addr = r.opt_text(4),
                                   .method = r.opt_text(5),
                                   .path = r.opt_text(6),
                                   .status = r.opt_i64(7),
                                   .code = r.opt_text(8),
                                   .detail = r.opt_text(9)});
  }
  return page;
}

}  // namespace xzzf::auth::repo
