// Search: normalization, the user's query, and the index against the one
// definition of a match — for every query the ids the index selects are the
// ids a scan with matches() finds, on SQLite and PostgreSQL, for 1-, 2-, 3-
// and longer queries, queries spanning two fields, wildcards and quotes, and
// after documents are replaced and removed.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "search/index.hpp"
#include "search/normalize.hpp"
#include "test_db.hpp"

namespace xzzf::search {
namespace {

using storage::Dialect;
using storage::Tx;

// ---------------------------------------------------------------------------
// normalize

TEST(Normalize, FullWidthAndCase) {
  EXPECT_EQ(normalize("Ｆｏｏ１２３"), "foo123");
  EXPECT_EQ(normalize("ＡＢＣ"), "abc");
  EXPECT_EQ(normalize("ＡＢＣ"), normalize("abc"));
  EXPECT_EQ(normalize("AbC"), "abc");
  EXPECT_EQ(normalize("411481-ＳＣＪＧ-cf-００１"), "411481-scjg-cf-001");
  EXPECT_EQ(normalize("\u3000"), " ");  // ideographic space
}

TEST(Normalize, ChineseTextAndPunctuationStay) {
  for (const char* s : {"永市监罚〔2025〕12号", "《中华人民共和国食品安全法》",
                        "对生产经营不符合食品安全标准的食品的处罚", "豫政〔2015〕98号、第一款"}) {
    EXPECT_EQ(normalize(s), s);
  }
}

TEST(Normalize, CompatibilityAndFullCaseFolding) {
  EXPECT_EQ(normalize("\uFB01le"), "file");  // ﬁ ligature
  EXPECT_EQ(normalize("\u212A"), "k");       // Kelvin sign
  EXPECT_EQ(normalize("Straße"), "strasse");
  EXPECT_EQ(normalize("STRASSE"), normalize("straße"));
  EXPECT_EQ(normalize("\u2460"), "1");               // ①
  EXPECT_EQ(normalize("e\u0301"), "\u00e9");         // composed
  EXPECT_EQ(normalize("\u00C9COLE"), "\u00e9cole");  // É
}

TEST(Normalize, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(normalize("a\xff"
                      "b"),
            "a\uFFFDb");
  EXPECT_EQ(normalize("\xe9\xa3"), "\uFFFD");                  // 食 cut short
  EXPECT_EQ(normalize("\xc0\xaf"), "\uFFFD\uFFFD");            // overlong '/'
  EXPECT_EQ(normalize("\xed\xa0\x80"), "\uFFFD\uFFFD\uFFFD");  // a surrogate
  EXPECT_EQ(normalize(std::string_view("a\0b", 3)), "a\uFFFDb");
  EXPECT_EQ(normalize("\uFFFD"), "\uFFFD");
  EXPECT_EQ(normalize(""), "");
}

// Every ASCII character through the ASCII shortcut gives what ICU gives for it
// inside non-ASCII text.
TEST(Normalize, AsciiShortcutAgreesWithIcu) {
  for (int c = 1; c < 0x80; ++c) {
    const std::string one(1, static_cast<char>(c));
    EXPECT_EQ("食" + normalize(one), normalize("食" + one)) << "U+" << c;
  }
}

// Ill-formed input takes another path through ICU than well-formed input.
TEST(Normalize, BothIcuPathsAgree) {
  for (const char* s : {"Ｆｏｏ１２３", "Straße", "\uFB01", "《食品安全法》", "e\u0301"}) {
    EXPECT_EQ(normalize(std::string(s) + "\xff"), normalize(s) + "\uFFFD") << s;
  }
}

TEST(Normalize, IsIdempotent) {
  for (const char* s : {"Ｆｏｏ１２３", "Straße", "\uFB01", "\u212A", "《食品安全法》", "ǅ", "ΣΑΣ",
                        "\u1E9E", "㍿", "ﾃﾞｰﾀ"}) {
    EXPECT_EQ(normalize(normalize(s)), normalize(s)) << s;
  }
}

// ---------------------------------------------------------------------------
// query_text

TEST(QueryText, ControlsRemovedAndTrimmed) {
  EXPECT_EQ(query_text(" \t食品\n安全 ").value(), "食品安全");
  EXPECT_EQ(query_text("\u3000ＡＢＣ\u3000").value(), "abc");
  EXPECT_EQ(query_text("食品 安全").value(), "食品 安全");  // inner space kept
  EXPECT_EQ(query_text("a\x7f"
                       "b\r")
                .value(),
            "ab");
  // The control goes before normalizing: e + U+0301 then compose.
  EXPECT_EQ(query_text("e\a\u0301").value(), "\u00e9");
  EXPECT_EQ(query_text("a\xff").value(), "a\uFFFD");
}

TEST(QueryText, EmptyMeansNoFilter) {
  EXPECT_EQ(query_text("").value(), "");
  EXPECT_EQ(query_text(" \t\n\u3000\r ").value(), "");
}

TEST(QueryText, AtMost64Characters) {
  std::string ok;
  for (int i = 0; i < 64; ++i) ok += "食";
  EXPECT_EQ(query_text(ok).value(), ok);
  EXPECT_EQ(query_text("  " + ok + "\n").value(), ok);

  auto refused = query_text(ok + "品");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kQueryInvalid);
  EXPECT_NE(refused.error().message.find("q"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find("64"), std::string::npos) << refused.error().message;

  // Counted after the clean-up: removed controls do not count.
  EXPECT_TRUE(query_text(ok + std::string(100, '\n')));
}

TEST(Matches, SomeNormalizedFieldContainsTheQuery) {
  const std::vector<std::string> fields = {"对生产经营不符合食品安全标准的食品的处罚",
                                           "411481-SCJG-CF-001", "永城市市场监督管理局"};
  EXPECT_TRUE(matches(fields, "食品安全"));
  EXPECT_TRUE(matches(fields, "scjg-cf"));
  EXPECT_TRUE(matches(fields, ""));
  EXPECT_FALSE(matches(fields, "SCJG"));  // the query must be normalized
  EXPECT_FALSE(matches(fields, "处罚\n411481"));
  EXPECT_FALSE(matches(fields, "处罚411481"));  // never across two fields
}

TEST(Grams, CharactersButLineFeeds) {
  EXPECT_EQ(chars("食品a\n安a"), (std::vector<std::int64_t>{'a', 0x54C1, 0x5B89, 0x98DF}));
  EXPECT_EQ(chars("\n"), std::vector<std::int64_t>());
  EXPECT_EQ(chars("é\U0001F600ß"), (std::vector<std::int64_t>{0xDF, 0xE9, 0x1F600}));
}

TEST(Grams, UnigramsAndBigramsNotSpanningFields) {
  const auto g = grams("食品a\n安");
  const std::vector<std::string> want = {"a", "品", "品a", "安", "食", "食品"};
  EXPECT_EQ(g, want);
  EXPECT_EQ(grams(""), std::vector<std::string>());
  EXPECT_EQ(grams("\n\n"), std::vector<std::string>());
  EXPECT_EQ(grams("aa"), (std::vector<std::string>{"a", "aa"}));
}

TEST(Condition, NeverSplicesTheQuery) {
  for (Dialect d : {Dialect::kSqlite, Dialect::kPostgres}) {
    for (const char* q : {"'", "x'y", "a'); DROP TABLE search_docs; --", "'\"'"}) {
      auto c = condition(d, "power_item", "p.id", q);
      EXPECT_EQ(c.sql.find(q), std::string::npos) << c.sql;
      EXPECT_EQ(c.sql.rfind("p.id IN (SELECT ", 0), 0u) << c.sql;
    }
  }
}

// ---------------------------------------------------------------------------
// The index against the scan

constexpr std::string_view kKind = "power_item";
constexpr std::string_view kOtherKind = "norm";

// Realistic documents: a power item's name, code, department and basis
// title, composed from fragments so that queries find few or many.
class Corpus {
 public:
  explicit Corpus(std::uint32_t seed) : random_(seed) {}

