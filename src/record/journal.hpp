#pragma once

// Journal: the one command path by which every module puts an act on the
// full-process record (全过程记录). A service calls record() inside the write
// transaction of the change itself, so the domain rows and the entry commit
// or roll back together (RECORD.md, "Append"; ARCHITECTURE.md principle 2).
//
// The journal stamps the act with its clock when the act carries no time,
// refuses an act without subject or action, and refuses a payload member whose
// name says it carries personal data in plaintext (phone, ID number, name of a
// person, address, password …): entries name people by id, and where an entry
// must bind a personal field it carries a keyed hash of it under another name
// (RECORD.md, "No plaintext personal data in entries").
//
// It holds no state besides the borrowed clock: one instance serves every
// thread.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "core/time.hpp"
#include "record/log.hpp"
#include "storage/database.hpp"

namespace xzzf::record {

struct Act {
  Instant at;  // zero: stamped with the journal's clock
  std::optional<std::int64_t> actor_user_id;
  std::optional<std::int64_t> jurisdiction_id;  // where the act belongs (scope)
  std::optional<std::int64_t> department_id;
  std::string subject_type;  // "user", "department", "subject", …
  std::int64_t subject_id = 0;
  std::string action;  // "create", "grant_role", …
  nlohmann::json payload = nlohmann::json::object();
};

class Journal {
 public:
  explicit Journal(const Clock& clock) : clock_(clock) {}

  // Appends the act in `tx` (a write transaction) and returns its sequence
  // number. record.act_invalid for an act without subject type or action;
  // record.personal_data for a payload member named like personal data.
  [[nodiscard]] Result<std::uint64_t> record(storage::Tx& tx, Act act) const;

  // For a transaction that records several acts with other writes between
  // them: takes the tree-head lock first, before any other row lock. An
  // append holds the head until commit; a transaction that then went on to
  // lock another row could deadlock (on PostgreSQL) with one that holds that
  // row and waits for the head.
  [[nodiscard]] Result<void> hold(storage::Tx& tx) const { return log_.lock(tx); }

 private:
  const Clock& clock_;
  RecordLog log_;
};

}  // namespace xzzf::record
