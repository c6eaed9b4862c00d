#include "rules/repository.hpp"

#include <algorithm>

#include "rules/shipped.hpp"

namespace xzzf::rules::repo {
namespace {

using storage::Params;
using storage::Row;

// Region names: a jurisdiction of the deployment by its code, else the shipped
// data's name (全国, 河南省), else the code itself.
constexpr const char* kRuleSelect =
    "SELECT r.id, r.rule_key, r.region_code, j.name, r.sector, r.value, r.unit, "
    "r.effective_from, r.effective_to, r.norm, r.article, r.note, r.confirmed, r.shipped_id, "
    "r.reason, r.created_by, r.created_at_us "
    "FROM rules r LEFT JOIN jurisdictions j ON j.code = r.region_code";

Rule rule_of(const Row& row) {
  const auto& shipped = shipped_rules();
  Rule r{.id = row.i64(0),
         .key = row.text(1),
         .region_code = row.text(2),
         .sector = row.text(4),
         .value = row.i64(5),
         .unit = row.text(6),
         .effective_from = row.text(7),
         .effective_to = row.opt_text(8),
         .norm = row.text(9),
         .article = row.text(10),
         .note = row.text(11),
         .confirmed = row.i64(12) != 0,
         .shipped_id = row.opt_text(13),
         .reason = row.text(14),
         .created_by = row.opt_i64(15),
         .created_at_us = row.i64(16)};
  if (const auto* k = shipped.key(r.key)) r.name = k->name;
  if (auto name = row.opt_text(3)) {
    r.region_name = *name;
  } else if (auto it = shipped.regions.find(r.region_code); it != shipped.regions.end()) {
    r.region_name = it->second;
  } else {
    r.region_name = r.region_code;
  }
  return r;
}

std::string placeholders(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += i == 0 ? "?" : ", ?";
  return s;
}

Result<std::vector<Rule>> rules_of(Tx& tx, const std::string& sql, const Params& params) {
  XZZF_TRY(rows, tx.query(sql, params));
  std::vector<Rule> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(rule_of(row));
  return out;
}

constexpr const char* kOrder = " ORDER BY r.rule_key, r.region_code, r.sector, r.effective_from";

}  // namespace

Result<std::optional<Place>> place(Tx& tx, std::int64_t jurisdiction_id) {
  Place p;
  std::optional<std::int64_t> next = jurisdiction_id;
  std::vector<std::string> tree_codes;
  // The tree is at most four levels deep; the bound guards against a cycle.
  for (int depth = 0; next && depth < 8; ++depth) {
    XZZF_TRY(row,
             tx.query_one("SELECT id, code, name, parent_id, level FROM jurisdictions WHERE id = ?",
                          {*next}));
    if (!row) {
      if (depth == 0) return std::optional<Place>();
      break;
    }
    if (depth == 0) {
      p.jurisdiction_id = row->i64(0);
      p.code = row->text(1);
      p.name = row->text(2);
      p.level = row->text(4);
    } else {
      p.ancestor_ids.push_back(row->i64(0));
    }
    tree_codes.push_back(row->text(1));
    next = row->opt_i64(3);
  }
  // One code per level, nearest first: the tree's own, and for a level the
  // tree lacks (a county deployment without its province) what the code's
  // digits say. A 省直管 county whose tree skips the city takes no city.
  std::vector<int> levels;
  for (const auto& c : tree_codes) {
    const int level = region_level(c);
    if (level <= 0 || std::find(levels.begin(), levels.end(), level) != levels.end()) continue;
    p.chain.push_back(c);
    levels.push_back(level);
  }
  for (auto& c : region_ancestors(p.code)) {
    const int level = region_level(c);
    if (std::find(levels.begin(), levels.end(), level) != levels.end()) continue;
    // Below the top of the tree the tree decides; the digits fill in only
    // the levels above it (and national law, always).
    const int top = levels.empty() ? 5 : *std::min_element(levels.begin(), levels.end());
    if (level != 0 && level > top) continue;
    p.chain.push_back(std::move(c));
    levels.push_back(level);
  }
  std::stable_sort(p.chain.begin(), p.chain.end(), [](const std::string& a, const std::string& b) {
    return region_level(a) > region_level(b);
  });
  return std::optional<Place>(std::move(p));
}

Result<std::vector<Rule>> versions(Tx& tx, const std::vector<std::string>& regions,
                                   const std::optional<std::string>& key,
                                   const std::optional<std::string>& sector,
                                   const std::optional<std::string>& date) {
  if (regions.empty()) return std::vector<Rule>();
  std::string sql =
      std::string(kRuleSelect) + " WHERE r.region_code IN (" + placeholders(regions.size()) + ")";
  Params params(regions.begin(), regions.end());
  if (key) {
    sql += " AND r.rule_key = ?";
    params.emplace_back(*key);
  }
  if (sector) {
    sql += " AND (r.sector = '' OR r.sector = ?)";
    params.emplace_back(*sector);
  }
  if (date) {
    sql += " AND r.effective_from <= ? AND (r.effective_to IS NULL OR r.effective_to > ?)";
    params.emplace_back(*date);
    params.emplace_back(*date);
  }
  return rules_of(tx, sql + kOrder, params);
}

Result<std::vector<Rule>> all_versions(Tx& tx, const std::string& key) {
  return rules_of(tx, std::string(kRuleSelect) + " WHERE r.rule_key = ?" + kOrder, {key});
}

Result<std::vector<Rule>> line(Tx& tx, const std::string& key, const std::string& region,
                               const std::string& sector) {
  return rules_of(tx,
                  std::string(kRuleSelect) +
                      " WHERE r.rule_key = ? AND r.region_code = ? AND r.sector = ?" + kOrder,
                  {key, region, sector});
}

Result<std::optional<Rule>> find(Tx& tx, std::int64_t id) {
  XZZF_TRY(row, tx.query_one(std::string(kRuleSelect) + " WHERE r.id = ?", {id}));
  if (!row) return std::optional<Rule>();
  return std::optional<Rule>(rule_of(*row));
}

Result<bool> shipped_exists(Tx& tx, const std::string& shipped_id) {
  XZZF_TRY(row, tx.query_one("SELECT 1 FROM rules WHERE shipped_id = ?", {shipped_id}));
  return row.has_value();
}

Result<std::int64_t> insert(Tx& tx, const Rule& r) {
  return tx.insert(
      "INSERT INTO rules (rule_key, region_code, sector, value, unit, effective_from, "
      "effective_to, norm, article, note, confirmed, shipped_id, reason, created_by, "
      "created_at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {r.key, r.region_code, r.sector, r.value, r.unit, r.effective_from, r.effective_to, r.norm,
       r.article, r.note, r.confirmed, r.shipped_id, r.reason, r.created_by, r.created_at_us});
}

