#pragma once

// The rules of accounts and sessions: login with lockout, sessions with idle
// timeout, passwords and their policy, the 三员 separation of duties, roles
// and the Scope of a caller. No SQL (repository.hpp) and no HTTP (routes.hpp).
// Every administrative act is written to the audit trail in the transaction
// that makes it. Thread-safe.

#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "audit/trail.hpp"
#include "auth/model.hpp"
#include "auth/password.hpp"
#include "core/config.hpp"
#include "record/journal.hpp"
#include "storage/database.hpp"

namespace xzzf::auth {

struct AuthSettings {
  int lockout_threshold = 5;
  std::chrono::minutes lockout{30};
  std::chrono::seconds idle_timeout{30 * 60};
  PasswordPolicy policy;
  int password_max_age_days = 90;
  bool cookie_secure = false;
  int max_concurrent_hashes = 2;
  bool fast_hashing = false;

  [[nodiscard]] static AuthSettings from(const Config& config);
};

// The Scope of an account with these roles, department and jurisdiction
// (`subtree` lists a jurisdiction and those below it). The widest scope of the
// roles wins: 三员 and accounts at the deployment root see everything,
// legal_office, monitor and social_supervisor their jurisdiction's subtree,
// the department roles their department.
[[nodiscard]] Scope scope_for(const std::vector<Role>& roles,
                              std::optional<std::int64_t> department_id,
                              std::optional<std::int64_t> department_jurisdiction_id,
                              std::optional<std::int64_t> jurisdiction_id,
                              bool jurisdiction_is_root,
                              const std::function<std::set<std::int64_t>(std::int64_t)>& subtree);

// May `actor` give `target_id` exactly these roles? 403 auth.own_roles for
// oneself, 400 auth.sanyuan_alone when a 三员 role is not alone, 400
// auth.role_needs_department for a department role without a department.
[[nodiscard]] Result<void> check_role_assignment(const Caller& actor, std::int64_t target_id,
                                                 const std::vector<Role>& roles,
                                                 bool target_has_department);

[[nodiscard]] Result<void> check_username(std::string_view username);

struct LoginResult {
  std::string session_token;  // the cookie value; only its hash is stored
  Caller caller;
  User user;
};

class AuthService {
 public:
  AuthService(storage::Database& db, audit::AuditTrail& trail, const Clock& clock,
              AuthSettings settings);

  [[nodiscard]] const AuthSettings& settings() const { return settings_; }

  // Sessions.
  [[nodiscard]] Result<LoginResult> login(std::string_view username, std::string_view password,
                                          const Origin& origin);
  [[nodiscard]] Result<Caller> authenticate_session(std::string_view token);
  [[nodiscard]] Result<Caller> authenticate_bearer(std::string_view token);
  [[nodiscard]] Result<void> logout(const Caller& caller, const Origin& origin);
  [[nodiscard]] Result<void> change_password(const Caller& caller, std::string_view current,
                                             std::string_view next, const Origin& origin);
  [[nodiscard]] Result<User> current_user(const Caller& caller);

  // Accounts (user.read / user.manage / role.grant / audit.read, checked here too).
  [[nodiscard]] Result<Page<User>> list_users(const Caller& caller, const UserQuery& q);
  [[nodiscard]] Result<User> get_user(const Caller& caller, std::int64_t id);
  // The initial password is generated and returned once (none for service accounts).
  [[nodiscard]] Result<std::pair<User, std::optional<std::string>>> create_user(
      const Caller& caller, const NewUser& u);
  [[nodiscard]] Result<User> update_user(const Caller& caller, std::int64_t id,
                                         const UserChanges& changes);
  [[nodiscard]] Result<std::string> reset_password(const Caller& caller, std::int64_t id);
  [[nodiscard]] Result<void> unlock(const Caller& caller, std::int64_t id);
  [[nodiscard]] Result<User> set_roles(const Caller& caller, std::int64_t id,
                                       const std::vector<Role>& roles);
  [[nodiscard]] Result<std::pair<std::int64_t, std::string>> create_token(const Caller& caller,
                                                                          std::int64_t user_id,
                                                                          std::string_view name);
  [[nodiscard]] Result<void> revoke_token(const Caller& caller, std::int64_t user_id,
                                          std::int64_t token_id);
  [[nodiscard]] Result<Page<AuditItem>> list_audit(const Caller& caller, const AuditQuery& q);

  // The command line (`xzzf user create`, `xzzf demo`): an operator, no caller.
  // `must_change` false keeps the operator's password. The policy applies.
  struct CliUser {
    std::string username;
    std::string display_name;
    std::vector<Role> roles;
    std::optional<std::string> department_code;
    std::optional<std::string> jurisdiction_code;
    std::string password;
    bool must_change = false;
  };
  // nullopt when the user name exists already and `skip_existing` is set.
  [[nodiscard]] Result<std::optional<User>> create_user_cli(const CliUser& u, bool skip_existing);

 private:
  [[nodiscard]] Result<Caller> load_caller(storage::Tx& tx, std::int64_t user_id);
  [[nodiscard]] Result<UserRecord> load_user(storage::Tx& tx, std::int64_t id);
  [[nodiscard]] audit::AuditEvent event(const Caller& caller, std::string name,
                                        std::string detail_json) const;
  // An administrative act on the account `subject`, in `tx`: on the record
  // (record::Journal; names and other personal fields left out of the entry)
  // and, for the auditor who watches the 三员, in the audit trail.
  [[nodiscard]] Result<void> account_act(storage::Tx& tx, const Caller& caller, std::string name,
                                         const UserRecord& subject, const nlohmann::json& detail,
                                         const Origin* origin = nullptr);

  storage::Database& db_;
  audit::AuditTrail& trail_;
  const Clock& clock_;
  AuthSettings settings_;
  PasswordHasher hasher_;
  record::Journal journal_;
};

}  // namespace xzzf::auth
