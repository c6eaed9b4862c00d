#include "org/service.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "org/repository.hpp"
#include "org_fixture.hpp"

namespace xzzf::org {
namespace {

using auth::Role;
using auth::Scope;
using storage::Tx;
using testing::OrgTest;

template <typename T>
std::vector<std::string> names(const std::vector<T>& items) {
  std::vector<std::string> out;
  for (const auto& i : items) out.push_back(i.name);
  std::sort(out.begin(), out.end());
  return out;
}

// 永城市 with one township and, beside it, another county of 商丘市.
class ScopeTest : public OrgTest {
 protected:
  void SetUp() override {
    OrgTest::SetUp();
    if (IsSkipped()) return;
    city_ = jurisdiction("411400", "商丘市", "city", std::nullopt);
    county_ = jurisdiction("411481", "永城市", "county", city_);
    township_ = jurisdiction("411481101", "芒山镇", "township", county_);
    other_county_ = jurisdiction("411423", "宁陵县", "county", city_);
    market_ = department("411481-SCJG", "永城市市场监督管理局", county_);
    urban_ = department("411481-CGJ", "永城市城市管理局", county_, {"urban"});
    town_ = department("411481101-ZF", "永城市芒山镇人民政府", township_, {"urban"});
    other_ = department("411423-SCJG", "宁陵县市场监督管理局", other_county_);
    market_agency_ = agency(market_, "执法稽查大队");
    urban_agency_ = agency(urban_, "城市管理综合行政执法大队");
  }

  auth::Caller market_admin() const {
    return caller(Role::kDeptAdmin, Scope::department(market_, county_), 5);
  }
  auth::Caller legal_office() const {
    return caller(Role::kLegalOffice, Scope::jurisdictions({county_, township_}), 6);
  }

  std::int64_t city_ = 0, county_ = 0, township_ = 0, other_county_ = 0;
  std::int64_t market_ = 0, urban_ = 0, town_ = 0, other_ = 0;
  std::int64_t market_agency_ = 0, urban_agency_ = 0;
};

TEST_P(ScopeTest, ListsLeaveOutAnotherDepartmentsObjects) {
  auto deps = svc_->departments(market_admin(), DepartmentQuery{});
  ASSERT_TRUE(deps) << deps.error().message;
  EXPECT_EQ(deps->total, 1);
  EXPECT_EQ(names(deps->items), std::vector<std::string>{"永城市市场监督管理局"});
  ASSERT_EQ(deps->items.size(), 1u);
  EXPECT_EQ(deps->items[0].agency_count, 1);
  EXPECT_EQ(deps->items[0].sectors, std::vector<std::string>{"market"});

  auto own = svc_->agencies(market_admin(), market_);
  ASSERT_TRUE(own) << own.error().message;
  EXPECT_EQ(names(*own), std::vector<std::string>{"执法稽查大队"});

  ASSERT_TRUE(svc_->propose_subject(root(), NewSubject{.name = "永城市城市管理局",
                                                       .kind = "statutory",
                                                       .department_id = urban_,
                                                       .basis = "《城市市容和环境卫生管理条例》"}));
  ASSERT_TRUE(
      svc_->propose_subject(market_admin(), NewSubject{.name = "永城市市场监督管理局",
                                                       .kind = "statutory",
                                                       .department_id = market_,
                                                       .basis = "《中华人民共和国产品质量法》"}));
  auto subjects = svc_->subjects(market_admin(), SubjectQuery{});
  ASSERT_TRUE(subjects) << subjects.error().message;
  EXPECT_EQ(names(subjects->items), std::vector<std::string>{"永城市市场监督管理局"});
  EXPECT_EQ(subjects->total, 1);
  auto all = svc_->subjects(root(), SubjectQuery{});
  ASSERT_TRUE(all);
  EXPECT_EQ(all->total, 2);
}

TEST_P(ScopeTest, DetailsOfAnotherDepartmentAreRefused) {
  auto d = svc_->department(market_admin(), urban_);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ErrorCode::kAuthOutOfScope);
  EXPECT_EQ(d.error().kind(), ErrorKind::kForbidden);
  auto agencies = svc_->agencies(market_admin(), urban_);
  ASSERT_FALSE(agencies);
  EXPECT_EQ(agencies.error().code, ErrorCode::kAuthOutOfScope);
  auto posts = svc_->posts(market_admin(), urban_);
  ASSERT_FALSE(posts);
  EXPECT_EQ(posts.error().code, ErrorCode::kAuthOutOfScope);
  auto history = svc_->department_history(market_admin(), urban_);
  ASSERT_FALSE(history);
  EXPECT_EQ(history.error().code, ErrorCode::kAuthOutOfScope);
  auto added = svc_->create_agency(market_admin(), urban_, NewAgency{.name = "法制科"});
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, ErrorCode::kAuthOutOfScope);
  auto renamed = svc_->update_agency(market_admin(), urban_, urban_agency_,
                                     AgencyUpdate{.name = std::string("改名")});
  ASSERT_FALSE(renamed);
  EXPECT_EQ(renamed.error().code, ErrorCode::kAuthOutOfScope);
  auto proposed = svc_->propose_subject(
      market_admin(),
      NewSubject{.name = "x", .kind = "statutory", .department_id = urban_, .basis = "y"});
  ASSERT_FALSE(proposed);
  EXPECT_EQ(proposed.error().code, ErrorCode::kAuthOutOfScope);
  // An agency id of another department under one's own department is not found.
  auto wrong_parent = svc_->update_agency(market_admin(), market_, urban_agency_,
                                          AgencyUpdate{.duties = std::string("x")});
  ASSERT_FALSE(wrong_parent);
  EXPECT_EQ(wrong_parent.error().code, ErrorCode::kOrgAgencyNotFound);
  // Its own department works.
  EXPECT_TRUE(svc_->create_agency(market_admin(), market_, NewAgency{.name = "法规股"}));
}

