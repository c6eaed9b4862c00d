#pragma once

// A fresh migrated database per test (SQLite and PostgreSQL), an OrgService on
// it, and Callers of the roles the tests need.

#include <memory>

#include "audit/trail.hpp"
#include "auth/caller.hpp"
#include "org/service.hpp"
#include "test_db.hpp"

namespace xzzf::org::testing {

class OrgTest : public storage::testing::DialectTest {
 protected:
  void SetUp() override {
    DialectTest::SetUp();
    if (IsSkipped()) return;
    db_ = test_db_->open_migrated();
    ASSERT_NE(db_, nullptr);
    trail_ = std::make_unique<audit::AuditTrail>(*db_, clock_);
    svc_ = std::make_unique<OrgService>(*db_, *trail_, clock_);
  }
  void TearDown() override {
    svc_.reset();
    trail_.reset();
    db_.reset();
    DialectTest::TearDown();
  }

  static auth::Caller caller(auth::Role role, auth::Scope scope, std::int64_t user_id = 1) {
    auth::Caller c;
    c.user_id = user_id;
    c.username = std::string(auth::role_code(role));
    c.roles = {role};
    c.scope = std::move(scope);
    return c;
  }
  // The legal office of the whole deployment.
  static auth::Caller root() { return caller(auth::Role::kLegalOffice, auth::Scope::all(), 99); }

  std::int64_t jurisdiction(const std::string& code, const std::string& name,
                            const std::string& level, std::optional<std::int64_t> parent) {
    auto j = svc_->create_jurisdiction(
        root(), NewJurisdiction{.code = code, .name = name, .level = level, .parent_id = parent});
    EXPECT_TRUE(j) << j.error().message;
    return j ? j->id : 0;
  }
  std::int64_t department(const std::string& code, const std::string& name,
                          std::int64_t jurisdiction_id,
                          std::vector<std::string> sectors = {"market"}) {
    auto d = svc_->create_department(root(), NewDepartment{.code = code,
                                                           .name = name,
                                                           .short_name = "",
                                                           .jurisdiction_id = jurisdiction_id,
                                                           .sectors = std::move(sectors),
                                                           .effective_from = "2019-03-01"});
    EXPECT_TRUE(d) << d.error().message;
    return d ? d->id : 0;
  }
  std::int64_t agency(std::int64_t department_id, const std::string& name) {
    auto a = svc_->create_agency(root(), department_id, NewAgency{.name = name});
    EXPECT_TRUE(a) << a.error().message;
    return a ? a->id : 0;
  }

  FakeClock clock_{Instant{1'760'000'000'000'000}};
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<audit::AuditTrail> trail_;
  std::unique_ptr<OrgService> svc_;
};

}  // namespace xzzf::org::testing
