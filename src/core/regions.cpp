#include "core/regions.hpp"

#include <algorithm>

namespace xzzf {
namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

int region_level(std::string_view code) {
  if (!all_digits(code)) return -1;
  if (code.size() == 9 || code.size() == 12) return 4;
  if (code.size() != 6) return -1;
  if (code == kNationalRegion) return 0;
  if (code.substr(2) == "0000") return 1;
  if (code.substr(4) == "00") return 2;
  return 3;
}

int region_level_of(std::string_view level_name) {
  if (level_name == "province") return 1;
  if (level_name == "city") return 2;
  if (level_name == "county") return 3;
  if (level_name == "township") return 4;
  return -1;
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
  return out;
}

bool region_within(std::string_view code, std::string_view parent) {
  const auto above = region_ancestors(code);
  return std::find(above.begin(), above.end(), parent) != above.end();
}

}  // namespace xzzf
