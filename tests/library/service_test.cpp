// The legal library on both databases: the shipped texts import, versions in
// date order with their articles marked against the previous version, the
// version in force on a date, idempotent re-imports, refusals, the record.

#include "library/service.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "test_db.hpp"

namespace xzzf::library {
namespace {

namespace fs = std::filesystem;
using storage::Tx;

fs::path laws_dir() {
  const char* src = std::getenv("XZZF_SOURCE_DIR");
  return fs::path(src != nullptr ? src : ".") / "laws";
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class LibraryTest : public storage::testing::DialectTest {
 protected:
  void SetUp() override {
    DialectTest::SetUp();
    if (IsSkipped()) return;
    db_ = test_db_->open_migrated();
    svc_ = std::make_unique<LibraryService>(*db_, clock_);
    dir_ = fs::temp_directory_path() /
           ("xzzf-laws-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    fs::create_directories(dir_ / "national");
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    svc_.reset();
    db_.reset();
    DialectTest::TearDown();
  }

  void copy(const std::string& name) {
    fs::copy_file(laws_dir() / "national" / fs::u8path(name), dir_ / "national" / fs::u8path(name),
                  fs::copy_options::overwrite_existing);
  }

  static auth::Caller reader(auth::Role role = auth::Role::kOfficer) {
    auth::Caller c;
    c.user_id = 5;
    c.roles = {role};
    c.scope = auth::Scope::all();
    return c;
  }

  std::int64_t norm_id(const std::string& title) {
    auto page = svc_->norms(reader(), NormQuery{.q = title});
    EXPECT_TRUE(page);
    for (const auto& n : page->items) {
      if (n.title == title) return n.id;
    }
    ADD_FAILURE() << title << " not found";
    return 0;
  }

  FakeClock clock_{Instant{1'760'000'000'000'000}};
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<LibraryService> svc_;
  fs::path dir_;
};

TEST_P(LibraryTest, TwoVersionsOfALawAreImportedInDateOrderWithTheirChanges) {
  // The newer file sorts first by name; the import still goes by date.
  copy("农产品质量安全法(2022-09-02).md");
  copy("农产品质量安全法(2018-10-26).md");
  auto done = svc_->import_directory(dir_, "测试来源");
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->files, 2);
  EXPECT_EQ(done->created, 2);

  const auto id = norm_id("中华人民共和国农产品质量安全法");
  auto norm = svc_->norm(reader(), id);
  ASSERT_TRUE(norm);
  EXPECT_EQ(norm->level, "law");
  EXPECT_EQ(norm->issuer, "全国人民代表大会常务委员会");
  EXPECT_EQ(norm->adopted_on, std::optional<std::string>("2006-04-29"));
  EXPECT_EQ(norm->version_count, 2);
  auto versions = svc_->versions(reader(), id);
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].version_date, "2018-10-26");
  EXPECT_EQ((*versions)[0].article_count, 56);
  EXPECT_EQ((*versions)[0].changed_count, 0);
  EXPECT_EQ((*versions)[1].version_date, "2022-09-02");
  EXPECT_EQ((*versions)[1].kind, "revised");
  EXPECT_EQ((*versions)[1].effective_on, std::optional<std::string>("2023-01-01"));
  EXPECT_EQ((*versions)[1].article_count, 81);
  EXPECT_GT((*versions)[1].changed_count, 50);  // a revision renumbers nearly every article
  EXPECT_TRUE((*versions)[1].removed_articles.empty());  // the new text is longer

  // The version in force: the 2022 text applies from 2023-01-01.
  auto before = svc_->articles(reader(), id, std::nullopt, "2022-12-31");
  ASSERT_TRUE(before) << before.error().message;
  EXPECT_EQ(before->size(), 56u);
  EXPECT_EQ(before->back().label, "第五十六条");
  EXPECT_NE(before->back().text.find("2006年11月1日起施行"), std::string::npos);
  auto after = svc_->articles(reader(), id, std::nullopt, "2023-01-01");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->size(), 81u);
  EXPECT_EQ(after->back().change, "new");  // the 2018 text ends with 第五十六条
  auto none = svc_->articles(reader(), id, std::nullopt, "2000-01-01");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kLibraryVersionNotFound);

  // Each version is one act on the record, its text bound by hash.
  auto entries = db_->read([&](Tx& tx) {
    return tx.query(
        "SELECT action, payload FROM record_entries WHERE subject_type = 'norm' "
        "AND subject_id = ? ORDER BY seq",
        {id});
  });
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].text(0), "norm.added");
  EXPECT_EQ((*entries)[1].text(0), "norm.amended");
  EXPECT_NE((*entries)[1].text(1).find((*versions)[1].text_sha256), std::string::npos);

  // Again: nothing new, nothing recorded twice.
  auto again = svc_->import_directory(dir_, "测试来源");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->created, 0);
}

