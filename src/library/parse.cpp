#include "library/parse.hpp"

#include <array>
#include <regex>
#include <utility>

#include <fmt/format.h>

namespace xzzf::library {
namespace {

constexpr std::string_view kInfoEnd = "<!-- INFO END -->";
constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";  // U+3000

// The UTF-8 character starting at `i` (Chinese numerals are all 3 bytes).
std::string_view char_at(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
  return s.substr(i, std::min(n, s.size() - i));
}

std::optional<int> digit_of(std::string_view ch) {
  static constexpr std::array<std::pair<std::string_view, int>, 11> kDigits = {{{"零", 0},
                                                                                {"〇", 0},
                                                                                {"一", 1},
                                                                                {"二", 2},
                                                                                {"三", 3},
                                                                                {"四", 4},
                                                                                {"五", 5},
                                                                                {"六", 6},
                                                                                {"七", 7},
                                                                                {"八", 8},
                                                                                {"九", 9}}};
  for (const auto& [text, value] : kDigits) {
    if (ch == text) return value;
  }
  return std::nullopt;
}

std::string_view trim(std::string_view s) {
  while (true) {
    if (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
      s.remove_prefix(1);
    } else if (s.starts_with(kIdeographicSpace)) {
      s.remove_prefix(kIdeographicSpace.size());
    } else {
      break;
    }
  }
  while (true) {
    if (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
      s.remove_suffix(1);
    } else if (s.ends_with(kIdeographicSpace)) {
      s.remove_suffix(kIdeographicSpace.size());
    } else {
      break;
    }
  }
  return s;
}

// The length of a run of Chinese numeral characters at the start of `s`.
std::size_t numeral_prefix(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto ch = char_at(s, i);
    if (!digit_of(ch) && ch != "十" && ch != "百" && ch != "千") break;
    i += ch.size();
  }
  return i;
}

// "第四十二条 …" / "第十条之一 …": the article's number, sub-number, label and
// the rest of the line; nullopt when the line does not start an article.
struct ArticleStart {
  int number;
  int sub;
  std::string label;
  std::string_view rest;
};
std::optional<ArticleStart> article_start(std::string_view line) {
  constexpr std::string_view kDi = "第";
  constexpr std::string_view kTiao = "条";
  constexpr std::string_view kZhi = "之";
  if (!line.starts_with(kDi)) return std::nullopt;
  std::string_view rest = line.substr(kDi.size());
  const auto len = numeral_prefix(rest);
  if (len == 0) return std::nullopt;
  auto number = parse_chinese_number(rest.substr(0, len));
  rest.remove_prefix(len);
  if (!number || !rest.starts_with(kTiao)) return std::nullopt;
  rest.remove_prefix(kTiao.size());
  int sub = 0;
  if (rest.starts_with(kZhi)) {
    std::string_view after = rest.substr(kZhi.size());
    const auto sub_len = numeral_prefix(after);
    auto parsed = sub_len > 0 ? parse_chinese_number(after.substr(0, sub_len)) : std::nullopt;
    if (!parsed) return std::nullopt;
    sub = *parsed;
    rest = after.substr(sub_len);
  }
  // The number stands alone: a space (or nothing) follows it, not "的规定".
  if (!rest.empty() && rest.front() != ' ' && !rest.starts_with(kIdeographicSpace)) {
    return std::nullopt;
  }
  const std::string label(line.substr(0, line.size() - rest.size()));
  return ArticleStart{*number, sub, label, trim(rest)};
}

std::string iso_date(const std::smatch& m) {
  return fmt::format("{:04}-{:02}-{:02}", std::stoi(m[1].str()), std::stoi(m[2].str()),
                     std::stoi(m[3].str()));
}

std::string event_kind(std::string_view text) {
  if (text.find("修订") != std::string_view::npos) return "revised";
  if (text.find("修正") != std::string_view::npos) return "amended";
  if (text.find("通过") != std::string_view::npos) return "adopted";
  if (text.find("公布") != std::string_view::npos || text.find("发布") != std::string_view::npos) {
    return "promulgated";
  }
  return "other";
}

const std::regex& date_pattern() {
  static const std::regex re("([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日");
  return re;
}

std::vector<HistoryEvent> parse_history(const std::string& text) {
  std::vector<HistoryEvent> out;
  std::vector<std::pair<std::smatch::difference_type, std::smatch>> dates;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), date_pattern());
       it != std::sregex_iterator(); ++it) {
    dates.emplace_back(it->position(0), *it);
  }
  for (std::size_t i = 0; i < dates.size(); ++i) {
    const auto& [pos, m] = dates[i];
    const auto start = static_cast<std::size_t>(pos + m.length(0));
    const auto end =
        i + 1 < dates.size() ? static_cast<std::size_t>(dates[i + 1].first) : text.size();
    std::string event(trim(std::string_view(text).substr(start, end - start)));
    // A run-on line ("…第一次修正根据2009年…"): the joining word belongs to no event.
    for (std::string_view tail : {"根据", "（", "）", "\n"}) {
      while (event.ends_with(tail)) event.resize(event.size() - tail.size());
    }
    while (event.ends_with(")") || event.ends_with("）")) {
      event.resize(event.size() - (event.ends_with(")") ? 1 : std::string_view("）").size()));
    }
    std::string clean;
    for (char c : event) clean += c == '\n' ? ' ' : c;
    out.push_back({iso_date(m), std::string(trim(clean)), event_kind(clean)});
  }
  return out;
}

}  // namespace

