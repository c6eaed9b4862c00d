// Rules of auth/ that need no database: password policy, tokens, roles and
// permissions, Scope filter/check, the scope of a caller, role assignment.

#include <gtest/gtest.h>

#include "auth/caller.hpp"
#include "auth/password.hpp"
#include "auth/service.hpp"

namespace xzzf::auth {
namespace {

TEST(PasswordPolicy, AcceptsAStrongPassword) {
  EXPECT_TRUE(check_password_policy({}, "Correct-Horse-9", "zhang"));
  EXPECT_TRUE(check_password_policy({}, "执法监督平台abcdEF12", "zhang"));  // CJK counts as other
}

TEST(PasswordPolicy, SaysWhatIsMissing) {
  auto short_pw = check_password_policy({}, "Ab1-", "zhang");
  ASSERT_FALSE(short_pw);
  EXPECT_EQ(short_pw.error().code, ErrorCode::kAuthPasswordPolicy);
  EXPECT_NE(short_pw.error().message.find("12"), std::string::npos);

  auto two_classes = check_password_policy({}, "abcdefghijkl1", "zhang");
  ASSERT_FALSE(two_classes);
  EXPECT_NE(two_classes.error().message.find("大写字母"), std::string::npos);
  EXPECT_NE(two_classes.error().message.find("其他符号"), std::string::npos);
}

TEST(PasswordPolicy, LengthCountsCharactersNotBytes) {
  // 11 characters, 3 classes, but more than 12 bytes.
  EXPECT_FALSE(check_password_policy({}, "执法执法执法Ab1cd", "x"));
  EXPECT_TRUE(check_password_policy({.min_length = 11}, "执法执法执法Ab1cd", "x"));
}

TEST(PasswordPolicy, NotTheUserNameNorTheCurrentPassword) {
  EXPECT_FALSE(check_password_policy({}, "Zhang.San.2026", "Zhang.San.2026"));
  auto same =
      check_password_policy({}, "Zhang.San.2026", "zhang", std::string_view("Zhang.San.2026"));
  ASSERT_FALSE(same);
  EXPECT_NE(same.error().message.find("当前密码"), std::string::npos);
}

TEST(PasswordPolicy, GeneratedPasswordsPass) {
  for (int i = 0; i < 50; ++i) {
    auto pw = generate_password();
    EXPECT_TRUE(check_password_policy({.min_length = 16}, pw, "user")) << pw;
  }
}

TEST(Tokens, RandomHashedComparedInConstantTime) {
  auto a = random_token();
  auto b = random_token();
  EXPECT_EQ(a.size(), 43U);  // 32 bytes, base64url without padding
  EXPECT_NE(a, b);
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(constant_time_equal(a, a));
  EXPECT_FALSE(constant_time_equal(a, b));
  EXPECT_FALSE(constant_time_equal(a, a.substr(1)));
  EXPECT_FALSE(constant_time_equal("", ""));
}

TEST(Hasher, HashesVerifiesAndSaysWhenToRehash) {
  PasswordHasher fast(2, true);
  auto h = fast.hash("Correct-Horse-9");
  ASSERT_TRUE(h);
  EXPECT_TRUE(h->starts_with("$argon2id$"));
  EXPECT_TRUE(fast.verify(*h, "Correct-Horse-9"));
  EXPECT_FALSE(fast.verify(*h, "Correct-Horse-8"));
  EXPECT_FALSE(fast.needs_rehash(*h));
  PasswordHasher normal(2, false);
  EXPECT_TRUE(normal.needs_rehash(*h));
  EXPECT_FALSE(fast.verify("not a hash", "x"));
}

TEST(Roles, CodesNamesAndPermissions) {
  EXPECT_EQ(all_roles().size(), 10U);
  for (auto r : all_roles()) {
    EXPECT_EQ(parse_role(role_code(r)), r);
    EXPECT_FALSE(role_name(r).empty());
  }
  EXPECT_FALSE(parse_role("root"));
  EXPECT_TRUE(is_sanyuan(Role::kSysadmin));
  EXPECT_TRUE(is_sanyuan(Role::kAuditor));
  EXPECT_FALSE(is_sanyuan(Role::kLegalOffice));
  EXPECT_TRUE(is_department_role(Role::kOfficer));
  EXPECT_FALSE(is_department_role(Role::kMonitor));
  EXPECT_EQ(permission_code(Permission::kAuditRead), "audit.read");

  Caller sys{.roles = {Role::kSysadmin}};
  EXPECT_TRUE(sys.has(Permission::kUserManage));
  EXPECT_FALSE(sys.has(Permission::kRoleGrant));
  EXPECT_FALSE(sys.has(Permission::kAuditRead));
  Caller sec{.roles = {Role::kSecadmin}};
  EXPECT_TRUE(sec.has(Permission::kRoleGrant));
  EXPECT_FALSE(sec.has(Permission::kUserManage));
  EXPECT_FALSE(sec.has(Permission::kAuditRead));
  Caller aud{.roles = {Role::kAuditor}};
  EXPECT_TRUE(aud.has(Permission::kAuditRead));
  EXPECT_FALSE(aud.has(Permission::kOrgRead));
  Caller admin{.roles = {Role::kOfficer, Role::kDeptAdmin}};
  EXPECT_TRUE(admin.has(Permission::kAgencyManage));
  EXPECT_TRUE(admin.has_role(Role::kOfficer));
  EXPECT_FALSE(admin.has_role(Role::kLegalOffice));
}

TEST(Scope, FilterBindsItsValues) {
  auto all = Scope::all().filter("d.id", "d.jurisdiction_id");
  EXPECT_EQ(all.sql, "1 = 1");
  EXPECT_TRUE(all.params.empty());

  auto dept = Scope::department(7, 3).filter("d.id", "d.jurisdiction_id");
  EXPECT_EQ(dept.sql, "d.id = ?");
  ASSERT_EQ(dept.params.size(), 1U);
  EXPECT_EQ(std::get<std::int64_t>(dept.params[0].variant()), 7);

  auto jur = Scope::jurisdictions({3, 4, 5}).filter("d.id", "d.jurisdiction_id");
  EXPECT_EQ(jur.sql, "d.jurisdiction_id IN (?, ?, ?)");
  EXPECT_EQ(jur.params.size(), 3U);

  EXPECT_EQ(Scope::jurisdictions({}).filter("a", "b").sql, "1 = 0");
  EXPECT_EQ(Scope::none().filter("a", "b").sql, "1 = 0");
}

TEST(Scope, CheckRefusesOtherDepartmentsAndJurisdictions) {
  EXPECT_TRUE(Scope::all().check(std::nullopt, 1));
  EXPECT_TRUE(Scope::department(7, 3).check(7, 3));
  auto other = Scope::department(7, 3).check(8, 3);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kAuthOutOfScope);
  EXPECT_FALSE(Scope::department(7, 3).check(std::nullopt, 3));
  EXPECT_TRUE(Scope::jurisdictions({3, 4}).check(99, 4));
  EXPECT_FALSE(Scope::jurisdictions({3, 4}).check(99, 5));
  EXPECT_FALSE(Scope::none().check(1, 1));
}

std::set<std::int64_t> subtree(std::int64_t id) {
  return {id, id * 10, id * 10 + 1};
}

TEST(ScopeFor, WidestScopeOfTheRoles) {
  // A department role: its department.
  auto officer = scope_for({Role::kOfficer}, 7, 3, std::nullopt, false, subtree);
  EXPECT_EQ(officer.kind(), Scope::Kind::kDepartment);
  EXPECT_EQ(officer.department_id(), 7);
  // Without a department a department role sees nothing.
  EXPECT_EQ(scope_for({Role::kOfficer}, std::nullopt, std::nullopt, 3, false, subtree).kind(),
            Scope::Kind::kNone);
  // The legal office: its jurisdiction and those below.
  auto legal = scope_for({Role::kLegalOffice}, 1, 3, std::nullopt, false, subtree);
  EXPECT_EQ(legal.kind(), Scope::Kind::kJurisdictions);
  EXPECT_EQ(legal.jurisdiction_ids(), (std::set<std::int64_t>{3, 30, 31}));
  auto monitor = scope_for({Role::kMonitor}, std::nullopt, std::nullopt, 3, false, subtree);
  EXPECT_EQ(monitor.kind(), Scope::Kind::kJurisdictions);
  // Several roles: the widest.
  auto both =
      scope_for({Role::kOfficer, Role::kSocialSupervisor}, 7, 3, std::nullopt, false, subtree);
  EXPECT_EQ(both.kind(), Scope::Kind::kJurisdictions);
  // 三员 and accounts at the deployment root: everything.
  EXPECT_EQ(scope_for({Role::kAuditor}, std::nullopt, std::nullopt, 3, false, subtree).kind(),
            Scope::Kind::kAll);
  EXPECT_EQ(scope_for({Role::kMonitor}, std::nullopt, std::nullopt, 1, true, subtree).kind(),
            Scope::Kind::kAll);
  EXPECT_EQ(scope_for({}, 7, 3, std::nullopt, false, subtree).kind(), Scope::Kind::kNone);
}

TEST(RoleAssignment, SanyuanRulesAndOwnRoles) {
  Caller sec{.user_id = 1, .roles = {Role::kSecadmin}};
  Caller sys{.user_id = 2, .roles = {Role::kSysadmin}};
  EXPECT_TRUE(check_role_assignment(sec, 5, {Role::kOfficer, Role::kDeptAdmin}, true));
  EXPECT_TRUE(check_role_assignment(sec, 5, {Role::kAuditor}, false));
  EXPECT_TRUE(check_role_assignment(sec, 5, {}, false));

  auto own = check_role_assignment(sec, 1, {Role::kOfficer}, true);
  ASSERT_FALSE(own);
  EXPECT_EQ(own.error().code, ErrorCode::kAuthOwnRoles);

  auto by_sysadmin = check_role_assignment(sys, 5, {Role::kOfficer}, true);
  ASSERT_FALSE(by_sysadmin);
  EXPECT_EQ(by_sysadmin.error().code, ErrorCode::kAuthForbidden);

  auto mixed = check_role_assignment(sec, 5, {Role::kAuditor, Role::kOfficer}, true);
  ASSERT_FALSE(mixed);
  EXPECT_EQ(mixed.error().code, ErrorCode::kAuthSanyuanAlone);
  EXPECT_FALSE(check_role_assignment(sec, 5, {Role::kSysadmin, Role::kSecadmin}, false));

  auto no_dept = check_role_assignment(sec, 5, {Role::kOfficer}, false);
  ASSERT_FALSE(no_dept);
  EXPECT_EQ(no_dept.error().code, ErrorCode::kAuthRoleNeedsDepartment);
  EXPECT_TRUE(check_role_assignment(sec, 5, {Role::kLegalOffice}, false));
}

TEST(Username, Rules) {
  EXPECT_TRUE(check_username("scjg_admin"));
  EXPECT_TRUE(check_username("a.b-c"));
  EXPECT_FALSE(check_username("ab"));
  EXPECT_FALSE(check_username("Admin"));
  EXPECT_FALSE(check_username("张三"));
  EXPECT_FALSE(check_username("a b c"));
}

}  // namespace
}  // namespace xzzf::auth
