#pragma once

// The demo officers of 永城市 (`xzzf demo`): about seventy people across the
// demo departments, with their posts, training, exam results and 行政执法证 /
// 行政执法监督证 in every state — valid, due for 年审 or expiry (yellow and
// red reminders), suspended (one after a failed 年审), withdrawn, revoked,
// expired, waiting for review and rejected — some not 在编 and so without a
// certificate, some without an exam pass, and some longer in one post than
// 定期轮岗 allows.
//
// The people are invented: names from common surnames and given names, ID
// numbers of 永城市 (411481) born in 1900 or 1901 with a valid check
// character, phones 0370-0xxxxxx (no local number starts with 0). Certificate numbers carry "演示"
// so that nobody takes one for a number the province issued.
//
// Everything goes through PersonnelService as the legal office, so each
// change has its record entry and the personal data is sealed like any
// other. Idempotent: nothing happens when the first demo officer exists.

#include <cstdint>
#include <map>
#include <string>

#include "audit/trail.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "privacy/sealer.hpp"
#include "storage/database.hpp"

namespace xzzf::personnel {

struct DemoPeople {
  int officers = 0;      // made by this run; 0 when they were there already
  int certificates = 0;  // applications made, whatever became of them
};

[[nodiscard]] Result<DemoPeople> load_demo(
    storage::Database& db, const privacy::Sealer& sealer, audit::AuditTrail& audit,
    const Clock& clock, const std::map<std::string, std::int64_t>& department_ids);

}  // namespace xzzf::personnel