TEST_P(LibraryTest, AnUnchangedArticleIsNotMarkedAndARemovedOneIsListed) {
  const std::string base = read(laws_dir() / "national" / fs::u8path("行政处罚法(2021-01-22).md"));
  auto first = parse_norm_text(base);
  ASSERT_TRUE(first);
  ImportMeta meta{.region_code = "000000", .version_date = "2021-01-22", .source = "测试"};
  ASSERT_TRUE(svc_->import_text(*first, meta, std::nullopt));
  // A made-up later version for the test: 第四十二条 changed, 第八十六条 gone.
  ParsedNorm amended = *first;
  for (auto& a : amended.articles) {
    if (a.label == "第四十二条") a.text += "（测试修改）";
  }
  amended.articles.pop_back();
  ImportMeta later = meta;
  later.version_date = "2030-01-01";
  auto r = svc_->import_text(amended, later, std::int64_t{9});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->changed_count, 1);
  ASSERT_EQ(r->removed_articles, std::vector<std::string>{"第八十六条"});
  auto articles = svc_->articles(reader(), r->norm_id, r->version_id, "");
  ASSERT_TRUE(articles);
  for (const auto& a : *articles) {
    EXPECT_EQ(a.change, a.label == "第四十二条" ? "changed" : "none") << a.label;
  }
  // The same date with another text is refused; an older version after a newer one too.
  ParsedNorm other = amended;
  other.articles.front().text += "又改";
  auto conflict = svc_->import_text(other, later, std::nullopt);
  ASSERT_FALSE(conflict);
  EXPECT_EQ(conflict.error().code, ErrorCode::kLibraryVersionConflict);
  ImportMeta older = meta;
  older.version_date = "2025-01-01";
  auto out_of_order = svc_->import_text(amended, older, std::nullopt);
  ASSERT_FALSE(out_of_order);
  EXPECT_EQ(out_of_order.error().code, ErrorCode::kLibraryImportInvalid);
}

TEST_P(LibraryTest, EveryShippedTextImportsWithItsLevelAndRegion) {
  auto done = svc_->import_directory(laws_dir(), "laws/");
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_GE(done->files, 60);
  EXPECT_EQ(done->created, done->files);
  auto check = [&](const std::string& title, const std::string& level, const std::string& region) {
    auto n = svc_->norm(reader(), norm_id(title));
    ASSERT_TRUE(n) << title;
    EXPECT_EQ(n->level, level) << title;
    EXPECT_EQ(n->region_code, region) << title;
  };
  check("中华人民共和国行政处罚法", "law", "000000");
  check("中华人民共和国道路运输条例", "admin_regulation", "000000");
  check("河南省行政执法条例", "local_regulation", "410000");
  check("商丘古城保护条例", "local_regulation", "411400");
  auto road = svc_->norm(reader(), norm_id("中华人民共和国道路运输条例"));
  ASSERT_TRUE(road);
  EXPECT_EQ(road->version_count, 3);
  EXPECT_EQ(road->doc_number, "中华人民共和国国务院令第406号");
  // 行政处罚法 第八十五条 as published.
  auto articles = svc_->articles(reader(), norm_id("中华人民共和国行政处罚法"), std::nullopt, "");
  ASSERT_TRUE(articles);
  ASSERT_EQ(articles->size(), 86u);
  EXPECT_EQ((*articles)[84].label, "第八十五条");
  EXPECT_EQ((*articles)[84].text,
            "本法中“二日”“三日”“五日”“七日”的规定是指工作日，不含法定节假日。");

  auto levels = svc_->norms(reader(), NormQuery{.level = "local_regulation"});
  ASSERT_TRUE(levels);
  EXPECT_GE(levels->total, 20);
  auto bad = svc_->norms(reader(), NormQuery{.level = "constitution"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kQueryInvalid);
  auto sanyuan = svc_->norms(reader(auth::Role::kAuditor), NormQuery{});
  ASSERT_FALSE(sanyuan);
  EXPECT_EQ(sanyuan.error().code, ErrorCode::kAuthForbidden);
}

INSTANTIATE_TEST_SUITE_P(Dialects, LibraryTest,
                         ::testing::Values(storage::Dialect::kSqlite, storage::Dialect::kPostgres),
                         storage::testing::dialect_name);

}  // namespace
}  // namespace xzzf::library
