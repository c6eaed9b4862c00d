// PersonnelService on SQLite and PostgreSQL: officers with sealed personal
// data (masked in lists, revealed only with officer.reveal and audited,
// absent from the database file), the refusals of 河南省行政执法条例 第二十条
// and 第二十一条 with their article, certificate review and actions on the
// record, the case engine's question may_act(), and the public check.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "personnel/service.hpp"
#include "personnel_fixture.hpp"
#include "privacy/sealer.hpp"
#include "rules/service.hpp"

namespace xzzf::personnel {
namespace {

using auth::Role;
using auth::Scope;
using storage::Tx;

constexpr const char* kIdA = "411481198001011232";
constexpr const char* kIdB = "11010519491231002X";
constexpr const char* kPhoneA = "13812345678";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class PersonnelTest : public testing::PersonnelFixture {
 protected:
  void SetUp() override {
    PersonnelFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto other = svc_->create_post(root(), market_, org::NewPost{.name = "综合岗"});
    ASSERT_TRUE(other) << other.error().message;
    other_post_ = other->id;
  }

  NewOfficer zhang() const {
    return NewOfficer{.department_id = market_,
                      .full_name = "张建国",
                      .id_number = kIdA,
                      .phone = kPhoneA,
                      .employment = "established",
                      .post_id = post_,
                      .post_started_on = "2018-03-01"};
  }

  std::int64_t officer(const NewOfficer& cmd) {
    auto o = personnel_->create_officer(admin(cmd.department_id), cmd);
    EXPECT_TRUE(o) << o.error().message;
    return o ? o->id : 0;
  }

  // Training in public and specialised law (条例 第二十一条).
  void trained(std::int64_t officer_id) {
    for (const char* kind : {"public_law", "special_law"}) {
      auto t = personnel_->add_training(admin(market_), Training{.officer_id = officer_id,
                                                                 .course = "行政执法基础",
                                                                 .kind = kind,
                                                                 .hours = 16,
                                                                 .completed_on = "2025-05-10"});
      ASSERT_TRUE(t) << t.error().message;
    }
  }

  // Trained, then an exam session held on 2025-06-01 and a passing score.
  void pass(std::int64_t officer_id) {
    trained(officer_id);
    if (session_ == 0) {
      auto s = personnel_->create_session(root(), ExamSession{.jurisdiction_id = yongcheng_,
                                                              .title = "2025年执法资格考试",
                                                              .held_on = "2025-06-01"});
      ASSERT_TRUE(s) << s.error().message;
      session_ = s->id;
    }
    auto r = personnel_->record_result(root(), session_, officer_id, 85, false);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_TRUE(r->passed);
  }

  // Applied and issued: a valid certificate of market in 永城市.
  Certificate certified(std::int64_t officer_id, const std::string& number) {
    pass(officer_id);
    auto applied = personnel_->apply(admin(market_), Application{.officer_id = officer_id,
                                                                 .kind = "enforcement",
                                                                 .sectors = {"market"},
                                                                 .jurisdiction_ids = {yongcheng_}});
    if (!applied) {
      ADD_FAILURE() << applied.error().message;
      return {};
    }
    auto issued = personnel_->review(root(), applied->id,
                                     Review{.approve = true,
                                            .number = number,
                                            .issued_on = "2025-07-01",
                                            .expires_on = "2030-06-30"});
    EXPECT_TRUE(issued) << issued.error().message;
    return *issued;
  }

  std::int64_t confirmed_subject(std::int64_t department, const std::string& name,
                                 bool announce = true) {
    auto s =
        svc_->propose_subject(root(), org::NewSubject{.name = name,
                                                      .kind = "statutory",
                                                      .department_id = department,
                                                      .basis = "《中华人民共和国食品安全法》"});
    EXPECT_TRUE(s) << s.error().message;
    auto c =
        svc_->confirm_subject(root(), s->id,
                              org::SubjectConfirmation{.confirmation_document = "永政〔2016〕12号",
                                                       .confirmed_on = "2016-06-01"});
    EXPECT_TRUE(c) << c.error().message;
    if (announce) {
      auto p = svc_->publish_subject(root(), s->id);
      EXPECT_TRUE(p) << p.error().message;
    }
    return s->id;
  }

  // A penalty item of the department's list, published unless `status` says otherwise.
  std::int64_t power_item(std::int64_t department, const std::string& sector,
                          const std::string& status = "published") {
    auto id = db_->write([&](Tx& tx) {
      return tx.insert(
          "INSERT INTO power_items (department_id, code, name, category, sector, "
          "effective_from, status, version, published_version, created_at_us, updated_at_us) "
          "VALUES (?, ?, ?, 'penalty', ?, '2020-01-01', ?, 1, ?, 0, 0)",
          {department, "CF-" + sector + status, "对" + sector + "违法行为的行政处罚", sector,
           status, status == "published" ? std::optional<std::int64_t>(1) : std::nullopt});
    });
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : 0;
  }

  std::int64_t entries(const std::string& action, std::int64_t subject_id) {
    auto n = db_->read([&](Tx& tx) {
      return tx.query_one("SELECT COUNT(*) FROM record_entries WHERE action = ? AND subject_id = ?",
                          {action, subject_id});
    });
    EXPECT_TRUE(n) << n.error().message;
    return n && *n ? (*n)->i64(0) : -1;
  }

  std::int64_t other_post_ = 0;
};

TEST_P(PersonnelTest, OfficersArePublicByNameAndMaskedOtherwise) {
  const auto id = officer(zhang());
  auto shown = personnel_->officer(admin(market_), id);
  ASSERT_TRUE(shown) << shown.error().message;
  EXPECT_EQ(shown->full_name, "张建国");
  EXPECT_EQ(shown->id_number_masked, "411481********1232");
  EXPECT_EQ(shown->phone_masked, "138****5678");
  ASSERT_TRUE(shown->post);
  EXPECT_EQ(shown->post->post_name, "执法岗");
  EXPECT_EQ(entries("officer.created", id), 1);

  auto list = personnel_->officers(admin(market_), OfficerQuery{.q = "建国"});
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->total, 1);
  EXPECT_EQ(list->items[0].id_number_masked, "411481********1232");

