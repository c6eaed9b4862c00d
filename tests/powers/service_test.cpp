// The power and responsibility list on both databases: bases checked against
// the legal library with the notice's article, the review steps and their
// record, versions, scope, and items flagged when their law changes.

#include "powers/service.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "library/service.hpp"
#include "org_fixture.hpp"
#include "powers/sheet.hpp"
#include "sheets/reader.hpp"
#include "sheets/writer.hpp"

namespace xzzf::powers {
namespace {

namespace fs = std::filesystem;
using auth::Role;
using auth::Scope;
using storage::Tx;

library::ParsedNorm law(const std::string& file) {
  const char* src = std::getenv("XZZF_SOURCE_DIR");
  std::ifstream in(fs::path(src != nullptr ? src : ".") / "laws" / fs::u8path(file),
                   std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  auto parsed = library::parse_norm_text(s.str());
  EXPECT_TRUE(parsed) << file;
  return parsed.value_or(library::ParsedNorm{});
}

class PowersTest : public org::testing::OrgTest {
 protected:
  void SetUp() override {
    OrgTest::SetUp();
    if (IsSkipped()) return;
    library_ = std::make_unique<library::LibraryService>(*db_, clock_);
    powers_ = std::make_unique<PowerService>(*db_, clock_);
    food_ = import("national/食品安全法(2021-04-29).md", "2021-04-29");
    farm_ = import("national/农产品质量安全法(2018-10-26).md", "2018-10-26");
    library::ParsedNorm notice;
    notice.title = "永城市某规范性文件";
    notice.articles.push_back({.number = 1, .label = "第一条", .text = "测试。"});
    notice.history.push_back({"2020-01-01", "印发", "promulgated"});
    auto doc = library_->import_text(notice,
                                     {.level = "normative_doc",
                                      .region_code = "411481",
                                      .version_date = "2020-01-01",
                                      .source = "测试"},
                                     std::nullopt);
    ASSERT_TRUE(doc) << doc.error().message;
    doc_ = doc->norm_id;
    yongcheng_ = jurisdiction("411481", "永城市", "county", std::nullopt);
    market_ = department("411481-SCJG", "永城市市场监督管理局", yongcheng_, {"market"});
    urban_ = department("411481-CGJ", "永城市城市管理局", yongcheng_, {"urban"});
  }
  void TearDown() override {
    powers_.reset();
    library_.reset();
    OrgTest::TearDown();
  }

  std::int64_t import(const std::string& file, const std::string& date) {
    auto r = library_->import_text(
        law(file), {.region_code = "000000", .version_date = date, .source = "laws/"},
        std::nullopt);
    EXPECT_TRUE(r) << r.error().message;
    return r ? r->norm_id : 0;
  }

  auth::Caller admin(std::int64_t department) {
    auto c = caller(Role::kDeptAdmin, Scope::department(department, yongcheng_), 11);
    c.department_id = department;
    return c;
  }
  static auth::Caller office() { return root(); }

  Content food_penalty() {
    return Content{.name = "对生产经营不符合食品安全标准的食品的行政处罚",
                   .category = "penalty",
                   .sector = "market",
                   .scope = "食品生产经营者",
                   .bases = {Basis{.norm_id = food_, .article = 124, .paragraph = 1}},
                   .responsibility = "立案、调查、决定、执行",
                   .time_limit = "自立案之日起九十日内作出决定",
                   .liabilities = {"不依法履行职责的", "滥用职权的"},
                   .effective_from = "2022-01-01"};
  }

  std::int64_t entries(const std::string& action, std::int64_t id) {
    auto n = db_->read([&](Tx& tx) -> Result<std::int64_t> {
      XZZF_TRY(r, tx.query_one("SELECT COUNT(*) FROM record_entries WHERE action = ? AND "
                               "subject_type = 'power_item' AND subject_id = ?",
                               {action, id}));
      return r->i64(0);
    });
    return n.value_or(-1);
  }

  std::unique_ptr<library::LibraryService> library_;
  std::unique_ptr<PowerService> powers_;
  std::int64_t food_ = 0, farm_ = 0, doc_ = 0, yongcheng_ = 0, market_ = 0, urban_ = 0;
};

TEST_P(PowersTest, ADraftCitesItsArticleAndIsOnTheRecord) {
  auto item = powers_->create(admin(market_), market_, "", food_penalty());
  ASSERT_TRUE(item) << item.error().message;
  EXPECT_EQ(item->code, "411481-SCJG-CF-001");
  EXPECT_EQ(item->status, "draft");
  EXPECT_EQ(item->version, 1);
  ASSERT_EQ(item->content.bases.size(), 1u);
  EXPECT_EQ(item->content.bases[0].label, "《中华人民共和国食品安全法》第一百二十四条第一款");
  EXPECT_NE(item->content.bases[0].article_text.find("违反本法规定"), std::string::npos);
  EXPECT_FALSE(item->flagged);
  EXPECT_EQ(entries("power_item.created", item->id), 1);
  auto second = powers_->create(admin(market_), market_, "", food_penalty());
  ASSERT_TRUE(second);
  EXPECT_EQ(second->code, "411481-SCJG-CF-002");
  auto dup = powers_->create(admin(market_), market_, "411481-SCJG-CF-001", food_penalty());
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kPowersDuplicateCode);
}

TEST_P(PowersTest, BasesAreRefusedWithTheNoticesArticle) {
  Content none = food_penalty();
  none.bases.clear();
  auto no_basis = powers_->create(admin(market_), market_, "", none);
  ASSERT_FALSE(no_basis);
  EXPECT_EQ(no_basis.error().code, ErrorCode::kPowersNoBasis);
  EXPECT_EQ(no_basis.error().basis, std::optional<std::string>(kBasisNotice));

  Content normative = food_penalty();
  normative.bases = {Basis{.norm_id = doc_, .article = 1}};
  auto doc = powers_->create(admin(market_), market_, "", normative);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().code, ErrorCode::kPowersNormativeDocBasis);
  EXPECT_EQ(doc.error().basis, std::optional<std::string>(kBasisNotice));

