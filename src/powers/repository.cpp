#include "powers/repository.hpp"

#include <nlohmann/json.hpp>

namespace xzzf::powers::repo {
namespace {

using nlohmann::json;
using storage::Params;
using storage::Row;

// An item whose basis a later version of its norm changed or removed, or
// whose norm was repealed: on its department's revision list.
constexpr const char* kFlagged =
    "(i.status <> 'cancelled' AND (EXISTS (SELECT 1 FROM power_item_bases fb JOIN norms fn ON "
    "fn.id = fb.norm_id "
    "WHERE fb.item_id = i.id AND fn.repealed_on IS NOT NULL) OR EXISTS (SELECT 1 FROM "
    "power_item_bases fb JOIN norm_versions fcv ON fcv.id = fb.norm_version_id "
    "JOIN norm_versions fv ON fv.norm_id = fb.norm_id AND fv.version_date > fcv.version_date "
    "LEFT JOIN norm_articles fa ON fa.version_id = fv.id AND fa.number = fb.article AND "
    "fa.sub = fb.sub WHERE fb.item_id = i.id AND (fa.id IS NULL OR fa.change <> 'none'))))";

std::string item_select() {
  return std::string(
             "SELECT i.id, i.department_id, d.name, d.jurisdiction_id, i.code, i.status, "
             "i.version, i.published_version, i.name, i.category, i.sector, i.scope, "
             "i.agency_id, ag.name, i.post_id, p.name, i.responsibility, i.time_limit, "
             "i.liabilities, i.effective_from, i.last_comment, i.updated_at_us, "
             "CASE WHEN ") +
         kFlagged +
         " THEN 1 ELSE 0 END, i.change, i.target_department_id, td.name, i.authorization_id, "
         "i.cancelled_on FROM power_items i JOIN departments d ON d.id = i.department_id "
         "LEFT JOIN agencies ag ON ag.id = i.agency_id LEFT JOIN posts p ON p.id = i.post_id "
         "LEFT JOIN departments td ON td.id = i.target_department_id";
}

Item item_of(const Row& r) {
  Item it;
  it.id = r.i64(0);
  it.department_id = r.i64(1);
  it.department_name = r.text(2);
  it.jurisdiction_id = r.i64(3);
  it.code = r.text(4);
  it.status = r.text(5);
  it.version = r.i64(6);
  it.published_version = r.opt_i64(7);
  it.content.name = r.text(8);
  it.content.category = r.text(9);
  it.content.sector = r.text(10);
  it.content.scope = r.text(11);
  it.content.agency_id = r.opt_i64(12);
  it.agency_name = r.opt_text(13);
  it.content.post_id = r.opt_i64(14);
  it.post_name = r.opt_text(15);
  it.content.responsibility = r.text(16);
  it.content.time_limit = r.text(17);
  const json liabilities = json::parse(r.text(18), nullptr, false);
  if (liabilities.is_array()) {
    for (const auto& l : liabilities) {
      if (l.is_string()) it.content.liabilities.push_back(l.get<std::string>());
    }
  }
  it.content.effective_from = r.text(19);
  it.last_comment = r.text(20);
  it.updated_at_us = r.i64(21);
  it.flagged = r.i64(22) != 0;
  it.change = r.text(23);
  it.target_department_id = r.opt_i64(24);
  it.target_department_name = r.opt_text(25);
  it.authorization_id = r.opt_i64(26);
  it.cancelled_on = r.opt_text(27);
  return it;
}

Result<void> write_bases(Tx& tx, std::int64_t id, const Content& c) {
  XZZF_CHECK(tx.exec("DELETE FROM power_item_bases WHERE item_id = ?", {id}));
  std::int64_t position = 0;
  for (const auto& b : c.bases) {
    XZZF_CHECK(tx.exec(
        "INSERT INTO power_item_bases (item_id, position, norm_id, "
        "norm_version_id, article, sub, paragraph, item) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?)",
        {id, position++, b.norm_id, b.norm_version_id, b.article, b.sub, b.paragraph, b.item}));
  }
  return {};
}

}  // namespace

Result<std::optional<DepartmentInfo>> department(Tx& tx, std::int64_t id) {
  XZZF_TRY(row, tx.query_one("SELECT d.id, d.code, d.name, d.jurisdiction_id, d.status, j.level, "
                             "j.parent_id FROM departments d JOIN jurisdictions j ON "
                             "j.id = d.jurisdiction_id WHERE d.id = ?",
                             {id}));
  if (!row) return std::optional<DepartmentInfo>();
  DepartmentInfo d{.id = row->i64(0),
                   .code = row->text(1),
                   .name = row->text(2),
                   .jurisdiction_id = row->i64(3),
                   .status = row->text(4),
                   .jurisdiction_level = row->text(5),
                   .jurisdiction_parent_id = row->opt_i64(6)};
  XZZF_TRY(rows, tx.query("SELECT sector FROM department_sectors WHERE department_id = ? "
                          "ORDER BY sector",
                          {id}));
  for (const auto& r : rows) d.sectors.push_back(r.text(0));
  return std::optional<DepartmentInfo>(std::move(d));
}

Result<std::optional<NormInfo>> norm_info(Tx& tx, std::int64_t norm_id) {
  XZZF_TRY(row, tx.query_one("SELECT title, level, repealed_on, adopted_on FROM norms WHERE id = ?",
                             {norm_id}));
  if (!row) return std::optional<NormInfo>();
  return std::optional<NormInfo>(
      NormInfo{row->text(0), row->text(1), row->opt_text(2), row->opt_text(3)});
}

Result<std::optional<std::pair<std::int64_t, std::string>>> version_in_force(
    Tx& tx, std::int64_t norm_id, const std::string& date) {
  XZZF_TRY(row, tx.query_one("SELECT id, version_date FROM norm_versions WHERE norm_id = ? AND "
                             "COALESCE(effective_on, version_date) <= ? "
                             "ORDER BY version_date DESC LIMIT 1",
                             {norm_id, date}));
  if (!row) return std::optional<std::pair<std::int64_t, std::string>>();
  return std::optional(std::pair(row->i64(0), row->text(1)));
}

Result<std::optional<std::string>> article_text(Tx& tx, std::int64_t version_id, int article,
                                                int sub) {
  XZZF_TRY(row, tx.query_one("SELECT text FROM norm_articles WHERE version_id = ? AND "
                             "number = ? AND sub = ?",
                             {version_id, article, sub}));
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(row->text(0));
}

Result<bool> agency_of_department(Tx& tx, std::int64_t agency_id, std::int64_t department_id) {
  XZZF_TRY(row, tx.query_one("SELECT 1 FROM agencies WHERE id = ? AND department_id = ? AND "
                             "status = 'active'",
                             {agency_id, department_id}));
  return row.has_value();
}

Result<bool> post_of_department(Tx& tx, std::int64_t post_id, std::int64_t department_id) {
  XZZF_TRY(row, tx.query_one("SELECT 1 FROM posts WHERE id = ? AND department_id = ?",
                             {post_id, department_id}));
  return row.has_value();
}

Result<std::int64_t> next_number(Tx& tx, std::int64_t department_id, const std::string& prefix) {
  XZZF_TRY(rows, tx.query("SELECT code FROM power_items WHERE department_id = ? AND code LIKE ? "
                          "ESCAPE '\\'",
                          {department_id, storage::like_contains(prefix)}));
  std::int64_t highest = 0;
  for (const auto& r : rows) {
    const std::string code = r.text(0);
    if (!code.starts_with(prefix)) continue;
    const std::string rest = code.substr(prefix.size());
    if (rest.empty() || rest.size() > 9 ||
        rest.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    highest = std::max<std::int64_t>(highest, std::stoll(rest));
  }
  return highest + 1;
}

Result<bool> code_taken(Tx& tx, std::int64_t department_id, const std::string& code) {
  XZZF_TRY(row, tx.query_one("SELECT 1 FROM power_items WHERE department_id = ? AND code = ?",
                             {department_id, code}));
  return row.has_value();
}

Result<std::int64_t> insert(Tx& tx, std::int64_t department_id, const std::string& code,
                            const Content& c, std::int64_t at_us) {
  XZZF_TRY(id, tx.insert("INSERT INTO power_items (department_id, code, name, category, sector, "
                         "scope, agency_id, post_id, responsibility, time_limit, liabilities, "
                         "effective_from, status, version, created_at_us, updated_at_us) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', 1, ?, ?)",
                         {department_id, code, c.name, c.category, c.sector, c.scope, c.agency_id,
                          c.post_id, c.responsibility, c.time_limit, json(c.liabilities).dump(),
                          c.effective_from, at_us, at_us}));
  XZZF_CHECK(write_bases(tx, id, c));
  return id;
}

Result<void> update_content(Tx& tx, std::int64_t id, const Content& c, std::int64_t at_us) {
  XZZF_CHECK(
      tx.exec("UPDATE power_items SET name = ?, category = ?, sector = ?, scope = ?, "
              "agency_id = ?, post_id = ?, responsibility = ?, time_limit = ?, "
              "liabilities = ?, effective_from = ?, updated_at_us = ? WHERE id = ?",
              {c.name, c.category, c.sector, c.scope, c.agency_id, c.post_id, c.responsibility,
               c.time_limit, json(c.liabilities).dump(), c.effective_from, at_us, id}));
  return write_bases(tx, id, c);
}

Result<void> set_status(Tx& tx, std::int64_t id, const std::string& status, std::int64_t version,
                        std::optional<std::int64_t> published_version, const std::string& comment,
                        std::int64_t at_us) {
  XZZF_CHECK(
      tx.exec("UPDATE power_items SET status = ?, version = ?, published_version = ?, "
              "last_comment = ?, updated_at_us = ? WHERE id = ?",
              {status, version, published_version, comment, at_us, id}));
  return {};
}

Result<void> save_version(Tx& tx, std::int64_t id, std::int64_t version, const std::string& status,
                          const std::string& snapshot, std::int64_t at_us) {
  XZZF_CHECK(
      tx.exec("INSERT INTO power_item_versions (item_id, version, status, snapshot, "
              "saved_at_us) VALUES (?, ?, ?, ?, ?) ON CONFLICT (item_id, version) DO "
              "UPDATE SET status = excluded.status, snapshot = excluded.snapshot, "
              "saved_at_us = excluded.saved_at_us",
              {id, version, status, snapshot, at_us}));
  return {};
}

Result<void> add_review(Tx& tx, std::int64_t id, std::int64_t version, const std::string& action,
                        const std::string& comment, std::optional<std::int64_t> actor,
                        std::int64_t at_us) {
  XZZF_CHECK(
      tx.exec("INSERT INTO power_item_reviews (item_id, version, action, comment, "
              "actor_user_id, at_us) VALUES (?, ?, ?, ?, ?, ?)",
              {id, version, action, comment, actor, at_us}));
  return {};
}

Result<std::optional<std::int64_t>> norm_id_by_title(Tx& tx, const std::string& title) {
  XZZF_TRY(row, tx.query_one("SELECT id FROM norms WHERE title = ?", {title}));
  if (!row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(row->i64(0));
}

Result<std::optional<std::int64_t>> agency_by_name(Tx& tx, std::int64_t department_id,
                                                   const std::string& name) {
  XZZF_TRY(row, tx.query_one("SELECT id FROM agencies WHERE department_id = ? AND name = ? AND "
                             "status = 'active'",
                             {department_id, name}));
  if (!row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(row->i64(0));
}

Result<std::optional<std::int64_t>> post_by_name(Tx& tx, std::int64_t department_id,
                                                 const std::string& name) {
  XZZF_TRY(row, tx.query_one("SELECT id FROM posts WHERE department_id = ? AND name = ? "
                             "ORDER BY id LIMIT 1",
                             {department_id, name}));
  if (!row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(row->i64(0));
}

Result<std::vector<std::int64_t>> ids_of_department(Tx& tx, std::int64_t department_id) {
  XZZF_TRY(rows, tx.query("SELECT id FROM power_items WHERE department_id = ? ORDER BY code",
                          {department_id}));
  std::vector<std::int64_t> out;
  for (const auto& r : rows) out.push_back(r.i64(0));
  return out;
}

Result<std::optional<Item>> find(Tx& tx, std::int64_t id) {
  XZZF_TRY(row, tx.query_one(item_select() + " WHERE i.id = ?", {id}));
  if (!row) return std::optional<Item>();
  Item it = item_of(*row);
  XZZF_TRY(rows,
           tx.query("SELECT b.norm_id, b.norm_version_id, b.article, b.sub, b.paragraph, b.item, "
                    "n.title, n.level, v.version_date, a.text, CASE WHEN n.repealed_on IS NOT "
                    "NULL OR EXISTS (SELECT 1 FROM norm_versions v2 LEFT JOIN norm_articles a2 "
                    "ON a2.version_id = v2.id AND a2.number = b.article AND a2.sub = b.sub "
                    "WHERE v2.norm_id = b.norm_id AND v2.version_date > v.version_date AND "
                    "(a2.id IS NULL OR a2.change <> 'none')) THEN 1 ELSE 0 END "
                    "FROM power_item_bases b JOIN norms n ON n.id = b.norm_id "
                    "JOIN norm_versions v ON v.id = b.norm_version_id "
                    "LEFT JOIN norm_articles a ON a.version_id = b.norm_version_id AND "
                    "a.number = b.article AND a.sub = b.sub WHERE b.item_id = ? "
                    "ORDER BY b.position",
                    {id}));
  for (const auto& r : rows) {
    Basis b;
    b.norm_id = r.i64(0);
    b.norm_version_id = r.i64(1);
    b.article = static_cast<int>(r.i64(2));
    b.sub = static_cast<int>(r.i64(3));
    b.paragraph = static_cast<int>(r.i64(4));
    b.item = static_cast<int>(r.i64(5));
    b.norm_title = r.text(6);
    b.norm_level = r.text(7);
    b.version_date = r.text(8);
    b.article_text = r.opt_text(9).value_or("");
    b.stale = r.i64(10) != 0;
    b.label = basis_label(b);
    it.content.bases.push_back(std::move(b));
  }
  return std::optional<Item>(std::move(it));
}

Result<Page<Item>> list(Tx& tx, const auth::Scope& scope, const ItemQuery& q) {
  const auto filter = scope.filter("i.department_id", "d.jurisdiction_id");
  std::string where = " WHERE " + filter.sql;
  Params params = filter.params;
  if (q.department_id) {
    where += " AND i.department_id = ?";
    params.emplace_back(*q.department_id);
  }
  if (!q.status.empty()) {
    where += " AND i.status = ?";
    params.emplace_back(q.status);
  }
  if (!q.category.empty()) {
    where += " AND i.category = ?";
    params.emplace_back(q.category);
  }
  if (!q.q.empty()) {
    where += " AND (i.name LIKE ? ESCAPE '\\' OR i.code LIKE ? ESCAPE '\\')";
    params.emplace_back(storage::like_contains(q.q));
    params.emplace_back(storage::like_contains(q.q));
  }
  if (q.flagged_only) where += std::string(" AND ") + kFlagged;
  if (q.norm_id) {
    where +=
        " AND EXISTS (SELECT 1 FROM power_item_bases nb WHERE nb.item_id = i.id AND "
        "nb.norm_id = ?)";
    params.emplace_back(*q.norm_id);
  }
  XZZF_TRY(count, tx.query_one("SELECT COUNT(*) FROM power_items i JOIN departments d ON "
                               "d.id = i.department_id" +
                                   where,
                               params));
  Params page_params = params;
  page_params.emplace_back(q.page.page_size);
  page_params.emplace_back(q.page.offset());
  XZZF_TRY(rows, tx.query(item_select() + where +
                              " ORDER BY i.department_id, i.code LIMIT ? "
                              "OFFSET ?",
                          page_params));
  Page<Item> page;
  page.total = count ? count->i64(0) : 0;
  for (const auto& r : rows) page.items.push_back(item_of(r));
  return page;
}

Result<std::vector<Version>> versions(Tx& tx, std::int64_t id) {
  XZZF_TRY(rows, tx.query("SELECT version, status, snapshot, saved_at_us FROM "
                          "power_item_versions WHERE item_id = ? ORDER BY version",
                          {id}));
  std::vector<Version> out;
  for (const auto& r : rows) out.push_back({r.i64(0), r.text(1), r.text(2), r.i64(3)});
  return out;
}

Result<std::vector<Review>> reviews(Tx& tx, std::int64_t id) {
  XZZF_TRY(rows, tx.query("SELECT version, action, comment, actor_user_id, at_us FROM "
                          "power_item_reviews WHERE item_id = ? ORDER BY id",
                          {id}));
  std::vector<Review> out;
  for (const auto& r : rows) {
    out.push_back({r.i64(0), r.text(1), r.text(2), r.opt_i64(3), r.i64(4)});
  }
  return out;
}

Result<void> set_change(Tx& tx, std::int64_t id, const std::string& change,
                        std::optional<std::int64_t> target,
                        std::optional<std::int64_t> authorization) {
  XZZF_CHECK(
      tx.exec("UPDATE power_items SET change = ?, target_department_id = ?, "
              "authorization_id = ? WHERE id = ?",
              {change, target, authorization, id}));
  return {};
}

Result<void> move(Tx& tx, std::int64_t id, std::int64_t department_id, const std::string& code) {
  XZZF_CHECK(
      tx.exec("UPDATE power_items SET department_id = ?, code = ?, agency_id = NULL, "
              "post_id = NULL WHERE id = ?",
              {department_id, code, id}));
  return {};
}

Result<void> follow(Tx& tx, std::int64_t id, std::int64_t department_id, const std::string& code) {
  XZZF_CHECK(tx.exec("UPDATE power_items SET department_id = ?, code = ? WHERE id = ?",
                     {department_id, code, id}));
  return {};
}

Result<void> set_cancelled(Tx& tx, std::int64_t id, const std::string& date) {
  XZZF_CHECK(tx.exec("UPDATE power_items SET cancelled_on = ? WHERE id = ?", {date, id}));
  return {};
}

Result<void> link_authorization(Tx& tx, std::int64_t authorization_id, std::int64_t item_id) {
  XZZF_CHECK(
      tx.exec("INSERT INTO authorization_items (authorization_id, item_id) VALUES (?, ?) "
              "ON CONFLICT (authorization_id, item_id) DO NOTHING",
              {authorization_id, item_id}));
  return {};
}

Result<std::vector<DepartmentProgress>> progress(Tx& tx, const auth::Scope& scope,
                                                 std::optional<std::int64_t> jurisdiction_id) {
  const auto filter = scope.filter("d.id", "d.jurisdiction_id");
  std::string where = " WHERE d.status = 'active' AND " + filter.sql;
  Params params = filter.params;
  if (jurisdiction_id) {
    // The jurisdiction's departments and its townships' (乡镇、街道).
    where += " AND (d.jurisdiction_id = ? OR dj.parent_id = ?)";
    params.emplace_back(*jurisdiction_id);
    params.emplace_back(*jurisdiction_id);
  }
  XZZF_TRY(rows,
           tx.query(std::string("SELECT d.id, d.name, i.status, COUNT(i.id), SUM(CASE WHEN i.id IS "
                                "NOT NULL AND ") +
                        kFlagged +
                        " THEN 1 ELSE 0 END) FROM departments d JOIN jurisdictions dj ON "
                        "dj.id = d.jurisdiction_id LEFT JOIN power_items i ON "
                        "i.department_id = d.id" +
                        where + " GROUP BY d.id, d.name, i.status ORDER BY d.id",
                    params));
  std::vector<DepartmentProgress> out;
  for (const auto& r : rows) {
    if (out.empty() || out.back().department_id != r.i64(0)) {
      out.push_back(DepartmentProgress{.department_id = r.i64(0), .department_name = r.text(1)});
    }
    auto& d = out.back();
    const auto status = r.opt_text(2);
    if (!status) continue;
    const std::int64_t n = r.i64(3);
    d.total += n;
    d.flagged += r.opt_i64(4).value_or(0);
    if (*status == "draft") d.draft += n;
    if (*status == "submitted") d.submitted += n;
    if (*status == "returned") d.returned += n;
    if (*status == "approved") d.approved += n;
    if (*status == "published") d.published += n;
    if (*status == "cancelled") d.cancelled += n;
  }
  return out;
}

Result<std::optional<std::string>> deadline(Tx& tx, std::int64_t jurisdiction_id) {
  XZZF_TRY(row, tx.query_one("SELECT deadline FROM power_list_deadlines WHERE jurisdiction_id = ?",
                             {jurisdiction_id}));
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(row->text(0));
}

Result<void> set_deadline(Tx& tx, std::int64_t jurisdiction_id, const std::string& date,
                          std::optional<std::int64_t> actor, std::int64_t at_us) {
  XZZF_CHECK(
      tx.exec("INSERT INTO power_list_deadlines (jurisdiction_id, deadline, set_by, "
              "set_at_us) VALUES (?, ?, ?, ?) ON CONFLICT (jurisdiction_id) DO UPDATE SET "
              "deadline = excluded.deadline, set_by = excluded.set_by, "
              "set_at_us = excluded.set_at_us",
              {jurisdiction_id, date, actor, at_us}));
  return {};
}

}  // namespace xzzf::powers::repo
