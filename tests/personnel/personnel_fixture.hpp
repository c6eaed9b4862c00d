#pragma once

// The fixture of the personnel tests, on SQLite and PostgreSQL: the shipped
// rule set, 河南省 → 商丘市 → 永城市 with 永城市市场监督管理局 (market, an
// enforcement post 执法岗) and 永城市城市管理局 (urban), and a
// PersonnelService with a fixed personal data key.

#include <gtest/gtest.h>

#include <memory>

#include "org_fixture.hpp"
#include "personnel/service.hpp"
#include "privacy/sealer.hpp"
#include "rules/service.hpp"

namespace xzzf::personnel::testing {

class PersonnelFixture : public org::testing::OrgTest {
 protected:
  void SetUp() override {
    OrgTest::SetUp();
    if (IsSkipped()) return;
    auto installed = rules::RuleService(*db_, clock_).install_shipped();
    ASSERT_TRUE(installed) << installed.error().message;
    personnel_ = std::make_unique<PersonnelService>(*db_, sealer_, *trail_, clock_);
    henan_ = jurisdiction("410000", "河南省", "province", std::nullopt);
    shangqiu_ = jurisdiction("411400", "商丘市", "city", henan_);
    yongcheng_ = jurisdiction("411481", "永城市", "county", shangqiu_);
    market_ = department("411481-SCJG", "永城市市场监督管理局", yongcheng_, {"market"});
    urban_ = department("411481-CGJ", "永城市城市管理局", yongcheng_, {"urban"});
    auto post =
        svc_->create_post(root(), market_, org::NewPost{.name = "执法岗", .is_enforcement = true});
    ASSERT_TRUE(post) << post.error().message;
    post_ = post->id;
  }
  void TearDown() override {
    personnel_.reset();
    OrgTest::TearDown();
  }

  // The administrator (dept_admin) of `department` in 永城市.
  auth::Caller admin(std::int64_t department) const {
    auto c = caller(auth::Role::kDeptAdmin, auth::Scope::department(department, yongcheng_), 11);
    c.department_id = department;
    c.jurisdiction_id = yongcheng_;
    return c;
  }

  privacy::Sealer sealer_ = privacy::Sealer::from_key(privacy::Sealer::Key{7, 7, 7});
  std::unique_ptr<PersonnelService> personnel_;
  std::int64_t henan_ = 0;
  std::int64_t shangqiu_ = 0;
  std::int64_t yongcheng_ = 0;
  std::int64_t market_ = 0;
  std::int64_t urban_ = 0;
  std::int64_t post_ = 0;
  std::int64_t session_ = 0;
};

}  // namespace xzzf::personnel::testing
