#include "org/repository.hpp"

#include <array>
#include <map>

namespace xzzf::org::repo {
namespace {

using storage::Params;
using storage::Row;

Jurisdiction jurisdiction_of(const Row& r) {
  return Jurisdiction{.id = r.i64(0),
                      .code = r.text(1),
                      .name = r.text(2),
                      .level = r.text(3),
                      .parent_id = r.opt_i64(4)};
}
constexpr const char* kJurisdictionColumns =
    "SELECT id, code, name, level, parent_id FROM jurisdictions";

constexpr const char* kDepartmentSelect =
    "SELECT d.id, d.code, d.name, d.short_name, d.jurisdiction_id, j.name, d.is_legal_office, "
    "d.status, d.merged_into_id, d.effective_from, d.effective_to, "
    "(SELECT COUNT(*) FROM agencies a WHERE a.department_id = d.id AND a.status = 'active'), "
    "(SELECT s.status FROM subjects s WHERE s.department_id = d.id ORDER BY CASE s.status "
    "WHEN 'confirmed' THEN 0 WHEN 'proposed' THEN 1 ELSE 2 END, s.id LIMIT 1) "
    "FROM departments d JOIN jurisdictions j ON j.id = d.jurisdiction_id";

Department department_of(const Row& r) {
  return Department{.id = r.i64(0),
                    .code = r.text(1),
                    .name = r.text(2),
                    .short_name = r.text(3),
                    .jurisdiction_id = r.i64(4),
                    .jurisdiction_name = r.text(5),
                    .is_legal_office = r.i64(6) != 0,
                    .status = r.text(7),
                    .merged_into_id = r.opt_i64(8),
                    .effective_from = r.text(9),
                    .effective_to = r.opt_text(10),
                    .agency_count = r.i64(11),
                    .subject_status = r.opt_text(12)};
}

// Fills the sectors of `departments` with one query.
Result<void> load_sectors(Tx& tx, std::vector<Department>& departments) {
  if (departments.empty()) return {};
  std::string sql = "SELECT department_id, sector FROM department_sectors WHERE department_id IN (";
  Params params;
  std::map<std::int64_t, Department*> by_id;
  for (auto& d : departments) {
    sql += params.empty() ? "?" : ", ?";
    params.emplace_back(d.id);
    by_id[d.id] = &d;
  }
  sql += ") ORDER BY department_id, sector";
  auto rows = tx.query(sql, params);
  if (!rows) return tl::unexpected(rows.error());
  for (const auto& r : *rows) {
    if (auto it = by_id.find(r.i64(0)); it != by_id.end()) it->second->sectors.push_back(r.text(1));
  }
  return {};
}

Agency agency_of(const Row& r) {
  return Agency{.id = r.i64(0),
                .department_id = r.i64(1),
                .name = r.text(2),
                .duties = r.text(3),
                .status = r.text(4),
                .effective_from = r.text(5),
                .effective_to = r.opt_text(6)};
}
constexpr const char* kAgencySelect =
    "SELECT id, department_id, name, duties, status, effective_from, effective_to FROM agencies";

constexpr const char* kSubjectSelect =
    "SELECT s.id, s.jurisdiction_id, j.name, s.department_id, d.name, s.name, s.kind, "
    "s.entrusted_by_department_id, e.name, s.basis, s.status, s.confirmation_document, "
    "s.confirmed_on, s.revoked_on, s.revocation_reason, s.published "
    "FROM subjects s JOIN jurisdictions j ON j.id = s.jurisdiction_id "
    "LEFT JOIN departments d ON d.id = s.department_id "
    "LEFT JOIN departments e ON e.id = s.entrusted_by_department_id";

Subject subject_of(const Row& r) {
  return Subject{.id = r.i64(0),
                 .jurisdiction_id = r.i64(1),
                 .jurisdiction_name = r.text(2),
                 .department_id = r.opt_i64(3),
                 .department_name = r.opt_text(4),
                 .name = r.text(5),
                 .kind = r.text(6),
                 .entrusted_by_department_id = r.opt_i64(7),
                 .entrusted_by_department_name = r.opt_text(8),
                 .basis = r.text(9),
                 .status = r.text(10),
                 .confirmation_document = r.opt_text(11),
                 .confirmed_on = r.opt_text(12),
                 .revoked_on = r.opt_text(13),
                 .revocation_reason = r.opt_text(14),
                 .published = r.i64(15) != 0};
}

Result<void> succeeded(Result<std::int64_t> changed) {
  if (!changed) return tl::unexpected(changed.error());
  return {};
}

}  // namespace

// --- Jurisdictions -----------------------------------------------------------

Result<std::vector<Jurisdiction>> list_jurisdictions(Tx& tx) {
  auto rows = tx.query(std::string(kJurisdictionColumns) + " ORDER BY code");
  if (!rows) return tl::unexpected(rows.error());
  std::vector<Jurisdiction> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(jurisdiction_of(r));
  return out;
}

Result<std::optional<Jurisdiction>> find_jurisdiction(Tx& tx, std::int64_t id) {
  auto row = tx.query_one(std::string(kJurisdictionColumns) + " WHERE id = ?", {id});
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<Jurisdiction>();
  return std::optional<Jurisdiction>(jurisdiction_of(**row));
}

Result<std::optional<Jurisdiction>> find_jurisdiction_by_code(Tx& tx, const std::string& code) {
  auto row = tx.query_one(std::string(kJurisdictionColumns) + " WHERE code = ?", {code});
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<Jurisdiction>();
  return std::optional<Jurisdiction>(jurisdiction_of(**row));
}

Result<std::int64_t> insert_jurisdiction(Tx& tx, const NewJurisdiction& j, std::int64_t at_us) {
  return tx.insert(
      "INSERT INTO jurisdictions (code, name, level, parent_id, created_at_us) VALUES (?, ?, ?, ?, "
      "?)",
      {j.code, j.name, j.level, j.parent_id, at_us});
}

// --- Departments -------------------------------------------------------------

Result<Page<Department>> list_departments(Tx& tx, const auth::SqlFilter& filter,
                                          const DepartmentQuery& query) {
  std::string where = " WHERE (" + filter.sql + ")";
  Params params = filter.params;
  if (query.jurisdiction_id) {
    where += " AND d.jurisdiction_id = ?";
    params.emplace_back(*query.jurisdiction_id);
  }
  if (!query.q.empty()) {
    where +=
        " AND (d.name LIKE ? ESCAPE '\\' OR d.short_name LIKE ? ESCAPE '\\' OR d.code LIKE ? "
        "ESCAPE '\\')";
    auto pattern = storage::like_contains(query.q);
    params.insert(params.end(), {pattern, pattern, pattern});
  }
  if (!query.include_inactive) where += " AND d.status = 'active'";

  auto count = tx.query_one("SELECT COUNT(*) FROM departments d" + where, params);
  if (!count) return tl::unexpected(count.error());
  Page<Department> page;
  page.total = (*count)->i64(0);

  Params list_params = params;
  list_params.insert(list_params.end(), {query.page.page_size, query.page.offset()});
  auto rows = tx.query(std::string(kDepartmentSelect) + where +
                           " ORDER BY d.jurisdiction_id, d.code LIMIT ? OFFSET ?",
                       list_params);
  if (!rows) return tl::unexpected(rows.error());
  for (const auto& r : *rows) page.items.push_back(department_of(r));
  if (auto s = load_sectors(tx, page.items); !s) return tl::unexpected(s.error());
  return page;
}

Result<std::optional<Department>> find_department(Tx& tx, std::int64_t id) {
  auto rows = tx.query(std::string(kDepartmentSelect) + " WHERE d.id = ?", {id});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<Department>();
  std::vector<Department> one{department_of(rows->front())};
  if (auto s = load_sectors(tx, one); !s) return tl::unexpected(s.error());
  return std::optional<Department>(std::move(one.front()));
}

Result<std::optional<std::int64_t>> department_id_by_code(Tx& tx, const std::string& code) {
  auto row = tx.query_one("SELECT id FROM departments WHERE code = ?", {code});
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>((*row)->i64(0));
}

Result<std::int64_t> insert_department(Tx& tx, const NewDepartment& d, std::int64_t at_us) {
  auto id = tx.insert(
      "INSERT INTO departments (jurisdiction_id, code, name, short_name, is_legal_office, status, "
      "effective_from, created_at_us) VALUES (?, ?, ?, ?, ?, 'active', ?, ?)",
      {d.jurisdiction_id, d.code, d.name, d.short_name, d.is_legal_office, d.effective_from,
       at_us});
  if (!id) return id;
  if (auto s = set_department_sectors(tx, *id, d.sectors); !s) return tl::unexpected(s.error());
  return id;
}

Result<void> update_department_names(Tx& tx, std::int64_t id, const std::string& name,
                                     const std::string& short_name) {
  return succeeded(tx.exec("UPDATE departments SET name = ?, short_name = ? WHERE id = ?",
                           {name, short_name, id}));
}

Result<void> set_department_sectors(Tx& tx, std::int64_t id,
                                    const std::vector<std::string>& sectors) {
  if (auto r = tx.exec("DELETE FROM department_sectors WHERE department_id = ?", {id}); !r) {
    return tl::unexpected(r.error());
  }
  for (const auto& s : sectors) {
    auto r =
        tx.exec("INSERT INTO department_sectors (department_id, sector) VALUES (?, ?)", {id, s});
    if (!r) return tl::unexpected(r.error());
  }
  return {};
}

Result<void> mark_department_merged(Tx& tx, std::int64_t id, std::int64_t into_id,
                                    const std::string& effective_to) {
  return succeeded(tx.exec(
      "UPDATE departments SET status = 'merged', merged_into_id = ?, effective_to = ? WHERE id = ?",
      {into_id, effective_to, id}));
}

// --- Agencies and posts ------------------------------------------------------

Result<std::vector<Agency>> list_agencies(Tx& tx, std::int64_t department_id) {
  auto rows = tx.query(std::string(kAgencySelect) + " WHERE department_id = ? ORDER BY status, id",
                       {department_id});
  if (!rows) return tl::unexpected(rows.error());
  std::vector<Agency> out;
  for (const auto& r : *rows) out.push_back(agency_of(r));
  return out;
}

Result<std::optional<Agency>> find_agency(Tx& tx, std::int64_t id) {
  auto row = tx.query_one(std::string(kAgencySelect) + " WHERE id = ?", {id});
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<Agency>();
  return std::optional<Agency>(agency_of(**row));
}

Result<std::optional<Agency>> find_agency_by_name(Tx& tx, std::int64_t department_id,
                                                  const std::string& name) {
  auto row = tx.query_one(std::string(kAgencySelect) + " WHERE department_id = ? AND name = ?",
                          {department_id, name});
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<Agency>();
  return std::optional<Agency>(agency_of(**row));
}

Result<std::int64_t> insert_agency(Tx& tx, std::int64_t department_id, const std::string& name,
                                   const std::string& duties, const std::string& effective_from,
                                   std::int64_t at_us) {
  return tx.insert(
      "INSERT INTO agencies (department_id, name, duties, status, effective_from, created_at_us) "
      "VALUES (?, ?, ?, 'active', ?, ?)",
      {department_id, name, duties, effective_from, at_us});
}

Result<void> update_agency(Tx& tx, std::int64_t id, const std::string& name,
                           const std::string& duties) {
  return succeeded(
      tx.exec("UPDATE agencies SET name = ?, duties = ? WHERE id = ?", {name, duties, id}));
}

Result<void> abolish_agency(Tx& tx, std::int64_t id, const std::string& effective_to) {
  if (auto r = tx.exec("UPDATE agencies SET status = 'abolished', effective_to = ? WHERE id = ?",
                       {effective_to, id});
      !r) {
    return tl::unexpected(r.error());
  }
  // Its posts stay with the department, no longer attached to an agency.
  return succeeded(tx.exec("UPDATE posts SET agency_id = NULL WHERE agency_id = ?", {id}));
}

Result<void> move_agency(Tx& tx, std::int64_t id, std::int64_t department_id,
                         const std::string& name) {
  return succeeded(tx.exec("UPDATE agencies SET department_id = ?, name = ? WHERE id = ?",
                           {department_id, name, id}));
}

Result<std::vector<Post>> list_posts(Tx& tx, std::int64_t department_id) {
  auto rows = tx.query(
      "SELECT p.id, p.department_id, p.agency_id, a.name, p.name, p.is_enforcement, p.status "
      "FROM posts p LEFT JOIN agencies a ON a.id = p.agency_id "
      "WHERE p.department_id = ? ORDER BY p.status, p.id",
      {department_id});
  if (!rows) return tl::unexpected(rows.error());
  std::vector<Post> out;
  for (const auto& r : *rows) {
    out.push_back(Post{.id = r.i64(0),
                       .department_id = r.i64(1),
                       .agency_id = r.opt_i64(2),
                       .agency_name = r.opt_text(3),
                       .name = r.text(4),
                       .is_enforcement = r.i64(5) != 0,
                       .status = r.text(6)});
  }
  return out;
}

Result<bool> post_name_taken(Tx& tx, std::int64_t department_id, const std::string& name) {
  auto row = tx.query_one("SELECT 1 FROM posts WHERE department_id = ? AND name = ?",
                          {department_id, name});
  if (!row) return tl::unexpected(row.error());
  return row->has_value();
}

Result<std::int64_t> insert_post(Tx& tx, std::int64_t department_id, const NewPost& p,
                                 std::int64_t at_us) {
  return tx.insert(
      "INSERT INTO posts (department_id, agency_id, name, is_enforcement, status, created_at_us) "
      "VALUES (?, ?, ?, ?, 'active', ?)",
      {department_id, p.agency_id, p.name, p.is_enforcement, at_us});
}

Result<void> move_post(Tx& tx, std::int64_t id, std::int64_t department_id,
                       const std::string& name) {
  return succeeded(tx.exec("UPDATE posts SET department_id = ?, name = ? WHERE id = ?",
                           {department_id, name, id}));
}

// --- Subjects ----------------------------------------------------------------

Result<Page<Subject>> list_subjects(Tx& tx, const auth::SqlFilter& filter,
                                    const SubjectQuery& query) {
  std::string where = " WHERE (" + filter.sql + ")";
  Params params = filter.params;
  if (query.status) {
    where += " AND s.status = ?";
    params.emplace_back(*query.status);
  }
  if (query.department_id) {
    where += " AND s.department_id = ?";
    params.emplace_back(*query.department_id);
  }
  auto count = tx.query_one("SELECT COUNT(*) FROM subjects s" + where, params);
  if (!count) return tl::unexpected(count.error());
  Page<Subject> page;
  page.total = (*count)->i64(0);
  Params list_params = params;
  list_params.insert(list_params.end(), {query.page.page_size, query.page.offset()});
  auto rows = tx.query(std::string(kSubjectSelect) + where + " ORDER BY s.id LIMIT ? OFFSET ?",
                       list_params);
  if (!rows) return tl::unexpected(rows.error());
  for (const auto& r : *rows) page.items.push_back(subject_of(r));
  return page;
}

Result<std::optional<Subject>> find_subject(Tx& tx, std::int64_t id) {
  auto row = tx.query_one(std::string(kSubjectSelect) + " WHERE s.id = ?", {id});
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<Subject>();
  return std::optional<Subject>(subject_of(**row));
}

Result<std::optional<std::int64_t>> subject_id_by_name(Tx& tx, std::int64_t department_id,
                                                       const std::string& name) {
  auto row = tx.query_one("SELECT id FROM subjects WHERE department_id = ? AND name = ?",
                          {department_id, name});
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>((*row)->i64(0));
}

Result<std::int64_t> insert_subject(Tx& tx, std::int64_t jurisdiction_id, const NewSubject& s,
                                    std::int64_t at_us) {
  return tx.insert(
      "INSERT INTO subjects (jurisdiction_id, department_id, name, kind, "
      "entrusted_by_department_id, "
      "basis, status, published, created_at_us, updated_at_us) "
      "VALUES (?, ?, ?, ?, ?, ?, 'proposed', 0, ?, ?)",
      {jurisdiction_id, s.department_id, s.name, s.kind, s.entrusted_by_department_id, s.basis,
       at_us, at_us});
}

Result<void> confirm_subject(Tx& tx, std::int64_t id, const SubjectConfirmation& c,
                             std::int64_t at_us) {
  return succeeded(tx.exec(
      "UPDATE subjects SET status = 'confirmed', confirmation_document = ?, confirmed_on = ?, "
      "updated_at_us = ? WHERE id = ?",
      {c.confirmation_document, c.confirmed_on, at_us, id}));
}

Result<void> revoke_subject(Tx& tx, std::int64_t id, const SubjectRevocation& r,
                            std::int64_t at_us) {
  return succeeded(
      tx.exec("UPDATE subjects SET status = 'revoked', revoked_on = ?, revocation_reason = ?, "
              "updated_at_us = ? WHERE id = ?",
              {r.revoked_on, r.reason, at_us, id}));
}

Result<void> publish_subject(Tx& tx, std::int64_t id, std::int64_t at_us) {
  return succeeded(tx.exec(
      "UPDATE subjects SET published = 1, published_at_us = ?, updated_at_us = ? WHERE id = ?",
      {at_us, at_us, id}));
}

Result<Page<PublicSubject>> list_public_subjects(Tx& tx, const PublicSubjectQuery& query) {
  std::string where = " WHERE s.published = 1 AND s.status = 'confirmed'";
  Params params;
  if (query.department_id) {
    where += " AND s.department_id = ?";
    params.emplace_back(*query.department_id);
  }
  if (!query.q.empty()) {
    where += " AND (s.name LIKE ? ESCAPE '\\' OR s.basis LIKE ? ESCAPE '\\')";
    auto pattern = storage::like_contains(query.q);
    params.insert(params.end(), {pattern, pattern});
  }
  auto count = tx.query_one("SELECT COUNT(*) FROM subjects s" + where, params);
  if (!count) return tl::unexpected(count.error());
  Page<PublicSubject> page;
  page.total = (*count)->i64(0);
  Params list_params = params;
  list_params.insert(list_params.end(), {query.page.page_size, query.page.offset()});
  auto rows = tx.query(
      "SELECT s.id, s.name, s.kind, COALESCE(d.name, ''), j.name, s.basis, "
      "COALESCE(s.confirmation_document, ''), COALESCE(s.confirmed_on, ''), s.department_id "
      "FROM subjects s JOIN jurisdictions j ON j.id = s.jurisdiction_id "
      "LEFT JOIN departments d ON d.id = s.department_id" +
          where + " ORDER BY j.code, s.id LIMIT ? OFFSET ?",
      list_params);
  if (!rows) return tl::unexpected(rows.error());
  for (const auto& r : *rows) {
    page.items.push_back(PublicSubject{.id = r.i64(0),
                                       .name = r.text(1),
                                       .kind = r.text(2),
                                       .department_id = r.opt_i64(8),
                                       .department_name = r.text(3),
                                       .jurisdiction_name = r.text(4),
                                       .basis = r.text(5),
                                       .confirmation_document = r.text(6),
                                       .confirmed_on = r.text(7)});
  }
  return page;
}

// --- History -----------------------------------------------------------------

Result<void> insert_change(Tx& tx, const Change& c) {
  auto id = tx.insert(
      "INSERT INTO org_changes (entity, entity_id, change, effective_date, before_json, "
      "after_json, actor_user_id, at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {c.entity, c.entity_id, c.change, c.effective_date,
       c.before_json.empty() ? storage::Value() : storage::Value(c.before_json),
       c.after_json.empty() ? storage::Value() : storage::Value(c.after_json), c.actor_user_id,
       c.at_us});
  if (!id) return tl::unexpected(id.error());
  return {};
}