  // Another department sees none of them.
  auto other = personnel_->officers(admin(urban_), OfficerQuery{});
  ASSERT_TRUE(other);
  EXPECT_EQ(other->total, 0);
  auto refused = personnel_->officer(admin(urban_), id);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kAuthOutOfScope);

  // One person, one officer; bad numbers refused.
  auto twice = personnel_->create_officer(admin(market_), zhang());
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kPersonnelDuplicateOfficer);
  NewOfficer lower = zhang();
  lower.id_number = "11010519491231002x";
  lower.phone = "";
  EXPECT_TRUE(personnel_->create_officer(admin(market_), lower)) << "x is X";
  auto again = personnel_->create_officer(admin(market_), lower);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kPersonnelDuplicateOfficer);
  NewOfficer bad = zhang();
  bad.id_number = "411481198001011233";
  auto checksum = personnel_->create_officer(admin(market_), bad);
  ASSERT_FALSE(checksum);
  EXPECT_EQ(checksum.error().code, ErrorCode::kPersonnelInvalid);
  // A post of another department is not a post of this one.
  auto foreign_post = svc_->create_post(root(), urban_, org::NewPost{.name = "执法岗"});
  ASSERT_TRUE(foreign_post);
  NewOfficer wrong = zhang();
  wrong.id_number = "411481198001010010";
  wrong.post_id = foreign_post->id;
  auto foreign = personnel_->create_officer(admin(market_), wrong);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ErrorCode::kPersonnelInvalid);
  EXPECT_TRUE(contains(foreign.error().message, "岗位")) << foreign.error().message;
}

TEST_P(PersonnelTest, RevealNeedsItsPermissionAndIsAudited) {
  const auto id = officer(zhang());
  auto denied = personnel_->reveal(admin(market_), id);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::kAuthForbidden);

  auto seen = personnel_->reveal(root(), id);
  ASSERT_TRUE(seen) << seen.error().message;
  EXPECT_EQ(seen->id_number, kIdA);
  EXPECT_EQ(seen->phone, kPhoneA);
  auto events = trail_->recent(10, "personnel.reveal");
  ASSERT_TRUE(events) << events.error().message;
  ASSERT_EQ(events->size(), 1U);
  EXPECT_EQ((*events)[0].actor_user_id, std::optional<std::int64_t>(99));
  EXPECT_TRUE(contains((*events)[0].detail_json, std::to_string(id)));

  // Nothing of it in plaintext anywhere in the database.
  auto rows = db_->read([&](Tx& tx) {
    return tx.query_one(
        "SELECT COUNT(*) FROM officers WHERE id_number_sealed LIKE ? OR "
        "phone_sealed LIKE ? OR id_number_masked = ?",
        {std::string("%") + kIdA + "%", std::string("%") + kPhoneA + "%", kIdA});
  });
  ASSERT_TRUE(rows);
  EXPECT_EQ((*rows)->i64(0), 0);
  // Another key cannot read it.
  const privacy::Sealer other = privacy::Sealer::from_key(privacy::Sealer::Key{8});
  PersonnelService wrong_key(*db_, other, *trail_, clock_);
  auto garbled = wrong_key.reveal(root(), id);
  ASSERT_FALSE(garbled);
  EXPECT_EQ(garbled.error().code, ErrorCode::kPrivacySealedInvalid);
}

