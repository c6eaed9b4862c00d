#pragma once

// PersonnelService: officers and their qualification (执法资格) over the
// Database. Like every service it checks the caller's permission and scope
// itself, writes each change with its record entry in one transaction
// (record::Journal), and never stores personal data in plaintext: the ID
// number and the phone are sealed (privacy::Sealer), lists show them masked,
// and reveal() — officer.reveal — shows one officer's in full and writes the
// view to the audit trail in the same transaction.
//
// Refusals by law carry their article: an officer not 在编 cannot apply
// (条例 第二十条), nor one without an exam pass (第二十一条第一款); may_act()
// answers the case engine's question with 第十三条 (subject not confirmed) or
// 第二十一条第一款 (no valid certificate of the item's sector and area).
//
// Borrows the Database, the Sealer, the AuditTrail and the Clock, which must
// outlive it; safe to use from many threads.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/trail.hpp"
#include "auth/caller.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "personnel/model.hpp"
#include "personnel/sheet.hpp"
#include "privacy/sealer.hpp"
#include "record/journal.hpp"
#include "storage/database.hpp"

namespace xzzf::personnel {

namespace repo {
struct DepartmentInfo;
}  // namespace repo

class PersonnelService {
 public:
  PersonnelService(storage::Database& db, const privacy::Sealer& sealer, audit::AuditTrail& audit,
                   const Clock& clock, Settings settings = {})
      : db_(db),
        sealer_(sealer),
        audit_(audit),
        clock_(clock),
        journal_(clock),
        settings_(settings) {}

  using Caller = auth::Caller;

  // officer.manage, in scope. The ID number must be a valid 居民身份证号码 and
  // not be an officer's already; an optional post of the department starts
  // the post history.
  [[nodiscard]] Result<Officer> create_officer(const Caller& caller, const NewOfficer& cmd) const;
  // officer.manage, in scope: officers of one department from a spreadsheet
  // in the layout of officer_template() (personnel/sheet.hpp). Every row is
  // checked as create_officer() checks one officer, and against the other
  // rows (one ID number once); nothing is imported unless every row is valid,
  // and then all rows in one transaction, each on the record. The report
  // shows ID numbers masked only.
  [[nodiscard]] Result<ImportReport> import_officers(const Caller& caller,
                                                     std::int64_t department_id,
                                                     std::string_view xlsx) const;
  // officer.read, scoped; personal data masked.
  [[nodiscard]] Result<Page<Officer>> officers(const Caller& caller, const OfficerQuery& q) const;
  [[nodiscard]] Result<Officer> officer(const Caller& caller, std::int64_t id) const;
  // officer.reveal: the whole ID number and phone; the view is audited.
  [[nodiscard]] Result<Revealed> reveal(const Caller& caller, std::int64_t id) const;
  // officer.manage: the officer's photo, a JPEG or PNG of at most settings'
  // photo_max_kib, replacing the one before (its digest on the record).
  [[nodiscard]] Result<Officer> set_photo(const Caller& caller, std::int64_t id,
                                          const std::string& bytes) const;
  // officer.read, scoped.
  [[nodiscard]] Result<Photo> photo(const Caller& caller, std::int64_t id) const;
  // officer.manage: a new post from `started_on`; the current one ends then.
  [[nodiscard]] Result<Officer> assign_post(const Caller& caller, std::int64_t id,
                                            std::int64_t post_id,
                                            const std::string& started_on) const;
  [[nodiscard]] Result<std::vector<PostSpell>> posts(const Caller& caller, std::int64_t id) const;

  [[nodiscard]] Result<Training> add_training(const Caller& caller, const Training& t) const;
  [[nodiscard]] Result<std::vector<Training>> trainings(const Caller& caller,
                                                        std::int64_t officer_id) const;

  // certificate.review: a session of a jurisdiction, its pass line taken from
  // the rule set (qualification.exam_pass_line) on the day it is held.
  [[nodiscard]] Result<ExamSession> create_session(const Caller& caller,
                                                   const ExamSession& cmd) const;
  [[nodiscard]] Result<std::vector<ExamSession>> sessions(const Caller& caller) const;
  // certificate.review: a score, or an exemption for a holder of 法律职业资格.
  [[nodiscard]] Result<ExamResult> record_result(const Caller& caller, std::int64_t session_id,
                                                 std::int64_t officer_id,
                                                 std::optional<std::int64_t> score,
                                                 bool exempted) const;
  // An officer's results; a session's results of the officers in scope.
  // Both for officer.manage or certificate.review only.
  [[nodiscard]] Result<std::vector<ExamResult>> results(const Caller& caller,
                                                        std::int64_t officer_id) const;
  [[nodiscard]] Result<std::vector<ExamResult>> session_results(const Caller& caller,
                                                                std::int64_t session_id) const;

