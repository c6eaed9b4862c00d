// RuleService on both databases: shipped data on the record, lookup on the day
// before and the day of a change, inheritance down the jurisdiction tree, the
// national sector standard's override, amendments and their refusals, and a
// jurisdiction's own calendar days.

#include "rules/service.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "org_fixture.hpp"
#include "rules/shipped.hpp"

namespace xzzf::rules {
namespace {

using auth::Role;
using auth::Scope;
using storage::Tx;

class RulesTest : public org::testing::OrgTest {
 protected:
  void SetUp() override {
    OrgTest::SetUp();
    if (IsSkipped()) return;
    rules_ = std::make_unique<RuleService>(*db_, clock_);
    auto n = rules_->install_shipped();
    ASSERT_TRUE(n) << n.error().message;
    ASSERT_EQ(*n, static_cast<int>(shipped_rules().versions.size()));
    henan_ = jurisdiction("410000", "河南省", "province", std::nullopt);
    shangqiu_ = jurisdiction("411400", "商丘市", "city", henan_);
    yongcheng_ = jurisdiction("411481", "永城市", "county", shangqiu_);
    town_ = jurisdiction("411481001", "东城街道", "township", yongcheng_);
    xiayi_ = jurisdiction("411426", "夏邑县", "county", shangqiu_);
  }
  void TearDown() override {
    rules_.reset();
    OrgTest::TearDown();
  }

  // The legal office of a county: its jurisdiction and those below.
  auth::Caller county_office(std::int64_t county) {
    auto c = caller(Role::kLegalOffice, Scope::jurisdictions({county, town_}), 7);
    c.jurisdiction_id = county;
    return c;
  }

  Result<Rule> lookup(const std::string& key, std::optional<std::int64_t> j,
                      const std::string& date, const std::string& sector = "") {
    return rules_->lookup(key, j, sector, date);
  }

  std::int64_t count_entries(const std::string& action) {
    auto n = db_->read([&](Tx& tx) -> Result<std::int64_t> {
      XZZF_TRY(row, tx.query_one("SELECT COUNT(*) FROM record_entries WHERE action = ?", {action}));
      return row->i64(0);
    });
    EXPECT_TRUE(n);
    return n.value_or(-1);
  }

  RuleAmendment amendment(std::optional<std::int64_t> j, std::int64_t value,
                          const std::string& from) {
    // The test clock stands in 2025: earlier dates record rules already in force.
    return RuleAmendment{.jurisdiction_id = j,
                         .value = value,
                         .effective_from = from,
                         .norm = "《商丘市某规定》",
                         .article = "第三条",
                         .reason = "测试修订",
                         .retroactive = true};
  }