TEST_P(PersonnelTest, SeededIdNumbersAndPhonesAreNotInTheDatabaseFile) {
  if (GetParam() != storage::Dialect::kSqlite) GTEST_SKIP() << "a file only on SQLite";
  officer(zhang());
  NewOfficer li = zhang();
  li.full_name = "李文静";
  li.id_number = kIdB;
  li.phone = "0370-5123456";
  officer(li);
  // The database file and its write-ahead log: every byte SQLite wrote.
  std::string bytes;
  for (const auto& entry : std::filesystem::directory_iterator(test_db_->file().parent_path())) {
    std::ifstream in(entry.path(), std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  ASSERT_GT(bytes.size(), 10000U);
  EXPECT_TRUE(contains(bytes, "张建国")) << "the name is public and stored as is";
  for (const char* secret : {kIdA, kIdB, kPhoneA, "0370-5123456", "5123456", "1980010112"}) {
    EXPECT_FALSE(contains(bytes, secret)) << secret;
  }
}

TEST_P(PersonnelTest, OnlyEstablishedStaffWithAPassMayApply) {
  NewOfficer worker = zhang();
  worker.full_name = "王工勤";
  worker.id_number = kIdB;
  worker.employment = "service";
  const auto service_staff = officer(worker);
  pass(service_staff);
  auto refused = personnel_->apply(admin(market_), Application{.officer_id = service_staff,
                                                               .kind = "enforcement",
                                                               .sectors = {"market"},
                                                               .jurisdiction_ids = {yongcheng_}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kPersonnelNotEstablished);
  EXPECT_TRUE(contains(refused.error().message, "工勤人员")) << refused.error().message;
  ASSERT_TRUE(refused.error().basis);
  EXPECT_EQ(*refused.error().basis, "《河南省行政执法条例》第二十条");

  const auto id = officer(zhang());
  const Application a{.officer_id = id,
                      .kind = "enforcement",
                      .sectors = {"market"},
                      .jurisdiction_ids = {yongcheng_}};
  auto untrained = personnel_->apply(admin(market_), a);
  ASSERT_FALSE(untrained);
  EXPECT_EQ(untrained.error().code, ErrorCode::kPersonnelNoTraining);
  EXPECT_TRUE(contains(untrained.error().message, "公共法律知识")) << untrained.error().message;
  ASSERT_TRUE(untrained.error().basis);
  EXPECT_EQ(*untrained.error().basis, "《河南省行政执法条例》第二十一条第一款");
  trained(id);
  auto no_exam = personnel_->apply(admin(market_), a);
  ASSERT_FALSE(no_exam);
  EXPECT_EQ(no_exam.error().code, ErrorCode::kPersonnelNoExamPass);
  ASSERT_TRUE(no_exam.error().basis);
  EXPECT_EQ(*no_exam.error().basis, "《河南省行政执法条例》第二十一条第一款");

  // A fail is no pass; the pass line comes from the rule set.
  auto s = personnel_->create_session(
      root(), ExamSession{.jurisdiction_id = yongcheng_, .title = "补考", .held_on = "2025-05-01"});
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->pass_line, 60);
  EXPECT_TRUE(contains(s->pass_line_basis, "第二十一条")) << s->pass_line_basis;
  EXPECT_TRUE(contains(s->pass_line_basis, "未经核实")) << "the 条例 sets no number";
  auto failed = personnel_->record_result(root(), s->id, id, 59, false);
  ASSERT_TRUE(failed);
  EXPECT_FALSE(failed->passed);
  auto after_fail = personnel_->apply(admin(market_), a);
  ASSERT_FALSE(after_fail);
  EXPECT_EQ(after_fail.error().code, ErrorCode::kPersonnelNoExamPass);
  // Exempted only with 法律职业资格.
  auto exempt = personnel_->record_result(root(), s->id, id, std::nullopt, true);
  ASSERT_FALSE(exempt);
  EXPECT_EQ(exempt.error().code, ErrorCode::kPersonnelInvalid);

  pass(id);
  auto applied = personnel_->apply(admin(market_), a);
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(applied->status, "applied");
  EXPECT_EQ(entries("certificate.applied", applied->id), 1);
  auto twice = personnel_->apply(admin(market_), a);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kPersonnelCertificateState);
  // A department does not review its own application.
  auto self = personnel_->review(
      admin(market_), applied->id,
      Review{
          .approve = true, .number = "X", .issued_on = "2025-07-01", .expires_on = "2030-06-30"});
  ASSERT_FALSE(self);
  EXPECT_EQ(self.error().code, ErrorCode::kAuthForbidden);
}

TEST_P(PersonnelTest, CertificateLifecycleOnTheRecordAndThePublicCheck) {
  const auto id = officer(zhang());
  const Certificate c = certified(id, "豫A01234567");
  EXPECT_EQ(c.status, "valid");
  EXPECT_EQ(c.number, std::optional<std::string>("豫A01234567"));
  EXPECT_EQ(entries("certificate.issued", c.id), 1);

  auto shown = personnel_->public_certificate("豫A01234567");
  ASSERT_TRUE(shown) << shown.error().message;
  EXPECT_EQ(shown->full_name, "张建国");
  EXPECT_EQ(shown->department_name, "永城市市场监督管理局");
  EXPECT_EQ(shown->status, "valid");
  EXPECT_EQ(shown->jurisdiction_names, std::vector<std::string>{"永城市"});
  auto unknown = personnel_->public_certificate("豫A00000000");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kPersonnelCertificateNotFound);

  // The same number twice is refused.
  NewOfficer li = zhang();
  li.full_name = "李文静";
  li.id_number = kIdB;
  const auto second = officer(li);
  pass(second);
  auto applied = personnel_->apply(admin(market_), Application{.officer_id = second,
                                                               .kind = "enforcement",
                                                               .sectors = {"market"},
                                                               .jurisdiction_ids = {yongcheng_}});
  ASSERT_TRUE(applied);
  auto dup = personnel_->review(root(), applied->id,
                                Review{.approve = true,
                                       .number = "豫A01234567",
                                       .issued_on = "2025-07-01",
                                       .expires_on = "2030-06-30"});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kPersonnelDuplicateNumber);

  // A failed annual assessment suspends it (notice 五（三）); lifted, valid again.
  auto no_reason = personnel_->act(root(), c.id, CertificateAction{"annual_fail", ""});
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(no_reason.error().code, ErrorCode::kPersonnelInvalid);
  auto failed =
      personnel_->act(root(), c.id, CertificateAction{"annual_fail", "2025年度考核不合格"});
  ASSERT_TRUE(failed) << failed.error().message;
  EXPECT_EQ(failed->status, "suspended");
  EXPECT_EQ(personnel_->public_certificate("豫A01234567")->status, "suspended");
  auto cannot = personnel_->act(root(), c.id, CertificateAction{"annual_pass", ""});
  ASSERT_FALSE(cannot);
  EXPECT_EQ(cannot.error().code, ErrorCode::kPersonnelCertificateState);
  auto lifted = personnel_->act(root(), c.id, CertificateAction{"lift", "整改到位，复核合格"});
  ASSERT_TRUE(lifted) << lifted.error().message;
  EXPECT_EQ(lifted->status, "valid");
  auto reviewed = personnel_->act(root(), c.id, CertificateAction{"annual_pass", ""});
  ASSERT_TRUE(reviewed);
  EXPECT_TRUE(reviewed->reviewed_on);
  auto revoked = personnel_->act(root(), c.id, CertificateAction{"revoke", "严重违法执法"});
  ASSERT_TRUE(revoked);
  EXPECT_EQ(revoked->status, "revoked");
  EXPECT_FALSE(personnel_->act(root(), c.id, CertificateAction{"lift", "x"}));

  auto events = personnel_->certificate_events(root(), c.id);
  ASSERT_TRUE(events);
  std::vector<std::string> actions;
  for (const auto& e : *events) actions.push_back(e.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"apply", "issue", "annual_fail", "lift",
                                               "annual_pass", "revoke"}));
  EXPECT_EQ((*events)[2].reason, "2025年度考核不合格");
  EXPECT_EQ(entries("certificate.annual_fail", c.id), 1);
  EXPECT_EQ(entries("certificate.revoke", c.id), 1);
}

