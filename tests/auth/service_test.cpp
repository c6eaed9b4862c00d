// AuthService and its repository on SQLite and PostgreSQL: login, lockout,
// sessions, passwords, accounts, roles, tokens, scopes and the audit trail.

#include <gtest/gtest.h>

#include "audit/trail.hpp"
#include "auth/repository.hpp"
#include "auth/service.hpp"
#include "record/verify.hpp"
#include "test_db.hpp"

namespace xzzf::auth {
namespace {

using storage::Dialect;
using storage::testing::DialectTest;

constexpr const char* kPw = "Correct-Horse-9";

class AuthServiceTest : public DialectTest {
 protected:
  void SetUp() override {
    DialectTest::SetUp();
    if (IsSkipped()) return;
    db_ = test_db_->open_migrated();
    ASSERT_NE(db_, nullptr);
    // 河南省 → 永城市 → 芒山镇; two departments of 永城市.
    auto seeded = db_->write([](storage::Tx& tx) -> Result<bool> {
      for (const char* sql :
           {"INSERT INTO jurisdictions (code, name, level, parent_id, created_at_us) "
            "VALUES ('410000', '河南省', 'province', NULL, 0)",
            "INSERT INTO jurisdictions (code, name, level, parent_id, created_at_us) "
            "SELECT '411481', '永城市', 'county', id, 0 FROM jurisdictions WHERE code = '410000'",
            "INSERT INTO jurisdictions (code, name, level, parent_id, created_at_us) "
            "SELECT '411481105', '芒山镇', 'township', id, 0 FROM jurisdictions "
            "WHERE code = '411481'",
            "INSERT INTO departments (jurisdiction_id, code, name, effective_from, created_at_us) "
            "SELECT id, 'T-SCJG', '市场监督管理局', '2020-01-01', 0 FROM jurisdictions "
            "WHERE code = '411481'",
            "INSERT INTO departments (jurisdiction_id, code, name, is_legal_office, "
            "effective_from, created_at_us) SELECT id, 'T-SFJ', '司法局', 1, '2020-01-01', 0 "
            "FROM jurisdictions WHERE code = '411481'"}) {
        if (auto r = tx.exec(sql); !r) return fail(r.error());
      }
      return true;
    });
    ASSERT_TRUE(seeded) << seeded.error().message;
    trail_ = std::make_unique<audit::AuditTrail>(*db_, clock_);
    AuthSettings s;
    s.fast_hashing = true;
    service_ = std::make_unique<AuthService>(*db_, *trail_, clock_, s);
  }
  void TearDown() override {
    service_.reset();
    trail_.reset();
    db_.reset();
    DialectTest::TearDown();
  }

  User make(const std::string& name, std::vector<Role> roles,
            std::optional<std::string> dept = std::nullopt,
            std::optional<std::string> jur = std::nullopt) {
    auto u = service_->create_user_cli({.username = name,
                                        .display_name = name,
                                        .roles = std::move(roles),
                                        .department_code = std::move(dept),
                                        .jurisdiction_code = std::move(jur),
                                        .password = kPw},
                                       false);
    EXPECT_TRUE(u) << (u ? "" : u.error().message);
    return u ? **u : User{};
  }

  Caller login(const std::string& name, std::string_view pw = kPw) {
    auto r = service_->login(name, pw, origin_);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    if (!r) return {};
    token_ = r->session_token;
    return r->caller;
  }

  std::vector<std::string> events(const std::string& name) {
    trail_->flush();
    auto page = db_->read([&](storage::Tx& tx) {
      return repo::list_audit(tx, {.event = name, .page = {.page = 1, .page_size = 200}});
    });
    std::vector<std::string> actors;
    if (page) {
      for (const auto& e : page->items) actors.push_back(e.actor);
    }
    return actors;
  }