  std::vector<std::string> document() { return {name(), code(), department(), basis()}; }

  std::string name() {
    static const std::vector<std::string> subjects = {
        "生产经营者",         "食品生产者", "药品经营企业",     "特种设备使用单位",
        "网络交易平台经营者", "医疗机构",   "建设单位",         "出租汽车经营者",
        "餐饮服务提供者",     "食品小作坊", "Ｗｅｂ平台经营者", "ABC连锁超市",
        "网约车平台公司"};
    static const std::vector<std::string> acts = {"生产经营不符合食品安全标准的食品",
                                                  "未取得许可从事生产经营活动",
                                                  "未按规定建立进货查验记录制度",
                                                  "使用未经检验的特种设备",
                                                  "拒绝、阻挠监督检查",
                                                  "伪造、变造许可证件",
                                                  "未按规定公示收费标准",
                                                  "销售超过保质期的食品",
                                                  "未经许可擅自从事出租汽车经营",
                                                  "排放污染物超过标准（50%以上）",
                                                  "未在显著位置公示“食品经营许可证”",
                                                  "拒不改正"};
    static const std::vector<std::string> forms = {
        "对{s}{a}的处罚", "对{s}{a}的行政强制", "{s}{a}的检查", "{s}许可", "对{s}{a}的查封、扣押"};
    std::string f = pick(forms);
    replace(f, "{s}", pick(subjects));
    replace(f, "{a}", pick(acts));
    return f;
  }