TEST_P(PersonnelTest, MayActAnswersWithTheArticleWhenNot) {
  const auto id = officer(zhang());
  const auto food = power_item(market_, "market");
  const auto traffic = power_item(market_, "transport");
  auto ask = [&](std::int64_t item, const std::string& date) {
    return personnel_->may_act(id, item, market_, date);
  };

  // 第十三条: the department is not a confirmed subject yet …
  auto unconfirmed = ask(food, "2025-08-01");
  ASSERT_FALSE(unconfirmed);
  EXPECT_EQ(unconfirmed.error().code, ErrorCode::kPersonnelSubjectNotActing);
  ASSERT_TRUE(unconfirmed.error().basis);
  EXPECT_TRUE(contains(*unconfirmed.error().basis, "第十三条"));
  // … nor, confirmed, announced (notice 四（二）: 未经确认、公布的，不得开展执法活动).
  const auto subject = confirmed_subject(market_, "永城市市场监督管理局", /*announce=*/false);
  auto unannounced = ask(food, "2025-08-01");
  ASSERT_FALSE(unannounced);
  EXPECT_EQ(unannounced.error().code, ErrorCode::kPersonnelSubjectNotActing);
  ASSERT_TRUE(svc_->publish_subject(root(), subject));
  // Confirmed on 2016-06-01: not before.
  auto before = ask(food, "2016-05-31");
  ASSERT_FALSE(before);
  EXPECT_EQ(before.error().code, ErrorCode::kPersonnelSubjectNotActing);

  // 第二十一条: no certificate.
  auto none = ask(food, "2025-08-01");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kPersonnelNoCertificate);
  EXPECT_EQ(*none.error().basis, "《河南省行政执法条例》第二十一条第一款");

  const Certificate c = certified(id, "豫A07654321");
  EXPECT_TRUE(ask(food, "2025-08-01")) << "valid, right sector and area";
  // Before it was issued, after it expired.
  auto early = ask(food, "2025-06-30");
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, ErrorCode::kPersonnelNoCertificate);
  auto expired = ask(food, "2030-07-01");
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, ErrorCode::kPersonnelNoCertificate);
  EXPECT_TRUE(contains(expired.error().message, "到期")) << expired.error().message;
  // Another sector.
  auto sector = ask(traffic, "2025-08-01");
  ASSERT_FALSE(sector);
  EXPECT_EQ(sector.error().code, ErrorCode::kPersonnelCertificateScope);
  EXPECT_TRUE(contains(sector.error().message, "执法类别")) << sector.error().message;
  ASSERT_TRUE(sector.error().basis);
  // Another department's officer.
  auto elsewhere = personnel_->may_act(id, food, urban_, "2025-08-01");
  ASSERT_FALSE(elsewhere);
  EXPECT_EQ(elsewhere.error().code, ErrorCode::kPersonnelOtherDepartment);
  // Only the department's own published items: 行政处罚法 第十七条.
  const auto theirs = power_item(urban_, "market");
  auto foreign = ask(theirs, "2025-08-01");
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ErrorCode::kPersonnelNotListed);
  ASSERT_TRUE(foreign.error().basis);
  EXPECT_EQ(*foreign.error().basis, "《中华人民共和国行政处罚法》第十七条");
  auto draft = ask(power_item(market_, "market", "draft"), "2025-08-01");
  ASSERT_FALSE(draft);
  EXPECT_EQ(draft.error().code, ErrorCode::kPersonnelNotListed);
  // Suspended.
  ASSERT_TRUE(
      personnel_->act(root(), c.id, CertificateAction{"suspend", "涉嫌违法执法，暂扣调查"}));
  auto suspended = ask(food, "2025-08-01");
  ASSERT_FALSE(suspended);
  EXPECT_EQ(suspended.error().code, ErrorCode::kPersonnelNoCertificate);
  EXPECT_TRUE(contains(suspended.error().message, "暂扣")) << suspended.error().message;
}

