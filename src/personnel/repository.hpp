#pragma once

// The SQL of personnel/ (migration 0013). No rules here: the service checks,
// these read and write rows.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "auth/caller.hpp"
#include "core/result.hpp"
#include "personnel/model.hpp"
#include "storage/database.hpp"

namespace xzzf::personnel::repo {

using storage::Tx;

struct DepartmentInfo {
  std::int64_t id = 0;
  std::string name;
  std::int64_t jurisdiction_id = 0;
  std::string jurisdiction_name;
};
[[nodiscard]] Result<std::optional<DepartmentInfo>> department(Tx& tx, std::int64_t id);
[[nodiscard]] Result<bool> jurisdiction_exists(Tx& tx, std::int64_t id);
// The jurisdiction and every one above it.
[[nodiscard]] Result<std::vector<std::int64_t>> jurisdiction_chain(Tx& tx, std::int64_t id);
// Whether one of the department's own subjects (法定 or 授权) was confirmed
// and announced on `date` and not revoked by then; the name of the first
// subject (empty when it has none).
[[nodiscard]] Result<std::pair<bool, std::string>> subject_acting(Tx& tx, std::int64_t department,
                                                                  const std::string& date);
// What may_act() needs of a power item.
struct PowerItemInfo {
  std::string name;
  std::string category;
  std::string sector;
  std::int64_t department_id = 0;
  std::string status;
  bool published = false;  // a version of it is published
};
[[nodiscard]] Result<std::optional<PowerItemInfo>> power_item(Tx& tx, std::int64_t id);
// personnel.invalid unless the post is an active post of the department.
[[nodiscard]] Result<void> check_post(Tx& tx, std::int64_t post_id, std::int64_t department_id);

// personnel.invalid unless the account is one of the department's and no
// officer is linked to it yet.
[[nodiscard]] Result<void> check_account(Tx& tx, std::int64_t user_id, std::int64_t department_id);

struct OfficerRow {
  std::int64_t department_id = 0;
  std::string full_name;
  std::string id_number_sealed;
  std::string id_number_digest;
  std::string id_number_masked;
  std::optional<std::string> phone_sealed;
  std::string phone_masked;
  std::string employment;
  bool legal_qualification = false;
  std::optional<std::int64_t> user_id;
  std::int64_t at_us = 0;
};
[[nodiscard]] Result<std::int64_t> insert_officer(Tx& tx, const OfficerRow& row);
[[nodiscard]] Result<void> touch_officer(Tx& tx, std::int64_t id, std::int64_t at_us);
[[nodiscard]] Result<std::optional<Officer>> officer(Tx& tx, std::int64_t id);
[[nodiscard]] Result<std::optional<Officer>> officer_by_digest(Tx& tx, const std::string& digest);
[[nodiscard]] Result<Page<Officer>> officers(Tx& tx, const auth::SqlFilter& scope,
                                             const OfficerQuery& q);
// The sealed ID number and phone.
[[nodiscard]] Result<std::pair<std::string, std::optional<std::string>>> sealed_of(Tx& tx,
                                                                                   std::int64_t id);

[[nodiscard]] Result<void> start_post(Tx& tx, std::int64_t officer_id, std::int64_t post_id,
                                      const std::string& started_on);
[[nodiscard]] Result<void> end_post(Tx& tx, std::int64_t officer_id, const std::string& ended_on);
[[nodiscard]] Result<std::vector<PostSpell>> posts(Tx& tx, std::int64_t officer_id);

// The officer's photo, replaced as a whole; stored as base64 text.
struct StoredPhoto {
  std::string content_type;
  std::string base64;
  std::string sha256;
};
[[nodiscard]] Result<void> save_photo(Tx& tx, std::int64_t officer_id,
                                      const std::string& content_type, const std::string& base64,
                                      const std::string& sha256, std::int64_t size_bytes,
                                      std::int64_t at_us);
[[nodiscard]] Result<std::optional<StoredPhoto>> photo(Tx& tx, std::int64_t officer_id);

[[nodiscard]] Result<std::int64_t> insert_training(Tx& tx, const Training& t, std::int64_t at_us);
[[nodiscard]] Result<std::vector<Training>> trainings(Tx& tx, std::int64_t officer_id);

[[nodiscard]] Result<std::int64_t> insert_session(Tx& tx, const ExamSession& s,
                                                  std::int64_t rule_id, std::int64_t at_us);
[[nodiscard]] Result<std::optional<ExamSession>> session(Tx& tx, std::int64_t id);
[[nodiscard]] Result<std::vector<ExamSession>> sessions(Tx& tx);
// Inserts or replaces the officer's result of the session.
[[nodiscard]] Result<void> save_result(Tx& tx, const ExamResult& r, std::int64_t at_us);
[[nodiscard]] Result<std::vector<ExamResult>> results(Tx& tx, std::int64_t officer_id);
// A session's results of officers in `scope`, by name.
[[nodiscard]] Result<std::vector<ExamResult>> session_results(Tx& tx, const auth::SqlFilter& scope,
                                                              std::int64_t session_id);
[[nodiscard]] Result<bool> has_pass(Tx& tx, std::int64_t officer_id);
// The kinds of training the officer has records of.
[[nodiscard]] Result<std::set<std::string>> training_kinds(Tx& tx, std::int64_t officer_id);
[[nodiscard]] Result<std::string> jurisdiction_name(Tx& tx, std::int64_t id);

// An application or certificate of the kind still in force or waiting
// (applied, valid, suspended): its id and status.
[[nodiscard]] Result<std::optional<std::pair<std::int64_t, std::string>>> open_certificate(
    Tx& tx, std::int64_t officer_id, const std::string& kind);
[[nodiscard]] Result<std::int64_t> insert_certificate(Tx& tx, const Officer& o,
                                                      const Application& a, std::int64_t at_us);
[[nodiscard]] Result<void> add_event(Tx& tx, std::int64_t certificate_id, const std::string& action,
                                     const std::string& from, const std::string& to,
                                     const std::string& reason, std::optional<std::int64_t> actor,
                                     std::int64_t at_us);
[[nodiscard]] Result<std::optional<Certificate>> certificate(Tx& tx, std::int64_t id);
[[nodiscard]] Result<std::optional<std::int64_t>> certificate_by_number(Tx& tx,
                                                                        const std::string& number);
[[nodiscard]] Result<bool> number_taken(Tx& tx, const std::string& number);
[[nodiscard]] Result<void> issue(Tx& tx, std::int64_t id, const std::string& number,
                                 const std::string& issued_on, const std::string& expires_on,
                                 std::int64_t at_us);
// A new status; `reviewed_on` set when given (年审 passed).
[[nodiscard]] Result<void> set_status(Tx& tx, std::int64_t id, const std::string& status,
                                      const std::optional<std::string>& reviewed_on,
                                      std::int64_t at_us);
[[nodiscard]] Result<Page<Certificate>> certificates(Tx& tx, const auth::SqlFilter& scope,
                                                     const CertificateQuery& q);
[[nodiscard]] Result<std::vector<Certificate>> certificates_of(Tx& tx, std::int64_t officer_id,
                                                               const std::string& kind);
// Certificates in force (valid, suspended) in scope.
[[nodiscard]] Result<std::vector<Certificate>> certificates_held(Tx& tx,
                                                                 const auth::SqlFilter& scope);
// Active officers in scope whose open post started on or before `date`.
[[nodiscard]] Result<std::vector<Officer>> posted_since(Tx& tx, const auth::SqlFilter& scope,
                                                        const std::string& date);
[[nodiscard]] Result<std::vector<CertificateEvent>> events(Tx& tx, std::int64_t certificate_id);

// Imports (personnel/sheet.hpp).
// The active post of the department with that name.
[[nodiscard]] Result<std::optional<std::int64_t>> post_by_name(Tx& tx, std::int64_t department_id,
                                                               const std::string& name);
// The officer's application of the kind waiting for review (status applied).
[[nodiscard]] Result<std::optional<Certificate>> applied_certificate(Tx& tx,
                                                                     std::int64_t officer_id,
                                                                     const std::string& kind);
// The highest sequence of the numbers that are `prefix` followed by exactly
// `digits` digits; 0 when there is none.
[[nodiscard]] Result<std::int64_t> last_self_number(Tx& tx, const std::string& prefix, int digits);

}  // namespace xzzf::personnel::repo
