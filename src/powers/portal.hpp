#pragma once

// The published list as the portal shows it (power_public) and its search
// index. Every publish writes the item's row and its index document in the
// publishing transaction; a cancel removes both. A search matches an item
// when its name, code, a basis label or its department's name contains the
// query after NFKC and case folding (search/normalize.hpp): the same
// definition the index and a plain scan use.

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "powers/model.hpp"
#include "storage/database.hpp"

namespace xzzf::powers::portal {

using storage::Tx;

// The index document kind of power items.
inline constexpr const char* kSearchKind = "power_item";

// The item's published version (its snapshot JSON) is now what the public
// sees, under the item's current department and code.
[[nodiscard]] Result<void> publish(Tx& tx, const Item& item, const std::string& snapshot_json,
                                   std::int64_t at_us);
// The item leaves the published list (cancelled).
[[nodiscard]] Result<void> withdraw(Tx& tx, std::int64_t item_id);
// The item now belongs to another department (a merge): the public row
// follows; the snapshot stays.
[[nodiscard]] Result<void> follow(Tx& tx, std::int64_t item_id, std::int64_t department_id,
                                  std::int64_t jurisdiction_id, const std::string& code);

// `query.q` must already be normalized (search::query_text).
[[nodiscard]] Result<Page<PublicItem>> list(Tx& tx, const PublicQuery& query);
[[nodiscard]] Result<std::optional<PublicItem>> find(Tx& tx, std::int64_t id);
[[nodiscard]] Result<PublicSummary> summary(Tx& tx);

// Index documents for published rows that have none (rows written by a
// migration): the number written.
[[nodiscard]] Result<std::int64_t> index_missing(Tx& tx);

}  // namespace xzzf::powers::portal