TEST_P(PersonnelTest, AreasStayWithinTheDepartmentsJurisdiction) {
  const auto township = jurisdiction("411481101", "芒山镇", "township", yongcheng_);
  confirmed_subject(market_, "永城市市场监督管理局");
  const auto id = officer(zhang());
  pass(id);
  auto apply = [&](std::int64_t area) {
    return personnel_->apply(admin(market_), Application{.officer_id = id,
                                                         .kind = "enforcement",
                                                         .sectors = {"market"},
                                                         .jurisdiction_ids = {area}});
  };
  // Above the department's county: refused.
  auto above = apply(shangqiu_);
  ASSERT_FALSE(above);
  EXPECT_EQ(above.error().code, ErrorCode::kPersonnelAreaOutside);
  EXPECT_TRUE(contains(above.error().message, "商丘市")) << above.error().message;
  // A township below it: granted …
  auto below = apply(township);
  ASSERT_TRUE(below) << below.error().message;
  // … not by a legal office whose scope is another county …
  const auto liangyuan = jurisdiction("411402", "梁园区", "county", shangqiu_);
  auto other = caller(Role::kLegalOffice, Scope::jurisdictions({liangyuan}), 50);
  const Review issue{
      .approve = true, .number = "豫B1", .issued_on = "2025-07-01", .expires_on = "2030-06-30"};
  auto outside = personnel_->review(other, below->id, issue);
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().code, ErrorCode::kAuthOutOfScope);
  // … and then it does not cover the county's own items.
  ASSERT_TRUE(personnel_->review(root(), below->id, issue));
  const auto item = power_item(market_, "market");
  auto uncovered = personnel_->may_act(id, item, market_, "2025-08-01");
  ASSERT_FALSE(uncovered);
  EXPECT_EQ(uncovered.error().code, ErrorCode::kPersonnelCertificateScope);
  EXPECT_TRUE(contains(uncovered.error().message, "区域“永城市”")) << uncovered.error().message;
}