  std::unique_ptr<RuleService> rules_;
  std::int64_t henan_ = 0, shangqiu_ = 0, yongcheng_ = 0, town_ = 0, xiayi_ = 0;
};

TEST_P(RulesTest, ShippedVersionsAreLoadedOnceAndOnTheRecord) {
  const auto shipped = static_cast<std::int64_t>(shipped_rules().versions.size());
  EXPECT_EQ(count_entries("rule.shipped"), shipped);
  auto again = rules_->install_shipped();
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(count_entries("rule.shipped"), shipped);
}

TEST_P(RulesTest, AValueChangesOnTheDayItsLawTakesEffect) {
  auto before = lookup("penalty.on_the_spot.max_fine.citizen", yongcheng_, "2021-07-14");
  ASSERT_TRUE(before) << before.error().message;
  EXPECT_EQ(before->value, 5000);  // 50 元
  EXPECT_EQ(before->citation(),
            "《中华人民共和国行政处罚法》（1996年公布，2009年、2017年修正）第三十三条");
  auto on = lookup("penalty.on_the_spot.max_fine.citizen", yongcheng_, "2021-07-15");
  ASSERT_TRUE(on) << on.error().message;
  EXPECT_EQ(on->value, 20000);  // 200 元
  EXPECT_EQ(on->citation(), "《中华人民共和国行政处罚法》（2021年修订）第五十一条");

  // The hearing request period became five working days (第六十四条, 第八十五条).
  auto old_period = lookup("hearing.request_period", std::nullopt, "2021-07-14");
  ASSERT_TRUE(old_period);
  EXPECT_EQ(old_period->value, 3);
  EXPECT_EQ(old_period->unit, "days");
  auto new_period = lookup("hearing.request_period", std::nullopt, "2021-07-15");
  ASSERT_TRUE(new_period);
  EXPECT_EQ(new_period->value, 5);
  EXPECT_EQ(new_period->unit, "working_days");
}

TEST_P(RulesTest, ProvincialValuesAreInheritedDownToTheTownship) {
  // 河南省行政处罚听证办法 takes effect on 2021-12-01: nothing before.
  auto before = lookup("hearing.fine_threshold.citizen", town_, "2021-11-30");
  ASSERT_FALSE(before);
  EXPECT_EQ(before.error().code, ErrorCode::kRulesNotInForce);
  EXPECT_NE(before.error().message.find("东城街道"), std::string::npos);
  for (auto j : {henan_, shangqiu_, yongcheng_, town_}) {
    auto r = lookup("hearing.fine_threshold.citizen", j, "2021-12-01");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->value, 500000);
    EXPECT_EQ(r->region_code, "410000");
    EXPECT_EQ(r->region_name, "河南省");
    EXPECT_NE(r->citation().find("第204号"), std::string::npos);
  }
  // National law alone knows no provincial value.
  auto national = lookup("hearing.fine_threshold.citizen", std::nullopt, "2022-01-01");
  ASSERT_FALSE(national);
  EXPECT_EQ(national.error().code, ErrorCode::kRulesNotInForce);
}

TEST_P(RulesTest, ProvincialValuesReachAJurisdictionWithoutItsProvinceInTheTree) {
  // A county deployment that did not enter its province and city: the code's
  // own digits place it in Henan.
  const auto alone = jurisdiction("411422", "睢县", "county", std::nullopt);
  auto r = lookup("major_penalty.fine_threshold.organization", alone, "2024-01-01");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->value, 10000000);  // 10 万元 (省政府令第168号 第三条)
  EXPECT_EQ(r->region_name, "河南省");
}

TEST_P(RulesTest, ACityOverrideAppliesBelowItFromItsDateOn) {
  auto amended =
      rules_->amend(root(), "major_penalty.filing_period", amendment(shangqiu_, 10, "2024-01-01"));
  ASSERT_TRUE(amended) << amended.error().message;
  EXPECT_EQ(amended->region_code, "411400");
  for (auto j : {shangqiu_, yongcheng_, town_, xiayi_}) {
    auto r = lookup("major_penalty.filing_period", j, "2024-01-01");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->value, 10);
    EXPECT_EQ(r->citation(), "《商丘市某规定》第三条");
  }
  auto before = lookup("major_penalty.filing_period", yongcheng_, "2023-12-31");
  ASSERT_TRUE(before);
  EXPECT_EQ(before->value, 15);
  EXPECT_EQ(before->region_code, "410000");
  // The province itself is not affected.
  auto province = lookup("major_penalty.filing_period", henan_, "2024-06-01");
  ASSERT_TRUE(province);
  EXPECT_EQ(province->value, 15);

  // In force lists mark what a level above set.
  auto list = rules_->in_force(county_office(yongcheng_),
                               RuleQuery{.jurisdiction_id = yongcheng_, .date = "2024-06-01"});
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_EQ(list->size(), shipped_rules().keys.size());
  for (const auto& item : *list) {
    if (item.rule.key == "major_penalty.filing_period") {
      EXPECT_EQ(item.rule.value, 10);
      EXPECT_TRUE(item.inherited);
    }
  }
}

