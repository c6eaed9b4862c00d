// PersonnelService's imports on SQLite and PostgreSQL: officers from a
// spreadsheet (all rows or none, the row report naming row and column and
// never a whole ID number, each officer on the record), the numbers the
// province issued (each matching application issued as review() issues one),
// and the numbers a deployment at province level gives itself.

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "personnel/service.hpp"
#include "personnel/sheet.hpp"
#include "personnel_fixture.hpp"
#include "privacy/mask.hpp"
#include "privacy/sealer.hpp"
#include "rules/service.hpp"
#include "sheets/reader.hpp"
#include "sheets/writer.hpp"

namespace xzzf::personnel {
namespace {

using auth::Role;
using auth::Scope;
using storage::Tx;

// A valid 居民身份证号码 of 永城市 born 1985-03-01: `serial` (0–999) and its
// MOD 11-2 check character.
std::string id_number(int serial) {
  std::string body = "41148119850301";
  body += std::to_string(1000 + serial).substr(1);
  return body + privacy::id_check_character(body);
}

// The same with a wrong check character.
std::string bad_checksum(int serial) {
  std::string id = id_number(serial);
  id.back() = id.back() == '0' ? '1' : '0';
  return id;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class ImportTest : public testing::PersonnelFixture {
 protected:
  static std::string officers_file(const sheets::Rows& rows) {
    auto bytes = sheets::xlsx_bytes("执法人员", officer_template(), rows);
    EXPECT_TRUE(bytes) << bytes.error().message;
    return bytes ? *bytes : std::string();
  }
  static std::string numbers_file(const sheets::Rows& rows) {
    auto bytes = sheets::xlsx_bytes("证件编号", number_template(), rows);
    EXPECT_TRUE(bytes) << bytes.error().message;
    return bytes ? *bytes : std::string();
  }

  // Three good rows: 姓名, 身份证号码, 联系电话, 人员性质, 法律职业资格, 岗位, 到岗日期.
  static sheets::Rows good_rows() {
    return {{"张建国", id_number(1), "13812345678", "在编在职人员", "是", "执法岗", "2018-03-01"},
            {"李文静", id_number(2), "", "established", "", "", ""},
            {"王工勤", id_number(3), "0370-5123456", "工勤人员", "否", "执法岗", ""}};
  }

  std::int64_t count(const std::string& sql) {
    auto n = db_->read([&](Tx& tx) { return tx.query_one(sql); });
    EXPECT_TRUE(n) << n.error().message;
    return n && *n ? (*n)->i64(0) : -1;
  }
  std::int64_t entries(const std::string& action) {
    auto n = db_->read([&](Tx& tx) {
      return tx.query_one("SELECT COUNT(*) FROM record_entries WHERE action = ?", {action});
    });
    EXPECT_TRUE(n) << n.error().message;
    return n && *n ? (*n)->i64(0) : -1;
  }

  // Imports `rows` into 市场监管局 expecting them refused; the report.
  std::vector<sheets::RowIssue> refused(const sheets::Rows& rows) {
    auto r = personnel_->import_officers(admin(market_), market_, officers_file(rows));
    EXPECT_TRUE(r) << r.error().message;
    if (!r) return {};
    EXPECT_EQ(r->imported, 0);
    EXPECT_FALSE(r->issues.empty());
    return r->issues;
  }

  // No message of the report holds a whole ID number of `rows`.
  static void expect_no_id_number(const std::vector<sheets::RowIssue>& issues,
                                  const sheets::Rows& rows) {
    for (const auto& i : issues) {
      for (const auto& row : rows) {
        if (row.size() > 1 && !row[1].empty()) {
          EXPECT_FALSE(contains(i.message, row[1])) << i.message;
          EXPECT_FALSE(contains(i.message, row[1].substr(6, 8))) << "birth date: " << i.message;
        }
      }
    }
  }

  // Trained, an exam passed and an application of `kind` for market in 永城市.
  std::int64_t applied(std::int64_t officer_id, const std::string& kind = "enforcement") {
    for (const char* training : {"public_law", "special_law"}) {
      auto t = personnel_->add_training(admin(market_), Training{.officer_id = officer_id,
                                                                 .course = "行政执法基础",
                                                                 .kind = training,
                                                                 .hours = 16,
                                                                 .completed_on = "2025-05-10"});
      EXPECT_TRUE(t) << t.error().message;
    }
    if (session_ == 0) {
      auto s = personnel_->create_session(root(), ExamSession{.jurisdiction_id = yongcheng_,
                                                              .title = "2025年执法资格考试",
                                                              .held_on = "2025-06-01"});
      EXPECT_TRUE(s) << s.error().message;
      session_ = s ? s->id : 0;
    }
    auto r = personnel_->record_result(root(), session_, officer_id, 85, false);
    EXPECT_TRUE(r) << r.error().message;
    auto a = personnel_->apply(admin(market_), Application{.officer_id = officer_id,
                                                           .kind = kind,
                                                           .sectors = {"market"},
                                                           .jurisdiction_ids = {yongcheng_}});
    EXPECT_TRUE(a) << a.error().message;
    return a ? a->id : 0;
  }

  std::int64_t officer(const std::string& name, const std::string& id) {
    auto o = personnel_->create_officer(admin(market_), NewOfficer{.department_id = market_,
                                                                   .full_name = name,
                                                                   .id_number = id,
                                                                   .employment = "established"});
    EXPECT_TRUE(o) << o.error().message;
    return o ? o->id : 0;
  }

  Certificate certificate(std::int64_t id) {
    auto c = personnel_->certificate(root(), id);
    EXPECT_TRUE(c) << c.error().message;
    return c ? *c : Certificate{};
  }
};

TEST_P(ImportTest, AGoodFileImportsEveryRowMaskedAndOnTheRecord) {
  auto r = personnel_->import_officers(admin(market_), market_, officers_file(good_rows()));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->issues.empty());
  EXPECT_EQ(r->imported, 3);

  auto list = personnel_->officers(admin(market_), OfficerQuery{});
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->total, 3);
  std::map<std::string, Officer> by_name;
  for (const auto& o : list->items) by_name[o.full_name] = o;
  const Officer& zhang = by_name["张建国"];
  EXPECT_EQ(zhang.id_number_masked, privacy::mask_id_number(id_number(1)));
  EXPECT_EQ(zhang.phone_masked, "138****5678");
  EXPECT_EQ(zhang.employment, "established");
  EXPECT_TRUE(zhang.legal_qualification);
  ASSERT_TRUE(zhang.post);
  EXPECT_EQ(zhang.post->post_id, post_);
  EXPECT_EQ(zhang.post->started_on, "2018-03-01");
  const Officer& li = by_name["李文静"];
  EXPECT_EQ(li.employment, "established") << "the code is taken too";
  EXPECT_FALSE(li.legal_qualification) << "empty is 否";
  EXPECT_FALSE(li.post);
  EXPECT_EQ(li.phone_masked, "");
  const Officer& wang = by_name["王工勤"];
  EXPECT_EQ(wang.employment, "service");
  ASSERT_TRUE(wang.post);
  EXPECT_EQ(wang.post->started_on, Date::of(clock_.now()).to_string()) << "from today";