TEST_P(PersonnelTest, PostHistoryForRotation) {
  const auto id = officer(zhang());
  auto moved = personnel_->assign_post(admin(market_), id, other_post_, "2024-01-01");
  ASSERT_TRUE(moved) << moved.error().message;
  ASSERT_TRUE(moved->post);
  EXPECT_EQ(moved->post->post_name, "综合岗");
  EXPECT_EQ(moved->post->started_on, "2024-01-01");
  auto history = personnel_->posts(admin(market_), id);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 2U);
  EXPECT_EQ((*history)[1].post_name, "执法岗");
  EXPECT_EQ((*history)[1].ended_on, std::optional<std::string>("2024-01-01"));
  EXPECT_EQ(entries("officer.post_assigned", id), 1);
  auto backwards = personnel_->assign_post(admin(market_), id, post_, "2023-01-01");
  ASSERT_FALSE(backwards);
  EXPECT_EQ(backwards.error().code, ErrorCode::kPersonnelInvalid);
}

// The fixture's clock stands on 2025-10-09 (Shanghai).
TEST_P(PersonnelTest, RemindersYellowBeforeRedWhenOverdue) {
  const auto soon = officer(zhang());
  NewOfficer li = zhang();
  li.full_name = "李文静";
  li.id_number = kIdB;
  const auto late = officer(li);
  NewOfficer wang = zhang();
  wang.full_name = "王平安";
  wang.id_number = "411481198001010010";
  const auto fine = officer(wang);
  // Issued 2024-10-20: 年审 due 2025-10-20, in 11 days → yellow.
  pass(soon);
  auto a =
      personnel_->apply(admin(market_), Application{soon, "enforcement", {"market"}, {yongcheng_}});
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(personnel_->review(root(), a->id,
                                 Review{.approve = true,
                                        .number = "豫C1",
                                        .issued_on = "2024-10-20",
                                        .expires_on = "2029-10-19"}));
  // Issued 2025-09-01, expiring 2025-09-30 (past) → red for its expiry.
  pass(late);
  auto b =
      personnel_->apply(admin(market_), Application{late, "enforcement", {"market"}, {yongcheng_}});
  ASSERT_TRUE(b);
  ASSERT_TRUE(personnel_->review(root(), b->id,
                                 Review{.approve = true,
                                        .number = "豫C2",
                                        .issued_on = "2025-09-01",
                                        .expires_on = "2025-09-30"}));
  // Issued 2025-07-01 for five years: nothing due.
  certified(fine, "豫C3");

  auto list = personnel_->reminders(admin(market_));
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), 2U);
  EXPECT_EQ((*list)[0].certificate.number, std::optional<std::string>("豫C2"));
  EXPECT_EQ((*list)[0].reason, "expiry");
  EXPECT_EQ((*list)[0].level, "red");
  EXPECT_EQ((*list)[0].due_on, "2025-09-30");
  EXPECT_EQ((*list)[1].certificate.number, std::optional<std::string>("豫C1"));
  EXPECT_EQ((*list)[1].reason, "annual_review");
  EXPECT_EQ((*list)[1].level, "yellow");
  EXPECT_EQ((*list)[1].due_on, "2025-10-20");
  // A 年审 passed today moves it a year on.
  auto c1 = personnel_->certificates(root(), CertificateQuery{.officer_id = soon});
  ASSERT_TRUE(personnel_->act(root(), c1->items[0].id, CertificateAction{"annual_pass", ""}));
  EXPECT_EQ(personnel_->reminders(admin(market_))->size(), 1U);
  // Another department sees none of them.
  EXPECT_TRUE(personnel_->reminders(admin(urban_))->empty());
}