Result<std::vector<Change>> list_changes(Tx& tx, const std::string& entity,
                                         std::int64_t entity_id) {
  auto rows = tx.query(
      "SELECT id, entity, entity_id, change, effective_date, before_json, after_json, "
      "actor_user_id, at_us FROM org_changes WHERE entity = ? AND entity_id = ? "
      "ORDER BY id",
      {entity, entity_id});
  if (!rows) return tl::unexpected(rows.error());
  std::vector<Change> out;
  for (const auto& r : *rows) {
    out.push_back(Change{.id = r.i64(0),
                         .entity = r.text(1),
                         .entity_id = r.i64(2),
                         .change = r.text(3),
                         .effective_date = r.text(4),
                         .before_json = r.opt_text(5).value_or(""),
                         .after_json = r.opt_text(6).value_or(""),
                         .actor_user_id = r.opt_i64(7),
                         .at_us = r.i64(8)});
  }
  return out;
}

Result<std::int64_t> count_rows(Tx& tx, const std::string& table) {
  static constexpr std::array<const char*, 7> kTables = {
      "jurisdictions", "departments", "department_sectors", "agencies",
      "posts",         "subjects",    "org_changes"};
  bool known = false;
  for (const char* t : kTables) known = known || table == t;
  if (!known) return fail(ErrorCode::kDbError, field("detail", "unknown table " + table));
  auto row = tx.query_one("SELECT COUNT(*) FROM " + table);
  if (!row) return tl::unexpected(row.error());
  return (*row)->i64(0);
}

}  // namespace xzzf::org::repo