  // Each on the record, as one entered by the form is; nothing in plaintext.
  EXPECT_EQ(entries("officer.created"), 3);
  auto plain = db_->read([&](Tx& tx) {
    return tx.query_one(
        "SELECT COUNT(*) FROM officers WHERE id_number_sealed LIKE ? OR id_number_masked = ? "
        "OR phone_sealed LIKE ?",
        {"%" + id_number(1) + "%", id_number(1), std::string("%13812345678%")});
  });
  ASSERT_TRUE(plain);
  EXPECT_EQ((*plain)->i64(0), 0);
  // The whole number opens with officer.reveal.
  auto seen = personnel_->reveal(root(), zhang.id);
  ASSERT_TRUE(seen) << seen.error().message;
  EXPECT_EQ(seen->id_number, id_number(1));
}

TEST_P(ImportTest, OneBadRowImportsNothingAndTheReportNamesRowAndColumn) {
  // An officer entered before: the same person again is refused.
  officer("赵先登", id_number(9));
  struct Case {
    const char* what;
    std::vector<std::string> row;
    std::string column;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"bad check character",
       {"周某", bad_checksum(4), "", "在编在职人员", "", "", ""},
       "身份证号码",
       "不是有效的 18 位居民身份证号码"},
      {"unknown employment",
       {"周某", id_number(4), "", "正式工", "", "", ""},
       "人员性质",
       "应为在编在职人员、工勤人员、劳动合同工、劳务派遣人员或临时工"},
      {"unknown post",
       {"周某", id_number(4), "", "在编在职人员", "", "巡查岗", ""},
       "岗位",
       "巡查岗"},
      {"twice in the file",
       {"周某", id_number(2), "", "在编在职人员", "", "", ""},
       "身份证号码",
       "与第 3 行的身份证号码（" + privacy::mask_id_number(id_number(2)) + "）重复"},
      {"an officer already",
       {"赵先登", id_number(9), "", "在编在职人员", "", "", ""},
       "身份证号码",
       privacy::mask_id_number(id_number(9)) + " 的人员已登记为执法人员"},
      {"bad phone",
       {"周某", id_number(4), "12345", "在编在职人员", "", "", ""},
       "联系电话",
       "手机"},
      {"bad 是/否", {"周某", id_number(4), "", "在编在职人员", "有", "", ""}, "法律职业资格", "是"},
      {"bad date",
       {"周某", id_number(4), "", "在编在职人员", "", "执法岗", "2018/03/01"},
       "到岗日期",
       "YYYY-MM-DD"},
      {"name too long",
       {std::string(51, 'x'), id_number(4), "", "在编在职人员", "", "", ""},
       "姓名",
       "1 至 50"},
      {"the template's example",
       {"张三", example_id_number(), "", "在编在职人员", "", "", ""},
       "身份证号码",
       "示例"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    sheets::Rows rows = good_rows();
    rows.push_back(c.row);  // row 5: the header is row 1
    const auto issues = refused(rows);
    ASSERT_EQ(issues.size(), 1U) << issues.front().column << " " << issues.front().message;
    EXPECT_EQ(issues[0].row, 5U);
    EXPECT_EQ(issues[0].column, c.column);
    EXPECT_TRUE(contains(issues[0].message, c.says)) << issues[0].message;
    expect_no_id_number(issues, rows);
    // Nothing imported: the officer entered before is the only one.
    EXPECT_EQ(count("SELECT COUNT(*) FROM officers"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM officer_posts"), 0);
    EXPECT_EQ(entries("officer.created"), 1);
  }

  // Several bad cells: every one reported, in row and column order.
  sheets::Rows rows = good_rows();
  rows[0][1] = bad_checksum(1);
  rows[0][3] = "合同工";
  rows[2][5] = "巡查岗";
  rows.push_back({"", id_number(5), "", "在编在职人员", "", "", ""});
  const auto issues = refused(rows);
  ASSERT_EQ(issues.size(), 4U);
  EXPECT_EQ(issues[0].row, 2U);
  EXPECT_EQ(issues[0].column, "身份证号码");
  EXPECT_EQ(issues[1].row, 2U);
  EXPECT_EQ(issues[1].column, "人员性质");
  EXPECT_EQ(issues[2].row, 4U);
  EXPECT_EQ(issues[2].column, "岗位");
  EXPECT_EQ(issues[3].row, 5U);
  EXPECT_EQ(issues[3].column, "姓名");
  EXPECT_EQ(issues[3].message, "必填项，不能为空");
  expect_no_id_number(issues, rows);
  EXPECT_EQ(count("SELECT COUNT(*) FROM officers"), 1);
}

TEST_P(ImportTest, TheFileAndTheCallerAreCheckedFirst) {
  // Headers other than the template's: the file is refused as a whole.
  auto other = sheets::xlsx_bytes("执法人员", std::vector<std::string>{"姓名", "身份证"},
                                  {{"张建国", id_number(1)}});
  ASSERT_TRUE(other);
  auto wrong = personnel_->import_officers(admin(market_), market_, *other);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kSheetsWrongHeaders);
  auto junk = personnel_->import_officers(admin(market_), market_, "not a spreadsheet");
  ASSERT_FALSE(junk);
  EXPECT_EQ(junk.error().code, ErrorCode::kSheetsNotXlsx);
  // Another department's officers are not this administrator's to enter.
  auto foreign = personnel_->import_officers(admin(urban_), market_, officers_file(good_rows()));
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ErrorCode::kAuthOutOfScope);
  // A reader may not import.
  auto reader = caller(Role::kOfficer, Scope::department(market_, yongcheng_));
  auto denied = personnel_->import_officers(reader, market_, officers_file(good_rows()));
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::kAuthForbidden);
  EXPECT_EQ(count("SELECT COUNT(*) FROM officers"), 0);