TEST_P(RulesTest, ANationalSectorStandardOverridesTheProvinceForItsSector) {
  // A standard of a State Council department for 市场监管 (河南省人民政府令第204号
  // 第四条第二款: the department's standard applies where it differs).
  RuleAmendment national = amendment(std::nullopt, 1000000, "2022-01-01");
  national.sector = "market";
  national.norm = "《某部门听证办法》";
  auto r = rules_->amend(root(), "hearing.fine_threshold.citizen", national);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->region_code, "000000");

  auto market = lookup("hearing.fine_threshold.citizen", town_, "2022-01-01", "market");
  ASSERT_TRUE(market);
  EXPECT_EQ(market->value, 1000000);
  EXPECT_EQ(market->sector, "market");
  auto ecology = lookup("hearing.fine_threshold.citizen", town_, "2022-01-01", "ecology");
  ASSERT_TRUE(ecology);
  EXPECT_EQ(ecology->value, 500000);
  auto none = lookup("hearing.fine_threshold.citizen", town_, "2022-01-01");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->value, 500000);
  // Before the standard, the province's value applies in the sector too.
  auto earlier = lookup("hearing.fine_threshold.citizen", town_, "2021-12-31", "market");
  ASSERT_TRUE(earlier);
  EXPECT_EQ(earlier->value, 500000);
}

TEST_P(RulesTest, AnAmendmentEndsThePreviousVersionAndIsOnTheRecord) {
  auto first = rules_->amend(county_office(yongcheng_), "major_penalty.filing_period",
                             amendment(yongcheng_, 12, "2025-01-01"));
  ASSERT_TRUE(first) << first.error().message;
  auto second = rules_->amend(county_office(yongcheng_), "major_penalty.filing_period",
                              amendment(yongcheng_, 14, "2026-01-01"));
  ASSERT_TRUE(second) << second.error().message;
  auto history =
      rules_->history(county_office(yongcheng_), "major_penalty.filing_period", yongcheng_);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 3u);  // the province's and the county's two
  const Rule* ended = nullptr;
  for (const auto& v : *history) {
    if (v.id == first->id) ended = &v;
  }
  ASSERT_NE(ended, nullptr);
  EXPECT_EQ(ended->effective_to, std::optional<std::string>("2026-01-01"));
  EXPECT_EQ(lookup("major_penalty.filing_period", yongcheng_, "2025-12-31")->value, 12);
  EXPECT_EQ(lookup("major_penalty.filing_period", yongcheng_, "2026-01-01")->value, 14);
  // The other county keeps the province's value.
  EXPECT_EQ(lookup("major_penalty.filing_period", xiayi_, "2026-01-01")->value, 15);

  auto entry = db_->read([&](Tx& tx) {
    return tx.query_one(
        "SELECT actor_user_id, jurisdiction_id, payload FROM record_entries "
        "WHERE action = 'rule.amended' AND subject_id = ?",
        {second->id});
  });
  ASSERT_TRUE(entry && *entry);
  EXPECT_EQ((*entry)->opt_i64(0), std::optional<std::int64_t>(7));
  EXPECT_EQ((*entry)->opt_i64(1), std::optional<std::int64_t>(yongcheng_));
  const std::string payload = (*entry)->text(2);
  EXPECT_NE(payload.find("\"reason\":\"测试修订\""), std::string::npos) << payload;
  EXPECT_NE(payload.find("\"effective_to\":\"2026-01-01\""), std::string::npos) << payload;
}