  std::string code() {
    static const std::vector<std::string> regions = {"411481", "411400", "410000", "411402"};
    static const std::vector<std::string> units = {"SCJG", "scjg",     "WJW",
                                                   "JTYS", "ＹＪＧＬ", "HbJ"};
    static const std::vector<std::string> categories = {"CF", "XK", "QZ", "JC", "QT"};
    char number[8];
    std::snprintf(number, sizeof number, "%03u", static_cast<unsigned>(below(400)));
    return pick(regions) + "-" + pick(units) + "-" + pick(categories) + "-" + number;
  }

  std::string department() {
    static const std::vector<std::string> places = {"永城市", "商丘市", "河南省", "永城市芒山镇"};
    static const std::vector<std::string> bodies = {
        "市场监督管理局",     "卫生健康委员会",   "交通运输局", "应急管理局",
        "生态环境局永城分局", "综合行政执法大队", "人民政府"};
    return pick(places) + pick(bodies);
  }

  std::string basis() {
    static const std::vector<std::string> titles = {
        "《中华人民共和国食品安全法》",
        "《中华人民共和国药品管理法》",
        "《特种设备安全监察条例》",
        "《河南省食品小作坊、小经营店和小摊点管理条例》",
        "《中华人民共和国行政处罚法》",
        "《网络交易监督管理办法》",
        "《巡游出租汽车经营服务管理规定》",
        "《中华人民共和国大气污染防治法》",
        "豫政〔2015〕98号",
        "《ISO 9001 质量管理体系》",
        "《C:\\规章\\草案_v2》",
        "《\"双引号\"与'单引号'》",
        "《Straße 管理办法》",
        "《ﬁle 与 \u212Aelvin》",
        "《𠮷野家连锁餐饮管理规范》"};
    return pick(titles);
  }

  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(random_() % n); }

  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[below(static_cast<std::uint32_t>(items.size()))];
  }

 private:
  static void replace(std::string& s, const std::string& from, const std::string& to) {
    if (auto at = s.find(from); at != std::string::npos) s.replace(at, from.size(), to);
  }

  std::mt19937 random_;
};

// Code point boundaries of valid UTF-8.
std::vector<std::size_t> boundaries(const std::string& s) {
  std::vector<std::size_t> at;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0u) != 0x80u) at.push_back(i);
  }
  at.push_back(s.size());
  return at;
}

// `length` code points of `s` from code point `start` (clipped).
std::string cut(const std::string& s, std::size_t start, std::size_t length) {
  const auto at = boundaries(s);
  const std::size_t n = at.size() - 1;
  if (start >= n) return "";
  const std::size_t end = std::min(n, start + length);
  return s.substr(at[start], at[end] - at[start]);
}

std::string full_width(const std::string& ascii) {
  std::string out;
  for (char c : ascii) {
    if (c > ' ' && c < 0x7f) {
      // U+FF01…U+FF5E mirror '!'…'~'.
      const auto cp = static_cast<std::uint32_t>(0xFF01 + (c - '!'));
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += c;
    }
  }
  return out;
}

std::string swap_case(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    } else if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return s;
}

class SearchIndexTest : public storage::testing::DialectTest {
 protected:
  void SetUp() override {
    DialectTest::SetUp();
    if (IsSkipped()) return;
    db_ = test_db_->open_migrated();
    ASSERT_NE(db_, nullptr);
  }
  void TearDown() override {
    db_.reset();
    DialectTest::TearDown();
  }

  void put_all(std::string_view kind,
               const std::map<std::int64_t, std::vector<std::string>>& docs) {
    auto r = db_->write([&](Tx& tx) -> Result<void> {
      for (const auto& [id, fields] : docs) XZZF_CHECK(put(tx, kind, id, fields));
      return {};
    });
    ASSERT_TRUE(r) << r.error().message;
  }