  // The blank template reads back with its example row, which is refused.
  auto blank = sheets::xlsx_bytes("执法人员", officer_template(), officer_example());
  ASSERT_TRUE(blank);
  auto example = personnel_->import_officers(admin(market_), market_, *blank);
  ASSERT_TRUE(example) << example.error().message;
  ASSERT_EQ(example->issues.size(), 1U);
  EXPECT_EQ(example->issues[0].column, "身份证号码");
  EXPECT_TRUE(privacy::valid_id_number(example_id_number()));
  EXPECT_EQ(example_id_number().substr(6, 4), "1900");
}

TEST_P(ImportTest, NumbersIssueTheMatchingApplications) {
  const auto zhang = officer("张建国", id_number(1));
  const auto li = officer("李文静", id_number(2));
  const auto zhang_app = applied(zhang);
  const auto li_app = applied(li);
  const auto li_supervision = applied(li, "supervision");
  const sheets::Rows rows = {
      {"张建国", id_number(1), "行政执法证", "41148120250001", "2025-07-01", "2030-06-30"},
      {" 李文静 ", id_number(2), "enforcement", "41148120250002", "2025-07-01", "2030-06-30"},
      {"李文静", id_number(2), "行政执法监督证", "41148120250003", "2025-07-01", "2030-06-30"}};
  auto r = personnel_->import_numbers(root(), numbers_file(rows));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->issues.empty());
  EXPECT_EQ(r->imported, 3);
  const auto issued = certificate(zhang_app);
  EXPECT_EQ(issued.status, "valid");
  EXPECT_EQ(issued.number, std::optional<std::string>("41148120250001"));
  EXPECT_EQ(issued.issued_on, std::optional<std::string>("2025-07-01"));
  EXPECT_EQ(issued.expires_on, std::optional<std::string>("2030-06-30"));
  EXPECT_EQ(certificate(li_app).number, std::optional<std::string>("41148120250002"));
  EXPECT_EQ(certificate(li_supervision).number, std::optional<std::string>("41148120250003"));
  EXPECT_EQ(entries("certificate.issued"), 3);
  auto events = personnel_->certificate_events(root(), zhang_app);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 2U);
  EXPECT_EQ((*events)[1].action, "issue");
  // The public check finds it, as one issued at review.
  auto shown = personnel_->public_certificate("41148120250001");
  ASSERT_TRUE(shown) << shown.error().message;
  EXPECT_EQ(shown->full_name, "张建国");
}