TEST_P(ScopeTest, LegalOfficeSeesItsSubtreeOnly) {
  auto deps = svc_->departments(legal_office(), DepartmentQuery{});
  ASSERT_TRUE(deps) << deps.error().message;
  EXPECT_EQ(names(deps->items),
            (std::vector<std::string>{"永城市城市管理局", "永城市市场监督管理局",
                                      "永城市芒山镇人民政府"}));
  auto town_only = svc_->departments(legal_office(), DepartmentQuery{.jurisdiction_id = township_});
  ASSERT_TRUE(town_only);
  EXPECT_EQ(names(town_only->items), std::vector<std::string>{"永城市芒山镇人民政府"});
  auto other = svc_->department(legal_office(), other_);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kAuthOutOfScope);
  auto outside =
      svc_->create_department(legal_office(), NewDepartment{.code = "411423-X",
                                                            .name = "宁陵县某局",
                                                            .jurisdiction_id = other_county_,
                                                            .sectors = {"market"},
                                                            .effective_from = "2020-01-01"});
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().code, ErrorCode::kAuthOutOfScope);
  auto inside =
      svc_->create_department(legal_office(), NewDepartment{.code = "411481-SLJ",
                                                            .name = "永城市水利局",
                                                            .jurisdiction_id = county_,
                                                            .sectors = {"water"},
                                                            .effective_from = "2019-03-01"});
  ASSERT_TRUE(inside) << inside.error().message;
  EXPECT_EQ(inside->jurisdiction_name, "永城市");
  // The jurisdiction tree itself is not department data: all of it is listed.
  auto tree = svc_->jurisdictions(legal_office());
  ASSERT_TRUE(tree);
  EXPECT_EQ(tree->size(), 4u);
}

