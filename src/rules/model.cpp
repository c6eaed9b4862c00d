#include "rules/model.hpp"

#include <algorithm>
#include <array>

#include "core/money.hpp"

namespace xzzf::rules {

bool is_unit(std::string_view unit) {
  static constexpr std::array<std::string_view, 6> kUnits = {"fen",     "days",  "working_days",
                                                             "persons", "years", "points"};
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
  if (unit == "points") return n + " 分";
  return n;
}

}  // namespace xzzf::rules
