// Amendments and repeals entered by the legal office on both databases: the
// new version built from the latest text, its articles marked, the version in
// force on a date, the refusals, and the record.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "library/service.hpp"
#include "test_db.hpp"

namespace xzzf::library {
namespace {

namespace fs = std::filesystem;
using storage::Tx;

ParsedNorm law(const std::string& file) {
  const char* src = std::getenv("XZZF_SOURCE_DIR");
  std::ifstream in(fs::path(src != nullptr ? src : ".") / "laws" / fs::u8path(file),
                   std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  auto parsed = parse_norm_text(s.str());
  EXPECT_TRUE(parsed) << file;
  return parsed.value_or(ParsedNorm{});
}

const Article* find(const std::vector<Article>& articles, int number, int sub = 0) {
  auto it = std::find_if(articles.begin(), articles.end(),
                         [&](const Article& a) { return a.number == number && a.sub == sub; });
  return it == articles.end() ? nullptr : &*it;
}

class LibraryAmendTest : public storage::testing::DialectTest {
 protected:
  void SetUp() override {
    DialectTest::SetUp();
    if (IsSkipped()) return;
    db_ = test_db_->open_migrated();
    ASSERT_NE(db_, nullptr);
    svc_ = std::make_unique<LibraryService>(*db_, clock_);
    // 中华人民共和国价格法: adopted 1997-12-29, in force from 1998-05-01,
    // seven chapters, 第四十八条 the last.
    auto r = svc_->import_text(law("national/价格法(1997-12-29).md"),
                               {.region_code = "000000", .source = "laws/"}, std::nullopt);
    ASSERT_TRUE(r) << r.error().message;
    price_ = r->norm_id;
  }
  void TearDown() override {
    svc_.reset();
    db_.reset();
    DialectTest::TearDown();
  }

  static auth::Caller as(auth::Role role, std::int64_t user_id) {
    auth::Caller c;
    c.user_id = user_id;
    c.roles = {role};
    c.scope = auth::Scope::all();
    return c;
  }
  // The legal office: library.manage.
  static auth::Caller office() { return as(auth::Role::kLegalOffice, 7); }
  static auth::Caller officer() { return as(auth::Role::kOfficer, 5); }

  std::vector<Article> on(const std::string& date) {
    auto a = svc_->articles(officer(), price_, std::nullopt, date);
    EXPECT_TRUE(a) << date << ": " << a.error().message;
    return a.value_or(std::vector<Article>{});
  }

  std::int64_t entries(const std::string& action, std::int64_t norm_id) {
    auto n = db_->read([&](Tx& tx) -> Result<std::int64_t> {
      XZZF_TRY(r, tx.query_one("SELECT COUNT(*) FROM record_entries WHERE action = ? AND "
                               "subject_type = 'norm' AND subject_id = ?",
                               {action, norm_id}));
      return r->i64(0);
    });
    return n.value_or(-1);
  }
  std::optional<std::int64_t> actor_of(const std::string& action, std::int64_t norm_id) {
    auto n = db_->read([&](Tx& tx) -> Result<std::optional<std::int64_t>> {
      XZZF_TRY(r, tx.query_one("SELECT actor_user_id FROM record_entries WHERE action = ? AND "
                               "subject_type = 'norm' AND subject_id = ? ORDER BY seq DESC",
                               {action, norm_id}));
      if (!r) return std::optional<std::int64_t>();
      return r->opt_i64(0);
    });
    return n.value_or(std::nullopt);
  }

  static Amendment amendment() {
    return Amendment{
        .version_date = "2026-11-01",
        .effective_on = "2027-01-01",
        .kind = "amended",
        .note = "2026年11月1日 第十四届全国人民代表大会常务委员会第二十次会议修正",
        .source = "全国人民代表大会常务委员会公报",
        .articles = {{.number = 42,
                      .text = "经营者违反明码标价规定的，责令改正，没收违法所得，可以并处五万元以"
                              "下的罚款。"},
                     {.number = 42,
                      .sub = 1,
                      .text = "经营者利用数据和算法，对交易条件相同的消费者实行差别定价的，责令改"
                              "正，没收违法所得，并处违法所得五倍以下的罚款；\n没有违法所得的，"
                              "处五十万元以下的罚款。"},
                     {.number = 49, .text = "本法修正自2027年1月1日起施行。"}},
        .removed = {{43, 0}}};
  }

  FakeClock clock_{Instant{1'760'000'000'000'000}};
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<LibraryService> svc_;
  std::int64_t price_ = 0;
};

TEST_P(LibraryAmendTest, AnAmendmentReplacesAddsAndRemovesArticlesFromItsEffectiveDate) {
  const auto before = on("");
  ASSERT_EQ(before.size(), 48u);
  const Article* old42 = find(before, 42);
  const Article* old48 = find(before, 48);
  ASSERT_TRUE(old42 && old48 && find(before, 43));
  const std::string old42_text = old42->text;
  EXPECT_EQ(old42_text,
            "经营者违反明码标价规定的，责令改正，没收违法所得，可以并处五千元以下的罚款。");
  const std::string chapter42 = old42->chapter, chapter48 = old48->chapter;
  EXPECT_NE(chapter42.find("法律责任"), std::string::npos) << chapter42;
  EXPECT_NE(chapter48.find("附则"), std::string::npos) << chapter48;

  auto done = svc_->amend(office(), price_, amendment());
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_TRUE(done->created);
  EXPECT_EQ(done->norm_id, price_);
  EXPECT_EQ(done->changed_count, 3);
  EXPECT_EQ(done->removed_articles, std::vector<std::string>{"第四十三条"});

  auto versions = svc_->versions(officer(), price_);
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 2u);
  const NormVersion& v2 = (*versions)[1];
  EXPECT_EQ(v2.id, done->version_id);
  EXPECT_EQ(v2.version_date, "2026-11-01");
  EXPECT_EQ(v2.effective_on, std::optional<std::string>("2027-01-01"));
  EXPECT_EQ(v2.kind, "amended");
  EXPECT_EQ(v2.article_count, 49);
  EXPECT_EQ(v2.changed_count, 3);
  EXPECT_EQ(v2.removed_articles, std::vector<std::string>{"第四十三条"});
  EXPECT_NE(v2.history.find("第二十次会议修正"), std::string::npos) << v2.history;
  EXPECT_NE(v2.history.find("1997年12月29日"), std::string::npos) << v2.history;
  EXPECT_EQ(v2.source, "全国人民代表大会常务委员会公报");
  auto norm = svc_->norm(officer(), price_);
  ASSERT_TRUE(norm);
  EXPECT_EQ(norm->version_count, 2);
  EXPECT_EQ(norm->latest_version_id, std::optional<std::int64_t>(done->version_id));
  EXPECT_EQ(norm->adopted_on, std::optional<std::string>("1997-12-29"));

  // Before the effective date the old text is in force, even after the
  // amendment was adopted.
  for (const char* date : {"2026-10-31", "2026-11-01", "2026-12-31"}) {
    const auto old = on(date);
    ASSERT_EQ(old.size(), 48u) << date;
    EXPECT_EQ(old[0].version_id, (*versions)[0].id) << date;
    ASSERT_TRUE(find(old, 42) && find(old, 43)) << date;
    EXPECT_EQ(find(old, 42)->text, old42_text) << date;
    EXPECT_FALSE(find(old, 42, 1)) << date;
  }
  for (const char* date : {"2027-01-01", "2030-01-01", ""}) {
    const auto now = on(date);
    ASSERT_EQ(now.size(), 49u) << date;
    EXPECT_EQ(now[0].version_id, done->version_id) << date;
    const Article* a42 = find(now, 42);
    ASSERT_TRUE(a42) << date;
    EXPECT_EQ(a42->text, amendment().articles[0].text);
    EXPECT_EQ(a42->change, "changed");
    const Article* a42_1 = find(now, 42, 1);
    ASSERT_TRUE(a42_1) << date;
    EXPECT_EQ(a42_1->label, "第四十二条之一");
    EXPECT_EQ(a42_1->change, "new");
    EXPECT_EQ(a42_1->chapter, chapter42);
    EXPECT_EQ(a42_1->text, amendment().articles[1].text);
    EXPECT_FALSE(find(now, 43)) << date;
    const Article* a49 = find(now, 49);
    ASSERT_TRUE(a49) << date;
    EXPECT_EQ(a49->label, "第四十九条");
    EXPECT_EQ(a49->change, "new");
    EXPECT_EQ(a49->chapter, chapter48);
    EXPECT_EQ(find(now, 41)->change, "none");
    EXPECT_EQ(find(now, 44)->chapter, chapter42);
    // In order: 第四十二条, 第四十二条之一, 第四十四条.
    const auto at = static_cast<std::size_t>(a42 - now.data());
    ASSERT_LT(at + 2, now.size());
    EXPECT_EQ(now[at + 1].label, "第四十二条之一");
    EXPECT_EQ(now[at + 2].label, "第四十四条");
  }

  // A revision without its own effective date is in force from its date.
  Amendment revision{.version_date = "2027-03-01",
                     .kind = "revised",
                     .note = "2027年3月1日 第十四届全国人民代表大会第五次会议修订",
                     .source = "全国人民代表大会公报",
                     .articles = {{.number = 10,
                                   .text = "经营者应当根据其经营条件建立、健全内部价格管理制度，"
                                           "准确记录与核定商品和服务的生产经营成本，不得弄虚作假。"
                                           "\n经营者应当保存价格资料不少于三年。"}}};
  auto revised = svc_->amend(office(), price_, revision);
  ASSERT_TRUE(revised) << revised.error().message;
  EXPECT_EQ(revised->changed_count, 1);
  EXPECT_TRUE(revised->removed_articles.empty());
  versions = svc_->versions(officer(), price_);
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 3u);
  EXPECT_EQ((*versions)[2].kind, "revised");
  EXPECT_FALSE((*versions)[2].effective_on);
  EXPECT_EQ((*versions)[2].article_count, 49);
  EXPECT_EQ(on("2027-02-28")[0].version_id, done->version_id);
  const auto latest = on("2027-03-01");
  ASSERT_FALSE(latest.empty());
  EXPECT_EQ(latest[0].version_id, revised->version_id);
  EXPECT_EQ(find(latest, 10)->change, "changed");
  // The first amendment's articles are carried over unchanged.
  EXPECT_EQ(find(latest, 42, 1)->change, "none");
  EXPECT_EQ(find(latest, 42, 1)->text, amendment().articles[1].text);
  EXPECT_FALSE(find(latest, 43));

  EXPECT_EQ(entries("norm.added", price_), 1);
  EXPECT_EQ(entries("norm.amended", price_), 2);
  EXPECT_EQ(actor_of("norm.amended", price_), std::optional<std::int64_t>(7));
}

TEST_P(LibraryAmendTest, AnAmendmentIsRefusedAndWritesNothing) {
  auto code_of = [&](const auth::Caller& c, std::int64_t norm, const Amendment& am) {
    auto r = svc_->amend(c, norm, am);
    EXPECT_FALSE(r);
    return r ? ErrorCode{} : r.error().code;
  };
  Amendment same_day = amendment();
  same_day.version_date = "1997-12-29";
  EXPECT_EQ(code_of(office(), price_, same_day), ErrorCode::kLibraryImportInvalid);
  Amendment earlier = amendment();
  earlier.version_date = "1990-01-01";
  EXPECT_EQ(code_of(office(), price_, earlier), ErrorCode::kLibraryImportInvalid);
  Amendment not_a_date = amendment();
  not_a_date.version_date = "2026-02-30";
  EXPECT_EQ(code_of(office(), price_, not_a_date), ErrorCode::kLibraryImportInvalid);

  Amendment missing = amendment();
  missing.removed = {{99, 0}};
  auto no_article = svc_->amend(office(), price_, missing);
  ASSERT_FALSE(no_article);
  EXPECT_EQ(no_article.error().code, ErrorCode::kLibraryImportInvalid);
  EXPECT_NE(no_article.error().message.find("第九十九条"), std::string::npos)
      << no_article.error().message;
  Amendment missing_sub = amendment();
  missing_sub.removed = {{42, 1}};
  auto no_sub = svc_->amend(office(), price_, missing_sub);
  ASSERT_FALSE(no_sub);
  EXPECT_NE(no_sub.error().message.find("第四十二条之一"), std::string::npos)
      << no_sub.error().message;

  Amendment empty = amendment();
  empty.articles.clear();
  empty.removed.clear();
  EXPECT_EQ(code_of(office(), price_, empty), ErrorCode::kLibraryImportInvalid);
  Amendment no_note = amendment();
  no_note.note.clear();
  EXPECT_EQ(code_of(office(), price_, no_note), ErrorCode::kLibraryImportInvalid);
  Amendment early_effect = amendment();
  early_effect.effective_on = "2026-10-01";
  EXPECT_EQ(code_of(office(), price_, early_effect), ErrorCode::kLibraryImportInvalid);
  Amendment twice = amendment();
  twice.articles.push_back({.number = 42, .text = "重复的条文。"});
  EXPECT_EQ(code_of(office(), price_, twice), ErrorCode::kLibraryImportInvalid);

  EXPECT_EQ(code_of(officer(), price_, amendment()), ErrorCode::kAuthForbidden);
  EXPECT_EQ(code_of(as(auth::Role::kDeptAdmin, 8), price_, amendment()), ErrorCode::kAuthForbidden);
  EXPECT_EQ(code_of(office(), price_ + 1000, amendment()), ErrorCode::kLibraryNormNotFound);

  auto versions = svc_->versions(officer(), price_);
  ASSERT_TRUE(versions);
  EXPECT_EQ(versions->size(), 1u);
  EXPECT_EQ(entries("norm.amended", price_), 0);
  EXPECT_EQ(on("").size(), 48u);
}

TEST_P(LibraryAmendTest, ARepealIsDatedOnceAndNotBeforeAdoption) {
  auto before_adoption = svc_->repeal(office(), price_, "1997-12-28", "废止决定");
  ASSERT_FALSE(before_adoption);
  EXPECT_EQ(before_adoption.error().code, ErrorCode::kLibraryImportInvalid);
  EXPECT_NE(before_adoption.error().message.find("1997-12-29"), std::string::npos)
      << before_adoption.error().message;
  auto forbidden = svc_->repeal(officer(), price_, "2030-01-01", "废止决定");
  ASSERT_FALSE(forbidden);
  EXPECT_EQ(forbidden.error().code, ErrorCode::kAuthForbidden);
  auto unknown = svc_->repeal(office(), price_ + 1000, "2030-01-01", "废止决定");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kLibraryNormNotFound);
  auto no_note = svc_->repeal(office(), price_, "2030-01-01", "");
  ASSERT_FALSE(no_note);
  EXPECT_EQ(no_note.error().code, ErrorCode::kLibraryImportInvalid);
  auto still = svc_->norm(officer(), price_);
  ASSERT_TRUE(still);
  EXPECT_FALSE(still->repealed_on);
  EXPECT_EQ(entries("norm.repealed", price_), 0);

  auto repealed =
      svc_->repeal(office(), price_, "2030-01-01",
                   "《全国人民代表大会常务委员会关于废止〈中华人民共和国价格法〉的决定》");
  ASSERT_TRUE(repealed) << repealed.error().message;
  EXPECT_EQ(repealed->id, price_);
  EXPECT_EQ(repealed->repealed_on, std::optional<std::string>("2030-01-01"));
  auto read = svc_->norm(officer(), price_);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->repealed_on, std::optional<std::string>("2030-01-01"));

  auto again = svc_->repeal(office(), price_, "2031-01-01", "再次废止");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kLibraryImportInvalid);
  EXPECT_NE(again.error().message.find("2030-01-01"), std::string::npos) << again.error().message;
  read = svc_->norm(officer(), price_);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->repealed_on, std::optional<std::string>("2030-01-01"));

  EXPECT_EQ(entries("norm.repealed", price_), 1);
  EXPECT_EQ(actor_of("norm.repealed", price_), std::optional<std::int64_t>(7));
  // Its text stays readable.
  EXPECT_EQ(on("").size(), 48u);
}

INSTANTIATE_TEST_SUITE_P(Dialects, LibraryAmendTest,
                         ::testing::Values(storage::Dialect::kSqlite, storage::Dialect::kPostgres),
                         storage::testing::dialect_name);

}  // namespace
}  // namespace xzzf::library
