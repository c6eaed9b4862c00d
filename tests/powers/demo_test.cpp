// The demo power list: every basis of the data file checked against the law
// texts of laws/ (all problems listed at once), and the list loaded on both
// databases with its revision list, once and only once.

#include "powers/demo.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "library/parse.hpp"
#include "library/service.hpp"
#include "org/demo.hpp"
#include "org_fixture.hpp"
#include "powers/service.hpp"

namespace xzzf::powers {
namespace {

namespace fs = std::filesystem;
using storage::Tx;

constexpr const char* kExecutionRegulation = "河南省行政执法条例";

fs::path laws_dir() {
  const char* src = std::getenv("XZZF_SOURCE_DIR");
  return fs::path(src != nullptr ? src : ".") / "laws";
}

// One version of a law as the library would hold it.
struct Text {
  std::string file;  // relative to laws/
  std::string date;  // the version date
  std::string in_force_from;
  std::map<std::pair<int, int>, std::string> articles;
};

// Every text of laws/ by title, versions in date order (as import_directory
// dates them: the file name, else the last date of the history).
std::map<std::string, std::vector<Text>> texts() {
  std::map<std::string, std::vector<Text>> out;
  static const std::regex dated(".*\\(([0-9]{4}-[0-9]{2}-[0-9]{2})\\)\\.md$");
  for (const auto& entry : fs::recursive_directory_iterator(laws_dir())) {
    if (!entry.is_regular_file() || entry.path().extension() != ".md" ||
        entry.path().filename() == "README.md") {
      continue;
    }
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    auto parsed = library::parse_norm_text(body.str());
    EXPECT_TRUE(parsed) << entry.path();
    if (!parsed) continue;
    Text t;
    t.file = fs::relative(entry.path(), laws_dir()).string();
    std::smatch m;
    const std::string name = entry.path().filename().string();
    t.date = std::regex_match(name, m, dated) ? m[1].str() : parsed->history.back().date;
    t.in_force_from =
        parsed->effective_on && *parsed->effective_on >= t.date ? *parsed->effective_on : t.date;
    for (const auto& a : parsed->articles) t.articles[{a.number, a.sub}] = a.text;
    out[parsed->title].push_back(std::move(t));
  }
  for (auto& [title, versions] : out) {
    std::sort(versions.begin(), versions.end(),
              [](const Text& a, const Text& b) { return a.date < b.date; });
  }
  return out;
}

// Items per paragraph, as PowerService counts them: a paragraph is a line
// not starting with （, an item a line that does, under the paragraph before.
std::vector<int> paragraphs(const std::string& text) {
  std::vector<int> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("（") && !out.empty()) {
      ++out.back();
    } else {
      out.push_back(0);
    }
  }
  if (out.empty()) out.push_back(0);
  return out;
}

TEST(DemoListTest, EveryBasisIsInTheTextInForceOnTheItemsDate) {
  auto list = demo_list();
  ASSERT_TRUE(list) << list.error().message;
  const auto laws = texts();
  std::set<std::string> superseded;
  for (const auto& rel : list->superseded_texts) {
    ASSERT_TRUE(fs::exists(laws_dir() / fs::u8path(rel))) << rel;
    superseded.insert(rel);
  }
  std::vector<std::string> problems;
  for (const auto& item : list->items) {
    const auto& c = item.content;
    for (std::size_t i = 0; i < c.bases.size(); ++i) {
      Basis b = c.bases[i];
      const std::string& title = item.norm_titles[i];
      b.norm_title = title;
      const std::string where = c.name + "：" + basis_label(b);
      const auto versions = laws.find(title);
      if (versions == laws.end()) {
        problems.push_back(where + "：laws/ 中没有此法");
        continue;
      }
      const Text* in_force = nullptr;
      for (const auto& v : versions->second) {
        if (v.in_force_from <= c.effective_from) in_force = &v;
      }
      if (in_force == nullptr) {
        problems.push_back(where + "：" + c.effective_from + " 尚未施行");
        continue;
      }
      const auto article = in_force->articles.find({b.article, b.sub});
      if (article == in_force->articles.end()) {
        problems.push_back(where + "：" + in_force->file + " 中没有此条");
        continue;
      }
      const auto counts = paragraphs(article->second);
      const int in_paragraph = b.paragraph > 0 ? b.paragraph : 1;
      if (b.paragraph > static_cast<int>(counts.size()) ||
          b.item > counts[static_cast<std::size_t>(in_paragraph - 1)]) {
        problems.push_back(where + "：" + in_force->file + " 中此条没有该款、项");
      }
      // Stale as the library marks it: some later version changed or
      // dropped the article against the version before it.
      bool stale = false;
      const std::string* before = &article->second;
      for (const auto& v : versions->second) {
        if (v.date <= in_force->date) continue;
        const auto later = v.articles.find({b.article, b.sub});
        if (later == v.articles.end() || later->second != *before) stale = true;
        if (later == v.articles.end()) break;
        before = &later->second;
      }
      if (item.history && !superseded.contains(in_force->file)) {
        problems.push_back(where + "：旧版本事项只能引用 superseded_texts 所列文本");
      }
      if (item.history && !stale)
        problems.push_back(where + "：此条其后未修改，事项不会列入待修订");
      if (!item.history && stale) problems.push_back(where + "：引用的是已修改的条文");
    }
  }
  for (const auto& p : problems) ADD_FAILURE() << p;
}

