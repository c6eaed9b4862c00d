#pragma once

// The HTTP mapping of the full-process record (全过程记录), API.md:
//   /api/v1/record/status, /record/checkpoints, /record/entries[/{seq}],
//   /record/proofs/{inclusion,consistency}, POST /record/verify — behind the
//   guard: record.read (entries and proofs: legal office, monitors, scoped by
//   their jurisdiction and department) or record.verify (integrity status and
//   verification: the auditor, who never sees payloads, and the legal office);
//   /api/v1/public/record/{checkpoint,checkpoints,key} — no login.
//
// POST /record/verify starts one verification at a time on its own thread;
// its progress and last report are in /record/status, and the start and the
// result of each run go to the audit trail.

#include <memory>
#include <optional>

#include "audit/trail.hpp"
#include "auth/guard.hpp"
#include "core/time.hpp"
#include "http/router.hpp"
#include "record/checkpoint.hpp"
#include "record/checkpoints.hpp"
#include "storage/database.hpp"

namespace xzzf::record {

struct RecordDeps {
  storage::Database& db;
  const auth::Guard& guard;
  audit::AuditTrail& audit;
  const Clock& clock;
  // The deployment's public key and policy, when the server signs checkpoints.
  std::optional<PublicKey> public_key;
  CheckpointPolicy policy;
};

// The routes keep the verification's state; the returned object owns it and
// its thread, and must outlive the server (destroy it after the server stops).
class RecordRoutes;
[[nodiscard]] std::shared_ptr<RecordRoutes> register_routes(http::Router& router,
                                                            const RecordDeps& deps);

}  // namespace xzzf::record