TEST_P(RulesTest, AmendmentsAreRefusedWithAReason) {
  auto office = county_office(yongcheng_);
  auto same_day =
      rules_->amend(office, "major_penalty.filing_period", amendment(yongcheng_, 12, "2025-01-01"));
  ASSERT_TRUE(same_day);
  auto again =
      rules_->amend(office, "major_penalty.filing_period", amendment(yongcheng_, 13, "2025-01-01"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kRulesVersionOrder);
  auto earlier =
      rules_->amend(office, "major_penalty.filing_period", amendment(yongcheng_, 13, "2024-06-01"));
  ASSERT_FALSE(earlier);
  EXPECT_EQ(earlier.error().code, ErrorCode::kRulesVersionOrder);

  auto other_county =
      rules_->amend(office, "major_penalty.filing_period", amendment(xiayi_, 12, "2025-01-01"));
  ASSERT_FALSE(other_county);
  EXPECT_EQ(other_county.error().code, ErrorCode::kAuthOutOfScope);
  auto national = rules_->amend(office, "major_penalty.filing_period",
                                amendment(std::nullopt, 12, "2025-01-01"));
  ASSERT_FALSE(national);
  EXPECT_EQ(national.error().code, ErrorCode::kAuthOutOfScope);

  auto officer = caller(Role::kOfficer, Scope::department(1, yongcheng_));
  auto forbidden = rules_->amend(officer, "major_penalty.filing_period",
                                 amendment(yongcheng_, 12, "2027-01-01"));
  ASSERT_FALSE(forbidden);
  EXPECT_EQ(forbidden.error().code, ErrorCode::kAuthForbidden);

  auto unknown = rules_->amend(office, "no.such.rule", amendment(yongcheng_, 1, "2027-01-01"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kRulesUnknownKey);

  RuleAmendment no_citation = amendment(yongcheng_, 12, "2027-01-01");
  no_citation.article.clear();
  EXPECT_EQ(rules_->amend(office, "major_penalty.filing_period", no_citation).error().code,
            ErrorCode::kRulesInvalid);
  RuleAmendment no_reason = amendment(yongcheng_, 12, "2027-01-01");
  no_reason.reason.clear();
  EXPECT_EQ(rules_->amend(office, "major_penalty.filing_period", no_reason).error().code,
            ErrorCode::kRulesInvalid);
  RuleAmendment wrong_unit = amendment(yongcheng_, 12, "2027-01-01");
  wrong_unit.unit = "fen";
  EXPECT_EQ(rules_->amend(office, "major_penalty.filing_period", wrong_unit).error().code,
            ErrorCode::kRulesInvalid);
  RuleAmendment bad_sector = amendment(yongcheng_, 12, "2027-01-01");
  bad_sector.sector = "nonsense";
  EXPECT_EQ(rules_->amend(office, "major_penalty.filing_period", bad_sector).error().code,
            ErrorCode::kOrgUnknownSector);
  EXPECT_EQ(count_entries("rule.amended"), 1);
}

TEST_P(RulesTest, AJurisdictionsOwnDaysApplyToItAndBelowOnly) {
  auto office = county_office(yongcheng_);
  // 2026-03-02 is a Monday.
  auto added = rules_->add_local_day(office, NewLocalDay{.jurisdiction_id = yongcheng_,
                                                         .day = "2026-03-02",
                                                         .kind = "holiday",
                                                         .name = "本地纪念日"});
  ASSERT_TRUE(added) << added.error().message;
  auto d = [](const char* t) { return *Date::parse(t); };
  for (auto j : {yongcheng_, town_}) {
    auto cal = rules_->calendar(j);
    ASSERT_TRUE(cal);
    EXPECT_FALSE(*cal->calendar.is_working_day(d("2026-03-02")));
    // 27 Feb is a Friday, 28 Feb a Saturday worked (春节调休), 2 March off here.
    EXPECT_EQ(cal->calendar.add_working_days(d("2026-02-28"), 1)->to_string(), "2026-03-03");
  }
  for (std::optional<std::int64_t> j :
       {std::optional<std::int64_t>(xiayi_), std::optional<std::int64_t>(shangqiu_),
        std::optional<std::int64_t>()}) {
    auto cal = rules_->calendar(j);
    ASSERT_TRUE(cal);
    EXPECT_TRUE(*cal->calendar.is_working_day(d("2026-03-02")));
  }
  EXPECT_EQ(count_entries("calendar.day_added"), 1);

  // A swap of a weekend day is the jurisdiction's to make; working through a
  // national holiday is not (行政处罚法 第八十五条).
  auto on_holiday = rules_->add_local_day(office, NewLocalDay{.jurisdiction_id = yongcheng_,
                                                              .day = "2026-10-03",
                                                              .kind = "workday",
                                                              .name = "国庆加班"});
  ASSERT_FALSE(on_holiday);
  EXPECT_EQ(on_holiday.error().code, ErrorCode::kRulesLocalWorkdayOnHoliday);
  EXPECT_EQ(on_holiday.error().basis, std::optional<std::string>(kBasisWorkingDays));
  auto saturday = rules_->add_local_day(office, NewLocalDay{.jurisdiction_id = yongcheng_,
                                                            .day = "2026-03-14",
                                                            .kind = "workday",
                                                            .name = "本地调休上班"});
  ASSERT_TRUE(saturday) << saturday.error().message;

  auto twice = rules_->add_local_day(
      office,
      NewLocalDay{
          .jurisdiction_id = yongcheng_, .day = "2026-03-02", .kind = "holiday", .name = "再设"});
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kRulesLocalDayExists);
  auto weekend = rules_->add_local_day(
      office,
      NewLocalDay{
          .jurisdiction_id = yongcheng_, .day = "2026-03-07", .kind = "holiday", .name = "周六"});
  ASSERT_FALSE(weekend);
  EXPECT_EQ(weekend.error().code, ErrorCode::kRulesInvalid);
  auto beyond = rules_->add_local_day(
      office,
      NewLocalDay{
          .jurisdiction_id = yongcheng_, .day = "2040-03-07", .kind = "holiday", .name = "远期"});
  ASSERT_FALSE(beyond);
  EXPECT_EQ(beyond.error().code, ErrorCode::kCalendarBeyondData);
  auto elsewhere = rules_->add_local_day(
      office,
      NewLocalDay{
          .jurisdiction_id = xiayi_, .day = "2026-03-03", .kind = "holiday", .name = "他县"});
  ASSERT_FALSE(elsewhere);
  EXPECT_EQ(elsewhere.error().code, ErrorCode::kAuthOutOfScope);

  ASSERT_TRUE(rules_->remove_local_day(office, added->id));
  EXPECT_TRUE(*rules_->calendar(yongcheng_)->calendar.is_working_day(d("2026-03-02")));
  EXPECT_EQ(count_entries("calendar.day_removed"), 1);
  auto gone = rules_->remove_local_day(office, added->id);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::kRulesLocalDayNotFound);
}