TEST_P(ScopeTest, RepositoryListsThroughTheScopeFilter) {
  auto page = db_->read([&](Tx& tx) {
    return repo::list_departments(
        tx, Scope::department(urban_, county_).filter("d.id", "d.jurisdiction_id"),
        DepartmentQuery{});
  });
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(names(page->items), std::vector<std::string>{"永城市城市管理局"});
  auto search = db_->read([&](Tx& tx) {
    return repo::list_departments(tx, Scope::all().filter("d.id", "d.jurisdiction_id"),
                                  DepartmentQuery{.q = "市场"});
  });
  ASSERT_TRUE(search);
  EXPECT_EQ(search->total, 2);
  auto paged = db_->read([&](Tx& tx) {
    return repo::list_departments(tx, Scope::all().filter("d.id", "d.jurisdiction_id"),
                                  DepartmentQuery{.page = {.page = 2, .page_size = 3}});
  });
  ASSERT_TRUE(paged);
  EXPECT_EQ(paged->total, 4);
  EXPECT_EQ(paged->items.size(), 1u);
  auto none = db_->read([&](Tx& tx) {
    return repo::list_departments(tx, Scope::none().filter("d.id", "d.jurisdiction_id"),
                                  DepartmentQuery{});
  });
  ASSERT_TRUE(none);
  EXPECT_EQ(none->total, 0);
}

TEST_P(ScopeTest, PermissionsAreCheckedInTheServiceToo) {
  auto officer = caller(Role::kOfficer, Scope::department(market_, county_));
  auto added = svc_->create_agency(officer, market_, NewAgency{.name = "法规股"});
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, ErrorCode::kAuthForbidden);
  auto dept =
      svc_->create_department(market_admin(), NewDepartment{.code = "x",
                                                            .name = "x",
                                                            .jurisdiction_id = county_,
                                                            .sectors = {"market"},
                                                            .effective_from = "2020-01-01"});
  ASSERT_FALSE(dept);
  EXPECT_EQ(dept.error().code, ErrorCode::kAuthForbidden);
  auto auditor = caller(Role::kAuditor, Scope::all());
  auto read = svc_->departments(auditor, DepartmentQuery{});
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::kAuthForbidden);
}

TEST_P(ScopeTest, ValidationAnswersWithClearErrors) {
  auto dup = svc_->create_department(root(), NewDepartment{.code = "411481-SCJG",
                                                           .name = "重复",
                                                           .jurisdiction_id = county_,
                                                           .sectors = {"market"},
                                                           .effective_from = "2020-01-01"});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kOrgDuplicateCode);
  EXPECT_EQ(dup.error().kind(), ErrorKind::kConflict);
  EXPECT_NE(dup.error().message.find("411481-SCJG"), std::string::npos);

  auto sector = svc_->create_department(root(), NewDepartment{.code = "411481-NEW",
                                                              .name = "新局",
                                                              .jurisdiction_id = county_,
                                                              .sectors = {"market", "space"},
                                                              .effective_from = "2020-01-01"});
  ASSERT_FALSE(sector);
  EXPECT_EQ(sector.error().code, ErrorCode::kOrgUnknownSector);
  EXPECT_EQ(sector.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(sector.error().message.find("space"), std::string::npos);

  auto date = svc_->create_department(root(), NewDepartment{.code = "411481-NEW",
                                                            .name = "新局",
                                                            .jurisdiction_id = county_,
                                                            .sectors = {"market"},
                                                            .effective_from = "2020-02-30"});
  ASSERT_FALSE(date);
  EXPECT_EQ(date.error().code, ErrorCode::kDateInvalid);

  auto self = svc_->merge_department(
      root(), market_,
      DepartmentMerge{.into_department_id = market_, .effective_date = "2020-01-01"});
  ASSERT_FALSE(self);
  EXPECT_EQ(self.error().code, ErrorCode::kOrgMergeSelf);
  EXPECT_EQ(self.error().kind(), ErrorKind::kInvalidInput);

  auto across = svc_->merge_department(
      root(), market_,
      DepartmentMerge{.into_department_id = town_, .effective_date = "2020-01-01"});
  ASSERT_FALSE(across);
  EXPECT_EQ(across.error().code, ErrorCode::kOrgMergeAcrossJurisdictions);
  EXPECT_EQ(across.error().kind(), ErrorKind::kInvalidInput);

  auto code = svc_->create_jurisdiction(
      root(),
      NewJurisdiction{.code = "41148", .name = "x", .level = "township", .parent_id = county_});
  ASSERT_FALSE(code);
  EXPECT_EQ(code.error().code, ErrorCode::kOrgInvalid);
  auto level = svc_->create_jurisdiction(
      root(),
      NewJurisdiction{.code = "411400", .name = "x", .level = "city", .parent_id = county_});
  ASSERT_FALSE(level);
  EXPECT_EQ(level.error().code, ErrorCode::kOrgParentLevel);
  auto dup_j = svc_->create_jurisdiction(
      root(),
      NewJurisdiction{.code = "411481101", .name = "x", .level = "township", .parent_id = county_});
  ASSERT_FALSE(dup_j);
  EXPECT_EQ(dup_j.error().code, ErrorCode::kOrgDuplicateCode);

  auto dup_agency = svc_->create_agency(root(), market_, NewAgency{.name = "执法稽查大队"});
  ASSERT_FALSE(dup_agency);
  EXPECT_EQ(dup_agency.error().code, ErrorCode::kOrgDuplicateName);
}

