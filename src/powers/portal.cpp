#include "powers/portal.hpp"

#include <map>
#include <nlohmann/json.hpp>

#include "search/index.hpp"
#include "search/normalize.hpp"

namespace xzzf::powers::portal {
namespace {

using nlohmann::json;
using storage::Params;
using storage::Row;

// What the index holds of an item: its name, code and basis labels (each
// label starts with the norm's title). The department's name is matched
// separately (list()): a renamed department needs no reindexing.
std::vector<std::string> fields_of(const std::string& code, const Content& c) {
  std::vector<std::string> fields = {c.name, code};
  for (const auto& b : c.bases) fields.push_back(b.label);
  return fields;
}

Content content_of(const json& snap) {
  Content c;
  c.name = snap.value("name", "");
  c.category = snap.value("category", "");
  c.sector = snap.value("sector", "");
  c.scope = snap.value("scope", "");
  c.responsibility = snap.value("responsibility", "");
  c.time_limit = snap.value("time_limit", "");
  c.effective_from = snap.value("effective_from", "");
  if (snap.contains("agency_id") && snap["agency_id"].is_number_integer())
    c.agency_id = snap["agency_id"].get<std::int64_t>();
  if (snap.contains("post_id") && snap["post_id"].is_number_integer())
    c.post_id = snap["post_id"].get<std::int64_t>();
  if (snap.contains("liabilities") && snap["liabilities"].is_array()) {
    for (const auto& l : snap["liabilities"]) {
      if (l.is_string()) c.liabilities.push_back(l.get<std::string>());
    }
  }
  if (snap.contains("bases") && snap["bases"].is_array()) {
    for (const auto& b : snap["bases"]) {
      Basis basis;
      basis.norm_id = b.value("norm_id", std::int64_t{0});
      basis.norm_version_id = b.value("norm_version_id", std::int64_t{0});
      basis.article = b.value("article", 0);
      basis.sub = b.value("sub", 0);
      basis.paragraph = b.value("paragraph", 0);
      basis.item = b.value("item", 0);
      basis.label = b.value("label", "");
      c.bases.push_back(std::move(basis));
    }
  }
  return c;
}

constexpr const char* kSelect =
    "SELECT p.item_id, p.department_id, d.name, p.version, p.published_at_us, p.code, "
    "p.snapshot FROM power_public p JOIN departments d ON d.id = p.department_id";

PublicItem item_of(const Row& r) {
  PublicItem it;
  it.id = r.i64(0);
  it.department_id = r.i64(1);
  it.department_name = r.text(2);
  it.version = r.i64(3);
  it.published_at_us = r.i64(4);
  it.code = r.text(5);
  const json snap = json::parse(r.text(6), nullptr, false);
  if (snap.is_object()) it.content = content_of(snap);
  return it;
}

}  // namespace

Result<void> publish(Tx& tx, const Item& item, const std::string& snapshot_json,
                     std::int64_t at_us) {
  XZZF_CHECK(tx.exec(
      "INSERT INTO power_public (item_id, department_id, jurisdiction_id, code, name, category, "
      "sector, version, snapshot, published_at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (item_id) DO UPDATE SET department_id = excluded.department_id, "
      "jurisdiction_id = excluded.jurisdiction_id, code = excluded.code, name = excluded.name, "
      "category = excluded.category, sector = excluded.sector, version = excluded.version, "
      "snapshot = excluded.snapshot, published_at_us = excluded.published_at_us",
      {item.id, item.department_id, item.jurisdiction_id, item.code, item.content.name,
       item.content.category, item.content.sector, item.version, snapshot_json, at_us}));
  return search::put(tx, kSearchKind, item.id, fields_of(item.code, item.content));
}

Result<void> withdraw(Tx& tx, std::int64_t item_id) {
  XZZF_CHECK(tx.exec("DELETE FROM power_public WHERE item_id = ?", {item_id}));
  return search::remove(tx, kSearchKind, item_id);
}

Result<void> follow(Tx& tx, std::int64_t item_id, std::int64_t department_id,
                    std::int64_t jurisdiction_id, const std::string& code) {
  XZZF_TRY(row, tx.query_one("SELECT snapshot FROM power_public WHERE item_id = ?", {item_id}));
  if (!row) return {};
  XZZF_CHECK(
      tx.exec("UPDATE power_public SET department_id = ?, jurisdiction_id = ?, code = ? "
              "WHERE item_id = ?",
              {department_id, jurisdiction_id, code, item_id}));
  const json snap = json::parse(row->text(0), nullptr, false);
  return search::put(tx, kSearchKind, item_id,
                     fields_of(code, snap.is_object() ? content_of(snap) : Content{}));
}

Result<Page<PublicItem>> list(Tx& tx, const PublicQuery& q) {
  std::string filter;
  Params params;
  if (q.department_id) {
    filter = "p.department_id = ?";
    params.emplace_back(*q.department_id);
  }
  if (!q.category.empty()) {
    filter += filter.empty() ? "p.category = ?" : " AND p.category = ?";
    params.emplace_back(q.category);
  }
  // The order of power_public_order (migration 0012): the search walks it
  // when many items match.
  constexpr const char* kOrder = " ORDER BY p.department_id, p.code, p.item_id";
  Page<PublicItem> page;
  if (q.q.empty()) {
    const std::string where = filter.empty() ? "" : " WHERE " + filter;
    XZZF_TRY(count, tx.query_one("SELECT COUNT(*) FROM power_public p" + where, params));
    page.total = count ? count->i64(0) : 0;
    Params page_params = params;
    page_params.emplace_back(q.page.page_size);
    page_params.emplace_back(q.page.offset());
    XZZF_TRY(rows,
             tx.query(std::string(kSelect) + where + kOrder + " LIMIT ? OFFSET ?", page_params));
    for (const auto& r : rows) page.items.push_back(item_of(r));
    return page;
  }
  search::Listing listing{.kind = kSearchKind,
                          .table = "power_public p",
                          .id_column = "p.item_id",
                          .order_by = "p.department_id, p.code, p.item_id",
                          .filter = filter,
                          .filter_params = params,
                          .limit = q.page.page_size,
                          .offset = q.page.offset(),
                          .total_cap = q.total_cap};
  // Departments are few: their names are matched here, by the same rule.
  XZZF_TRY(departments, tx.query("SELECT DISTINCT d.id, d.name FROM departments d JOIN "
                                 "power_public p ON p.department_id = d.id"));
  for (const auto& d : departments) {
    if (!search::matches({d.text(1)}, q.q)) continue;
    listing.alternative += listing.alternative.empty() ? "p.department_id IN (?" : ", ?";
    listing.alternative_params.emplace_back(d.i64(0));
  }
  if (!listing.alternative.empty()) listing.alternative += ")";
  XZZF_TRY(found, search::find(tx, listing, q.q));
  page.total = found.total;
  page.total_capped = found.total_capped;
  if (found.ids.empty()) return page;
  const auto ids = search::id_set(tx.dialect(), "p.item_id", found.ids);
  XZZF_TRY(rows, tx.query(std::string(kSelect) + " WHERE " + ids.sql, ids.params));
  std::map<std::int64_t, PublicItem> by_id;
  for (const auto& r : rows) {
    PublicItem it = item_of(r);
    by_id.emplace(it.id, std::move(it));
  }
  for (auto id : found.ids) {
    if (auto it = by_id.find(id); it != by_id.end()) page.items.push_back(std::move(it->second));
  }
  return page;
}

Result<std::optional<PublicItem>> find(Tx& tx, std::int64_t id) {
  XZZF_TRY(row, tx.query_one(std::string(kSelect) + " WHERE p.item_id = ?", {id}));
  if (!row) return std::optional<PublicItem>();
  PublicItem it = item_of(*row);
  for (auto& b : it.content.bases) {
    XZZF_TRY(a, tx.query_one("SELECT n.title, n.level, v.version_date, a.text FROM norm_versions v "
                             "JOIN norms n ON n.id = v.norm_id LEFT JOIN norm_articles a ON "
                             "a.version_id = v.id AND a.number = ? AND a.sub = ? WHERE v.id = ?",
                             {b.article, b.sub, b.norm_version_id}));
    if (!a) continue;
    b.norm_title = a->text(0);
    b.norm_level = a->text(1);
    b.version_date = a->text(2);
    b.article_text = a->opt_text(3).value_or("");
  }
  if (it.content.agency_id) {
    XZZF_TRY(a, tx.query_one("SELECT name FROM agencies WHERE id = ?", {*it.content.agency_id}));
    if (a) it.agency_name = a->text(0);
  }
  if (it.content.post_id) {
    XZZF_TRY(p, tx.query_one("SELECT name FROM posts WHERE id = ?", {*it.content.post_id}));
    if (p) it.post_name = p->text(0);
  }
  return std::optional<PublicItem>(std::move(it));
}

Result<PublicSummary> summary(Tx& tx) {
  PublicSummary s;
  XZZF_TRY(departments, tx.query("SELECT p.department_id, d.name, COUNT(*) FROM power_public p "
                                 "JOIN departments d ON d.id = p.department_id "
                                 "GROUP BY p.department_id, d.name ORDER BY p.department_id"));
  for (const auto& r : departments)
    s.departments.push_back({std::to_string(r.i64(0)), r.text(1), r.i64(2)});
  XZZF_TRY(categories, tx.query("SELECT category, COUNT(*) FROM power_public GROUP BY category"));
  for (const auto& cat : powers::categories()) {
    for (const auto& r : categories) {
      if (r.text(0) == cat.code)
        s.categories.push_back({std::string(cat.code), std::string(cat.name), r.i64(1)});
    }
  }
  return s;
}

Result<std::int64_t> index_missing(Tx& tx) {
  XZZF_TRY(rows, tx.query("SELECT p.item_id, p.code, p.snapshot FROM power_public p WHERE NOT "
                          "EXISTS (SELECT 1 FROM search_docs s WHERE s.kind = ? AND "
                          "s.doc_id = p.item_id)",
                          {kSearchKind}));
  for (const auto& r : rows) {
    const json snap = json::parse(r.text(2), nullptr, false);
    XZZF_CHECK(search::put(tx, kSearchKind, r.i64(0),
                           fields_of(r.text(1), snap.is_object() ? content_of(snap) : Content{})));
  }
  return static_cast<std::int64_t>(rows.size());
}

}  // namespace xzzf::powers::portal