  // The ids the index selects for a query (a query_text result).
  std::set<std::int64_t> indexed(std::string_view kind, const std::string& q) {
    auto c = condition(GetParam(), kind, "doc_id", q);
    storage::Params params = {kind};
    params.insert(params.end(), c.params.begin(), c.params.end());
    auto rows = db_->read([&](Tx& tx) {
      return tx.query("SELECT doc_id FROM search_docs WHERE kind = ? AND " + c.sql, params);
    });
    EXPECT_TRUE(rows) << rows.error().message << "\n" << c.sql;
    std::set<std::int64_t> out;
    if (rows) {
      for (const auto& row : *rows) out.insert(row.i64(0));
    }
    return out;
  }

  static std::set<std::int64_t> scanned(
      const std::map<std::int64_t, std::vector<std::string>>& docs, const std::string& q) {
    std::set<std::int64_t> out;
    for (const auto& [id, fields] : docs) {
      if (matches(fields, q)) out.insert(id);
    }
    return out;
  }

  // Asserts index == scan for every query; returns how many queries found
  // something, per length in code points (1, 2, 3, 4 = 4 or more).
  std::map<std::size_t, int> expect_equal(
      const std::map<std::int64_t, std::vector<std::string>>& docs,
      const std::vector<std::string>& raw_queries) {
    std::map<std::size_t, int> found;
    for (const auto& raw : raw_queries) {
      auto q = query_text(raw);
      if (!q || q->empty()) continue;
      const auto want = scanned(docs, *q);
      const auto got = indexed(kKind, *q);
      EXPECT_EQ(got, want) << "query \"" << *q << "\" (raw \"" << raw << "\")";
      if (!want.empty()) ++found[std::min<std::size_t>(code_points(*q), 4)];
    }
    return found;
  }

  // The gram index holds exactly the grams of each current document: rows of
  // search_grams on SQLite (and the FTS table agrees with its content table),
  // the chars column on PostgreSQL.
  void expect_consistent() {
    auto r = db_->read([&](Tx& tx) -> Result<void> {
      XZZF_TRY(docs, tx.query("SELECT kind, doc_id, text FROM search_docs"));
      if (GetParam() == Dialect::kPostgres) {
        // In batches: each document with the characters C++ finds in its text.
        std::size_t checked = 0;
        for (std::size_t first = 0; first < docs.size(); first += 500) {
          std::string batch = "[";
          for (std::size_t i = first; i < std::min(docs.size(), first + 500); ++i) {
            if (batch.size() > 1) batch += ',';
            batch += "{\"k\":" + json_string(docs[i].text(0)) +
                     ",\"d\":" + std::to_string(docs[i].i64(1)) +
                     ",\"g\":" + json(chars(docs[i].text(2))) + "}";
          }
          batch += "]";
          XZZF_TRY(rows, tx.query("SELECT d.text, CASE WHEN d.chars @> g.a AND g.a @> d.chars "
                                  "AND cardinality(d.chars) = cardinality(g.a) THEN 1 ELSE 0 END "
                                  "FROM jsonb_array_elements(CAST(? AS JSONB)) AS e "
                                  "CROSS JOIN LATERAL (SELECT ARRAY(SELECT CAST("
                                  "jsonb_array_elements_text(e->'g') AS INTEGER)) AS a) AS g "
                                  "JOIN search_docs AS d ON d.kind = e->>'k' "
                                  "AND d.doc_id = CAST(e->>'d' AS BIGINT)",
                                  {batch}));
          for (const auto& row : rows) {
            ++checked;
            EXPECT_EQ(row.i64(1), 1) << "characters differ for " << row.text(0);
          }
        }
        EXPECT_EQ(checked, docs.size());
        return {};
      }
      std::size_t expected = 0;
      for (const auto& row : docs) expected += grams(row.text(2)).size();
      XZZF_TRY(n, tx.query_one("SELECT COUNT(*) FROM search_grams"));
      EXPECT_EQ(static_cast<std::size_t>(n->i64(0)), expected);
      XZZF_TRY(orphans, tx.query_one("SELECT COUNT(*) FROM search_grams g WHERE NOT EXISTS "
                                     "(SELECT 1 FROM search_docs d WHERE d.kind = g.kind "
                                     "AND d.doc_id = g.doc_id)"));
      EXPECT_EQ(orphans->i64(0), 0);
      return {};
    });
    ASSERT_TRUE(r) << r.error().message;
    if (GetParam() == Dialect::kSqlite) {
      auto check = db_->write([](Tx& tx) {
        return tx.exec("INSERT INTO search_fts (search_fts) VALUES ('integrity-check')");
      });
      EXPECT_TRUE(check) << check.error().message;
    }
  }

