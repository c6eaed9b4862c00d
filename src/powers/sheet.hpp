#pragma once

// The spreadsheet layout of the power list (权责清单导入模板): one row per
// item, the columns of `power_template()`, bases written as their labels
// (《中华人民共和国食品安全法》第一百二十四条第一款；《…》第…条), liabilities one
// per line. Export writes this layout; import reads it back (sheets/).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "powers/model.hpp"
#include "sheets/table.hpp"

namespace xzzf::powers {

[[nodiscard]] const sheets::Template& power_template();

// A basis label as people write it → title and article numbers (norm_id
// unset): 《title》第X条[之Y][第Y款][第（Z）项]. nullopt when it is not one.
struct BasisRef {
  std::string title;
  Basis basis;
};
[[nodiscard]] std::optional<BasisRef> parse_basis_label(std::string_view label);
// Several labels separated by ；, ; or line breaks.
[[nodiscard]] std::vector<std::string> split_list(std::string_view text);

// One exported row, in the template's column order.
[[nodiscard]] std::vector<std::string> export_row(const Item& item, std::string_view sector_name);

}  // namespace xzzf::powers