  std::unique_ptr<storage::Database> db_;
  FakeClock clock_{Instant{1'760'000'000'000'000}};
  std::unique_ptr<audit::AuditTrail> trail_;
  std::unique_ptr<AuthService> service_;
  Origin origin_{"127.0.0.1", "rid", "POST", "/api/v1/session"};
  std::string token_;
};

TEST_P(AuthServiceTest, LoginCreatesASessionThatAuthenticates) {
  make("zhangsan", {Role::kOfficer}, "T-SCJG");
  auto c = login("zhangsan");
  EXPECT_EQ(c.username, "zhangsan");
  EXPECT_FALSE(c.must_change_password);  // the CLI keeps the operator's password
  EXPECT_EQ(c.scope.kind(), Scope::Kind::kDepartment);
  auto again = service_->authenticate_session(token_);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->session_id, c.session_id);
  EXPECT_EQ(again->csrf_token, c.csrf_token);
  // A second login is a new session; the first still works.
  auto first = token_;
  auto c2 = login("zhangsan");
  EXPECT_NE(c2.session_id, c.session_id);
  EXPECT_NE(token_, first);
  EXPECT_EQ(events("auth.login").size(), 2U);
}

TEST_P(AuthServiceTest, WrongAndUnknownGetTheSameAnswer) {
  make("zhangsan", {Role::kOfficer}, "T-SCJG");
  auto wrong = service_->login("zhangsan", "Wrong-Horse-9", origin_);
  auto unknown = service_->login("nobody", kPw, origin_);
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(wrong.error().code, ErrorCode::kAuthBadCredentials);
  EXPECT_EQ(unknown.error().code, ErrorCode::kAuthBadCredentials);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
  EXPECT_EQ(events("auth.login_failed").size(), 2U);
}

TEST_P(AuthServiceTest, LockoutAfterFiveFailuresEvenForTheRightPassword) {
  make("zhangsan", {Role::kOfficer}, "T-SCJG");
  for (int i = 1; i <= 5; ++i) {
    auto r = service_->login("zhangsan", "Wrong-Horse-9", origin_);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, i < 5 ? ErrorCode::kAuthBadCredentials : ErrorCode::kAuthLocked);
  }
  auto right = service_->login("zhangsan", kPw, origin_);
  ASSERT_FALSE(right);
  EXPECT_EQ(right.error().code, ErrorCode::kAuthLocked);
  EXPECT_NE(right.error().message.find("30"), std::string::npos);
  // Unknown names lock too.
  for (int i = 0; i < 5; ++i) (void)service_->login("ghost", "x", origin_);
  EXPECT_EQ(service_->login("ghost", "x", origin_).error().code, ErrorCode::kAuthLocked);
  // After 30 minutes the right password works again.
  clock_.advance(std::chrono::minutes(31));
  EXPECT_TRUE(service_->login("zhangsan", kPw, origin_));
  EXPECT_GE(events("auth.locked").size(), 2U);
}

TEST_P(AuthServiceTest, IdleSessionsEndAndLastSeenIsWrittenAtMostOnceAMinute) {
  make("zhangsan", {Role::kOfficer}, "T-SCJG");
  login("zhangsan");
  clock_.advance(std::chrono::minutes(29));
  ASSERT_TRUE(service_->authenticate_session(token_));  // touches
  clock_.advance(std::chrono::minutes(29));
  ASSERT_TRUE(service_->authenticate_session(token_));
  clock_.advance(std::chrono::seconds(30));
  ASSERT_TRUE(service_->authenticate_session(token_));  // within a minute: not written
  clock_.advance(std::chrono::minutes(30));
  auto idle = service_->authenticate_session(token_);
  ASSERT_FALSE(idle);
  EXPECT_EQ(idle.error().code, ErrorCode::kAuthUnauthenticated);
  clock_.advance(std::chrono::seconds(1));
  EXPECT_FALSE(service_->authenticate_session(token_));
}

TEST_P(AuthServiceTest, LogoutEndsTheSession) {
  make("zhangsan", {Role::kOfficer}, "T-SCJG");
  auto c = login("zhangsan");
  ASSERT_TRUE(service_->logout(c, origin_));
  EXPECT_FALSE(service_->authenticate_session(token_));
  EXPECT_EQ(events("auth.logout"), std::vector<std::string>{"zhangsan"});
  EXPECT_FALSE(service_->authenticate_session("made-up"));
}

TEST_P(AuthServiceTest, CreatedAccountsChangeTheirPasswordFirst) {
  make("sysadmin1", {Role::kSysadmin});
  auto sys = login("sysadmin1");
  auto created = service_->create_user(sys, {.username = "lisi", .display_name = "李四"});
  ASSERT_TRUE(created) << created.error().message;
  ASSERT_TRUE(created->second);
  EXPECT_TRUE(created->first.must_change_password);
  auto lisi = login("lisi", *created->second);
  EXPECT_TRUE(lisi.must_change_password);
  auto other_token = token_;
  login("lisi", *created->second);
  auto policy = service_->change_password(lisi, *created->second, "short", origin_);
  ASSERT_FALSE(policy);
  EXPECT_EQ(policy.error().code, ErrorCode::kAuthPasswordPolicy);
  auto wrong = service_->change_password(lisi, "Wrong-Horse-9", "New-Horse-123", origin_);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kAuthCurrentPasswordWrong);
  // lisi's first session changes it: the second session ends, the first stays.
  auto first = service_->authenticate_session(other_token);
  ASSERT_TRUE(first);
  ASSERT_TRUE(service_->change_password(*first, *created->second, "New-Horse-123", origin_));
  EXPECT_FALSE(service_->authenticate_session(token_));
  auto still = service_->authenticate_session(other_token);
  ASSERT_TRUE(still);
  EXPECT_FALSE(still->must_change_password);
  EXPECT_EQ(events("user.created").size(), 2U);
}

TEST_P(AuthServiceTest, AccountActsAreOnTheRecordWithoutPersonalData) {
  make("sysadmin1", {Role::kSysadmin});
  make("secadmin1", {Role::kSecadmin});
  auto sys = login("sysadmin1");
  auto created = service_->create_user(sys, {.username = "wangwu", .display_name = "王五"});
  ASSERT_TRUE(created) << created.error().message;
  const std::int64_t id = created->first.id;
  auto sec = login("secadmin1");
  ASSERT_TRUE(service_->set_roles(sec, id, {Role::kMonitor}));
  ASSERT_TRUE(service_->update_user(sys, id, {.display_name = std::string("王五五")}));
  auto rows = db_->read([&](storage::Tx& tx) {
    return tx.query(
        "SELECT action, actor_user_id, payload FROM record_entries "
        "WHERE subject_type = 'user' AND subject_id = ? ORDER BY seq",
        {id});
  });
  ASSERT_TRUE(rows) << rows.error().message;
  std::vector<std::string> actions;
  for (const auto& r : *rows) {
    actions.push_back(r.text(0));
    EXPECT_EQ(r.text(2).find("王五"), std::string::npos) << r.text(2);
    EXPECT_EQ(r.text(2).find("wangwu"), std::string::npos) << r.text(2);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"user.created", "role.granted", "user.updated"}));
  EXPECT_EQ(rows->at(1).opt_i64(1), std::optional<std::int64_t>(sec.user_id));
  // The record's tree and the entries agree.
  auto report = record::verify_record(*db_, {});
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok) << report->message;
}