TEST_P(ImportTest, NumbersAreAllOrNothing) {
  const auto zhang = officer("张建国", id_number(1));
  const auto li = officer("李文静", id_number(2));
  officer("王无申请", id_number(3));
  const auto zhang_app = applied(zhang);
  const auto li_app = applied(li);
  // A number already issued.
  const auto zhao = officer("赵已发证", id_number(4));
  auto done = personnel_->review(root(), applied(zhao),
                                 Review{.approve = true,
                                        .number = "41148120240009",
                                        .issued_on = "2024-07-01",
                                        .expires_on = "2029-06-30"});
  ASSERT_TRUE(done) << done.error().message;
  const std::vector<std::string> good1 = {"张建国",         id_number(1), "行政执法证",
                                          "41148120250001", "2025-07-01", "2030-06-30"};
  const std::vector<std::string> good2 = {"李文静",         id_number(2), "行政执法证",
                                          "41148120250002", "2025-07-01", "2030-06-30"};
  struct Case {
    const char* what;
    std::vector<std::string> row;
    std::string column;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"name mismatch",
       {"张建业", id_number(1), "行政执法证", "41148120250003", "2025-07-01", "2030-06-30"},
       "姓名",
       "姓名不一致"},
      {"unknown officer",
       {"孙某", id_number(5), "行政执法证", "41148120250003", "2025-07-01", "2030-06-30"},
       "身份证号码",
       "没有身份证号码为 " + privacy::mask_id_number(id_number(5)) + " 的执法人员"},
      {"no application",
       {"王无申请", id_number(3), "行政执法证", "41148120250003", "2025-07-01", "2030-06-30"},
       "证件种类",
       "没有待审核的行政执法证申请"},
      {"no application of that kind",
       {"张建国", id_number(1), "行政执法监督证", "41148120250003", "2025-07-01", "2030-06-30"},
       "证件种类",
       "没有待审核的行政执法监督证申请"},
      {"number twice in the file",
       {"赵已发证", id_number(4), "行政执法证", "41148120250001", "2025-07-01", "2030-06-30"},
       "证件编号",
       "与第 2 行的证件编号重复"},
      {"number taken",
       {"赵已发证", id_number(4), "行政执法证", "41148120240009", "2025-07-01", "2030-06-30"},
       "证件编号",
       "已被使用"},
      {"expiry before issue",
       {"张建国", id_number(1), "行政执法证", "41148120250003", "2025-07-01", "2025-06-30"},
       "有效期至",
       "应晚于发证日期"},
      {"not a date",
       {"张建国", id_number(1), "行政执法证", "41148120250003", "2025年7月1日", "2030-06-30"},
       "发证日期",
       "YYYY-MM-DD"},
      {"unknown kind",
       {"张建国", id_number(1), "执法证", "41148120250003", "2025-07-01", "2030-06-30"},
       "证件种类",
       "应为行政执法证或行政执法监督证"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    const sheets::Rows rows = {good1, good2, c.row};
    auto r = personnel_->import_numbers(root(), numbers_file(rows));
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->imported, 0);
    ASSERT_GE(r->issues.size(), 1U);
    const auto& issue = r->issues.back();
    EXPECT_EQ(issue.row, 4U);
    EXPECT_EQ(issue.column, c.column);
    EXPECT_TRUE(contains(issue.message, c.says)) << issue.message;
    for (const auto& i : r->issues) {
      for (const auto& row : rows) EXPECT_FALSE(contains(i.message, row[1])) << i.message;
    }
    // Nothing issued.
    EXPECT_EQ(certificate(zhang_app).status, "applied");
    EXPECT_EQ(certificate(li_app).status, "applied");
    EXPECT_EQ(entries("certificate.issued"), 1);
  }
  // The same application twice: the second row says so.
  auto twice = personnel_->import_numbers(
      root(), numbers_file({good1,
                            {"张建国", id_number(1), "行政执法证", "41148120250005", "2025-07-01",
                             "2030-06-30"}}));
  ASSERT_TRUE(twice);
  ASSERT_EQ(twice->issues.size(), 1U);
  EXPECT_EQ(twice->issues[0].row, 3U);
  EXPECT_TRUE(contains(twice->issues[0].message, "与第 2 行是该执法人员的同一份申请"));

  // A department's administrator may not issue; a reviewer of 城管局's scope
  // finds no officer of 市场监管局.
  auto denied = personnel_->import_numbers(admin(market_), numbers_file({good1}));
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::kAuthForbidden);
  auto other = caller(Role::kLegalOffice, Scope::department(urban_, yongcheng_));
  auto unseen = personnel_->import_numbers(other, numbers_file({good1}));
  ASSERT_TRUE(unseen) << unseen.error().message;
  ASSERT_EQ(unseen->issues.size(), 1U);
  EXPECT_EQ(unseen->issues[0].column, "身份证号码");
  EXPECT_EQ(certificate(zhang_app).status, "applied");

  // Fixed, the file goes through.
  auto fixed = personnel_->import_numbers(root(), numbers_file({good1, good2}));
  ASSERT_TRUE(fixed) << fixed.error().message;
  EXPECT_EQ(fixed->imported, 2);
  EXPECT_EQ(certificate(zhang_app).status, "valid");
  EXPECT_EQ(certificate(li_app).status, "valid");
  EXPECT_EQ(entries("certificate.issued"), 3);
}

