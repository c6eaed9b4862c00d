// The levels of the jurisdiction tree. (The 执法领域 list is core/sectors.)

#include "org/model.hpp"

namespace xzzf::org {

const std::vector<std::string_view>& jurisdiction_levels() {
  static const std::vector<std::string_view> levels = {"province", "city", "county", "township"};
  return levels;
}

std::string_view level_name(std::string_view level) {
  if (level == "province") return "省";
  if (level == "city") return "市（地级）";
  if (level == "county") return "县（市、区）";
  if (level == "township") return "乡镇（街道）";
  return level;
}

}  // namespace xzzf::org
