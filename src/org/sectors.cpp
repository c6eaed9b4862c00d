// The fixed list of 执法领域 (DOMAIN.md §2) and the levels of the jurisdiction
// tree. Codes are stored in department_sectors and sent by clients: never
// rename one once shipped; add new ones at the end.

#include <algorithm>

#include "org/model.hpp"

namespace xzzf::org {

const std::vector<Sector>& sectors() {
  static const std::vector<Sector> list = {
      {"market", "市场监管"},      {"ecology", "生态环境"},
      {"transport", "交通运输"},   {"urban", "城市管理"},
      {"culture", "文化市场"},     {"agriculture", "农业"},
      {"emergency", "应急管理"},   {"natural_resources", "自然资源"},
      {"housing", "住房城乡建设"}, {"health", "卫生健康"},
      {"education", "教育"},       {"public_security", "公安"},
      {"water", "水利"},           {"taxation", "税务"},
      {"other", "其他"},
  };
  return list;
}

bool is_sector(std::string_view code) {
  const auto& list = sectors();
  return std::any_of(list.begin(), list.end(), [&](const Sector& s) { return s.code == code; });
}

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