TEST_P(ImportTest, ASelfIssuingDeploymentNumbersInSequence) {
  PersonnelService self(*db_, sealer_, *trail_, clock_,
                        Settings{.number_issuer = NumberIssuer::kSelf, .number_prefix = "豫"});
  const Review approval{.approve = true, .issued_on = "2025-07-01", .expires_on = "2030-06-30"};
  std::vector<std::int64_t> applications;
  for (int i = 1; i <= 4; ++i) {
    applications.push_back(applied(officer("执法员" + std::to_string(i), id_number(i))));
  }
  auto first = self.review(root(), applications[0], approval);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->number, std::optional<std::string>("豫00000001"));
  auto second = self.review(root(), applications[1], approval);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->number, std::optional<std::string>("豫00000002"));
  EXPECT_EQ(entries("certificate.issued"), 2);

  // A number entered by hand in the same form moves the sequence on; other
  // forms (another prefix, a letter, more digits) do not count.
  Review entered = approval;
  entered.number = "豫00000041";
  ASSERT_TRUE(self.review(root(), applications[2], entered));
  int serial = 60;
  for (const char* other : {"豫A0000099", "豫000000999", "鲁00000500"}) {
    const auto id = applied(officer("外编" + std::to_string(serial), id_number(serial)));
    ++serial;
    Review r = approval;
    r.number = other;
    ASSERT_TRUE(self.review(root(), id, r)) << other;
  }
  auto next = self.review(root(), applications[3], approval);
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(next->number, std::optional<std::string>("豫00000042"));
  EXPECT_EQ(count("SELECT COUNT(DISTINCT number) FROM certificates WHERE number IS NOT NULL"),
            count("SELECT COUNT(*) FROM certificates WHERE number IS NOT NULL"));

  // The province issues numbers here by default: an approval without one is refused.
  const auto waiting = applied(officer("钱待审", id_number(50)));
  auto refused = personnel_->review(root(), waiting, approval);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kPersonnelInvalid);
  EXPECT_TRUE(contains(refused.error().message, "证件编号")) << refused.error().message;
  EXPECT_EQ(certificate(waiting).status, "applied");

  // Another prefix starts its own sequence.
  PersonnelService other(*db_, sealer_, *trail_, clock_,
                         Settings{.number_issuer = NumberIssuer::kSelf, .number_prefix = "豫B"});
  auto b = other.review(root(), waiting, approval);
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->number, std::optional<std::string>("豫B00000001"));
}

INSTANTIATE_TEST_SUITE_P(Dialects, ImportTest,
                         ::testing::Values(storage::Dialect::kSqlite, storage::Dialect::kPostgres),
                         storage::testing::dialect_name);

}  // namespace
}  // namespace xzzf::personnel
