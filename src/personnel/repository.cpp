#include "personnel/repository.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace xzzf::personnel::repo {
namespace {

using nlohmann::json;
using storage::Params;
using storage::Row;

constexpr const char* kOfficerSelect =
    "SELECT o.id, o.department_id, d.name, d.jurisdiction_id, o.full_name, o.id_number_masked, "
    "o.phone_masked, o.employment, o.legal_qualification, o.user_id, o.status, o.created_at_us, "
    "o.updated_at_us, p.post_id, ps.name, ps.is_enforcement, p.started_on, "
    "CASE WHEN EXISTS (SELECT 1 FROM officer_photos ph WHERE ph.officer_id = o.id) "
    "THEN 1 ELSE 0 END "
    "FROM officers o JOIN departments d ON d.id = o.department_id "
    "LEFT JOIN officer_posts p ON p.officer_id = o.id AND p.ended_on IS NULL "
    "LEFT JOIN posts ps ON ps.id = p.post_id";

Officer officer_of(const Row& r) {
  Officer o{.id = r.i64(0),
            .department_id = r.i64(1),
            .department_name = r.text(2),
            .jurisdiction_id = r.i64(3),
            .full_name = r.text(4),
            .id_number_masked = r.text(5),
            .phone_masked = r.text(6),
            .employment = r.text(7),
            .legal_qualification = r.i64(8) != 0,
            .user_id = r.opt_i64(9),
            .status = r.text(10),
            .created_at_us = r.i64(11),
            .updated_at_us = r.i64(12),
            .has_photo = r.i64(17) != 0};
  if (!r.is_null(13)) {
    o.post = PostSpell{.post_id = r.i64(13),
                       .post_name = r.text(14),
                       .enforcement = r.i64(15) != 0,
                       .started_on = r.text(16)};
  }
  return o;
}

constexpr const char* kCertificateSelect =
    "SELECT c.id, c.officer_id, o.full_name, c.department_id, d.name, c.kind, c.number, "
    "c.sectors, c.jurisdictions, c.status, c.issued_on, c.expires_on, c.reviewed_on "
    "FROM certificates c JOIN officers o ON o.id = c.officer_id "
    "JOIN departments d ON d.id = c.department_id";

std::vector<std::string> strings_of(const std::string& text) {
  std::vector<std::string> out;
  const json j = json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& v : j) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

std::vector<std::int64_t> ids_of(const std::string& text) {
  std::vector<std::int64_t> out;
  const json j = json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& v : j) {
    if (v.is_number_integer()) out.push_back(v.get<std::int64_t>());
  }
  return out;
}

// The certificate of a row, with the names of its jurisdictions.
Result<Certificate> certificate_of(Tx& tx, const Row& r) {
  Certificate c{.id = r.i64(0),
                .officer_id = r.i64(1),
                .officer_name = r.text(2),
                .department_id = r.i64(3),
                .department_name = r.text(4),
                .kind = r.text(5),
                .number = r.opt_text(6),
                .sectors = strings_of(r.text(7)),
                .jurisdiction_ids = ids_of(r.text(8)),
                .status = r.text(9),
                .issued_on = r.opt_text(10),
                .expires_on = r.opt_text(11),
                .reviewed_on = r.opt_text(12)};
  for (auto j : c.jurisdiction_ids) {
    XZZF_TRY(name, tx.query_one("SELECT name FROM jurisdictions WHERE id = ?", {j}));
    c.jurisdiction_names.push_back(name ? name->text(0) : std::to_string(j));
  }
  return c;
}