  static std::string json_string(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
      if (static_cast<unsigned char>(c) < 0x20) {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned char>(c));
        out += escaped;
        continue;
      }
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    return out + "\"";
  }

  static std::string json(const std::vector<std::int64_t>& items) {
    std::string out = "[";
    for (auto item : items) {
      if (out.size() > 1) out += ',';
      out += std::to_string(item);
    }
    return out + "]";
  }

  static std::string json(const std::vector<std::string>& items) {
    std::string out = "[";
    for (const auto& item : items) {
      if (out.size() > 1) out += ',';
      out += json_string(item);
    }
    return out + "]";
  }

  // Queries drawn from the documents and beyond (see the file comment).
  static std::vector<std::string> queries(
      const std::map<std::int64_t, std::vector<std::string>>& docs, std::uint32_t seed) {
    std::mt19937 random(seed);
    // below(0) is 0, for empty fields.
    auto below = [&](std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(random() % n); };
    std::vector<const std::vector<std::string>*> all;
    for (const auto& [id, fields] : docs) all.push_back(&fields);
    auto any_doc = [&]() -> const std::vector<std::string>& { return *all[below(all.size())]; };

    std::vector<std::string> out;
    // Substrings of a field, as written (query_text normalizes them).
    for (std::size_t length : {1, 1, 2, 2, 3, 3, 4, 5, 6, 9, 14}) {
      for (int i = 0; i < 40; ++i) {
        const auto& f = any_doc()[below(4)];
        const std::size_t n = boundaries(f).size() - 1;
        out.push_back(cut(f, below(n), length));
      }
    }
    // Across the boundary of two fields: must not match that document.
    for (int i = 0; i < 80; ++i) {
      const auto& d = any_doc();
      const std::size_t k = below(3);
      const std::size_t left = 1 + below(3);
      const std::size_t right = 1 + below(3);
      const std::size_t n = boundaries(d[k]).size() - 1;
      out.push_back(cut(d[k], n - std::min(n, left), left) + cut(d[k + 1], 0, right));
    }
    // The ASCII of codes in the other case and in full width.
    for (int i = 0; i < 40; ++i) {
      const auto& code = any_doc()[1];
      const std::string part = cut(code, below(12), 2 + below(6));
      out.push_back(swap_case(part));
      out.push_back(full_width(part));
    }
    // Random strings from the documents' alphabet.
    std::vector<std::string> alphabet;
    for (int i = 0; i < 200; ++i) {
      const auto& f = any_doc()[below(4)];
      alphabet.push_back(cut(f, below(boundaries(f).size() - 1), 1));
    }
    for (std::size_t length : {1, 2, 2, 3, 3, 4, 6}) {
      for (int i = 0; i < 25; ++i) {
        std::string q;
        for (std::size_t j = 0; j < length; ++j) q += alphabet[below(alphabet.size())];
        out.push_back(q);
      }
    }
    // Wildcards, escapes and quotes of LIKE and FTS5, alone and in words.
    for (const char* q : {"%",
                          "_",
                          "\\",
                          "\"",
                          "'",
                          "%%",
                          "__",
                          "\\\\",
                          "\"\"",
                          "%食",
                          "食%",
                          "食_品",
                          "食%品",
                          "50%",
                          "0%以",
                          "%以上",
                          "v_",
                          "_v2",
                          "草案_v2",
                          "\\规",
                          ":\\规章\\",
                          "规章\\草",
                          "\"双",
                          "\"双引号\"",
                          "号\"与",
                          "'单引号'",
                          "* OR 食",
                          "食品 AND 安全",
                          "NEAR(食品",
                          "^食品",
                          "食品*",
                          "(食品)",
                          "-",
                          "--",
                          "〔",
                          "〔2015〕",
                          "015〕98",
                          "《",
                          "》",
                          "》\n4",
                          "、",
                          "，",
                          "“",
                          "”",
                          "食品经营许可证”",
                          "STRASSE",
                          "strasse",
                          "Straße",
                          "ss",
                          "ß",
                          "FILE",
                          "ﬁ",
                          "KELVIN",
                          "\u212A",
                          "k",
                          "ｋｅｌｖｉｎ",
                          "9001 质",
                          "ＩＳＯ　９００１",
                          "𠮷",
                          "𠮷野",
                          "《𠮷",
                          "𠮷野家",
                          " ",
                          "  "}) {
      out.emplace_back(q);
    }
    // Traps for a trigram index without a recheck: every trigram present,
    // the whole not.
    for (const char* q : {"生产经营者食品", "食品安全法》", "营者未取得", "处罚经营", "经营者经营",
                          "食品食品", "永城市永城"}) {
      out.emplace_back(q);
    }
    // The longest query there may be, from a real name.
    std::string longest;
    while (boundaries(longest).size() - 1 < kMaxQueryChars) longest += any_doc()[0];
    out.push_back(cut(longest, 0, kMaxQueryChars));
    return out;
  }

  std::unique_ptr<storage::Database> db_;
};

