#pragma once

// The fixed list of 执法领域 (enforcement sectors, DOMAIN.md §2): departments
// hold them (org), rules may be limited to one (national sector standards),
// certificates cover them. Codes are stored and sent by clients: never rename
// one once shipped; add new ones at the end.

#include <string_view>
#include <vector>

namespace xzzf {

struct Sector {
  std::string_view code;  // "market"
  std::string_view name;  // "市场监管"
};
[[nodiscard]] const std::vector<Sector>& sectors();
[[nodiscard]] bool is_sector(std::string_view code);

}  // namespace xzzf
