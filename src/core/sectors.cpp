#include "core/sectors.hpp"

#include <algorithm>

namespace xzzf {

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

}  // namespace xzzf