  Content early = food_penalty();
  early.bases = {Basis{.norm_id = farm_, .article = 20}};
  early.effective_from = "2005-01-01";  // 农产品质量安全法 was adopted on 2006-04-29
  auto not_yet = powers_->create(admin(market_), market_, "", early);
  ASSERT_FALSE(not_yet);
  EXPECT_EQ(not_yet.error().code, ErrorCode::kPowersBasisNotInForce);
  EXPECT_NE(not_yet.error().message.find("尚未施行"), std::string::npos);
  EXPECT_EQ(not_yet.error().basis, std::optional<std::string>(kBasisNotice));

  Content missing = food_penalty();
  missing.bases = {Basis{.norm_id = food_, .article = 200}};
  auto no_article = powers_->create(admin(market_), market_, "", missing);
  ASSERT_FALSE(no_article);
  EXPECT_EQ(no_article.error().code, ErrorCode::kPowersArticleNotFound);
  EXPECT_NE(no_article.error().message.find("第二百条"), std::string::npos);

  // 第一百二十四条 has three paragraphs; the first has nine items.
  Content paragraph = food_penalty();
  paragraph.bases = {Basis{.norm_id = food_, .article = 124, .paragraph = 5}};
  auto no_paragraph = powers_->create(admin(market_), market_, "", paragraph);
  ASSERT_FALSE(no_paragraph);
  EXPECT_EQ(no_paragraph.error().code, ErrorCode::kPowersArticleNotFound);
  EXPECT_NE(no_paragraph.error().message.find("第一百二十四条第五款"), std::string::npos);
  paragraph.bases = {Basis{.norm_id = food_, .article = 124, .paragraph = 1, .item = 10}};
  EXPECT_FALSE(powers_->create(admin(market_), market_, "", paragraph));
  paragraph.bases = {Basis{.norm_id = food_, .article = 124, .paragraph = 1, .item = 9}};
  EXPECT_TRUE(powers_->create(admin(market_), market_, "", paragraph));