Result<void> end_version(Tx& tx, std::int64_t id, const std::string& effective_to) {
  XZZF_TRY(n, tx.exec("UPDATE rules SET effective_to = ? WHERE id = ?", {effective_to, id}));
  (void)n;
  return {};
}

namespace {

constexpr const char* kLocalDaySelect =
    "SELECT c.id, c.jurisdiction_id, j.name, c.day, c.kind, c.name, c.created_at_us "
    "FROM calendar_days c JOIN jurisdictions j ON j.id = c.jurisdiction_id";

LocalDay local_day_of(const Row& r) {
  return LocalDay{.id = r.i64(0),
                  .jurisdiction_id = r.i64(1),
                  .jurisdiction_name = r.text(2),
                  .day = r.text(3),
                  .kind = r.text(4),
                  .name = r.text(5),
                  .created_at_us = r.i64(6)};
}

}  // namespace

Result<std::vector<LocalDay>> local_days(Tx& tx, const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return std::vector<LocalDay>();
  XZZF_TRY(rows, tx.query(std::string(kLocalDaySelect) + " WHERE c.removed_at_us IS NULL AND " +
                              "c.jurisdiction_id IN (" + placeholders(ids.size()) +
                              ") ORDER BY c.day, c.jurisdiction_id",
                          Params(ids.begin(), ids.end())));
  std::vector<LocalDay> out;
  for (const auto& r : rows) out.push_back(local_day_of(r));
  return out;
}

Result<std::optional<LocalDay>> find_local_day(Tx& tx, std::int64_t id) {
  XZZF_TRY(row,
           tx.query_one(
               std::string(kLocalDaySelect) + " WHERE c.id = ? AND c.removed_at_us IS NULL", {id}));
  if (!row) return std::optional<LocalDay>();
  return std::optional<LocalDay>(local_day_of(*row));
}

Result<std::int64_t> insert_local_day(Tx& tx, const NewLocalDay& d, std::optional<std::int64_t> by,
                                      std::int64_t at_us) {
  return tx.insert(
      "INSERT INTO calendar_days (jurisdiction_id, day, kind, name, created_by, created_at_us) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {d.jurisdiction_id, d.day, d.kind, d.name, by, at_us});
}

Result<void> remove_local_day(Tx& tx, std::int64_t id, std::optional<std::int64_t> by,
                              std::int64_t at_us) {
  XZZF_TRY(n, tx.exec("UPDATE calendar_days SET removed_by = ?, removed_at_us = ? WHERE id = ? "
                      "AND removed_at_us IS NULL",
                      {by, at_us, id}));
  (void)n;
  return {};
}

}  // namespace xzzf::rules::repo