TEST(DemoListTest, SpreadsOverDepartmentsAndCategories) {
  auto list = demo_list();
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_GE(list->items.size(), 200u);
  std::map<std::string, int> per_department;
  std::set<std::string> citing_regulation, categories, states;
  std::set<std::pair<std::string, std::string>> names;
  int history = 0;
  for (const auto& item : list->items) {
    ++per_department[item.department];
    categories.insert(item.content.category);
    states.insert(item.state);
    if (item.history) ++history;
    EXPECT_FALSE(item.content.bases.empty()) << item.content.name;
    EXPECT_TRUE(names.insert({item.department, item.content.name}).second)
        << "重名：" << item.content.name;
    for (const auto& title : item.norm_titles) {
      if (title == kExecutionRegulation) citing_regulation.insert(item.department);
    }
  }
  int large = 0;
  for (const auto& [department, n] : per_department) {
    if (n >= 20) ++large;
    EXPECT_TRUE(citing_regulation.contains(department)) << department;
  }
  EXPECT_GE(large, 6);
  EXPECT_GE(history, 10);
  EXPECT_LE(history, 15);
  for (const char* c : {"penalty", "license", "inspection", "coercion", "confirmation", "other"}) {
    EXPECT_TRUE(categories.contains(c)) << c;
  }
  for (const char* s : {"draft", "submitted", "returned", "approved", "published"}) {
    EXPECT_TRUE(states.contains(s)) << s;
  }
}

class DemoTest : public org::testing::OrgTest {
 protected:
  std::int64_t count(const std::string& sql) {
    auto n = db_->read([&](Tx& tx) -> Result<std::int64_t> {
      XZZF_TRY(r, tx.query_one(sql, {}));
      return r->i64(0);
    });
    EXPECT_TRUE(n) << n.error().message;
    return n.value_or(-1);
  }
};