std::optional<int> parse_chinese_number(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int total = 0;
  int digit = -1;
  bool any = false;
  for (std::size_t i = 0; i < text.size();) {
    const auto ch = char_at(text, i);
    i += ch.size();
    if (auto d = digit_of(ch)) {
      digit = *d;
      any = true;
      continue;
    }
    int unit = 0;
    if (ch == "十") unit = 10;
    if (ch == "百") unit = 100;
    if (ch == "千") unit = 1000;
    if (unit == 0) return std::nullopt;
    total += (digit < 0 ? 1 : digit) * unit;  // 十 alone is 10
    digit = -1;
    any = true;
  }
  if (!any) return std::nullopt;
  if (digit > 0) total += digit;
  // Only the form statutes write (一百零一, not 一零一 or 百百): a typo must not
  // silently cite another article.
  if (total <= 0 || total > 9999 || chinese_number(total) != text) return std::nullopt;
  return total;
}

std::string chinese_number(int n) {
  static constexpr std::array<std::string_view, 10> kDigits = {"零", "一", "二", "三", "四",
                                                               "五", "六", "七", "八", "九"};
  if (n <= 0) return std::string(kDigits[0]);
  if (n > 9999) return std::to_string(n);  // no statute numbers this far
  std::string out;
  const int thousands = n / 1000;
  const int hundreds = n / 100 % 10;
  const int tens = n / 10 % 10;
  const int ones = n % 10;
  bool zero_pending = false;
  if (thousands > 0) out += std::string(kDigits[static_cast<std::size_t>(thousands)]) + "千";
  if (hundreds > 0) {
    out += std::string(kDigits[static_cast<std::size_t>(hundreds)]) + "百";
  } else if (thousands > 0 && (tens > 0 || ones > 0)) {
    zero_pending = true;
  }
  if (tens > 0) {
    if (zero_pending) out += "零";
    zero_pending = false;
    // 十, 十一 … alone; 一百一十 inside a larger number.
    if (!(tens == 1 && n < 20)) out += kDigits[static_cast<std::size_t>(tens)];
    out += "十";
  } else if (n >= 100 && ones > 0) {
    zero_pending = true;
  }
  if (ones > 0) {
    if (zero_pending) out += "零";
    out += kDigits[static_cast<std::size_t>(ones)];
  }
  return out;
}

Result<ParsedNorm> parse_norm_text(std::string_view markdown) {
  ParsedNorm norm;
  int line_no = 0;
  auto bad = [&](std::string detail) {
    return fail(ErrorCode::kLibraryTextInvalid, field("line", line_no),
                field("detail", std::move(detail)));
  };
  bool in_body = false;
  std::string history;
  std::string chapter;
  std::string section;
  ParsedArticle* current = nullptr;
  while (!markdown.empty()) {
    ++line_no;
    const auto nl = markdown.find('\n');
    const std::string_view raw = markdown.substr(0, nl);
    markdown = nl == std::string_view::npos ? std::string_view() : markdown.substr(nl + 1);
    const std::string_view line = trim(raw);
    if (line.empty()) continue;
    if (norm.title.empty()) {
      if (!line.starts_with("# ")) return bad("第一行应为标题（# 法律名称）");
      norm.title = std::string(trim(line.substr(2)));
      if (norm.title.empty()) return bad("标题为空");
      continue;
    }
    if (!in_body) {
      if (line == kInfoEnd) {
        in_body = true;
        continue;
      }
      if (!history.empty()) history += '\n';
      history += line;
      continue;
    }
    if (line.starts_with("### ")) {
      section = std::string(trim(line.substr(4)));
      current = nullptr;
      continue;
    }
    if (line.starts_with("## ")) {
      chapter = std::string(trim(line.substr(3)));
      section.clear();
      current = nullptr;
      continue;
    }
    if (line.starts_with("#")) continue;  // a heading of another depth (the title repeated)
    if (auto start = article_start(line)) {
      if (!norm.articles.empty()) {
        const auto& last = norm.articles.back();
        if (std::pair(start->number, start->sub) <= std::pair(last.number, last.sub)) {
          return bad(fmt::format("{}出现在{}之后：条文编号应递增", start->label, last.label));
        }
      }
      norm.articles.push_back(
          ParsedArticle{.number = start->number,
                        .sub = start->sub,
                        .label = start->label,
                        .chapter = section.empty() ? chapter : chapter + " · " + section,
                        .text = std::string(start->rest)});
      current = &norm.articles.back();
      continue;
    }
    // A further paragraph (款) or item (项) of the current article; text before
    // the first article (a preamble) belongs to none.
    if (current != nullptr) {
      if (!current->text.empty()) current->text += '\n';
      current->text += line;
    }
  }
  if (norm.title.empty()) return bad("文本为空");
  if (!in_body) return bad("缺少 " + std::string(kInfoEnd) + " 标记");
  if (norm.articles.empty()) return bad("没有任何条文");
  norm.history_text = history;
  norm.history = parse_history(history);
  // The commencement article is near the end: "本法自2021年7月15日起施行".
  static const std::regex commencement("自([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日起施行");
  for (auto it = norm.articles.rbegin();
       it != norm.articles.rend() && it - norm.articles.rbegin() < 3; ++it) {
    std::smatch m;
    if (std::regex_search(it->text, m, commencement)) {
      norm.effective_on = iso_date(m);
      break;
    }
  }
  return norm;
}

}  // namespace xzzf::library