  Content sector = food_penalty();
  sector.sector = "urban";
  auto wrong_sector = powers_->create(admin(market_), market_, "", sector);
  ASSERT_FALSE(wrong_sector);
  EXPECT_EQ(wrong_sector.error().code, ErrorCode::kPowersInvalid);
}

TEST_P(PowersTest, TheReviewGoesDraftSubmittedReturnedApprovedPublishedAndAmended) {
  auto item = powers_->create(admin(market_), market_, "", food_penalty());
  ASSERT_TRUE(item);
  const auto id = item->id;
  ASSERT_TRUE(powers_->transition(admin(market_), id, "submit", ""));
  auto no_comment = powers_->transition(office(), id, "return", "");
  ASSERT_FALSE(no_comment);
  EXPECT_EQ(no_comment.error().code, ErrorCode::kPowersInvalid);
  auto self_approve = powers_->transition(admin(market_), id, "approve", "");
  ASSERT_FALSE(self_approve);
  EXPECT_EQ(self_approve.error().code, ErrorCode::kAuthForbidden);
  auto returned = powers_->transition(office(), id, "return", "请补充责任事项");
  ASSERT_TRUE(returned) << returned.error().message;
  EXPECT_EQ(returned->status, "returned");
  EXPECT_EQ(returned->last_comment, "请补充责任事项");
  Content fixed = food_penalty();
  fixed.responsibility = "立案、调查取证、审查、决定、送达、执行";
  ASSERT_TRUE(powers_->update(admin(market_), id, fixed));
  ASSERT_TRUE(powers_->transition(admin(market_), id, "submit", ""));
  auto publish_early = powers_->transition(office(), id, "publish", "");
  ASSERT_FALSE(publish_early);
  EXPECT_EQ(publish_early.error().code, ErrorCode::kPowersState);
  ASSERT_TRUE(powers_->transition(office(), id, "approve", "同意"));
  auto published = powers_->transition(office(), id, "publish", "");
  ASSERT_TRUE(published);
  EXPECT_EQ(published->status, "published");
  EXPECT_EQ(published->published_version, std::optional<std::int64_t>(1));
  auto locked = powers_->update(admin(market_), id, fixed);
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().code, ErrorCode::kPowersState);
  auto amended = powers_->transition(admin(market_), id, "amend", "依据调整");
  ASSERT_TRUE(amended);
  EXPECT_EQ(amended->status, "draft");
  EXPECT_EQ(amended->version, 2);
  EXPECT_EQ(amended->published_version, std::optional<std::int64_t>(1));

  auto versions = powers_->versions(office(), id);
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].status, "published");
  EXPECT_NE((*versions)[0].snapshot_json.find("立案、调查取证"), std::string::npos);
  auto reviews = powers_->reviews(office(), id);
  ASSERT_TRUE(reviews);
  std::vector<std::string> actions;
  for (const auto& r : *reviews) actions.push_back(r.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"submit", "return", "submit", "approve", "publish",
                                               "amend"}));
  for (const char* a : {"power_item.submit", "power_item.return", "power_item.approve",
                        "power_item.publish", "power_item.amend", "power_item.updated"}) {
    EXPECT_GE(entries(a, id), 1) << a;
  }
}

TEST_P(PowersTest, ADepartmentSeesAndWritesItsOwnItemsOnly) {
  auto item = powers_->create(admin(market_), market_, "", food_penalty());
  ASSERT_TRUE(item);
  auto other = powers_->create(admin(urban_), market_, "", food_penalty());
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kAuthOutOfScope);
  auto read = powers_->item(admin(urban_), item->id);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::kAuthOutOfScope);
  auto list = powers_->items(admin(urban_), ItemQuery{});
  ASSERT_TRUE(list);
  EXPECT_EQ(list->total, 0);
  auto own = powers_->items(admin(market_), ItemQuery{});
  ASSERT_TRUE(own);
  EXPECT_EQ(own->total, 1);
}

TEST_P(PowersTest, AnItemIsFlaggedWhenAnAmendmentChangesItsArticle) {
  Content farm = food_penalty();
  farm.name = "对农产品生产企业未建立生产记录的行政处罚";
  farm.bases = {Basis{.norm_id = farm_, .article = 47}};  // 2018 text: 生产记录 penalties
  farm.effective_from = "2020-01-01";
  auto item = powers_->create(admin(market_), market_, "", farm);
  ASSERT_TRUE(item) << item.error().message;
  EXPECT_FALSE(item->flagged);
  // The 2022 revision renumbers and rewrites the law.
  import("national/农产品质量安全法(2022-09-02).md", "2022-09-02");
  auto after = powers_->item(admin(market_), item->id);
  ASSERT_TRUE(after);
  EXPECT_TRUE(after->flagged);
  ASSERT_EQ(after->content.bases.size(), 1u);
  EXPECT_TRUE(after->content.bases[0].stale);
  // Submitting it now would approve a basis nobody looked at: refused, and
  // the basis stays on the 2018 text until the department re-saves it.
  auto submit = powers_->transition(admin(market_), item->id, "submit", "");
  ASSERT_FALSE(submit);
  EXPECT_EQ(submit.error().code, ErrorCode::kPowersBasisStale);
  auto kept = powers_->item(admin(market_), item->id);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->content.bases[0].version_date, "2018-10-26");
  auto revision = powers_->items(admin(market_), ItemQuery{.flagged_only = true});
  ASSERT_TRUE(revision);
  ASSERT_EQ(revision->total, 1);
  EXPECT_EQ(revision->items[0].id, item->id);
  // The food item is not on the list: its law did not change.
  ASSERT_TRUE(powers_->create(admin(market_), market_, "", food_penalty()));
  auto still = powers_->items(admin(market_), ItemQuery{.flagged_only = true});
  ASSERT_TRUE(still);
  EXPECT_EQ(still->total, 1);
}