TEST_P(SearchIndexTest, IndexSelectsExactlyWhatTheScanFinds) {
  Corpus corpus(20250917);
  std::map<std::int64_t, std::vector<std::string>> docs;
  for (std::int64_t id = 1; id <= 2000; ++id) docs[id * 3] = corpus.document();
  // Documents whose trigrams are all there for the trap queries, the words not.
  docs[9001] = {"生产经营者 者食品 产者食", "食品安全", "法》", ""};
  docs[9002] = {"营者未 者未取 未取得", "处罚 罚经营", "经营者 者经营", "食品 品食品 食品食"};
  docs[9003] = {"永城市 市永城", "", "", ""};
  // Another family with the same ids: never selected for kKind.
  std::map<std::int64_t, std::vector<std::string>> others;
  for (const auto& [id, fields] : docs) others[id] = corpus.document();
  put_all(kKind, docs);
  put_all(kOtherKind, others);
  expect_consistent();

  const auto qs = queries(docs, 7);
  auto found = expect_equal(docs, qs);
  // The queries found something at every length (else the test proves little).
  for (std::size_t length : {1, 2, 3, 4}) {
    EXPECT_GT(found[length], 20) << "length " << length;
  }
  // The traps: the trigram candidates include these documents, the answer not.
  for (const char* q : {"生产经营者食品", "营者未取得", "永城市永城"}) {
    EXPECT_FALSE(indexed(kKind, q).contains(9001)) << q;
    EXPECT_FALSE(indexed(kKind, q).contains(9002)) << q;
    EXPECT_FALSE(indexed(kKind, q).contains(9003)) << q;
  }
}

TEST_P(SearchIndexTest, ReplacedAndRemovedDocuments) {
  Corpus corpus(42);
  std::map<std::int64_t, std::vector<std::string>> docs;
  for (std::int64_t id = 1; id <= 1000; ++id) docs[id] = corpus.document();
  put_all(kKind, docs);
  put_all(kOtherKind, docs);

  // Replace a third (some with the same text), remove a tenth, add a few.
  std::map<std::int64_t, std::vector<std::string>> changed;
  std::vector<std::int64_t> removed;
  for (auto& [id, fields] : docs) {
    if (id % 3 == 0) {
      fields = id % 9 == 0 ? fields : corpus.document();
      if (id % 27 == 0) fields[0] += "（已修订）";
      changed[id] = fields;
    } else if (id % 10 == 1) {
      removed.push_back(id);
    }
  }
  for (std::int64_t id = 2001; id <= 2100; ++id) changed[id] = docs[id] = corpus.document();
  put_all(kKind, changed);
  auto r = db_->write([&](Tx& tx) -> Result<void> {
    for (auto id : removed) XZZF_CHECK(remove(tx, kKind, id));
    XZZF_CHECK(remove(tx, kKind, 999999));  // not there: nothing
    return {};
  });
  ASSERT_TRUE(r) << r.error().message;
  const std::int64_t gone = removed.front();
  const std::vector<std::string> gone_fields = docs[gone];
  for (auto id : removed) docs.erase(id);
  expect_consistent();

  auto qs = queries(docs, 11);
  qs.emplace_back("已修订");
  qs.emplace_back("修");
  qs.emplace_back("（已");
  auto found = expect_equal(docs, qs);
  for (std::size_t length : {1, 2, 3, 4}) {
    EXPECT_GT(found[length], 20) << "length " << length;
  }
  // A removed document is found by nothing, its twin of the other kind stays.
  for (const auto& f : gone_fields) {
    for (std::size_t length : {1, 2, 5}) {
      const std::string q = query_text(cut(f, 0, length)).value();
      if (q.empty()) continue;
      EXPECT_FALSE(indexed(kKind, q).contains(gone)) << q;
      EXPECT_TRUE(indexed(kOtherKind, q).contains(gone)) << q;
    }
  }

  // Removing everything leaves no grams behind.
  auto all = db_->write([&](Tx& tx) -> Result<void> {
    for (const auto& [id, fields] : docs) XZZF_CHECK(remove(tx, kKind, id));
    for (std::int64_t id = 1; id <= 1000; ++id) XZZF_CHECK(remove(tx, kOtherKind, id));
    return {};
  });
  ASSERT_TRUE(all) << all.error().message;
  expect_consistent();
  EXPECT_TRUE(indexed(kKind, "局").empty());
  EXPECT_TRUE(indexed(kKind, "市场监督").empty());
}

