#pragma once

// 行政区划代码 (GB/T 2260, and GB/T 10114 below county level) as xzzf reads
// them: the level a code names and the codes its digits place above it.

#include <string>
#include <string_view>
#include <vector>

namespace xzzf {

// The code of national law and national standards in rule sets.
inline constexpr std::string_view kNationalRegion = "000000";

// 0 national ("000000"), 1 province (xx0000), 2 city (xxxx00), 3 county
// (other 6 digits), 4 township (9 or 12 digits); -1 for anything else.
[[nodiscard]] int region_level(std::string_view code);
// The level of a jurisdiction level name: "province" 1 … "township" 4; -1 otherwise.
[[nodiscard]] int region_level_of(std::string_view level_name);
// The codes a code's own digits place above it, nearest first, national last:
// "411481" → {"411400", "410000", "000000"}.
[[nodiscard]] std::vector<std::string> region_ancestors(std::string_view code);
// Whether `code` lies below `parent` by their digits (a county of a city, a
// township of a county …): "411481001" is below "411481", "411481" below
// "411400" and "410000".
[[nodiscard]] bool region_within(std::string_view code, std::string_view parent);

}  // namespace xzzf