Result<std::vector<Certificate>> certificates_where(Tx& tx, const std::string& where,
                                                    const Params& params) {
  XZZF_TRY(rows, tx.query(std::string(kCertificateSelect) + where, params));
  std::vector<Certificate> out;
  for (const auto& r : rows) {
    XZZF_TRY(c, certificate_of(tx, r));
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

Result<std::optional<DepartmentInfo>> department(Tx& tx, std::int64_t id) {
  XZZF_TRY(r, tx.query_one("SELECT d.id, d.name, d.jurisdiction_id, j.name FROM departments d "
                           "JOIN jurisdictions j ON j.id = d.jurisdiction_id WHERE d.id = ?",
                           {id}));
  if (!r) return std::optional<DepartmentInfo>();
  return std::optional(DepartmentInfo{r->i64(0), r->text(1), r->i64(2), r->text(3)});
}

Result<bool> jurisdiction_exists(Tx& tx, std::int64_t id) {
  XZZF_TRY(r, tx.query_one("SELECT 1 FROM jurisdictions WHERE id = ?", {id}));
  return r.has_value();
}

Result<std::vector<std::int64_t>> jurisdiction_chain(Tx& tx, std::int64_t id) {
  std::vector<std::int64_t> chain;
  std::optional<std::int64_t> at = id;
  // A tree of a few levels; the bound guards against a cycle in bad data.
  while (at && chain.size() < 16) {
    chain.push_back(*at);
    XZZF_TRY(r, tx.query_one("SELECT parent_id FROM jurisdictions WHERE id = ?", {*at}));
    at = r ? r->opt_i64(0) : std::nullopt;
  }
  return chain;
}

Result<std::pair<bool, std::string>> subject_acting(Tx& tx, std::int64_t department,
                                                    const std::string& date) {
  XZZF_TRY(rows, tx.query("SELECT name, status, published, confirmed_on, revoked_on FROM "
                          "subjects WHERE department_id = ? AND kind IN ('statutory', "
                          "'authorized') ORDER BY id",
                          {department}));
  for (const auto& r : rows) {
    const auto confirmed_on = r.opt_text(3);
    const auto revoked_on = r.opt_text(4);
    const bool standing = r.text(1) == "confirmed" || (r.text(1) == "revoked" && revoked_on);
    if (standing && r.i64(2) != 0 && confirmed_on && *confirmed_on <= date &&
        (!revoked_on || date < *revoked_on)) {
      return std::pair(true, r.text(0));
    }
  }
  return std::pair(false, rows.empty() ? std::string() : rows[0].text(0));
}

Result<std::optional<PowerItemInfo>> power_item(Tx& tx, std::int64_t id) {
  XZZF_TRY(r, tx.query_one("SELECT name, category, sector, department_id, status, "
                           "published_version FROM power_items WHERE id = ?",
                           {id}));
  if (!r) return std::optional<PowerItemInfo>();
  return std::optional(
      PowerItemInfo{r->text(0), r->text(1), r->text(2), r->i64(3), r->text(4), !r->is_null(5)});
}

Result<void> check_post(Tx& tx, std::int64_t post_id, std::int64_t department_id) {
  XZZF_TRY(r, tx.query_one("SELECT department_id, status FROM posts WHERE id = ?", {post_id}));
  if (!r || r->i64(0) != department_id || r->text(1) != "active") {
    return fail(ErrorCode::kPersonnelInvalid, field("field", "岗位"),
                field("detail", "不是本部门在用的岗位：" + std::to_string(post_id)));
  }
  return {};
}

Result<void> check_account(Tx& tx, std::int64_t user_id, std::int64_t department_id) {
  // An account of the department, not linked yet. One answer for every
  // reason, so that it tells nothing about other departments' accounts.
  XZZF_TRY(user, tx.query_one("SELECT 1 FROM users WHERE id = ? AND department_id = ? AND "
                              "NOT EXISTS (SELECT 1 FROM officers WHERE user_id = ?)",
                              {user_id, department_id, user_id}));
  if (!user) {
    return fail(ErrorCode::kPersonnelInvalid, field("field", "登录账号"),
                field("detail", "应为本部门尚未关联执法人员的账号"));
  }
  return {};
}

Result<std::int64_t> insert_officer(Tx& tx, const OfficerRow& row) {
  return tx.insert(
      "INSERT INTO officers (department_id, full_name, id_number_sealed, id_number_digest, "
      "id_number_masked, phone_sealed, phone_masked, employment, legal_qualification, user_id, "
      "status, created_at_us, updated_at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)",
      {row.department_id, row.full_name, row.id_number_sealed, row.id_number_digest,
       row.id_number_masked, row.phone_sealed, row.phone_masked, row.employment,
       row.legal_qualification, row.user_id, row.at_us, row.at_us});
}

Result<void> touch_officer(Tx& tx, std::int64_t id, std::int64_t at_us) {
  XZZF_CHECK(tx.exec("UPDATE officers SET updated_at_us = ? WHERE id = ?", {at_us, id}));
  return {};
}

Result<std::optional<Officer>> officer(Tx& tx, std::int64_t id) {
  XZZF_TRY(r, tx.query_one(std::string(kOfficerSelect) + " WHERE o.id = ?", {id}));
  if (!r) return std::optional<Officer>();
  return std::optional(officer_of(*r));
}

Result<std::optional<Officer>> officer_by_digest(Tx& tx, const std::string& digest) {
  XZZF_TRY(r,
           tx.query_one(std::string(kOfficerSelect) + " WHERE o.id_number_digest = ?", {digest}));
  if (!r) return std::optional<Officer>();
  return std::optional(officer_of(*r));
}

Result<Page<Officer>> officers(Tx& tx, const auth::SqlFilter& scope, const OfficerQuery& q) {
  std::string where = " WHERE " + scope.sql;
  Params params = scope.params;
  if (q.department_id) {
    where += " AND o.department_id = ?";
    params.emplace_back(*q.department_id);
  }
  if (!q.employment.empty()) {
    where += " AND o.employment = ?";
    params.emplace_back(q.employment);
  }
  if (!q.q.empty()) {
    where += " AND o.full_name LIKE ? ESCAPE '\\'";
    params.emplace_back(storage::like_contains(q.q));
  }
  Page<Officer> page;
  XZZF_TRY(count, tx.query_one("SELECT COUNT(*) FROM officers o JOIN departments d ON "
                               "d.id = o.department_id" +
                                   where,
                               params));
  page.total = count ? count->i64(0) : 0;
  params.emplace_back(q.page.page_size);
  params.emplace_back(q.page.offset());
  XZZF_TRY(rows, tx.query(std::string(kOfficerSelect) + where +
                              " ORDER BY o.department_id, o.full_name, o.id LIMIT ? OFFSET ?",
                          params));
  for (const auto& r : rows) page.items.push_back(officer_of(r));
  return page;
}

Result<std::pair<std::string, std::optional<std::string>>> sealed_of(Tx& tx, std::int64_t id) {
  XZZF_TRY(r,
           tx.query_one("SELECT id_number_sealed, phone_sealed FROM officers WHERE id = ?", {id}));
  if (!r) return fail(ErrorCode::kPersonnelOfficerNotFound, field("id", id));
  return std::pair(r->text(0), r->opt_text(1));
}

Result<void> start_post(Tx& tx, std::int64_t officer_id, std::int64_t post_id,
                        const std::string& started_on) {
  XZZF_CHECK(tx.exec("INSERT INTO officer_posts (officer_id, post_id, started_on) VALUES (?, ?, ?)",
                     {officer_id, post_id, started_on}));
  return {};
}

Result<void> end_post(Tx& tx, std::int64_t officer_id, const std::string& ended_on) {
  XZZF_CHECK(
      tx.exec("UPDATE officer_posts SET ended_on = ? WHERE officer_id = ? AND ended_on IS NULL",
              {ended_on, officer_id}));
  return {};
}

Result<std::vector<PostSpell>> posts(Tx& tx, std::int64_t officer_id) {
  XZZF_TRY(rows, tx.query("SELECT p.post_id, ps.name, ps.is_enforcement, p.started_on, p.ended_on "
                          "FROM officer_posts p JOIN posts ps ON ps.id = p.post_id "
                          "WHERE p.officer_id = ? ORDER BY p.started_on DESC, p.id DESC",
                          {officer_id}));
  std::vector<PostSpell> out;
  for (const auto& r : rows) {
    out.push_back({r.i64(0), r.text(1), r.i64(2) != 0, r.text(3), r.opt_text(4)});
  }
  return out;
}

Result<void> save_photo(Tx& tx, std::int64_t officer_id, const std::string& content_type,
                        const std::string& base64, const std::string& sha256,
                        std::int64_t size_bytes, std::int64_t at_us) {
  XZZF_CHECK(tx.exec(
      "INSERT INTO officer_photos (officer_id, content_type, data_base64, sha256, size_bytes, "
      "updated_at_us) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (officer_id) DO UPDATE SET "
      "content_type = excluded.content_type, data_base64 = excluded.data_base64, "
      "sha256 = excluded.sha256, size_bytes = excluded.size_bytes, "
      "updated_at_us = excluded.updated_at_us",
      {officer_id, content_type, base64, sha256, size_bytes, at_us}));
  return {};
}

Result<std::optional<StoredPhoto>> photo(Tx& tx, std::int64_t officer_id) {
  XZZF_TRY(r,
           tx.query_one(
               "SELECT content_type, data_base64, sha256 FROM officer_photos WHERE officer_id = ?",
               {officer_id}));
  if (!r) return std::optional<StoredPhoto>();
  return std::optional(StoredPhoto{r->text(0), r->text(1), r->text(2)});
}

Result<std::int64_t> insert_training(Tx& tx, const Training& t, std::int64_t at_us) {
  return tx.insert(
      "INSERT INTO officer_trainings (officer_id, course, kind, hours, completed_on, "
      "created_at_us) VALUES (?, ?, ?, ?, ?, ?)",
      {t.officer_id, t.course, t.kind, t.hours, t.completed_on, at_us});
}

Result<std::vector<Training>> trainings(Tx& tx, std::int64_t officer_id) {
  XZZF_TRY(rows, tx.query("SELECT id, officer_id, course, kind, hours, completed_on FROM "
                          "officer_trainings WHERE officer_id = ? ORDER BY completed_on DESC, id",
                          {officer_id}));
  std::vector<Training> out;
  for (const auto& r : rows) {
    out.push_back({r.i64(0), r.i64(1), r.text(2), r.text(3), r.i64(4), r.text(5)});
  }
  return out;
}

Result<std::int64_t> insert_session(Tx& tx, const ExamSession& s, std::int64_t rule_id,
                                    std::int64_t at_us) {
  return tx.insert(
      "INSERT INTO exam_sessions (jurisdiction_id, title, held_on, pass_line, pass_line_rule_id, "
      "created_at_us) VALUES (?, ?, ?, ?, ?, ?)",
      {s.jurisdiction_id, s.title, s.held_on, s.pass_line, rule_id, at_us});
}

namespace {
constexpr const char* kSessionSelect =
    "SELECT s.id, s.jurisdiction_id, s.title, s.held_on, s.pass_line, r.norm, r.article, "
    "r.confirmed FROM exam_sessions s JOIN rules r ON r.id = s.pass_line_rule_id";
ExamSession session_of(const Row& r) {
  return {
      r.i64(0),  r.i64(1),
      r.text(2), r.text(3),
      r.i64(4),  r.text(5) + r.text(6) + (r.i64(7) != 0 ? "" : "（分数线未经核实，见规则说明）")};
}
}  // namespace

Result<std::optional<ExamSession>> session(Tx& tx, std::int64_t id) {
  XZZF_TRY(r, tx.query_one(std::string(kSessionSelect) + " WHERE s.id = ?", {id}));
  if (!r) return std::optional<ExamSession>();
  return std::optional(session_of(*r));
}

Result<std::vector<ExamSession>> sessions(Tx& tx) {
  XZZF_TRY(rows, tx.query(std::string(kSessionSelect) + " ORDER BY s.held_on DESC, s.id DESC"));
  std::vector<ExamSession> out;
  for (const auto& r : rows) out.push_back(session_of(r));
  return out;
}

Result<void> save_result(Tx& tx, const ExamResult& r, std::int64_t at_us) {
  XZZF_CHECK(tx.exec(
      "INSERT INTO exam_results (session_id, officer_id, score, exempted, passed, recorded_at_us) "
      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (session_id, officer_id) DO UPDATE SET "
      "score = excluded.score, exempted = excluded.exempted, passed = excluded.passed, "
      "recorded_at_us = excluded.recorded_at_us",
      {r.session_id, r.officer_id, r.score, r.exempted, r.passed, at_us}));
  return {};
}

Result<std::vector<ExamResult>> results(Tx& tx, std::int64_t officer_id) {
  XZZF_TRY(rows, tx.query("SELECT x.session_id, x.officer_id, o.full_name, x.score, x.exempted, "
                          "x.passed FROM exam_results x JOIN officers o ON o.id = x.officer_id "
                          "JOIN exam_sessions s ON s.id = x.session_id WHERE x.officer_id = ? "
                          "ORDER BY s.held_on DESC",
                          {officer_id}));
  std::vector<ExamResult> out;
  for (const auto& r : rows) {
    out.push_back({r.i64(0), r.i64(1), r.text(2), r.opt_i64(3), r.i64(4) != 0, r.i64(5) != 0});
  }
  return out;
}

Result<std::vector<ExamResult>> session_results(Tx& tx, const auth::SqlFilter& scope,
                                                std::int64_t session_id) {
  Params params{session_id};
  params.insert(params.end(), scope.params.begin(), scope.params.end());
  XZZF_TRY(rows, tx.query("SELECT x.session_id, x.officer_id, o.full_name, x.score, x.exempted, "
                          "x.passed FROM exam_results x JOIN officers o ON o.id = x.officer_id "
                          "JOIN departments d ON d.id = o.department_id "
                          "WHERE x.session_id = ? AND " +
                              scope.sql + " ORDER BY o.full_name, o.id",
                          params));
  std::vector<ExamResult> out;
  for (const auto& r : rows) {
    out.push_back({r.i64(0), r.i64(1), r.text(2), r.opt_i64(3), r.i64(4) != 0, r.i64(5) != 0});
  }
  return out;
}

Result<bool> has_pass(Tx& tx, std::int64_t officer_id) {
  XZZF_TRY(r, tx.query_one("SELECT 1 FROM exam_results WHERE officer_id = ? AND passed = 1",
                           {officer_id}));
  return r.has_value();
}

Result<std::set<std::string>> training_kinds(Tx& tx, std::int64_t officer_id) {
  XZZF_TRY(rows, tx.query("SELECT DISTINCT kind FROM officer_trainings WHERE officer_id = ?",
                          {officer_id}));
  std::set<std::string> out;
  for (const auto& r : rows) out.insert(r.text(0));
  return out;
}

Result<std::string> jurisdiction_name(Tx& tx, std::int64_t id) {
  XZZF_TRY(r, tx.query_one("SELECT name FROM jurisdictions WHERE id = ?", {id}));
  return r ? r->text(0) : std::to_string(id);
}

Result<std::optional<std::pair<std::int64_t, std::string>>> open_certificate(
    Tx& tx, std::int64_t officer_id, const std::string& kind) {
  XZZF_TRY(r, tx.query_one("SELECT id, status FROM certificates WHERE officer_id = ? AND kind = ? "
                           "AND status IN ('applied', 'valid', 'suspended')",
                           {officer_id, kind}));
  if (!r) return std::optional<std::pair<std::int64_t, std::string>>();
  return std::optional(std::pair(r->i64(0), r->text(1)));
}

Result<std::int64_t> insert_certificate(Tx& tx, const Officer& o, const Application& a,
                                        std::int64_t at_us) {
  return tx.insert(
      "INSERT INTO certificates (officer_id, department_id, kind, sectors, jurisdictions, status, "
      "created_at_us, updated_at_us) VALUES (?, ?, ?, ?, ?, 'applied', ?, ?)",
      {o.id, o.department_id, a.kind, json(a.sectors).dump(), json(a.jurisdiction_ids).dump(),
       at_us, at_us});
}

Result<void> add_event(Tx& tx, std::int64_t certificate_id, const std::string& action,
                       const std::string& from, const std::string& to, const std::string& reason,
                       std::optional<std::int64_t> actor, std::int64_t at_us) {
  XZZF_CHECK(
      tx.exec("INSERT INTO certificate_events (certificate_id, action, from_status, "
              "to_status, reason, actor_user_id, at_us) VALUES (?, ?, ?, ?, ?, ?, ?)",
              {certificate_id, action, from, to, reason, actor, at_us}));
  return {};
}

Result<std::optional<Certificate>> certificate(Tx& tx, std::int64_t id) {
  XZZF_TRY(list, certificates_where(tx, " WHERE c.id = ?", {id}));
  if (list.empty()) return std::optional<Certificate>();
  return std::optional(std::move(list.front()));
}

Result<std::optional<std::int64_t>> certificate_by_number(Tx& tx, const std::string& number) {
  XZZF_TRY(r, tx.query_one("SELECT id FROM certificates WHERE number = ?", {number}));
  if (!r) return std::optional<std::int64_t>();
  return std::optional(r->i64(0));
}

Result<bool> number_taken(Tx& tx, const std::string& number) {
  XZZF_TRY(id, certificate_by_number(tx, number));
  return id.has_value();
}

Result<void> issue(Tx& tx, std::int64_t id, const std::string& number, const std::string& issued_on,
                   const std::string& expires_on, std::int64_t at_us) {
  XZZF_CHECK(
      tx.exec("UPDATE certificates SET number = ?, issued_on = ?, expires_on = ?, "
              "reviewed_on = ?, status = 'valid', updated_at_us = ? WHERE id = ?",
              {number, issued_on, expires_on, issued_on, at_us, id}));
  return {};
}

Result<void> set_status(Tx& tx, std::int64_t id, const std::string& status,
                        const std::optional<std::string>& reviewed_on, std::int64_t at_us) {
  XZZF_CHECK(
      tx.exec("UPDATE certificates SET status = ?, reviewed_on = COALESCE(?, reviewed_on), "
              "updated_at_us = ? WHERE id = ?",
              {status, reviewed_on, at_us, id}));
  return {};
}

Result<Page<Certificate>> certificates(Tx& tx, const auth::SqlFilter& scope,
                                       const CertificateQuery& q) {
  std::string where = " WHERE " + scope.sql;
  Params params = scope.params;
  if (q.officer_id) {
    where += " AND c.officer_id = ?";
    params.emplace_back(*q.officer_id);
  }
  if (q.department_id) {
    where += " AND c.department_id = ?";
    params.emplace_back(*q.department_id);
  }
  const std::string& status = q.status;
  const PageRequest& page = q.page;
  if (!status.empty()) {
    where += " AND c.status = ?";
    params.emplace_back(status);
  }
  Page<Certificate> out;
  XZZF_TRY(count, tx.query_one("SELECT COUNT(*) FROM certificates c JOIN departments d ON "
                               "d.id = c.department_id" +
                                   where,
                               params));
  out.total = count ? count->i64(0) : 0;
  params.emplace_back(page.page_size);
  params.emplace_back(page.offset());
  XZZF_TRY(items, certificates_where(tx, where + " ORDER BY c.id DESC LIMIT ? OFFSET ?", params));
  out.items = std::move(items);
  return out;
}

Result<std::vector<Certificate>> certificates_of(Tx& tx, std::int64_t officer_id,
                                                 const std::string& kind) {
  return certificates_where(tx, " WHERE c.officer_id = ? AND c.kind = ? ORDER BY c.id DESC",
                            {officer_id, kind});
}

Result<std::vector<Certificate>> certificates_held(Tx& tx, const auth::SqlFilter& scope) {
  return certificates_where(
      tx, " WHERE " + scope.sql + " AND c.status IN ('valid', 'suspended') ORDER BY c.id",
      scope.params);
}

Result<std::vector<Officer>> posted_since(Tx& tx, const auth::SqlFilter& scope,
                                          const std::string& date) {
  Params params = scope.params;
  params.emplace_back(date);
  XZZF_TRY(rows, tx.query(std::string(kOfficerSelect) + " WHERE " + scope.sql +
                              " AND o.status = 'active' AND p.started_on <= ? "
                              "ORDER BY p.started_on, o.id",
                          params));
  std::vector<Officer> out;
  for (const auto& r : rows) out.push_back(officer_of(r));
  return out;
}

Result<std::vector<CertificateEvent>> events(Tx& tx, std::int64_t certificate_id) {
  XZZF_TRY(rows, tx.query("SELECT e.action, e.from_status, e.to_status, e.reason, e.actor_user_id, "
                          "e.at_us, COALESCE(u.display_name, '') FROM certificate_events e "
                          "LEFT JOIN users u ON u.id = e.actor_user_id "
                          "WHERE e.certificate_id = ? ORDER BY e.id",
                          {certificate_id}));
  std::vector<CertificateEvent> out;
  for (const auto& r : rows) {
    out.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.opt_i64(4), r.i64(5), r.text(6)});
  }
  return out;
}