TEST_P(RulesTest, APastDateNeedsToSayItRecordsARuleAlreadyInForce) {
  RuleAmendment past = amendment(yongcheng_, 12, "2025-01-01");  // the clock: 2025-10-09
  past.retroactive = false;
  auto refused = rules_->amend(county_office(yongcheng_), "major_penalty.filing_period", past);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kRulesRetroactive);
  RuleAmendment future = amendment(yongcheng_, 12, "2026-01-01");
  future.retroactive = false;
  ASSERT_TRUE(rules_->amend(county_office(yongcheng_), "major_penalty.filing_period", future));
  RuleAmendment recorded = amendment(yongcheng_, 11, "2025-01-01");
  ASSERT_FALSE(rules_->amend(county_office(yongcheng_), "major_penalty.filing_period", recorded))
      << "a version before the newest is refused even when retroactive";
  auto entries = db_->read([&](Tx& tx) {
    return tx.query("SELECT payload FROM record_entries WHERE action = 'rule.amended'");
  });
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_NE(entries->front().text(0).find("\"retroactive\":false"), std::string::npos);
}

TEST_P(RulesTest, NationalValuesChangeOnlyAsSectorStandards) {
  auto general =
      rules_->amend(root(), "penalty.min_officers", amendment(std::nullopt, 1, "2026-01-01"));
  ASSERT_FALSE(general);
  EXPECT_EQ(general.error().code, ErrorCode::kRulesNationalGeneral);
  EXPECT_EQ(lookup("penalty.min_officers", town_, "2026-06-01")->value, 2);
}

