#include "powers/sheet.hpp"

#include "core/time.hpp"
#include "library/parse.hpp"

namespace xzzf::powers {
namespace {

std::optional<std::string> date_cell(std::string_view v) {
  if (Date::parse(v)) return std::nullopt;
  return "应为 YYYY-MM-DD 格式的日期";
}

std::optional<std::string> category_cell(std::string_view v) {
  for (const auto& c : categories()) {
    if (c.name == v || c.code == v) return std::nullopt;
  }
  return "应为行政许可、行政处罚、行政强制、行政确认、行政给付、行政征收、行政裁决、行政检查或其他"
         "行政权力";
}

std::optional<std::string> bases_cell(std::string_view v) {
  for (const auto& label : split_list(v)) {
    if (!parse_basis_label(label)) {
      return "无法识别的依据“" + label + "”：应写作《法律名称》第X条（可加第Y款、第（Z）项）";
    }
  }
  return std::nullopt;
}

// Takes a run of Chinese numerals between `open` and `close` from the front of `s`.
std::optional<int> take_number(std::string_view& s, std::string_view open, std::string_view close) {
  if (!s.starts_with(open)) return std::nullopt;
  std::string_view rest = s.substr(open.size());
  const auto end = rest.find(close);
  if (end == std::string_view::npos || end == 0) return std::nullopt;
  auto n = library::parse_chinese_number(rest.substr(0, end));
  if (!n) return std::nullopt;
  s = rest.substr(end + close.size());
  return n;
}

std::string_view trim(std::string_view s) {
  constexpr std::string_view kWide = "\xE3\x80\x80";
  while (!s.empty()) {
    if (s.starts_with(kWide)) {
      s.remove_prefix(kWide.size());
    } else if (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n') {
      s.remove_prefix(1);
    } else {
      break;
    }
  }
  while (!s.empty()) {
    if (s.ends_with(kWide)) {
      s.remove_suffix(kWide.size());
    } else if (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n') {
      s.remove_suffix(1);
    } else {
      break;
    }
  }
  return s;
}

}  // namespace

const sheets::Template& power_template() {
  static const sheets::Template t{{
      {.key = "code", .header = "事项编码", .max_length = 64},
      {.key = "name", .header = "事项名称", .required = true, .max_length = 200},
      {.key = "category", .header = "职权类别", .required = true, .validator = category_cell},
      {.key = "sector", .header = "执法领域", .required = true},
      {.key = "bases", .header = "实施依据", .required = true, .validator = bases_cell},
      {.key = "scope", .header = "实施对象", .max_length = 2000},
      {.key = "agency", .header = "承办机构", .max_length = 100},
      {.key = "post", .header = "承办岗位", .max_length = 100},
      {.key = "responsibility", .header = "责任事项", .max_length = 2000},
      {.key = "time_limit", .header = "办理时限", .max_length = 2000},
      {.key = "liabilities", .header = "追责情形", .max_length = 10000},
      {.key = "effective_from", .header = "施行日期", .required = true, .validator = date_cell},
  }};
  return t;
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    const auto t = trim(current);
    if (!t.empty()) out.emplace_back(t);
    current.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    if (text.substr(i).starts_with("；")) {
      flush();
      i += std::string_view("；").size();
    } else if (text[i] == ';' || text[i] == '\n') {
      flush();
      ++i;
    } else {
      current += text[i++];
    }
  }
  flush();
  return out;
}

std::optional<BasisRef> parse_basis_label(std::string_view label) {
  std::string_view s = trim(label);
  if (!s.starts_with("《")) return std::nullopt;
  // The last 》 closes the title: a title may quote another law
  // (河南省实施《中华人民共和国农产品质量安全法》办法).
  const auto close = s.rfind("》");
  if (close == std::string_view::npos) return std::nullopt;
  BasisRef ref;
  ref.title =
      std::string(s.substr(std::string_view("《").size(), close - std::string_view("《").size()));
  if (ref.title.empty()) return std::nullopt;
  s.remove_prefix(close + std::string_view("》").size());
  auto article = take_number(s, "第", "条");
  if (!article) return std::nullopt;
  ref.basis.article = *article;
  if (s.starts_with("之")) {
    std::string_view rest = s.substr(std::string_view("之").size());
    std::size_t len = 0;
    while (len < rest.size() && library::parse_chinese_number(rest.substr(0, len + 3))) len += 3;
    auto sub = len > 0 ? library::parse_chinese_number(rest.substr(0, len)) : std::nullopt;
    if (!sub) return std::nullopt;
    ref.basis.sub = *sub;
    s = rest.substr(len);
  }
  if (auto paragraph = take_number(s, "第", "款")) ref.basis.paragraph = *paragraph;
  if (auto item = take_number(s, "第（", "）项")) ref.basis.item = *item;
  if (!trim(s).empty()) return std::nullopt;
  return ref;
}

std::vector<std::string> export_row(const Item& item, std::string_view sector_name) {
  std::string bases;
  for (const auto& b : item.content.bases) {
    if (!bases.empty()) bases += "；";
    bases += basis_label(b);
  }
  std::string liabilities;
  for (const auto& l : item.content.liabilities) {
    if (!liabilities.empty()) liabilities += "\n";
    liabilities += l;
  }
  const auto* cat = category(item.content.category);
  return {item.code,
          item.content.name,
          cat != nullptr ? std::string(cat->name) : item.content.category,
          std::string(sector_name),
          bases,
          item.content.scope,
          item.agency_name.value_or(""),
          item.post_name.value_or(""),
          item.content.responsibility,
          item.content.time_limit,
          liabilities,
          item.content.effective_from};
}

}  // namespace xzzf::powers
