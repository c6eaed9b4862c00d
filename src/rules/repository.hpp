#pragma once

// SQL of the rules module (rules, calendar_days, and the read of the
// jurisdiction tree that places a jurisdiction among the levels).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/regions.hpp"
#include "core/result.hpp"
#include "rules/calendar.hpp"
#include "rules/model.hpp"
#include "storage/database.hpp"

namespace xzzf::rules::repo {

using storage::Tx;

// A jurisdiction and the codes of the levels above it, nearest first.
struct Place {
  std::int64_t jurisdiction_id = 0;
  std::string code;
  std::string name;
  std::string level;                       // province, city, county, township
  std::vector<std::int64_t> ancestor_ids;  // from the tree, nearest first
  // Its own code first, then one code per level above, national last: the
  // tree's where it has that level, else what the code's digits say.
  std::vector<std::string> chain;

  // Whether the code names the jurisdiction's level (org refuses others;
  // rows written before that check may not).
  [[nodiscard]] bool code_matches_level() const {
    return region_level(code) == region_level_of(level);
  }
};

// nullopt when the jurisdiction does not exist.
[[nodiscard]] Result<std::optional<Place>> place(Tx& tx, std::int64_t jurisdiction_id);

// Every version of these region codes, in force on `date` when it is given,
// of one key when `key` is given, for every sector and for `sector`.
[[nodiscard]] Result<std::vector<Rule>> versions(Tx& tx, const std::vector<std::string>& regions,
                                                 const std::optional<std::string>& key,
                                                 const std::optional<std::string>& sector,
                                                 const std::optional<std::string>& date);
// Every version of a key (all regions and sectors).
[[nodiscard]] Result<std::vector<Rule>> all_versions(Tx& tx, const std::string& key);
// The versions of one line, by effective_from.
[[nodiscard]] Result<std::vector<Rule>> line(Tx& tx, const std::string& key,
                                             const std::string& region, const std::string& sector);
[[nodiscard]] Result<std::optional<Rule>> find(Tx& tx, std::int64_t id);

[[nodiscard]] Result<bool> shipped_exists(Tx& tx, const std::string& shipped_id);
[[nodiscard]] Result<std::int64_t> insert(Tx& tx, const Rule& r);
[[nodiscard]] Result<void> end_version(Tx& tx, std::int64_t id, const std::string& effective_to);

// calendar_days of these jurisdictions that are not removed.
[[nodiscard]] Result<std::vector<LocalDay>> local_days(Tx& tx,
                                                       const std::vector<std::int64_t>& ids);
[[nodiscard]] Result<std::optional<LocalDay>> find_local_day(Tx& tx, std::int64_t id);
[[nodiscard]] Result<std::int64_t> insert_local_day(Tx& tx, const NewLocalDay& d,
                                                    std::optional<std::int64_t> by,
                                                    std::int64_t at_us);
[[nodiscard]] Result<void> remove_local_day(Tx& tx, std::int64_t id, std::optional<std::int64_t> by,
                                            std::int64_t at_us);

}  // namespace xzzf::rules::repo
