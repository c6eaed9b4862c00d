#pragma once

// The rule data shipped with xzzf (src/rules/data/rules.json, compiled into
// the binary): the key catalog, the names of the regions it sets values for,
// and every version of every value with its citation. RuleService loads each
// version into the rules table once, by its id, on the record.

#include <map>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "rules/model.hpp"

namespace xzzf::rules {

struct ShippedRules {
  std::vector<RuleKey> keys;
  std::map<std::string, std::string, std::less<>> regions;  // code → 全国, 河南省
  std::vector<Rule> versions;                               // shipped_id set, id 0

  [[nodiscard]] const RuleKey* key(std::string_view k) const;
};

// Parsed once; a malformed file aborts (it is checked in and tested).
[[nodiscard]] const ShippedRules& shipped_rules();
// The parser behind it, for tests: rules.invalid on the first defect.
[[nodiscard]] Result<ShippedRules> parse_shipped_rules(std::string_view json_text);

}  // namespace xzzf::rules