TEST_P(ScopeTest, OnlyConfirmedSubjectsArePublished) {
  auto s =
      svc_->propose_subject(market_admin(), NewSubject{.name = "永城市市场监督管理局",
                                                       .kind = "statutory",
                                                       .department_id = market_,
                                                       .basis = "《中华人民共和国产品质量法》"});
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->status, "proposed");
  EXPECT_EQ(s->jurisdiction_id, county_);

  auto early = svc_->publish_subject(legal_office(), s->id);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, ErrorCode::kOrgSubjectNotConfirmed);
  EXPECT_EQ(early.error().kind(), ErrorKind::kRuleRefused);
  EXPECT_EQ(early.error().basis, std::optional<std::string>("《河南省行政执法条例》第十三条"));
  EXPECT_FALSE(check_subject_may_act(*s));

  auto by_department = svc_->confirm_subject(market_admin(), s->id,
                                             SubjectConfirmation{"永政〔2019〕36号", "2019-12-20"});
  ASSERT_FALSE(by_department);
  EXPECT_EQ(by_department.error().code, ErrorCode::kAuthForbidden);

  auto confirmed = svc_->confirm_subject(legal_office(), s->id,
                                         SubjectConfirmation{"永政〔2019〕36号", "2019-12-20"});
  ASSERT_TRUE(confirmed) << confirmed.error().message;
  EXPECT_EQ(confirmed->status, "confirmed");
  EXPECT_TRUE(check_subject_may_act(*confirmed));
  auto twice = svc_->confirm_subject(legal_office(), s->id,
                                     SubjectConfirmation{"永政〔2019〕36号", "2019-12-20"});
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kOrgSubjectState);

  auto before = svc_->public_subjects(PublicSubjectQuery{});
  ASSERT_TRUE(before);
  EXPECT_EQ(before->total, 0);
  auto published = svc_->publish_subject(legal_office(), s->id);
  ASSERT_TRUE(published) << published.error().message;
  EXPECT_TRUE(published->published);
  auto shown = svc_->public_subjects(PublicSubjectQuery{});
  ASSERT_TRUE(shown);
  ASSERT_EQ(shown->total, 1);
  EXPECT_EQ(shown->items[0].department_name, "永城市市场监督管理局");
  EXPECT_EQ(shown->items[0].jurisdiction_name, "永城市");
  EXPECT_EQ(shown->items[0].confirmation_document, "永政〔2019〕36号");
  auto search = svc_->public_subjects(PublicSubjectQuery{.q = "城市管理"});
  ASSERT_TRUE(search);
  EXPECT_EQ(search->total, 0);

  auto revoked =
      svc_->revoke_subject(legal_office(), s->id, SubjectRevocation{"机构改革", "2021-01-01"});
  ASSERT_TRUE(revoked) << revoked.error().message;
  EXPECT_EQ(revoked->status, "revoked");
  auto after = svc_->public_subjects(PublicSubjectQuery{});
  ASSERT_TRUE(after);
  EXPECT_EQ(after->total, 0);
  auto republish = svc_->publish_subject(legal_office(), s->id);
  ASSERT_FALSE(republish);
  EXPECT_EQ(republish.error().code, ErrorCode::kOrgSubjectNotConfirmed);

  // 第十四条: an entrusted organisation names the agency that entrusts it.
  auto entrusted = svc_->propose_subject(
      root(),
      NewSubject{.name = "受托", .kind = "entrusted", .department_id = town_, .basis = "委托书"});
  ASSERT_FALSE(entrusted);
  EXPECT_EQ(entrusted.error().code, ErrorCode::kOrgEntrustingDepartment);
  EXPECT_EQ(entrusted.error().basis, std::optional<std::string>("《河南省行政执法条例》第十四条"));
  auto with_entrusting =
      svc_->propose_subject(root(), NewSubject{.name = "受托",
                                               .kind = "entrusted",
                                               .department_id = town_,
                                               .basis = "委托书",
                                               .entrusted_by_department_id = urban_});
  ASSERT_TRUE(with_entrusting) << with_entrusting.error().message;
  EXPECT_EQ(with_entrusting->entrusted_by_department_name,
            std::optional<std::string>("永城市城市管理局"));
}

