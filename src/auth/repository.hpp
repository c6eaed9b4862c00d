#pragma once

// The SQL of auth/: accounts, roles, sessions, tokens, login failures, the
// jurisdiction tree as far as scopes need it, and reading the audit trail.
// Every function runs inside the caller's transaction.

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "auth/model.hpp"
#include "storage/database.hpp"

namespace xzzf::auth::repo {

using storage::Tx;

[[nodiscard]] Result<std::optional<UserRecord>> find_user(Tx& tx, std::int64_t id, Instant now);
[[nodiscard]] Result<std::optional<UserRecord>> find_user_by_name(Tx& tx, std::string_view username,
                                                                  Instant now);
[[nodiscard]] Result<Page<User>> list_users(Tx& tx, const UserQuery& q, Instant now);
[[nodiscard]] Result<std::int64_t> insert_user(Tx& tx, const NewUser& u,
                                               const std::optional<std::string>& password_hash,
                                               bool must_change_password, Instant now);
[[nodiscard]] Result<void> update_user(Tx& tx, std::int64_t id, const std::string& display_name,
                                       std::optional<std::int64_t> department_id,
                                       const std::string& status, Instant now);
[[nodiscard]] Result<void> set_password(Tx& tx, std::int64_t id, const std::string& hash,
                                        bool must_change, Instant now);
[[nodiscard]] Result<void> set_must_change(Tx& tx, std::int64_t id, bool must_change);
[[nodiscard]] Result<std::vector<Role>> roles_of(Tx& tx, std::int64_t user_id);
[[nodiscard]] Result<void> grant_role(Tx& tx, std::int64_t user_id, Role role,
                                      std::optional<std::int64_t> by, Instant now);
[[nodiscard]] Result<void> revoke_role(Tx& tx, std::int64_t user_id, Role role);

[[nodiscard]] Result<std::optional<LoginFailures>> login_failures(Tx& tx,
                                                                  std::string_view username);
[[nodiscard]] Result<void> save_login_failures(Tx& tx, std::string_view username,
                                               const LoginFailures& f);
[[nodiscard]] Result<void> clear_login_failures(Tx& tx, std::string_view username);

[[nodiscard]] Result<std::int64_t> insert_session(Tx& tx, std::string_view token_hash,
                                                  std::int64_t user_id, std::string_view csrf,
                                                  std::string_view remote_addr, Instant now);
[[nodiscard]] Result<std::optional<SessionRecord>> find_session(Tx& tx,
                                                                std::string_view token_hash);
[[nodiscard]] Result<void> touch_session(Tx& tx, std::int64_t id, Instant now);
[[nodiscard]] Result<void> end_session(Tx& tx, std::int64_t id, std::string_view reason,
                                       Instant now);
// Ends every open session of a user except `keep` (0: none kept).
[[nodiscard]] Result<std::int64_t> end_user_sessions(Tx& tx, std::int64_t user_id,
                                                     std::string_view reason, std::int64_t keep,
                                                     Instant now);

[[nodiscard]] Result<std::int64_t> insert_token(Tx& tx, std::int64_t user_id, std::string_view name,
                                                std::string_view token_hash, Instant now);
// The user of an unrevoked token.
[[nodiscard]] Result<std::optional<std::int64_t>> token_user(Tx& tx, std::string_view token_hash);
[[nodiscard]] Result<bool> revoke_token(Tx& tx, std::int64_t user_id, std::int64_t token_id,
                                        Instant now);

struct DepartmentRef {
  std::int64_t id = 0;
  std::int64_t jurisdiction_id = 0;
  std::string name;
};
[[nodiscard]] Result<std::optional<DepartmentRef>> find_department(Tx& tx, std::int64_t id);
[[nodiscard]] Result<std::optional<DepartmentRef>> find_department_by_code(Tx& tx,
                                                                           std::string_view code);
// nullopt: no such jurisdiction; else whether it is a root (no parent).
[[nodiscard]] Result<std::optional<bool>> jurisdiction_is_root(Tx& tx, std::int64_t id);
[[nodiscard]] Result<std::optional<std::int64_t>> jurisdiction_by_code(Tx& tx,
                                                                       std::string_view code);
// A jurisdiction and every one below it.
[[nodiscard]] Result<std::set<std::int64_t>> jurisdiction_subtree(Tx& tx, std::int64_t id);

[[nodiscard]] Result<Page<AuditItem>> list_audit(Tx& tx, const AuditQuery& q);

}  // namespace xzzf::auth::repo
