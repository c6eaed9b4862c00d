// The fixed roles of DOMAIN.md and their permission sets.

#include <array>

#include "auth/caller.hpp"

namespace xzzf::auth {

namespace {

struct RoleInfo {
  Role role;
  std::string_view code;
  std::string_view name;
  bool sanyuan;
  bool department_bound;
  std::vector<Permission> permissions;
};

const std::vector<RoleInfo>& table() {
  using P = Permission;
  static const std::vector<RoleInfo> t = {
      {Role::kOfficer,
       "officer",
       "执法人员",
       false,
       true,
       {P::kOrgRead, P::kRuleRead, P::kLibraryRead, P::kPowerRead, P::kOfficerRead}},
      {Role::kDeptLeader,
       "dept_leader",
       "部门负责人",
       false,
       true,
       {P::kOrgRead, P::kRuleRead, P::kLibraryRead, P::kPowerRead, P::kOfficerRead}},
      {Role::kDeptAdmin,
       "dept_admin",
       "部门管理员",
       false,
       true,
       {P::kOrgRead, P::kAgencyManage, P::kSubjectPropose, P::kRuleRead, P::kLibraryRead,
        P::kPowerRead, P::kPowerEdit, P::kOfficerRead, P::kOfficerManage}},
      {Role::kLegalReviewer,
       "legal_reviewer",
       "法制审核人员",
       false,
       true,
       {P::kOrgRead, P::kRuleRead, P::kLibraryRead, P::kPowerRead}},
      {Role::kLegalOffice,
       "legal_office",
       "司法局执法监督人员",
       false,
       false,
       {P::kOrgRead, P::kOrgManage, P::kAgencyManage, P::kSubjectConfirm, P::kSubjectPropose,
        P::kRecordRead, P::kRecordVerify, P::kRuleRead, P::kRuleManage, P::kLibraryRead,
        P::kLibraryManage, P::kPowerRead, P::kPowerEdit, P::kPowerReview, P::kOfficerRead,
        P::kOfficerManage, P::kOfficerReveal, P::kCertificateReview}},
      {Role::kMonitor,
       "monitor",
       "监察审计人员",
       false,
       false,
       {P::kOrgRead, P::kRecordRead, P::kRuleRead, P::kLibraryRead, P::kPowerRead,
        P::kOfficerRead}},
      {Role::kSocialSupervisor,
       "social_supervisor",
       "社会监督员",
       false,
       false,
       {P::kOrgRead, P::kRuleRead, P::kLibraryRead, P::kPowerRead}},
      {Role::kSysadmin,
       "sysadmin",
       "系统管理员",
       true,
       false,
       {P::kOrgRead, P::kUserRead, P::kUserManage}},
      {Role::kSecadmin,
       "secadmin",
       "安全保密管理员",
       true,
       false,
       {P::kOrgRead, P::kUserRead, P::kRoleGrant}},
      {Role::kAuditor, "auditor", "安全审计员", true, false, {P::kAuditRead, P::kRecordVerify}},
  };
  return t;
}

const RoleInfo& info(Role r) {
  return table()[static_cast<std::size_t>(r)];
}

}  // namespace

std::string_view role_code(Role r) {
  return info(r).code;
}

std::optional<Role> parse_role(std::string_view code) {
  for (const auto& i : table()) {
    if (i.code == code) return i.role;
  }
  return std::nullopt;
}

std::string_view role_name(Role r) {
  return info(r).name;
}

bool is_sanyuan(Role r) {
  return info(r).sanyuan;
}

bool is_department_role(Role r) {
  return info(r).department_bound;
}

const std::vector<Role>& all_roles() {
  static const std::vector<Role> roles = [] {
    std::vector<Role> v;
    for (const auto& i : table()) v.push_back(i.role);
    return v;
  }();
  return roles;
}

const std::vector<Permission>& permissions_of(Role r) {
  return info(r).permissions;
}

std::string_view permission_code(Permission p) {
  static constexpr std::array<std::string_view, 22> codes = {
      "org.read",       "org.manage",        "agency.manage", "subject.propose", "subject.confirm",
      "user.read",      "user.manage",       "role.grant",    "audit.read",      "record.read",
      "record.verify",  "rule.read",         "rule.manage",   "library.read",    "library.manage",
      "power.read",     "power.edit",        "power.review",  "officer.read",    "officer.manage",
      "officer.reveal", "certificate.review"};
  return codes[static_cast<std::size_t>(p)];
}

}  // namespace xzzf::auth
