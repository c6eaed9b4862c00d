#include "personnel/sheet.hpp"

#include <array>

#include "core/time.hpp"
#include "personnel/model.hpp"
#include "privacy/mask.hpp"

namespace xzzf::personnel {
namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Never repeats the value: it is an ID number.
std::optional<std::string> id_number_cell(std::string_view v) {
  const std::string id = privacy::normalize_id_number(trimmed(v));
  if (privacy::valid_id_number(id)) return std::nullopt;
  // A cell Excel took for a number: 4.1148119800101101E+17 has lost its digits.
  if (id.find("E+") != std::string::npos || id.find("e+") != std::string::npos) {
    return "单元格被当作数字，号码已失真：请将该列设为文本格式后重新填写";
  }
  return "不是有效的 18 位居民身份证号码";
}

std::optional<std::string> date_cell(std::string_view v) {
  const std::string date = trimmed(v);
  if (Date::parse(date)) return std::nullopt;
  // Excel's serial number of a date typed into a column that is not text.
  if (all_digits(date)) return "应为 YYYY-MM-DD 格式的日期：请将该列设为文本格式后重新填写";
  return "应为 YYYY-MM-DD 格式的日期";
}

std::optional<std::string> employment_cell(std::string_view v) {
  if (employment_of(v)) return std::nullopt;
  std::string names;
  const auto& all = employments();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (i > 0) names += i + 1 == all.size() ? "或" : "、";
    names += all[i].name;
  }
  return "应为" + names;
}

std::optional<std::string> yes_no_cell(std::string_view v) {
  if (yes_no(v)) return std::nullopt;
  return "应为“是”或“否”（不填为否）";
}

std::optional<std::string> kind_cell(std::string_view v) {
  if (certificate_kind_of(v)) return std::nullopt;
  return "应为行政执法证或行政执法监督证";
}

}  // namespace

std::string trimmed(std::string_view s) {
  constexpr std::string_view kWide = "\xE3\x80\x80";
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty()) {
    if (s.starts_with(kWide)) {
      s.remove_prefix(kWide.size());
    } else if (space(s.front())) {
      s.remove_prefix(1);
    } else {
      break;
    }
  }
  while (!s.empty()) {
    if (s.ends_with(kWide)) {
      s.remove_suffix(kWide.size());
    } else if (space(s.back())) {
      s.remove_suffix(1);
    } else {
      break;
    }
  }
  return std::string(s);
}

const sheets::Template& officer_template() {
  static const sheets::Template t{{
      // The name's length is create_officer's rule (PersonnelService), checked per row.
      {.key = "full_name", .header = "姓名", .required = true},
      {.key = "id_number", .header = "身份证号码", .required = true, .validator = id_number_cell},
      {.key = "phone", .header = "联系电话"},
      {.key = "employment", .header = "人员性质", .required = true, .validator = employment_cell},
      {.key = "legal_qualification", .header = "法律职业资格", .validator = yes_no_cell},
      {.key = "post", .header = "岗位", .max_length = 100},
      {.key = "started_on", .header = "到岗日期", .validator = date_cell},
  }};
  return t;
}

const sheets::Template& number_template() {
  static const sheets::Template t{{
      {.key = "full_name", .header = "姓名", .required = true, .max_length = 50},
      {.key = "id_number", .header = "身份证号码", .required = true, .validator = id_number_cell},
      {.key = "kind", .header = "证件种类", .required = true, .validator = kind_cell},
      {.key = "number", .header = "证件编号", .required = true, .max_length = 40},
      {.key = "issued_on", .header = "发证日期", .required = true, .validator = date_cell},
      {.key = "expires_on", .header = "有效期至", .required = true, .validator = date_cell},
  }};
  return t;
}

const std::string& example_id_number() {
  static const std::string id = [] {
    const std::string body = "41148119000101001";
    return body + privacy::id_check_character(body);
  }();
  return id;
}

sheets::Rows officer_example() {
  return {{"张三", example_id_number(), "13800000000", employments().front().name, "否", "执法岗",
           "2020-01-01"}};
}

sheets::Rows number_example() {
  return {{"张三", example_id_number(), "行政执法证", "豫00000001", "2025-07-01", "2030-06-30"}};
}

std::optional<std::string> employment_of(std::string_view cell) {
  const std::string v = trimmed(cell);
  for (const auto& e : employments()) {
    if (v == e.name || v == e.code) return std::string(e.code);
  }
  return std::nullopt;
}

std::optional<bool> yes_no(std::string_view cell) {
  const std::string v = trimmed(cell);
  if (v == "是") return true;
  if (v.empty() || v == "否") return false;
  return std::nullopt;
}

std::optional<std::string> certificate_kind_of(std::string_view cell) {
  const std::string v = trimmed(cell);
  if (v == "行政执法证" || v == "enforcement") return std::string("enforcement");
  if (v == "行政执法监督证" || v == "supervision") return std::string("supervision");
  return std::nullopt;
}

const char* certificate_kind_name(std::string_view kind) {
  return kind == "supervision" ? "行政执法监督证" : "行政执法证";
}

}  // namespace xzzf::personnel
