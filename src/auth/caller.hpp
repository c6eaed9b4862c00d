#pragma once

// Who is asking, and what they may see. A Caller is built by the auth guard
// from a session cookie or a bearer token for one request and handed to the
// route; services and repositories take it (or its Scope) on every call.
//
// Scope is the one place where jurisdiction and department visibility is
// decided: repositories never write their own visibility conditions, they ask
// the Scope for an SQL filter (lists) or a check (single objects). Values are
// plain data, safe to copy between threads.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "storage/database.hpp"

namespace xzzf::auth {

// The fixed roles of DOMAIN.md ("Who uses it"). `public` needs no account.
enum class Role : std::uint8_t {
  kOfficer,           // 执法人员
  kDeptLeader,        // 部门负责人
  kDeptAdmin,         // 部门法制科 / 管理员
  kLegalReviewer,     // 法制审核人员
  kLegalOffice,       // 司法局（行政执法协调监督）
  kMonitor,           // 监察、审计
  kSocialSupervisor,  // 社会监督员
  kSysadmin,          // 系统管理员（三员）
  kSecadmin,          // 安全保密管理员（三员）
  kAuditor,           // 安全审计员（三员）
};

// What a role may do. Roles map to fixed permission sets (auth/roles.cpp).
enum class Permission : std::uint8_t {
  kOrgRead,         // jurisdictions, departments, agencies, posts, subjects
  kOrgManage,       // jurisdictions and departments, their changes (机构改革)
  kAgencyManage,    // agencies and posts (of one's own department unless city-wide)
  kSubjectPropose,  // propose a 执法主体 for one's department
  kSubjectConfirm,  // confirm, revoke, publish 执法主体 (legal office)
  kUserRead,        // list and view accounts
  kUserManage,      // create, edit, disable, unlock accounts, reset passwords (sysadmin)
  kRoleGrant,       // grant and revoke roles (secadmin)
  kAuditRead,       // read the security audit trail (auditor)
  kRecordRead,      // browse the full-process record's entries and proofs (legal office, monitor)
  kRecordVerify,    // see the record's integrity and run its verification (auditor, legal office)
  kRuleRead,        // rule sets and the statutory calendar (every business role)
  kRuleManage,      // amend a rule, set a jurisdiction's own calendar days (legal office)
  kLibraryRead,     // the legal library: norms, versions, articles (every business role)
  kLibraryManage,   // import a norm's text, amend and repeal norms (legal office)
  kPowerRead,       // the power and responsibility list (every business role, scoped)
  kPowerEdit,       // write items of one's department, submit them, start an amendment
  kPowerReview,     // return, approve and publish items (legal office)
  kOfficerRead,     // officers, their training, exams and certificates (scoped; masked)
  kOfficerManage,   // enter officers of one's department, their posts and training; apply
  kOfficerReveal,   // see one officer's ID number and phone in full (audited)
  kCertificateReview,  // exam sessions and results, certificate review and actions (legal office)
};

[[nodiscard]] std::string_view role_code(Role r);  // "dept_admin"
[[nodiscard]] std::optional<Role> parse_role(std::string_view code);
[[nodiscard]] std::string_view role_name(Role r);  // "部门管理员"
// 三员: system, security and audit administrators, each held alone.
[[nodiscard]] bool is_sanyuan(Role r);
// Roles bound to one department (their Scope is that department).
[[nodiscard]] bool is_department_role(Role r);
[[nodiscard]] const std::vector<Role>& all_roles();
[[nodiscard]] const std::vector<Permission>& permissions_of(Role r);
[[nodiscard]] std::string_view permission_code(Permission p);  // "org.read"

// An SQL condition with its bound parameters, e.g. {"d.department_id = ?", {7}}
// or {"1 = 1", {}}. Always bound, never spliced.
struct SqlFilter {
  std::string sql;
  storage::Params params;
};

class Scope {
 public:
  enum class Kind : std::uint8_t {
    kAll,            // every jurisdiction and department of the deployment
    kJurisdictions,  // the caller's jurisdiction and those below it
    kDepartment,     // one department
    kNone,           // sees no department data (e.g. a 三员 account)
  };

  [[nodiscard]] static Scope all() { return Scope(Kind::kAll, {}, std::nullopt); }
  [[nodiscard]] static Scope jurisdictions(std::set<std::int64_t> ids) {
    return Scope(Kind::kJurisdictions, std::move(ids), std::nullopt);
  }
  [[nodiscard]] static Scope department(std::int64_t id, std::int64_t jurisdiction_id) {
    return Scope(Kind::kDepartment, {jurisdiction_id}, id);
  }
  [[nodiscard]] static Scope none() { return Scope(Kind::kNone, {}, std::nullopt); }

  [[nodiscard]] Kind kind() const { return kind_; }
  [[nodiscard]] std::optional<std::int64_t> department_id() const { return department_id_; }
  [[nodiscard]] const std::set<std::int64_t>& jurisdiction_ids() const { return jurisdictions_; }

  // For lists: restricts rows by their department and jurisdiction columns.
  [[nodiscard]] SqlFilter filter(std::string_view department_column,
                                 std::string_view jurisdiction_column) const;
  // For single objects: may the caller see an object of this department in this
  // jurisdiction? A refusal is kAuthOutOfScope (403); the guard logs it.
  [[nodiscard]] Result<void> check(std::optional<std::int64_t> department_id,
                                   std::int64_t jurisdiction_id) const;

 private:
  Scope(Kind kind, std::set<std::int64_t> jurisdictions, std::optional<std::int64_t> department)
      : kind_(kind), jurisdictions_(std::move(jurisdictions)), department_id_(department) {}

  Kind kind_;
  std::set<std::int64_t> jurisdictions_;
  std::optional<std::int64_t> department_id_;
};

struct Caller {
  std::int64_t user_id = 0;
  std::string username;
  std::string display_name;
  std::vector<Role> roles;
  std::optional<std::int64_t> department_id;
  // The account's jurisdiction, else its department's; empty for an account
  // of the whole deployment.
  std::optional<std::int64_t> jurisdiction_id;
  Scope scope = Scope::none();
  bool via_token = false;             // a service account's bearer token, not a browser session
  std::int64_t session_id = 0;        // the browser session; 0 for a bearer token
  std::string csrf_token;             // of that session
  bool must_change_password = false;  // only the session routes work until it is changed
  std::string remote_addr;
  std::string request_id;

  [[nodiscard]] bool has(Permission p) const;
  // auth.forbidden, naming the permission, unless the caller has it: the
  // check every service runs itself (defence in depth behind the guard).
  [[nodiscard]] Result<void> require(Permission p) const;
  [[nodiscard]] bool has_role(Role r) const;
  // The account that acts, for actor columns and the record; none for the
  // system itself (user id 0).
  [[nodiscard]] std::optional<std::int64_t> actor() const {
    return user_id != 0 ? std::optional<std::int64_t>(user_id) : std::nullopt;
  }
};

}  // namespace xzzf::auth
