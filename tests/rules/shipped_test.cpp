// The shipped rule data: the parser's refusals, and every citation of a law
// whose text the library holds checked against that text (never invent a
// citation).

#include "rules/shipped.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace xzzf::rules {
namespace {

namespace fs = std::filesystem;

std::string doc(const std::string& versions) {
  return R"({"regions": {"000000": "全国", "410000": "河南省"},
             "keys": [{"key": "k", "name": "键", "unit": "days", "description": ""}],
             "versions": [)" +
         versions + "]}";
}

std::string version(const std::string& id, const std::string& from, const std::string& to,
                    const std::string& extra = R"("confirmed": true)") {
  return R"({"id": ")" + id + R"(", "key": "k", "region_code": "000000", "value": 5,
             "effective_from": ")" +
         from + R"(", "effective_to": )" + (to.empty() ? "null" : "\"" + to + "\"") +
         R"(, "norm": "《某法》", "article": "第一条", "note": "n", )" + extra + "}";
}

TEST(ShippedRules, TheShippedFileParsesAndEveryKeyHasAVersion) {
  const auto& rules = shipped_rules();
  EXPECT_GE(rules.versions.size(), 20u);
  for (const auto& k : rules.keys) {
    const bool has = std::any_of(rules.versions.begin(), rules.versions.end(),
                                 [&](const Rule& r) { return r.key == k.key; });
    EXPECT_TRUE(has) << k.key;
  }
  for (const auto& v : rules.versions) {
    EXPECT_FALSE(v.norm.empty()) << *v.shipped_id;
    EXPECT_FALSE(v.article.empty()) << *v.shipped_id;
    if (!v.confirmed) {
      EXPECT_FALSE(v.note.empty()) << *v.shipped_id;
    }
  }
}

TEST(ShippedRules, RefusesOverlapsUnknownKeysAndUnconfirmedValuesWithoutANote) {
  EXPECT_TRUE(parse_shipped_rules(
      doc(version("a", "2020-01-01", "2021-01-01") + "," + version("b", "2021-01-01", ""))));
  auto overlap = parse_shipped_rules(
      doc(version("a", "2020-01-01", "2021-06-01") + "," + version("b", "2021-01-01", "")));
  ASSERT_FALSE(overlap);
  EXPECT_NE(overlap.error().message.find("重叠"), std::string::npos);
  EXPECT_FALSE(parse_shipped_rules(doc(version("a", "2020-01-01", "2019-01-01"))));
  EXPECT_FALSE(parse_shipped_rules(doc(version("a", "2020-02-30", ""))));
  EXPECT_FALSE(parse_shipped_rules(
      doc(version("a", "2020-01-01", "") + "," + version("a", "2022-01-01", ""))));
  std::string unknown = version("a", "2020-01-01", "");
  unknown.replace(unknown.find(R"("key": "k")"), 10, R"("key": "x")");
  EXPECT_FALSE(parse_shipped_rules(doc(unknown)));
  std::string no_note = version("a", "2020-01-01", "", R"("confirmed": false)");
  no_note.replace(no_note.find(R"("note": "n")"), 11, R"("note": "")");
  EXPECT_FALSE(parse_shipped_rules(doc(no_note)));
  EXPECT_FALSE(parse_shipped_rules(doc(version("a", "2020-01-01", "", R"("unit": "fen")"))));
}

// Reads the law texts beside the repository (../shared/data/laws).
std::string law_text(const std::string& relative) {
  const char* src = std::getenv("XZZF_SOURCE_DIR");
  const fs::path path = fs::path(src != nullptr ? src : ".") / ".." / "shared" / "data" / "laws" /
                        fs::u8path(relative);
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// 第六十四条第（一）项 → 第六十四条
std::string article_number(const std::string& article) {
  const auto end = article.find("条");
  return end == std::string::npos ? article : article.substr(0, end + std::string("条").size());
}

TEST(ShippedRules, CitationsOfTheAdministrativePenaltyLawExistInItsText) {
  const std::string text = law_text("national/行政处罚法(2021-01-22).md");
  if (text.empty()) GTEST_SKIP() << "the law texts are not beside the repository";
  int checked = 0;
  for (const auto& v : shipped_rules().versions) {
    if (v.norm.find("行政处罚法》（2021年修订）") == std::string::npos) continue;
    const std::string number = article_number(v.article);
    EXPECT_NE(text.find("\n" + number + " "), std::string::npos)
        << *v.shipped_id << " cites " << number << ", which the 2021 text does not have";
    ++checked;
  }
  EXPECT_GE(checked, 8);
  // The notes' claims about the text: working days (第八十五条), two officers (第四十二条).
  EXPECT_NE(text.find("第八十五条 本法中“二日”“三日”“五日”“七日”的规定是指工作日"),
            std::string::npos);
  EXPECT_NE(text.find("执法人员不得少于两人"), std::string::npos);
  EXPECT_NE(text.find("对公民处以二百元以下、对法人或者其他组织处以三千元以下罚款"),
            std::string::npos);
  EXPECT_NE(text.find("应当自行政处罚案件立案之日起九十日内作出行政处罚决定"), std::string::npos);
}

TEST(ShippedRules, TheHenanRegulationSaysWhatTheTwoOfficersNoteQuotes) {
  const std::string text = law_text("henan/河南省行政执法条例(2016-03-29).md");
  if (text.empty()) GTEST_SKIP() << "the law texts are not beside the repository";
  EXPECT_NE(text.find("第二十四条 行政执法机关在调查、检查或者核查时，行政执法人员不得少于两人"),
            std::string::npos);
  // The note of the two-officers rule quotes that article: the quotation is
  // in the text, word for word.
  for (const auto& v : shipped_rules().versions) {
    if (*v.shipped_id != "cn.penalty.min_officers.2021") continue;
    const std::string marker = "第二十四条：";
    const auto at = v.note.find(marker);
    ASSERT_NE(at, std::string::npos) << v.note;
    const auto start = at + marker.size();
    const auto end = v.note.find("。", start);
    ASSERT_NE(end, std::string::npos);
    const std::string quoted = v.note.substr(start, end - start);
    EXPECT_NE(text.find("第二十四条 " + quoted), std::string::npos) << quoted;
  }
}

}  // namespace
}  // namespace xzzf::rules