TEST_P(PowersTest, ExportThenImportGivesBackTheSameItems) {
  Content second = food_penalty();
  second.name = "对食品生产经营者未按规定建立并执行从业人员健康管理制度的行政处罚";
  second.bases = {Basis{.norm_id = food_, .article = 126, .paragraph = 1, .item = 6},
                  Basis{.norm_id = food_, .article = 45}};
  // A formula-looking text stays text; a liability may hold ；.
  second.liabilities = {"对应当立案而不立案的；或者立案后不依法调查的", "=SUM(A1)"};
  ASSERT_TRUE(powers_->create(admin(market_), market_, "", food_penalty()));
  ASSERT_TRUE(powers_->create(admin(market_), market_, "", second));
  auto exported = powers_->export_items(admin(market_), market_);
  ASSERT_TRUE(exported) << exported.error().message;
  const auto other = department("411481-SCJG2", "另一市场监管部门", yongcheng_, {"market"});
  auto imported = powers_->import_items(office(), other, *exported);
  ASSERT_TRUE(imported) << imported.error().message;
  EXPECT_TRUE(imported->issues.empty());
  ASSERT_EQ(imported->imported, 2);
  auto again = powers_->export_items(office(), other);
  ASSERT_TRUE(again);
  auto a = sheets::read_xlsx(*exported);
  auto b = sheets::read_xlsx(*again);
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->rows.size(), 3u);
  EXPECT_EQ(a->rows.size(), b->rows.size());
  for (std::size_t i = 0; i < a->rows.size(); ++i) EXPECT_EQ(a->rows[i].cells, b->rows[i].cells);
  auto back = powers_->items(office(), ItemQuery{.department_id = other});
  ASSERT_TRUE(back);
  ASSERT_EQ(back->total, 2);
  auto second_back = powers_->item(office(), back->items[1].id);
  ASSERT_TRUE(second_back);
  EXPECT_EQ(second_back->content.liabilities, second.liabilities);
  EXPECT_EQ(a->rows[2].cells[4],
            "《中华人民共和国食品安全法》第一百二十六条第一款第（六）项；"
            "《中华人民共和国食品安全法》第四十五条");
}

TEST_P(PowersTest, AnImportWithABadRowImportsNothingAndSaysWhere) {
  const auto& t = power_template();
  sheets::Rows rows = {
      {"", "对生产经营不符合食品安全标准的食品的行政处罚", "行政处罚", "市场监管",
       "《中华人民共和国食品安全法》第一百二十四条", "", "", "", "", "", "", "2022-01-01"},
      {"", "无此法律的事项", "行政处罚", "市场监管", "《中华人民共和国不存在法》第一条", "", "", "",
       "", "", "", "2022-01-01"},
      {"", "依据写错的事项", "行政检查", "市场监管", "食品安全法第一条", "", "", "", "", "", "",
       "2022/01/01"},
      {"", "规范性文件为依据的事项", "行政检查", "市场监管", "《永城市某规范性文件》第一条", "", "",
       "", "", "", "", "2022-01-01"},
  };
  auto bytes = sheets::xlsx_bytes("权责清单", t, rows);
  ASSERT_TRUE(bytes) << bytes.error().message;
  auto report = powers_->import_items(admin(market_), market_, *bytes);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->imported, 0);
  // Row 4 has two faults the template finds by itself: those come first,
  // and the library is not asked until the sheet is well formed.
  ASSERT_FALSE(report->issues.empty());
  for (const auto& i : report->issues) EXPECT_EQ(i.row, 4u) << i.message;
  // Fixed, the library's checks run: rows 3 and 5.
  rows[2][4] = "《中华人民共和国食品安全法》第一条";
  rows[2][11] = "2022-01-01";
  bytes = sheets::xlsx_bytes("权责清单", t, rows);
  report = powers_->import_items(admin(market_), market_, *bytes);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->imported, 0);
  ASSERT_EQ(report->issues.size(), 2u);
  EXPECT_EQ(report->issues[0].row, 3u);
  EXPECT_EQ(report->issues[0].column, "实施依据");
  EXPECT_NE(report->issues[0].message.find("不存在法"), std::string::npos);
  EXPECT_EQ(report->issues[1].row, 5u);
  EXPECT_NE(report->issues[1].message.find("永政办〔2015〕98号"), std::string::npos);
  auto none = powers_->items(admin(market_), ItemQuery{});
  ASSERT_TRUE(none);
  EXPECT_EQ(none->total, 0);
  // Without the bad rows, all of them go in.
  rows.erase(rows.begin() + 3);
  rows.erase(rows.begin() + 1);
  report = powers_->import_items(admin(market_), market_, *sheets::xlsx_bytes("权责清单", t, rows));
  ASSERT_TRUE(report);
  EXPECT_EQ(report->imported, 2);
  EXPECT_TRUE(report->issues.empty());
}

