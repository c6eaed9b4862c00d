#pragma once

// RuleService: the rule sets and the statutory calendar over the Database.
//
// Two kinds of callers:
//   - the modules that apply the law (cases, lists, officers) ask `lookup()`
//     for the value in force for a jurisdiction, a sector and the day of the
//     act, and build their refusals with `Rule::citation()` as the basis; they
//     ask `calendar()` for the calendar of a jurisdiction to count deadlines;
//   - people, through the routes: every business role reads (rule.read); the
//     legal office amends a rule or sets its jurisdiction's own days
//     (rule.manage), each an act on the record in the same transaction.
// Rules and calendars are law, not department data: any reader may look at
// any jurisdiction's. Changing them is scoped: a legal office changes only its
// own jurisdiction and those below; national values only a deployment-wide
// account.
//
// Borrows the Database and the Clock, which must outlive it. Stateless apart
// from those: safe to use from many threads.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/caller.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "record/journal.hpp"
#include "rules/calendar.hpp"
#include "rules/model.hpp"
#include "storage/database.hpp"

namespace xzzf::rules {

// Where the law says how its days count.
inline constexpr const char* kBasisWorkingDays = "《中华人民共和国行政处罚法》第八十五条";

// A jurisdiction's calendar with what it was built from.
struct JurisdictionCalendar {
  Calendar calendar;
  std::vector<LocalDay> local_days;  // its own and those of the levels above
};

class RuleService {
 public:
  RuleService(storage::Database& db, const Clock& clock)
      : db_(db), clock_(clock), journal_(clock) {}

  using Caller = auth::Caller;

  // Loads every shipped version (rules.json) that the table does not hold yet,
  // each as an act on the record with no actor; returns how many. Run at
  // start-up after the migrations; safe to run again and from several
  // processes at once.
  [[nodiscard]] Result<int> install_shipped() const;

  // The value of `key` in force on `date` for a jurisdiction (national law
  // only when empty) and a sector ("" for none): see model.hpp for the order.
  // rules.unknown_key, rules.not_in_force, org's jurisdiction_not_found.
  [[nodiscard]] Result<Rule> lookup(storage::Tx& tx, const std::string& key,
                                    std::optional<std::int64_t> jurisdiction_id,
                                    const std::string& sector, const std::string& date) const;
  [[nodiscard]] Result<Rule> lookup(const std::string& key,
                                    std::optional<std::int64_t> jurisdiction_id,
                                    const std::string& sector, const std::string& date) const;

  // The national calendar with the own days of the jurisdiction and of every
  // level above it.
  [[nodiscard]] Result<JurisdictionCalendar> calendar(
      storage::Tx& tx, std::optional<std::int64_t> jurisdiction_id) const;
  [[nodiscard]] Result<JurisdictionCalendar> calendar(
      std::optional<std::int64_t> jurisdiction_id) const;

  // --- for people (the routes) ---
  [[nodiscard]] const std::vector<RuleKey>& keys() const;
  // One rule per key: the version in force, or none for a key with no version
  // on that day (listed with value empty so that the gap shows).
  [[nodiscard]] Result<std::vector<RuleInForce>> in_force(const Caller& caller,
                                                          const RuleQuery& query) const;
  // Every version of a key; for a jurisdiction, those of its levels only.
  [[nodiscard]] Result<std::vector<Rule>> history(
      const Caller& caller, const std::string& key,
      std::optional<std::int64_t> jurisdiction_id) const;
  // A new version from `effective_from` on; the version of the same line in
  // force that day ends the day before. rules.version_order when the line has
  // a version starting that day or later; rules.retroactive for a date before
  // today unless cmd.retroactive; national values only as sector standards
  // (rules.national_general), by a deployment-wide account.
  [[nodiscard]] Result<Rule> amend(const Caller& caller, const std::string& key,
                                   const RuleAmendment& cmd) const;

  [[nodiscard]] Result<JurisdictionCalendar> calendar_for(
      const Caller& caller, std::optional<std::int64_t> jurisdiction_id) const;
  [[nodiscard]] Result<LocalDay> add_local_day(const Caller& caller, const NewLocalDay& cmd) const;
  [[nodiscard]] Result<void> remove_local_day(const Caller& caller, std::int64_t id) const;

 private:
  // The jurisdiction of a query: the asked one, else the caller's.
  [[nodiscard]] std::optional<std::int64_t> asked_or_own(const Caller& caller,
                                                         std::optional<std::int64_t> asked) const;

  storage::Database& db_;
  const Clock& clock_;
  record::Journal journal_;
};

}  // namespace xzzf::rules