TEST_P(ScopeTest, MergeMovesAgenciesAndPostsAndKeepsHistory) {
  // Both have a 法规股: the moved one keeps its origin in its name.
  agency(urban_, "法规股");
  auto moved_law = agency(market_, "法规股");
  ASSERT_TRUE(svc_->create_post(
      root(), market_,
      NewPost{.name = "执法岗", .agency_id = market_agency_, .is_enforcement = true}));
  auto merged = svc_->merge_department(
      root(), market_,
      DepartmentMerge{.into_department_id = urban_, .effective_date = "2021-06-01"});
  ASSERT_TRUE(merged) << merged.error().message;
  EXPECT_EQ(merged->status, "merged");
  EXPECT_EQ(merged->merged_into_id, std::optional<std::int64_t>(urban_));
  EXPECT_EQ(merged->effective_to, std::optional<std::string>("2021-06-01"));
  EXPECT_EQ(merged->agency_count, 0);

  auto agencies = svc_->agencies(root(), urban_);
  ASSERT_TRUE(agencies);
  EXPECT_EQ(names(*agencies),
            (std::vector<std::string>{"城市管理综合行政执法大队", "执法稽查大队", "法规股",
                                      "法规股（原永城市市场监督管理局）"}));
  auto moved = std::find_if(agencies->begin(), agencies->end(),
                            [&](const Agency& a) { return a.id == moved_law; });
  ASSERT_NE(moved, agencies->end());
  EXPECT_EQ(moved->department_id, urban_);
  auto posts = svc_->posts(root(), urban_);
  ASSERT_TRUE(posts);
  ASSERT_EQ(posts->size(), 1u);
  EXPECT_EQ(posts->front().agency_name, std::optional<std::string>("执法稽查大队"));

  // A merged department is out of the default list and takes no changes.
  auto listed = svc_->departments(root(), DepartmentQuery{.jurisdiction_id = county_});
  ASSERT_TRUE(listed);
  EXPECT_EQ(names(listed->items), std::vector<std::string>{"永城市城市管理局"});
  auto with_inactive = svc_->departments(
      root(), DepartmentQuery{.jurisdiction_id = county_, .include_inactive = true});
  ASSERT_TRUE(with_inactive);
  EXPECT_EQ(with_inactive->total, 2);
  auto again = svc_->update_department(
      root(), market_, DepartmentUpdate{.name = std::string("x"), .effective_date = "2021-07-01"});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kOrgDepartmentInactive);

  auto history = svc_->department_history(root(), market_);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].change, "create");
  EXPECT_EQ((*history)[1].change, "merge");
  EXPECT_EQ((*history)[1].effective_date, "2021-06-01");
  auto target_history = svc_->department_history(root(), urban_);
  ASSERT_TRUE(target_history);
  EXPECT_EQ(target_history->back().change, "absorb");

  auto events = trail_->recent(100, "department.merged");
  ASSERT_TRUE(events);
  EXPECT_EQ(events->size(), 1u);
}

