// The demo officers (`xzzf demo`) on SQLite and PostgreSQL: enough of them,
// certificates in every state, reminders of both colours, officers due for
// rotation, nothing twice on a second run, no personal data in plaintext.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "org/demo.hpp"
#include "org_fixture.hpp"
#include "personnel/demo.hpp"
#include "personnel/service.hpp"
#include "privacy/sealer.hpp"
#include "rules/service.hpp"

namespace xzzf::personnel {
namespace {

using storage::Tx;

class PersonnelDemoTest : public org::testing::OrgTest {
 protected:
  void SetUp() override {
    OrgTest::SetUp();
    if (IsSkipped()) return;
    auto installed = rules::RuleService(*db_, clock_).install_shipped();
    ASSERT_TRUE(installed) << installed.error().message;
    auto org = org::load_demo(*db_, clock_);
    ASSERT_TRUE(org) << org.error().message;
    departments_ = org->department_ids;
  }

  Result<DemoPeople> load() { return load_demo(*db_, sealer_, *trail_, clock_, departments_); }

  privacy::Sealer sealer_ = privacy::Sealer::from_key(privacy::Sealer::Key{9, 9, 9});
  std::map<std::string, std::int64_t> departments_;
};

TEST_P(PersonnelDemoTest, OfficersAndCertificatesInEveryState) {
  auto people = load();
  ASSERT_TRUE(people) << people.error().message;
  EXPECT_GE(people->officers, 60);

  PersonnelService service(*db_, sealer_, *trail_, clock_);
  const auto office = root();
  std::set<std::string> states;
  for (const char* status :
       {"applied", "rejected", "valid", "suspended", "withdrawn", "revoked", "expired"}) {
    auto page = service.certificates(office, CertificateQuery{.status = status});
    ASSERT_TRUE(page) << page.error().message;
    EXPECT_GT(page->total, 0) << "no certificate " << status;
  }
  // Both kinds.
  auto supervision = db_->read([&](Tx& tx) {
    return tx.query_one("SELECT COUNT(*) FROM certificates WHERE kind = 'supervision'");
  });
  ASSERT_TRUE(supervision);
  EXPECT_GT((*supervision)->i64(0), 0);

  // Every enforcement department of the demo has officers.
  for (const char* code : {"411481-SCJG", "411481-CGJ", "411481101-ZF", "411481001-BSC"}) {
    auto page = service.officers(office, OfficerQuery{.department_id = departments_.at(code)});
    ASSERT_TRUE(page) << page.error().message;
    EXPECT_GT(page->total, 0) << code;
  }

  // Reminders of both colours, for 年审 and for expiry.
  auto reminders = service.reminders(office);
  ASSERT_TRUE(reminders) << reminders.error().message;
  std::set<std::string> kinds;
  for (const auto& r : *reminders) kinds.insert(r.level + "/" + r.reason);
  EXPECT_TRUE(kinds.contains("yellow/annual_review"));
  EXPECT_TRUE(kinds.contains("red/annual_review"));
  EXPECT_TRUE(kinds.contains("yellow/expiry"));

  // Some are due for 定期轮岗.
  auto rotation = service.rotation(office);
  ASSERT_TRUE(rotation) << rotation.error().message;
  EXPECT_FALSE(rotation->empty());

  // Staff not 在编 hold no certificate; each demo action is on the record.
  auto unqualified = db_->read([&](Tx& tx) {
    return tx.query_one(
        "SELECT COUNT(*) FROM officers o WHERE o.employment <> 'established' AND "
        "(SELECT COUNT(*) FROM certificates c WHERE c.officer_id = o.id) = 0");
  });
  ASSERT_TRUE(unqualified);
  EXPECT_GT((*unqualified)->i64(0), 0);
  auto recorded = db_->read([&](Tx& tx) {
    return tx.query_one(
        "SELECT COUNT(*) FROM record_entries WHERE action IN ('officer.created', "
        "'certificate.issued', 'certificate.suspend', 'certificate.annual_fail')");
  });
  ASSERT_TRUE(recorded);
  EXPECT_GT((*recorded)->i64(0), people->officers);

  // A second run changes nothing.
  auto again = load();
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->officers, 0);
  auto page = service.officers(office, OfficerQuery{});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, people->officers);
}

TEST_P(PersonnelDemoTest, TheDemoIdNumbersAndPhonesAreSealed) {
  if (GetParam() != storage::Dialect::kSqlite) GTEST_SKIP() << "a file only on SQLite";
  ASSERT_TRUE(load());
  std::string bytes;
  for (const auto& entry : std::filesystem::directory_iterator(test_db_->file().parent_path())) {
    std::ifstream in(entry.path(), std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  // The first demo officer: born 1900-01-01, phone 0370-0001000.
  for (const char* secret : {"41148119000101", "0370-0001000", "0001000"}) {
    EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
  }
  EXPECT_NE(bytes.find("411481********"), std::string::npos) << "masked numbers are stored";
}

INSTANTIATE_TEST_SUITE_P(Dialects, PersonnelDemoTest,
                         ::testing::Values(storage::Dialect::kSqlite, storage::Dialect::kPostgres),
                         storage::testing::dialect_name);

}  // namespace
}  // namespace xzzf::personnel
