#pragma once

// Reading the published text of a law (法律法规文本) in the Markdown form of
// the texts xzzf ships in laws/ (laws/README.md): the title line, the
// adoption and amendment history, `<!-- INFO END -->`, then chapters
// (`## 第一章 总则`, sections `### 第一节 …`) and articles, each starting a
// paragraph with `第X条`; the article's further paragraphs (款) follow as
// plain paragraphs until the next article, items (项) start with `（一）`.
//
// Pure functions: no database, no I/O.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace xzzf::library {

// 四十二 → 42; 一百零一 → 101; 十 → 10: 1 to 9999 in the form statutes write
// them. nullopt for anything else (一零一, 百百, 一二, 零).
[[nodiscard]] std::optional<int> parse_chinese_number(std::string_view text);
// 42 → 四十二; 101 → 一百零一; 110 → 一百一十 (as statutes write them); above
// 9999, decimal digits.
[[nodiscard]] std::string chinese_number(int n);

// One event of the history: "2021年1月22日 第十三届全国人民代表大会常务委员会第二十五次会议修订".
struct HistoryEvent {
  std::string date;  // YYYY-MM-DD
  std::string text;  // what happened that day, as published
  std::string
      kind;  // adopted (通过), promulgated (公布、发布), amended (修正), revised (修订), other
};

struct ParsedArticle {
  int number = 0;       // 第四十二条 → 42
  int sub = 0;          // 第十条之一 → 1
  std::string label;    // 第四十二条, 第十条之一
  std::string chapter;  // 第五章 行政处罚的决定 · 第一节 一般规定
  std::string text;     // the paragraphs (款), one per line; items (项) on lines of their own
};

struct ParsedNorm {
  std::string title;  // 中华人民共和国行政处罚法
  std::vector<HistoryEvent> history;
  std::string history_text;  // the history lines as published
  std::vector<ParsedArticle> articles;
  std::optional<std::string> effective_on;  // from "本法自2021年7月15日起施行", when the text says
};

// library.text_invalid with the line and what is wrong: no title, no history
// end marker, no article, an article number out of order or twice.
[[nodiscard]] Result<ParsedNorm> parse_norm_text(std::string_view markdown);

}  // namespace xzzf::library