TEST_P(DemoTest, LoadsTheListOnceWithTheAmendedItemsOnTheRevisionList) {
  auto list = demo_list();
  ASSERT_TRUE(list) << list.error().message;
  auto org = org::load_demo(*db_, clock_);
  ASSERT_TRUE(org) << org.error().message;

  auto history = load_demo_history(*db_, clock_, org->department_ids, laws_dir(), "laws/");
  ASSERT_TRUE(history) << history.error().message;
  EXPECT_EQ(history->texts_imported, static_cast<int>(list->superseded_texts.size()));
  EXPECT_GE(history->created, 10);
  EXPECT_EQ(history->by_status["published"], history->created);
  EXPECT_EQ(history->flagged, 0);  // nothing has amended them yet

  library::LibraryService library(*db_, clock_);
  auto laws = library.import_directory(laws_dir(), "laws/");
  ASSERT_TRUE(laws) << laws.error().message;
  auto rest = load_demo(*db_, clock_, org->department_ids);
  ASSERT_TRUE(rest) << rest.error().message;
  EXPECT_EQ(rest->existing, history->created);
  const auto total = static_cast<std::int64_t>(list->items.size());
  EXPECT_EQ(history->created + rest->created, total);
  EXPECT_GE(total, 200);
  EXPECT_GE(rest->flagged, 10);
  EXPECT_GT(rest->by_status["returned"], 0);
  EXPECT_NE(demo_summary(*history, *rest).find("新建 " + std::to_string(total) + " 项"),
            std::string::npos);

  EXPECT_EQ(count("SELECT COUNT(*) FROM power_items"), total);
  EXPECT_EQ(count("SELECT COUNT(*) FROM power_items i WHERE NOT EXISTS (SELECT 1 FROM "
                  "power_item_bases b WHERE b.item_id = i.id)"),
            0);
  EXPECT_GE(count("SELECT COUNT(*) FROM (SELECT department_id FROM power_items GROUP BY "
                  "department_id HAVING COUNT(*) >= 20) d"),
            6);
  EXPECT_GE(count("SELECT COUNT(DISTINCT i.department_id) FROM power_items i JOIN "
                  "power_item_bases b ON b.item_id = i.id JOIN norms n ON n.id = b.norm_id "
                  "WHERE n.title = '河南省行政执法条例'"),
            6);
  // The returned ones carry the legal office's reason.
  EXPECT_EQ(count("SELECT COUNT(*) FROM power_items WHERE status = 'returned' AND "
                  "last_comment = ''"),
            0);

  // The flagged items are exactly the history items, published, and each
  // shows its stale basis.
  PowerService powers(*db_, clock_);
  ItemQuery flagged;
  flagged.flagged_only = true;
  flagged.page.page_size = kMaxPageSize;
  auto revision = powers.items(root(), flagged);
  ASSERT_TRUE(revision) << revision.error().message;
  EXPECT_EQ(revision->total, rest->flagged);
  EXPECT_EQ(revision->total, history->created);
  for (const auto& it : revision->items) {
    EXPECT_EQ(it.status, "published") << it.content.name;
    EXPECT_LT(it.content.effective_from, "2021-01-01") << it.content.name;
    auto one = powers.item(root(), it.id);
    ASSERT_TRUE(one);
    bool stale = false;
    for (const auto& b : one->content.bases) stale = stale || b.stale;
    EXPECT_TRUE(stale) << it.content.name;
  }

  auto again_history = load_demo_history(*db_, clock_, org->department_ids, laws_dir(), "laws/");
  ASSERT_TRUE(again_history) << again_history.error().message;
  auto again = load_demo(*db_, clock_, org->department_ids);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again_history->created + again->created, 0);
  EXPECT_EQ(again_history->texts_imported, 0);
  EXPECT_EQ(again->existing, total);
  EXPECT_EQ(again->flagged, rest->flagged);
  EXPECT_EQ(count("SELECT COUNT(*) FROM power_items"), total);
  EXPECT_NE(demo_summary(*again_history, *again).find("未新建"), std::string::npos);
}

TEST_P(DemoTest, AfterTheLaterTextsTheAmendedItemsStayDrafts) {
  auto org = org::load_demo(*db_, clock_);
  ASSERT_TRUE(org) << org.error().message;
  library::LibraryService library(*db_, clock_);
  auto laws = library.import_directory(laws_dir(), "laws/");
  ASSERT_TRUE(laws) << laws.error().message;
  // Without the history step the items citing amended articles cannot be
  // submitted: they are drafts, on the revision list all the same.
  auto rest = load_demo(*db_, clock_, org->department_ids);
  ASSERT_TRUE(rest) << rest.error().message;
  EXPECT_GE(rest->flagged, 10);
  EXPECT_EQ(count("SELECT COUNT(*) FROM power_items WHERE effective_from < '2021-01-01' AND "
                  "status <> 'draft'"),
            0);
}

TEST_P(DemoTest, AnEmptyLibraryLoadsNothing) {
  auto org = org::load_demo(*db_, clock_);
  ASSERT_TRUE(org) << org.error().message;
  auto rest = load_demo(*db_, clock_, org->department_ids);
  ASSERT_TRUE(rest) << rest.error().message;
  EXPECT_TRUE(rest->library_empty);
  EXPECT_EQ(rest->created, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM power_items"), 0);
  auto none = load_demo_history(*db_, clock_, org->department_ids, laws_dir() / "missing", "x");
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_EQ(none->created, 0);
}

INSTANTIATE_TEST_SUITE_P(Dialects, DemoTest,
                         ::testing::Values(storage::Dialect::kSqlite, storage::Dialect::kPostgres),
                         storage::testing::dialect_name);

}  // namespace
}  // namespace xzzf::powers