// The way a list asks: its own filter, COUNT, then a page by id.
TEST_P(SearchIndexTest, ConditionInsideACallersQuery) {
  auto r = db_->write([&](Tx& tx) -> Result<void> {
    XZZF_TRY(created, tx.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, department_id BIGINT "
                              "NOT NULL, name TEXT NOT NULL)"));
    (void)created;
    for (std::int64_t id = 1; id <= 200; ++id) {
      const std::string name =
          id % 2 == 0 ? "对生产经营不符合食品安全标准的食品的处罚" : "药品经营许可";
      XZZF_TRY(n, tx.exec("INSERT INTO items (id, department_id, name) VALUES (?, ?, ?)",
                          {id, id % 4, name}));
      (void)n;
      XZZF_CHECK(put(tx, kKind, id, {name, "411481-SCJG-CF-" + std::to_string(id)}));
    }
    return {};
  });
  ASSERT_TRUE(r) << r.error().message;

  for (const char* raw : {"食", "食品", "食品安全", "ＳＣＪＧ-cf-1", "经营", "药品经营许可"}) {
    const std::string q = query_text(raw).value();
    auto c = condition(GetParam(), kKind, "i.id", q);
    storage::Params params = {2};
    params.insert(params.end(), c.params.begin(), c.params.end());
    auto got = db_->read([&](Tx& tx) -> Result<std::pair<std::int64_t, std::vector<std::int64_t>>> {
      XZZF_TRY(count, tx.query_one(
                          "SELECT COUNT(*) FROM items AS i WHERE i.department_id = ? AND " + c.sql,
                          params));
      storage::Params page = params;
      page.emplace_back(5);
      page.emplace_back(3);
      XZZF_TRY(rows, tx.query("SELECT i.id FROM items AS i WHERE i.department_id = ? AND " + c.sql +
                                  " ORDER BY i.id LIMIT ? OFFSET ?",
                              page));
      std::vector<std::int64_t> ids;
      for (const auto& row : rows) ids.push_back(row.i64(0));
      return std::pair{count->i64(0), ids};
    });
    ASSERT_TRUE(got) << got.error().message;

    std::vector<std::int64_t> want;
    for (std::int64_t id = 1; id <= 200; ++id) {
      const std::string name =
          id % 2 == 0 ? "对生产经营不符合食品安全标准的食品的处罚" : "药品经营许可";
      if (id % 4 == 2 && matches({name, "411481-SCJG-CF-" + std::to_string(id)}, q)) {
        want.push_back(id);
      }
    }
    EXPECT_EQ(got->first, static_cast<std::int64_t>(want.size())) << raw;
    std::vector<std::int64_t> page(want.begin() + std::min<std::size_t>(3, want.size()),
                                   want.begin() + std::min<std::size_t>(8, want.size()));
    EXPECT_EQ(got->second, page) << raw;
  }
}

