#pragma once

// The legal library (法律法规库, DOMAIN.md §1): norms — laws, regulations,
// rules and normative documents — each with its versions (the text as adopted,
// and again after every amendment) and their articles. A power item cites a
// norm's article; when a new version changes that article, the item is
// flagged. Plain values; dates are "YYYY-MM-DD".

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/page.hpp"

namespace xzzf::library {

// 效力层级. A 规范性文件 can never be an enforcement basis (notice 三(一)).
//   law 法律, admin_regulation 行政法规, local_regulation 地方性法规,
//   dept_rule 部门规章, local_gov_rule 地方政府规章, normative_doc 规范性文件
[[nodiscard]] const std::vector<std::string_view>& levels();
[[nodiscard]] bool is_level(std::string_view level);
[[nodiscard]] std::string_view level_name(std::string_view level);  // 法律 …

struct Norm {
  std::int64_t id = 0;
  std::string title;  // 中华人民共和国行政处罚法
  std::string level;
  std::string issuer;       // 全国人民代表大会常务委员会
  std::string doc_number;   // 国务院令第743号, where the history names one
  std::string region_code;  // where it applies: 000000 national, 410000 河南省 …
  std::optional<std::string> adopted_on;
  std::optional<std::string> repealed_on;
  // Of the latest version:
  std::int64_t version_count = 0;
  std::optional<std::int64_t> latest_version_id;
  std::optional<std::string> latest_version_date;
  std::optional<std::string> latest_effective_on;
  std::optional<std::string> earliest_version_date;  // the oldest text the library holds
};

struct NormVersion {
  std::int64_t id = 0;
  std::int64_t norm_id = 0;
  std::string version_date;  // the adoption or amendment that made this text
  // When the text says; empty for an amendment whose text keeps the first
  // version's commencement date (lookups then take version_date).
  std::optional<std::string> effective_on;
  std::string kind;     // adopted, promulgated, amended, revised, other
  std::string history;  // the history as published with the text
  std::string source;   // where the text comes from
  std::string text_sha256;
  std::int64_t article_count = 0;
  std::vector<std::string> removed_articles;  // labels the previous version had and this one lacks
  std::int64_t changed_count = 0;  // articles new or changed against the previous version
};

struct Article {
  std::int64_t id = 0;
  std::int64_t version_id = 0;
  int number = 0;
  int sub = 0;
  std::string label;    // 第四十二条
  std::string chapter;  // 第四章 行政处罚的实施机关
  std::string text;     // paragraphs one per line
  std::string change;   // none, new, changed (against the previous version)
};

struct NormQuery {
  std::string q;      // part of the title
  std::string level;  // one level, or all
  PageRequest page;
};

// What an import is told about a text besides the text itself.
struct ImportMeta {
  std::string level;         // empty: inferred from the title and history
  std::string region_code;   // 000000, 410000 …
  std::string version_date;  // empty: the last date of the history
  std::string source;
  // When the amendment took effect, if known: overrides the text's
  // commencement article (which keeps the first version's date).
  std::optional<std::string> effective_on;
  // The version this one amends, when the caller built the text from it: the
  // import is refused if another version came in meanwhile.
  std::optional<std::int64_t> amends_version_id;
};

// An amendment entered by the legal office (POST /norms/{id}/amend): the
// latest text with these articles replaced, added or removed.
struct Amendment {
  std::string version_date;
  std::optional<std::string> effective_on;
  std::string kind;  // amended 修正, revised 修订
  std::string note;  // the history line: "2026年11月1日…第X次会议修正"
  std::string source;
  struct ArticleText {
    int number = 0;
    int sub = 0;
    std::string text;  // paragraphs one per line
  };
  std::vector<ArticleText> articles;         // changed or new
  std::vector<std::pair<int, int>> removed;  // {number, sub}
};

struct ImportResult {
  std::int64_t norm_id = 0;
  std::int64_t version_id = 0;
  bool created = false;  // false: this version was there already, with the same text
  std::int64_t changed_count = 0;
  std::vector<std::string> removed_articles;
};

}  // namespace xzzf::library