TEST_P(PersonnelTest, RotationListsOfficersLongInOnePost) {
  const auto long_stay = officer(zhang());  // 执法岗 since 2018-03-01
  NewOfficer li = zhang();
  li.full_name = "李文静";
  li.id_number = kIdB;
  li.post_started_on = "2022-01-01";
  officer(li);
  auto list = personnel_->rotation(admin(market_));
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), 1U);
  EXPECT_EQ((*list)[0].officer.id, long_stay);
  EXPECT_EQ((*list)[0].years, 7);
  // Moved to another post, off the list.
  ASSERT_TRUE(personnel_->assign_post(admin(market_), long_stay, other_post_, "2025-09-01"));
  EXPECT_TRUE(personnel_->rotation(admin(market_))->empty());
  // A shorter setting lists the other one.
  PersonnelService strict(*db_, sealer_, *trail_, clock_, Settings{.rotation_years = 3});
  auto three = strict.rotation(admin(market_));
  ASSERT_TRUE(three);
  ASSERT_EQ(three->size(), 1U);
  EXPECT_EQ((*three)[0].officer.full_name, "李文静");
}

// The smallest files each format accepts: their signatures and a little more.
const std::string kPng = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(64, '\x01');
const std::string kJpeg = std::string("\xFF\xD8\xFF\xE0", 4) + std::string(64, '\x02');

TEST_P(PersonnelTest, APhotoIsCheckedStoredOnTheRecordAndShownByTheCertificate) {
  const auto id = officer(zhang());
  // Not an image, and too large: refused, nothing stored.
  auto text = personnel_->set_photo(admin(market_), id, "GIF89a not a photo at all");
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code_string(), "personnel.photo_invalid");
  PersonnelService small(*db_, sealer_, *trail_, clock_, Settings{.photo_max_kib = 16});
  auto big = small.set_photo(admin(market_), id, kJpeg + std::string(17 * 1024, '\0'));
  ASSERT_FALSE(big);
  EXPECT_TRUE(contains(big.error().message, "16 KB")) << big.error().message;
  // Another department's administrator may not set it.
  auto other = personnel_->set_photo(admin(urban_), id, kPng);
  ASSERT_FALSE(other);
  EXPECT_FALSE(personnel_->photo(root(), id));

  auto set = personnel_->set_photo(admin(market_), id, kPng);
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_TRUE(set->has_photo);
  auto got = personnel_->photo(admin(market_), id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->content_type, "image/png");
  EXPECT_EQ(got->bytes, kPng);
  // Replaced as a whole; each change on the record with its digest.
  ASSERT_TRUE(personnel_->set_photo(admin(market_), id, kJpeg));
  got = personnel_->photo(admin(market_), id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->content_type, "image/jpeg");
  EXPECT_EQ(got->bytes, kJpeg);
  EXPECT_EQ(entries("officer.photo_set", id), 2);

  // The public sees it once a certificate carries a number, not before.
  auto none = personnel_->public_photo("豫0000777");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code_string(), "personnel.certificate_not_found");
  certified(id, "豫0000777");
  auto check = personnel_->public_certificate("豫0000777");
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_TRUE(check->has_photo);
  auto shown = personnel_->public_photo("豫0000777");
  ASSERT_TRUE(shown) << shown.error().message;
  EXPECT_EQ(shown->bytes, kJpeg);
}

TEST_P(PersonnelTest, ScoresAndReasonsAreForThoseWhoManageOrReview) {
  const auto id = officer(zhang());
  const auto cert = certified(id, "豫0000888");
  ASSERT_TRUE(personnel_->act(root(), cert.id,
                              CertificateAction{.action = "suspend", .reason = "涉嫌违纪"}));
  auto colleague = caller(Role::kOfficer, Scope::department(market_, yongcheng_), 12);
  colleague.department_id = market_;
  // A colleague reads the officer and the certificate …
  EXPECT_TRUE(personnel_->officer(colleague, id));
  EXPECT_TRUE(personnel_->certificate(colleague, cert.id));
  // … but neither the scores nor the reasons of suspension.
  EXPECT_FALSE(personnel_->results(colleague, id));
  EXPECT_FALSE(personnel_->session_results(colleague, session_));
  EXPECT_FALSE(personnel_->certificate_events(colleague, cert.id));
  // The department's administrator and the legal office do.
  auto results = personnel_->results(admin(market_), id);
  ASSERT_TRUE(results) << results.error().message;
  EXPECT_EQ(results->size(), 1U);
  auto events = personnel_->certificate_events(admin(market_), cert.id);
  ASSERT_TRUE(events) << events.error().message;
  ASSERT_EQ(events->size(), 3U);  // apply, issue, suspend
  EXPECT_EQ(events->back().reason, "涉嫌违纪");
  // The record keeps the reason's digest, never its text: entries stay forever.
  auto payload = db_->read([&](Tx& tx) {
    return tx.query_one(
        "SELECT payload FROM record_entries WHERE action = 'certificate.suspend' AND "
        "subject_id = ?",
        {cert.id});
  });
  ASSERT_TRUE(payload && *payload);
  const std::string entry = (*payload)->text(0);
  EXPECT_FALSE(contains(entry, "涉嫌违纪")) << entry;
  EXPECT_TRUE(contains(entry, "reason_hmac")) << entry;

  // A session's results: only those of officers in the caller's scope.
  NewOfficer li = zhang();
  li.department_id = urban_;
  li.full_name = "李文静";
  li.id_number = kIdB;
  li.post_id.reset();
  auto urban_officer = personnel_->create_officer(root(), li);
  ASSERT_TRUE(urban_officer) << urban_officer.error().message;
  ASSERT_TRUE(personnel_->record_result(root(), session_, urban_officer->id, 50, false));
  auto all = personnel_->session_results(root(), session_);
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->size(), 2U);
  auto mine = personnel_->session_results(admin(market_), session_);
  ASSERT_TRUE(mine) << mine.error().message;
  ASSERT_EQ(mine->size(), 1U);
  EXPECT_EQ(mine->front().officer_name, "张建国");

  // The department filter of the certificate list.
  auto market_list = personnel_->certificates(root(), CertificateQuery{.department_id = market_});
  ASSERT_TRUE(market_list);
  EXPECT_EQ(market_list->total, 1);
  auto urban_list = personnel_->certificates(root(), CertificateQuery{.department_id = urban_});
  ASSERT_TRUE(urban_list);
  EXPECT_EQ(urban_list->total, 0);
}