// find(): a page in the caller's order and a total exact up to the cap, for
// queries that match a few rows (the index's matches are collected) and many
// (the caller's order is walked testing each row), with and without a filter
// and an ORed alternative, at several offsets: always what a scan finds.
TEST_P(SearchIndexTest, FindPagesInTheCallersOrderAndCountsUpToTheCap) {
  struct Row {
    std::int64_t id;
    std::int64_t department_id;
    std::string code;
    std::vector<std::string> fields;
  };
  Corpus corpus(7);
  std::vector<Row> rows;
  for (std::int64_t id = 1; id <= 600; ++id) {
    // Codes of one shape: byte order is every collation's order.
    char code[8];
    std::snprintf(code, sizeof code, "K%04u", corpus.below(5000));
    rows.push_back({id,
                    1 + static_cast<std::int64_t>(corpus.below(6)),
                    code,
                    {corpus.name(), corpus.department(), corpus.basis()}});
  }
  auto r = db_->write([&](Tx& tx) -> Result<void> {
    XZZF_TRY(created, tx.exec("CREATE TABLE listed (id BIGINT PRIMARY KEY, department_id BIGINT "
                              "NOT NULL, code TEXT NOT NULL)"));
    (void)created;
    XZZF_TRY(index, tx.exec("CREATE INDEX listed_order ON listed (department_id, code, id)"));
    (void)index;
    for (const auto& row : rows) {
      XZZF_TRY(n, tx.exec("INSERT INTO listed (id, department_id, code) VALUES (?, ?, ?)",
                          {row.id, row.department_id, row.code}));
      (void)n;
      XZZF_CHECK(put(tx, kKind, row.id, row.fields));
    }
    // A document of another kind: never counted.
    XZZF_CHECK(put(tx, kOtherKind, 1, {"食品"}));
    return {};
  });
  ASSERT_TRUE(r) << r.error().message;
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.department_id, a.code, a.id) < std::tie(b.department_id, b.code, b.id);
  });

  constexpr std::int64_t kCap = 60;
  int dense = 0;
  int sparse = 0;
  for (const char* raw : {"食", "处罚", "食品安全", "经营", "永城市", "𠮷", "鳄鱼", "ＡＢＣ",
                          "芒山镇人民政府", "kelvin"}) {
    const std::string q = query_text(raw).value();
    std::int64_t unfiltered = 0;
    for (const auto& row : rows) unfiltered += matches(row.fields, q) ? 1 : 0;
    ++(unfiltered > kCap ? dense : sparse);
    for (int variant = 0; variant < 4; ++variant) {
      // 0: no filter; 1: department 2; 2: department ≠ 5 or'ed with department 4;
      // 3: no filter, or'ed with department 3 (a word in a department's name).
      Listing listing{.kind = kKind,
                      .table = "listed AS l",
                      .id_column = "l.id",
                      .order_by = "l.department_id, l.code, l.id",
                      .total_cap = kCap};
      if (variant == 1) {
        listing.filter = "l.department_id = ?";
        listing.filter_params = {2};
      } else if (variant == 2) {
        listing.filter = "l.department_id <> ?";
        listing.filter_params = {5};
        listing.alternative = "l.department_id IN (?)";
        listing.alternative_params = {4};
      } else if (variant == 3) {
        listing.alternative = "l.department_id IN (?)";
        listing.alternative_params = {3};
      }
      std::vector<std::int64_t> want;
      for (const auto& row : rows) {
        const bool hit = matches(row.fields, q);
        if (variant == 1 && (row.department_id != 2 || !hit)) continue;
        if (variant == 2 && (row.department_id == 5 || !(hit || row.department_id == 4))) continue;
        if (variant == 0 && !hit) continue;
        if (variant == 3 && !(hit || row.department_id == 3)) continue;
        want.push_back(row.id);
      }
      const auto n = static_cast<std::int64_t>(want.size());
      for (std::int64_t offset : {0, 7, 35}) {
        listing.limit = 10;
        listing.offset = offset;
        auto found = db_->read([&](Tx& tx) { return find(tx, listing, q); });
        ASSERT_TRUE(found) << found.error().message;
        const std::string what = "query \"" + q + "\", variant " + std::to_string(variant) +
                                 ", offset " + std::to_string(offset);
        std::vector<std::int64_t> page(
            want.begin() + std::min<std::size_t>(offset, want.size()),
            want.begin() + std::min<std::size_t>(offset + 10, want.size()));
        EXPECT_EQ(found->ids, page) << what;
        if (unfiltered > kCap) {
          // Many match: counted up to the cap.
          EXPECT_EQ(found->total_capped, n > kCap) << what;
          EXPECT_EQ(found->total, std::min(n, kCap)) << what;
        } else {
          EXPECT_FALSE(found->total_capped) << what;
          EXPECT_EQ(found->total, n) << what;
        }
      }
    }
  }
  // Both ways were taken.
  EXPECT_GE(dense, 3);
  EXPECT_GE(sparse, 3);
}

INSTANTIATE_TEST_SUITE_P(Dialects, SearchIndexTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres),
                         storage::testing::dialect_name);

}  // namespace
}  // namespace xzzf::search