TEST_P(ScopeTest, RenameKeepsTheOldNameInHistory) {
  auto renamed = svc_->update_department(
      root(), urban_,
      DepartmentUpdate{.name = std::string("永城市城市管理局（永城市综合行政执法局）"),
                       .short_name = std::string("永城管"),
                       .sectors = std::vector<std::string>{"urban", "housing", "urban"},
                       .effective_date = "2020-05-01"});
  ASSERT_TRUE(renamed) << renamed.error().message;
  EXPECT_EQ(renamed->name, "永城市城市管理局（永城市综合行政执法局）");
  EXPECT_EQ(renamed->sectors, (std::vector<std::string>{"housing", "urban"}));
  auto history = svc_->department_history(root(), urban_);
  ASSERT_TRUE(history) << history.error().message;
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[1].change, "rename");
  EXPECT_EQ((*history)[1].effective_date, "2020-05-01");
  EXPECT_NE((*history)[1].before_json.find("永城市城市管理局"), std::string::npos);
  EXPECT_EQ((*history)[1].actor_user_id, std::optional<std::int64_t>(99));
  EXPECT_EQ((*history)[2].change, "sectors");
  auto events = trail_->recent(100, "department.renamed");
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().actor, "legal_office");
  EXPECT_EQ(events->front().actor_user_id, std::optional<std::int64_t>(99));
  // The same change is on the record, scoped to the department.
  auto entries = db_->read([&](storage::Tx& tx) {
    return tx.query(
        "SELECT actor_user_id, department_id, payload FROM record_entries "
        "WHERE subject_type = 'department' AND subject_id = ? AND action = 'department.renamed'",
        {urban_});
  });
  ASSERT_TRUE(entries) << entries.error().message;
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ(entries->front().opt_i64(0), std::optional<std::int64_t>(99));
  EXPECT_EQ(entries->front().opt_i64(1), std::optional<std::int64_t>(urban_));
  EXPECT_NE(entries->front().text(2).find("\"effective_date\":\"2020-05-01\""), std::string::npos);

  auto bad_date = svc_->update_department(
      root(), urban_, DepartmentUpdate{.name = std::string("x"), .effective_date = "2020/05/01"});
  ASSERT_FALSE(bad_date);
  EXPECT_EQ(bad_date.error().code, ErrorCode::kDateInvalid);
}

TEST_P(ScopeTest, AgenciesAreRenamedAndAbolished) {
  auto renamed = svc_->update_agency(market_admin(), market_, market_agency_,
                                     AgencyUpdate{.name = std::string("综合行政执法大队")});
  ASSERT_TRUE(renamed) << renamed.error().message;
  EXPECT_EQ(renamed->name, "综合行政执法大队");
  auto abolished = svc_->abolish_agency(market_admin(), market_, market_agency_, "2026-01-01");
  ASSERT_TRUE(abolished) << abolished.error().message;
  EXPECT_EQ(abolished->status, "abolished");
  EXPECT_EQ(abolished->effective_to, std::optional<std::string>("2026-01-01"));
  auto twice = svc_->abolish_agency(market_admin(), market_, market_agency_, "2026-01-01");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kOrgAgencyInactive);
  auto changes =
      db_->read([&](Tx& tx) { return repo::list_changes(tx, "agency", market_agency_); });
  ASSERT_TRUE(changes);
  ASSERT_EQ(changes->size(), 3u);
  EXPECT_EQ((*changes)[1].change, "rename");
  EXPECT_EQ((*changes)[2].change, "abolish");
}

INSTANTIATE_TEST_SUITE_P(Dialects, ScopeTest,
                         ::testing::Values(storage::Dialect::kSqlite, storage::Dialect::kPostgres),
                         storage::testing::dialect_name);

}  // namespace
}  // namespace xzzf::org