TEST_P(AuthServiceTest, PasswordsExpire) {
  make("zhangsan", {Role::kOfficer}, "T-SCJG");
  clock_.advance(std::chrono::hours(24 * 91));
  auto c = login("zhangsan");
  EXPECT_TRUE(c.must_change_password);
}

TEST_P(AuthServiceTest, SanyuanSeparationInTheService) {
  make("sys1", {Role::kSysadmin});
  make("sec1", {Role::kSecadmin});
  make("aud1", {Role::kAuditor});
  auto officer = make("zhangsan", {Role::kOfficer}, "T-SCJG");
  auto sys = login("sys1");
  auto sec = login("sec1");
  auto aud = login("aud1");

  auto sys_grants = service_->set_roles(sys, officer.id, {Role::kDeptAdmin});
  ASSERT_FALSE(sys_grants);
  EXPECT_EQ(sys_grants.error().code, ErrorCode::kAuthForbidden);
  EXPECT_EQ(service_->create_user(sec, {.username = "x1", .display_name = "x"}).error().code,
            ErrorCode::kAuthForbidden);
  EXPECT_EQ(service_->list_audit(sys, {}).error().code, ErrorCode::kAuthForbidden);
  EXPECT_EQ(service_->list_audit(sec, {}).error().code, ErrorCode::kAuthForbidden);
  EXPECT_TRUE(service_->list_audit(aud, {}));
  EXPECT_EQ(service_->update_user(aud, officer.id, {.display_name = "x"}).error().code,
            ErrorCode::kAuthForbidden);

  EXPECT_EQ(service_->set_roles(sec, sec.user_id, {Role::kAuditor}).error().code,
            ErrorCode::kAuthOwnRoles);
  EXPECT_EQ(service_->set_roles(sec, officer.id, {Role::kOfficer, Role::kAuditor}).error().code,
            ErrorCode::kAuthSanyuanAlone);
  auto ok = service_->set_roles(sec, officer.id, {Role::kOfficer, Role::kDeptAdmin});
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->roles, (std::vector<Role>{Role::kOfficer, Role::kDeptAdmin}));
  auto revoked = service_->set_roles(sec, officer.id, {Role::kDeptAdmin});
  ASSERT_TRUE(revoked);
  EXPECT_EQ(events("role.granted").size(), 5U);  // 4 by the CLI, 1 by sec1
  EXPECT_EQ(events("role.revoked"), std::vector<std::string>{"sec1"});
  EXPECT_EQ(service_->update_user(sys, sys.user_id, {.status = "disabled"}).error().code,
            ErrorCode::kAuthOwnAccount);
}