TEST_P(PersonnelTest, RenewalGivesANewValidityToAValidOrExpiredCertificate) {
  const auto id = officer(zhang());
  const auto cert = certified(id, "豫0000999");
  // Found by its number, in scope only.
  auto found = personnel_->certificate_id(admin(market_), "豫0000999");
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(*found, cert.id);
  EXPECT_FALSE(personnel_->certificate_id(admin(urban_), "豫0000999"));
  EXPECT_FALSE(personnel_->certificate_id(root(), "豫0000998"));

  ASSERT_TRUE(personnel_->act(root(), cert.id,
                              CertificateAction{.action = "expire", .reason = "有效期届满"}));
  auto early = personnel_->renew(root(), cert.id,
                                 Renewal{.issued_on = "2025-10-01", .expires_on = "2025-10-02"});
  ASSERT_FALSE(early) << "an expiry already past";
  // An application of the same kind since then: the expired one stays so.
  auto again = personnel_->apply(admin(market_), Application{.officer_id = id,
                                                             .kind = "enforcement",
                                                             .sectors = {"market"},
                                                             .jurisdiction_ids = {yongcheng_}});
  ASSERT_TRUE(again) << again.error().message;
  auto twice = personnel_->renew(root(), cert.id,
                                 Renewal{.issued_on = "2025-10-01", .expires_on = "2030-09-30"});
  ASSERT_FALSE(twice) << "two open certificates of one kind";
  EXPECT_EQ(twice.error().code_string(), "personnel.certificate_state");
  ASSERT_TRUE(
      personnel_->review(root(), again->id, Review{.approve = false, .reason = "改为换证"}));
  auto renewed = personnel_->renew(
      root(), cert.id,
      Renewal{.issued_on = "2025-10-01", .expires_on = "2030-09-30", .reason = "换发新证"});
  ASSERT_TRUE(renewed) << renewed.error().message;
  EXPECT_EQ(renewed->status, "valid");
  EXPECT_EQ(renewed->number, "豫0000999");
  EXPECT_EQ(renewed->expires_on, "2030-09-30");
  EXPECT_EQ(renewed->reviewed_on, "2025-10-01") << "年审 counts from the new issue date";
  EXPECT_EQ(entries("certificate.renewed", cert.id), 1);
  // Not for a revoked one, nor for a department administrator.
  EXPECT_FALSE(personnel_->renew(admin(market_), cert.id,
                                 Renewal{.issued_on = "2025-10-01", .expires_on = "2030-09-30"}));
  ASSERT_TRUE(personnel_->act(root(), cert.id,
                              CertificateAction{.action = "revoke", .reason = "违法执法"}));
  auto revoked = personnel_->renew(root(), cert.id,
                                   Renewal{.issued_on = "2025-10-01", .expires_on = "2030-09-30"});
  ASSERT_FALSE(revoked);
  EXPECT_EQ(revoked.error().code_string(), "personnel.certificate_state");
}

INSTANTIATE_TEST_SUITE_P(Dialects, PersonnelTest,
                         ::testing::Values(storage::Dialect::kSqlite, storage::Dialect::kPostgres),
                         storage::testing::dialect_name);

}  // namespace
}  // namespace xzzf::personnel