TEST_P(RulesTest, ASectorStandardBeatsANearerGeneralValueAndTheNearestSectorValueWins) {
  ASSERT_TRUE(rules_->amend(root(), "hearing.fine_threshold.citizen",
                            amendment(shangqiu_, 300000, "2024-01-01")));
  RuleAmendment national = amendment(std::nullopt, 1000000, "2024-01-01");
  national.sector = "market";
  ASSERT_TRUE(rules_->amend(root(), "hearing.fine_threshold.citizen", national));
  EXPECT_EQ(lookup("hearing.fine_threshold.citizen", yongcheng_, "2024-06-01", "market")->value,
            1000000);
  EXPECT_EQ(lookup("hearing.fine_threshold.citizen", yongcheng_, "2024-06-01", "ecology")->value,
            300000);
  RuleAmendment county_market = amendment(yongcheng_, 800000, "2024-03-01");
  county_market.sector = "market";
  ASSERT_TRUE(rules_->amend(root(), "hearing.fine_threshold.citizen", county_market));
  EXPECT_EQ(lookup("hearing.fine_threshold.citizen", town_, "2024-06-01", "market")->value, 800000);
  EXPECT_EQ(lookup("hearing.fine_threshold.citizen", xiayi_, "2024-06-01", "market")->value,
            1000000);
}

TEST_P(RulesTest, ACountyUnderTheProvinceDirectlyTakesNoCityValues) {
  // 省直管: the tree puts the county right under the province; its digits
  // would still name 商丘市 (411400), whose values must not reach it.
  const auto direct = jurisdiction("411482", "省直管某县", "county", henan_);
  ASSERT_TRUE(
      rules_->amend(root(), "major_penalty.filing_period", amendment(shangqiu_, 10, "2024-01-01")));
  EXPECT_EQ(lookup("major_penalty.filing_period", yongcheng_, "2024-06-01")->value, 10);
  EXPECT_EQ(lookup("major_penalty.filing_period", direct, "2024-06-01")->value, 15);
}

TEST_P(RulesTest, ACodeCannotClaimALevelAboveItsPlace) {
  // A county office may add townships: not one coded as national law or as
  // the province, which would set their values for everyone.
  auto office = county_office(yongcheng_);
  for (const char* code : {"000000", "410000", "411400", "411426001"}) {
    auto j = svc_->create_jurisdiction(
        office, org::NewJurisdiction{
                    .code = code, .name = "伪造", .level = "township", .parent_id = yongcheng_});
    ASSERT_FALSE(j) << code;
    EXPECT_EQ(j.error().code, ErrorCode::kOrgInvalid) << code;
  }
}

TEST_P(RulesTest, TwoProcessesStartingTogetherLoadTheShippedRulesOnce) {
  storage::testing::TestDatabase fresh(GetParam());
  if (fresh.skipped()) GTEST_SKIP();
  auto db1 = fresh.open_migrated();
  auto db2 = fresh.open();
  RuleService one(*db1, clock_);
  RuleService two(*db2, clock_);
  Result<int> a = 0;
  Result<int> b = 0;
  std::thread t1([&] { a = one.install_shipped(); });
  std::thread t2([&] { b = two.install_shipped(); });
  t1.join();
  t2.join();
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(b) << b.error().message;
  const auto shipped = static_cast<int>(shipped_rules().versions.size());
  EXPECT_EQ(*a + *b, shipped);
  auto rows = db1->read([&](Tx& tx) -> Result<std::int64_t> {
    XZZF_TRY(r, tx.query_one("SELECT COUNT(*) FROM record_entries WHERE action = 'rule.shipped'"));
    return r->i64(0);
  });
  ASSERT_TRUE(rows);
  EXPECT_EQ(*rows, shipped);
}

INSTANTIATE_TEST_SUITE_P(Dialects, RulesTest,
                         ::testing::Values(storage::Dialect::kSqlite, storage::Dialect::kPostgres),
                         storage::testing::dialect_name);

}  // namespace
}  // namespace xzzf::rules