TEST_P(PowersTest, AGeneratedCodeNeverTakesOneALaterRowNames) {
  const auto& t = power_template();
  sheets::Rows rows = {
      {"", "甲事项", "行政处罚", "市场监管", "《中华人民共和国食品安全法》第一百二十四条", "", "",
       "", "", "", "", "2022-01-01"},
      {"411481-SCJG-CF-001", "乙事项", "行政处罚", "市场监管",
       "《中华人民共和国食品安全法》第一百二十五条", "", "", "", "", "", "", "2022-01-01"},
  };
  auto report =
      powers_->import_items(admin(market_), market_, *sheets::xlsx_bytes("权责清单", t, rows));
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->imported, 2);
  auto list = powers_->items(admin(market_), ItemQuery{});
  ASSERT_TRUE(list);
  ASSERT_EQ(list->total, 2);
  EXPECT_EQ(list->items[0].code, "411481-SCJG-CF-001");
  EXPECT_EQ(list->items[0].content.name, "乙事项");
  EXPECT_EQ(list->items[1].code, "411481-SCJG-CF-002");
}

TEST(BasisLabels, ReadBackAsWritten) {
  auto r = parse_basis_label("《中华人民共和国食品安全法》第一百二十六条第一款第（六）项");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->title, "中华人民共和国食品安全法");
  EXPECT_EQ(r->basis.article, 126);
  EXPECT_EQ(r->basis.paragraph, 1);
  EXPECT_EQ(r->basis.item, 6);
  auto sub = parse_basis_label(" 《某法》第十条之一第二款 ");
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->basis.article, 10);
  EXPECT_EQ(sub->basis.sub, 1);
  EXPECT_EQ(sub->basis.paragraph, 2);
  // A title quoting another law keeps its inner 《》.
  auto quoting = parse_basis_label("《河南省实施《中华人民共和国农产品质量安全法》办法》第二十条");
  ASSERT_TRUE(quoting);
  EXPECT_EQ(quoting->title, "河南省实施《中华人民共和国农产品质量安全法》办法");
  EXPECT_EQ(quoting->basis.article, 20);
  EXPECT_FALSE(parse_basis_label("食品安全法第一条"));
  EXPECT_FALSE(parse_basis_label("《某法》第一条以下"));
  EXPECT_FALSE(parse_basis_label("《》第一条"));
  EXPECT_FALSE(parse_basis_label("《某法》第一二条"));  // a typo does not cite 第二条
  EXPECT_FALSE(parse_basis_label("《某法》第九千九千九千条"));
  EXPECT_EQ(split_list("《甲》第一条；《乙》第二条;《丙》第三条\n\n"),
            (std::vector<std::string>{"《甲》第一条", "《乙》第二条", "《丙》第三条"}));
}

INSTANTIATE_TEST_SUITE_P(Dialects, PowersTest,
                         ::testing::Values(storage::Dialect::kSqlite, storage::Dialect::kPostgres),
                         storage::testing::dialect_name);

}  // namespace
}  // namespace xzzf::powers