Result<std::optional<std::int64_t>> post_by_name(Tx& tx, std::int64_t department_id,
                                                 const std::string& name) {
  XZZF_TRY(r, tx.query_one("SELECT id FROM posts WHERE department_id = ? AND name = ? AND "
                           "status = 'active' ORDER BY id LIMIT 1",
                           {department_id, name}));
  if (!r) return std::optional<std::int64_t>();
  return std::optional(r->i64(0));
}

Result<std::optional<Certificate>> applied_certificate(Tx& tx, std::int64_t officer_id,
                                                       const std::string& kind) {
  XZZF_TRY(list, certificates_where(tx,
                                    " WHERE c.officer_id = ? AND c.kind = ? AND "
                                    "c.status = 'applied' ORDER BY c.id",
                                    {officer_id, kind}));
  if (list.empty()) return std::optional<Certificate>();
  return std::optional(std::move(list.front()));
}

Result<std::int64_t> last_self_number(Tx& tx, const std::string& prefix, int digits) {
  // Characters, not bytes, on both dialects (substr and length count
  // characters of text); the two integers are ours, not input. What trim
  // leaves of the tail is empty only when the tail is all digits.
  const auto chars = static_cast<std::int64_t>(
      std::count_if(prefix.begin(), prefix.end(), [](char c) { return (c & 0xC0) != 0x80; }));
  XZZF_TRY(r, tx.query_one(fmt::format("SELECT MAX(CAST(substr(number, {0}) AS BIGINT)) FROM "
                                       "certificates WHERE substr(number, 1, {1}) = ? AND "
                                       "length(number) = {2} AND "
                                       "trim(substr(number, {0}), '0123456789') = ''",
                                       chars + 1, chars, chars + digits),
                           {prefix}));
  if (!r || r->is_null(0)) return std::int64_t{0};
  return r->i64(0);
}

}  // namespace xzzf::personnel::repo