TEST_P(AuthServiceTest, DisablingEndsEverySession) {
  make("sys1", {Role::kSysadmin});
  auto officer = make("zhangsan", {Role::kOfficer}, "T-SCJG");
  auto sys = login("sys1");
  login("zhangsan");
  auto done = service_->update_user(sys, officer.id, {.status = "disabled"});
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->status, "disabled");
  EXPECT_FALSE(service_->authenticate_session(token_));
  EXPECT_EQ(service_->login("zhangsan", kPw, origin_).error().code, ErrorCode::kAuthBadCredentials);
  EXPECT_EQ(events("user.disabled"), std::vector<std::string>{"sys1"});
}

TEST_P(AuthServiceTest, ResetPasswordAndUnlock) {
  make("sys1", {Role::kSysadmin});
  auto officer = make("zhangsan", {Role::kOfficer}, "T-SCJG");
  auto sys = login("sys1");
  for (int i = 0; i < 5; ++i) (void)service_->login("zhangsan", "bad", origin_);
  EXPECT_TRUE(service_->get_user(sys, officer.id)->locked);
  ASSERT_TRUE(service_->unlock(sys, officer.id));
  EXPECT_FALSE(service_->get_user(sys, officer.id)->locked);
  auto pw = service_->reset_password(sys, officer.id);
  ASSERT_TRUE(pw);
  auto c = login("zhangsan", *pw);
  EXPECT_TRUE(c.must_change_password);
}

TEST_P(AuthServiceTest, BearerTokensForServiceAccountsOnly) {
  make("sys1", {Role::kSysadmin});
  auto sys = login("sys1");
  auto svc = service_->create_user(
      sys, {.username = "gateway", .display_name = "接口", .is_service = true});
  ASSERT_TRUE(svc);
  EXPECT_FALSE(svc->second);  // no password
  auto token = service_->create_token(sys, svc->first.id, "网关");
  ASSERT_TRUE(token);
  auto c = service_->authenticate_bearer(token->second);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->via_token);
  EXPECT_EQ(c->username, "gateway");
  EXPECT_EQ(service_->create_token(sys, sys.user_id, "x").error().code, ErrorCode::kAuthNotService);
  ASSERT_TRUE(service_->revoke_token(sys, svc->first.id, token->first));
  EXPECT_FALSE(service_->authenticate_bearer(token->second));
  EXPECT_EQ(service_->revoke_token(sys, svc->first.id, token->first).error().code,
            ErrorCode::kAuthTokenNotFound);
}

TEST_P(AuthServiceTest, ScopesFromTheOrganization) {
  make("legal1", {Role::kLegalOffice}, "T-SFJ");
  make("monitor1", {Role::kMonitor}, std::nullopt, "411481");
  make("root1", {Role::kMonitor}, std::nullopt, "410000");
  auto legal = login("legal1");
  EXPECT_EQ(legal.scope.kind(), Scope::Kind::kJurisdictions);
  EXPECT_EQ(legal.scope.jurisdiction_ids().size(), 2U);  // 永城市 and 芒山镇
  EXPECT_EQ(login("monitor1").scope.jurisdiction_ids().size(), 2U);
  EXPECT_EQ(login("root1").scope.kind(), Scope::Kind::kAll);
  // The filter really selects rows.
  auto officer_scope = login("legal1").scope;
  auto n = db_->read([&](storage::Tx& tx) -> Result<std::int64_t> {
    auto f = officer_scope.filter("d.id", "d.jurisdiction_id");
    auto row = tx.query_one("SELECT COUNT(*) FROM departments d WHERE " + f.sql, f.params);
    if (!row) return fail(row.error());
    return (*row)->i64(0);
  });
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 2);
}

TEST_P(AuthServiceTest, CliRefusals) {
  EXPECT_EQ(service_->create_user_cli({.username = "a1x", .password = "weak"}, false).error().code,
            ErrorCode::kAuthPasswordPolicy);
  EXPECT_EQ(service_
                ->create_user_cli(
                    {.username = "a2x", .roles = {Role::kAuditor, Role::kOfficer}, .password = kPw},
                    false)
                .error()
                .code,
            ErrorCode::kAuthSanyuanAlone);
  EXPECT_EQ(
      service_
          ->create_user_cli({.username = "a3x", .roles = {Role::kOfficer}, .password = kPw}, false)
          .error()
          .code,
      ErrorCode::kAuthRoleNeedsDepartment);
  make("dup", {});
  EXPECT_EQ(service_->create_user_cli({.username = "dup", .password = kPw}, false).error().code,
            ErrorCode::kAuthUsernameTaken);
  auto skipped = service_->create_user_cli({.username = "dup", .password = kPw}, true);
  ASSERT_TRUE(skipped);
  EXPECT_FALSE(*skipped);
}

INSTANTIATE_TEST_SUITE_P(Dialects, AuthServiceTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres),
                         storage::testing::dialect_name);

}  // namespace
}  // namespace xzzf::auth
