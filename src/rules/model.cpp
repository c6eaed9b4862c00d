#include "rules/model.hpp"

#include <algorithm>
#include <array>

#include "core/money.hpp"

namespace xzzf::rules {
namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool is_unit(std::string_view unit) {
  static constexpr std::array<std::string_view, 5> kUnits = {"fen", "days", "working_days",
                                                             "persons", "years"};
  return std::find(kUnits.begin(), kUnits.end(), unit) != kUnits.end();
}

bool same_unit_family(std::string_view a, std::string_view b) {
  auto day = [](std::string_view u) { return u == "days" || u == "working_days"; };
  return a == b || (day(a) && day(b));
}

std::string format_value(std::int64_t value, std::string_view unit) {
  if (unit == "fen") {
    if (value % 1'000'000 == 0 && value >= 1'000'000) {
      return std::to_string(value / 1'000'000) + " 万元";
    }
    std::string yuan = Money::fen(value).to_yuan_string();
    if (yuan.size() > 3 && yuan.ends_with(".00")) yuan.resize(yuan.size() - 3);
    return yuan + " 元";
  }
  const std::string n = std::to_string(value);
  if (unit == "days") return n + " 日";
  if (unit == "working_days") return n + " 个工作日";
  if (unit == "persons") return n + " 人";
  if (unit == "years") return n + " 年";
  return n;
}

int region_level(std::string_view code) {
  if (!all_digits(code)) return -1;
  if (code.size() == 9 || code.size() == 12) return 4;
  if (code.size() != 6) return -1;
  if (code == kNationalRegion) return 0;
  if (code.substr(2) == "0000") return 1;
  if (code.substr(4) == "00") return 2;
  return 3;
}

std::vector<std::string> region_ancestors(std::string_view code) {
  std::vector<std::string> out;
  const int level = region_level(code);
  if (level <= 0) return out;
  const std::string six(code.substr(0, 6));
  if (level == 4) out.push_back(six);
  if (level >= 3) out.push_back(six.substr(0, 4) + "00");
  if (level >= 2) out.push_back(six.substr(0, 2) + "0000");
  out.emplace_back(kNationalRegion);
  // A city code's "county" (xxxx00) equals the city itself: drop repeats of the code.
  out.erase(std::remove(out.begin(), out.end(), std::string(code)), out.end());
  return out;
}

}  // namespace xzzf::rules
