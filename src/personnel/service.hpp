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
#include <string>
#include <vector>

#include "audit/trail.hpp"
#include "auth/caller.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "personnel/model.hpp"
#include "privacy/sealer.hpp"
#include "record/journal.hpp"
#include "storage/database.hpp"

namespace xzzf::personnel {

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
  // officer.read, scoped; personal data masked.
  [[nodiscard]] Result<Page<Officer>> officers(const Caller& caller, const OfficerQuery& q) const;
  [[nodiscard]] Result<Officer> officer(const Caller& caller, std::int64_t id) const;
  // officer.reveal: the whole ID number and phone; the view is audited.
  [[nodiscard]] Result<Revealed> reveal(const Caller& caller, std::int64_t id) const;
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
  [[nodiscard]] Result<std::vector<ExamResult>> results(const Caller& caller,
                                                        std::int64_t officer_id) const;

  // officer.manage: the department applies for a certificate of its officer.
  [[nodiscard]] Result<Certificate> apply(const Caller& caller, const Application& a) const;
  // certificate.review: the number the province issued, or a rejection.
  [[nodiscard]] Result<Certificate> review(const Caller& caller, std::int64_t certificate_id,
                                           const Review& r) const;
  // certificate.review: suspend, lift, withdraw, revoke, annual_pass,
  // annual_fail (suspends: notice 五（三）), expire.
  [[nodiscard]] Result<Certificate> act(const Caller& caller, std::int64_t certificate_id,
                                        const CertificateAction& a) const;
  [[nodiscard]] Result<Page<Certificate>> certificates(const Caller& caller,
                                                       std::optional<std::int64_t> officer_id,
                                                       const std::string& status,
                                                       PageRequest page) const;
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

 private:
  storage::Database& db_;
  const privacy::Sealer& sealer_;
  audit::AuditTrail& audit_;
  const Clock& clock_;
  record::Journal journal_;
  Settings settings_;
};

}  // namespace xzzf::personnel