  // officer.manage: the department applies for a certificate of its officer.
  [[nodiscard]] Result<Certificate> apply(const Caller& caller, const Application& a) const;
  // certificate.review: the number the province issued, or a rejection. When
  // this deployment issues numbers (settings' number_issuer), an approval
  // without a number gets the next one: the prefix and 8 digits.
  [[nodiscard]] Result<Certificate> review(const Caller& caller, std::int64_t certificate_id,
                                           const Review& r) const;
  // certificate.review: the numbers the province issued, from a spreadsheet
  // in the layout of number_template(). Each row names the officer (ID
  // number and name, which must match) and the kind; the officer's
  // application of that kind, in the caller's scope, is issued as review()
  // approves one. All rows or none, with the report.
  [[nodiscard]] Result<ImportReport> import_numbers(const Caller& caller,
                                                    std::string_view xlsx) const;
  // certificate.review: suspend, lift, withdraw, revoke, annual_pass,
  // annual_fail (suspends: notice 五（三）), expire.
  [[nodiscard]] Result<Certificate> act(const Caller& caller, std::int64_t certificate_id,
                                        const CertificateAction& a) const;
  // certificate.review: 换证, refused for staff no longer 在编 (条例 第二十条).
  [[nodiscard]] Result<Certificate> renew(const Caller& caller, std::int64_t certificate_id,
                                          const Renewal& r) const;
  // officer.read, scoped: the id of the certificate with this number.
  [[nodiscard]] Result<std::int64_t> certificate_id(const Caller& caller,
                                                    const std::string& number) const;
  [[nodiscard]] Result<Page<Certificate>> certificates(const Caller& caller,
                                                       const CertificateQuery& q) const;
  [[nodiscard]] Result<Certificate> certificate(const Caller& caller, std::int64_t id) const;
  [[nodiscard]] Result<std::vector<CertificateEvent>> certificate_events(const Caller& caller,
                                                                         std::int64_t id) const;

  // officer.read, scoped: certificates in force (valid or suspended) whose
  // expiry or 年审 (a year after the last) falls within settings'
  // reminder_days or is past, soonest first.
  [[nodiscard]] Result<std::vector<Reminder>> reminders(const Caller& caller) const;
  // officer.read, scoped: active officers in their current post for
  // settings' rotation_years or longer, longest first.
  [[nodiscard]] Result<std::vector<RotationDue>> rotation(const Caller& caller) const;

  // The case engine's question, inside its transaction: may the officer act
  // on the power item for the department on `date`? Nothing when yes.
  [[nodiscard]] Result<void> may_act(storage::Tx& tx, std::int64_t officer_id,
                                     std::int64_t power_item_id, std::int64_t department_id,
                                     const std::string& date) const;
  [[nodiscard]] Result<void> may_act(std::int64_t officer_id, std::int64_t power_item_id,
                                     std::int64_t department_id, const std::string& date) const;

  // The portal's certificate check (no login): by number.
  [[nodiscard]] Result<PublicCertificate> public_certificate(const std::string& number) const;
  // The photo of the holder of an issued certificate, for the same check.
  [[nodiscard]] Result<Photo> public_photo(const std::string& number) const;

 private:
  // One invalid field of a command: its name as the form and the templates
  // call it (姓名, 身份证号码 …) and what is wrong, never the value.
  struct Problem {
    std::string field;
    std::string detail;
  };
  // The keyed digest (blind index) an officer is found by: of the normalized
  // ID number.
  [[nodiscard]] std::string id_digest(std::string_view id_number) const;
  // What create_officer() checks of the command itself: every problem.
  [[nodiscard]] static std::vector<Problem> officer_problems(const NewOfficer& cmd);
  // The rest of create_officer(), inside its write transaction with the
  // journal held, for a command without problems: not an officer yet, the
  // post and the account the department's; the officer, the first post and
  // the record entry. The new officer's id.
  [[nodiscard]] Result<std::int64_t> insert_officer(storage::Tx& tx, const Caller& caller,
                                                    const repo::DepartmentInfo& dept,
                                                    const NewOfficer& cmd, Instant now) const;
  // What review() checks of an approval: the number (may be empty when this
  // deployment issues numbers) and the validity.
  [[nodiscard]] std::optional<Problem> approval_problem(const Review& r) const;
  // Whether the caller may review `c` now: waiting for review, and every area
  // it would grant in the caller's scope.
  [[nodiscard]] static Result<void> reviewable(const Caller& caller, const Certificate& c);
  // The issuing step of review() and import_numbers(), inside the write
  // transaction with the journal held: the number (the next self-issued one
  // when empty), the validity, the event and the record entry.
  [[nodiscard]] Result<void> issue_certificate(storage::Tx& tx, const Caller& caller,
                                               const Certificate& c, std::int64_t jurisdiction_id,
                                               const Review& r, Instant now) const;

  storage::Database& db_;
  const privacy::Sealer& sealer_;
  audit::AuditTrail& audit_;
  const Clock& clock_;
  record::Journal journal_;
  Settings settings_;
};

}  // namespace xzzf::personnel
