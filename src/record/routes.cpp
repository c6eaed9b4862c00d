#include "record/routes.hpp"

#include <fmt/format.h>

#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <utility>

#include "http/json.hpp"
#include "http/params.hpp"
#include "record/entry.hpp"
#include "record/log.hpp"
#include "record/verify.hpp"

namespace xzzf::record {

using auth::Caller;
using auth::Permission;
using http::Method;
using http::Request;
using http::Response;
using nlohmann::json;
using storage::Tx;

namespace {

json to_json(const Checkpoint& c) {
  return {{"size", c.size},
          {"root", to_hex(c.root)},
          {"at", format_shanghai_iso8601(c.at)},
          {"at_us", c.at.micros},
          {"algorithm", to_string(c.algorithm)},
          {"signature_algorithm", to_string(c.signature_algorithm)},
          {"key_id", c.key_id},
          {"signature", to_hex(c.signature)}};
}

json to_json(const std::vector<Hash>& path) {
  json out = json::array();
  for (const auto& h : path) out.push_back(to_hex(h));
  return out;
}

json to_json(const VerifyReport& r) {
  return {{"ok", r.ok},
          {"entries", r.entries},
          {"tree_size", r.tree_size},
          {"checkpoints_checked", r.checkpoints_checked},
          {"checkpoints_unverified", r.checkpoints_unverified},
          {"first_bad_seq", r.first_bad_seq ? json(*r.first_bad_seq) : json(nullptr)},
          {"problem", r.problem},
          {"message", r.message},
          {"seconds", r.seconds}};
}

json key_json(const PublicKey& key) {
  return {{"algorithm", to_string(key.algorithm)},
          {"hex", key.hex},
          {"key_id", key_id_of(key)},
          {"file", public_key_file_text(key)}};
}

Result<std::uint64_t> query_u64(const Request& req, std::string_view name, bool required) {
  auto text = req.query_param(name);
  if (!text || text->empty()) {
    if (required) {
      return fail(ErrorCode::kQueryInvalid, field("name", name), field("detail", "必填"));
    }
    return std::uint64_t{0};
  }
  auto value = parse_canonical_int(*text);
  if (!value || *value < 0) {
    return fail(ErrorCode::kQueryInvalid, field("name", name), field("detail", "应为非负整数"));
  }
  return static_cast<std::uint64_t>(*value);
}

// {seq} of the path: sequence numbers start at 0, unlike ids.
Result<std::uint64_t> seq_param(const Request& req) {
  std::string_view text = req.path_param("seq");
  auto value = parse_canonical_int(text);
  if (!value || *value < 0) return fail(ErrorCode::kIdInvalid, field("text", text));
  return static_cast<std::uint64_t>(*value);
}

// A date filter: the first microsecond of `text` (YYYY-MM-DD, Asia/Shanghai),
// plus `days`.
Result<std::optional<std::int64_t>> day_start(const Request& req, std::string_view name, int days) {
  auto text = req.query_param(name);
  if (!text || text->empty()) return std::optional<std::int64_t>{};
  auto date = Date::parse(*text);
  if (!date) return fail(date.error());
  return std::optional<std::int64_t>{date->plus_days(days).start().micros};
}

constexpr std::string_view kEntryColumns =
    "e.seq, e.at_us, e.actor_user_id, e.jurisdiction_id, e.department_id, e.subject_type, "
    "e.subject_id, e.action, e.payload, e.leaf_hash, u.username, u.display_name, d.name";
constexpr std::string_view kEntryJoins =
    "FROM record_entries e LEFT JOIN users u ON u.id = e.actor_user_id "
    "LEFT JOIN departments d ON d.id = e.department_id";

// A stored integer column as JSON: null when absent or not an integer (an
// edited row shows as such instead of failing the read).
json stored_int(const storage::Row& row, std::size_t column) {
  auto value = parse_canonical_int(row.opt_text(column).value_or(""));
  return value ? json(*value) : json(nullptr);
}

json stored_text(const storage::Row& row, std::size_t column) {
  auto text = row.opt_text(column);
  return text ? json(std::move(*text)) : json(nullptr);
}

json entry_json(const storage::Row& row, bool with_leaf) {
  auto payload_text = row.opt_text(8);
  json payload = payload_text ? json::parse(*payload_text, nullptr, false) : json(nullptr);
  auto at = parse_canonical_int(row.opt_text(1).value_or(""));
  json out = {{"seq", stored_int(row, 0)},
              {"at", at ? json(format_shanghai_iso8601(Instant{*at})) : json(nullptr)},
              {"at_us", stored_int(row, 1)},
              {"actor_user_id", stored_int(row, 2)},
              {"jurisdiction_id", stored_int(row, 3)},
              {"department_id", stored_int(row, 4)},
              {"subject_type", stored_text(row, 5)},
              {"subject_id", stored_int(row, 6)},
              {"action", stored_text(row, 7)},
              {"payload", payload.is_discarded() ? json(nullptr) : payload},
              {"actor_username", stored_text(row, 10)},
              {"actor_name", stored_text(row, 11)},
              {"department_name", stored_text(row, 12)}};
  if (with_leaf) {
    out["leaf_hash"] = stored_text(row, 9);
    // The stored canonical text, so that a client can rebuild the entry's
    // canonical bytes (entry.hpp) and check the leaf hash itself.
    out["payload_text"] = stored_text(row, 8);
  }
  return out;
}

}  // namespace

// The state of the verification runs, shared by the routes.
class RecordRoutes {
 public:
  explicit RecordRoutes(RecordDeps deps) : deps_(std::move(deps)) {}
  ~RecordRoutes() {
    // A run on a large record may take minutes: stop it at its next batch
    // rather than hold the server's shutdown.
    stopping_ = true;
    std::thread t;
    {
      std::lock_guard lock(mutex_);
      t = std::move(thread_);
    }
    if (t.joinable()) t.join();
  }
  RecordRoutes(const RecordRoutes&) = delete;
  RecordRoutes& operator=(const RecordRoutes&) = delete;

  const RecordDeps& deps() const { return deps_; }

  json verification_json() {
    std::lock_guard lock(mutex_);
    json last = nullptr;
    if (last_) {
      last = to_json(*last_);
      last["finished_at"] = format_shanghai_iso8601(last_finished_);
      last["by"] = last_by_;
    }
    return {{"running", running_},
            {"checked", checked_},
            {"total", total_},
            {"started_at", running_ ? json(format_shanghai_iso8601(started_)) : json(nullptr)},
            {"by", running_ ? json(by_) : json(nullptr)},
            {"last", last}};
  }

  Result<void> start(const Caller& caller) {
    std::thread previous;
    {
      std::lock_guard lock(mutex_);
      if (running_) return fail(ErrorCode::kRecordVerifyBusy);
      running_ = true;
      checked_ = 0;
      total_ = 0;
      started_ = deps_.clock.now();
      by_ = caller.username;
      previous = std::move(thread_);
    }
    if (previous.joinable()) previous.join();
    // The start is written before the answer, so that the auditor's trail
    // shows it at once; the result follows through the trail's queue.
    auto started = deps_.db.write([&](Tx& tx) {
      return deps_.audit.append(tx, event(caller, "record.verify_started", json::object()));
    });
    if (!started) {
      std::lock_guard lock(mutex_);
      running_ = false;
      return fail(started.error());
    }
    std::lock_guard lock(mutex_);
    thread_ = std::thread([this, caller] { run(caller); });
    return {};
  }

 private:
  void run(const Caller& caller) {
    VerifyOptions options;
    options.public_key = deps_.public_key;
    options.cancelled = [this] { return stopping_.load(); };
    options.progress = [this](std::uint64_t checked, std::uint64_t total) {
      std::lock_guard lock(mutex_);
      checked_ = checked;
      total_ = total;
    };
    VerifyReport r;
    try {
      auto report = verify_record(deps_.db, options);
      if (report) {
        r = std::move(*report);
      } else {
        r.ok = false;
        r.problem = "unreadable";
        r.message = "无法读取全过程记录：" + report.error().message;
      }
    } catch (const std::exception& e) {
      // This thread has no caller to report to: a failure here must end as
      // a report, never take the server down.
      r = VerifyReport{};
      r.ok = false;
      r.problem = "unreadable";
      r.message = std::string("校验异常终止：") + e.what();
    }
    audit_event(caller, r.ok ? "record.verified" : "record.verify_failed", to_json(r));
    std::lock_guard lock(mutex_);
    last_ = std::move(r);
    last_finished_ = deps_.clock.now();
    last_by_ = caller.username;
    running_ = false;
  }

  void audit_event(const Caller& caller, std::string name, const json& detail) {
    deps_.audit.submit(event(caller, std::move(name), detail));
  }

  audit::AuditEvent event(const Caller& caller, std::string name, const json& detail) const {
    return audit::AuditEvent{
        .at = deps_.clock.now(),
        .event = std::move(name),
        .actor_user_id = caller.user_id,
        .actor = caller.username,
        .remote_addr = caller.remote_addr,
        .method = "POST",
        .path = "/api/v1/record/verify",
        .status = 0,
        .code = {},
        .detail_json = detail.dump(-1, ' ', false, json::error_handler_t::replace),
        .request_id = caller.request_id};
  }

  RecordDeps deps_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::thread thread_;
  bool running_ = false;
  std::uint64_t checked_ = 0;
  std::uint64_t total_ = 0;
  Instant started_;
  std::string by_;
  std::optional<VerifyReport> last_;
  Instant last_finished_;
  std::string last_by_;
};

namespace {

Result<void> require_any(const Caller& c, std::initializer_list<Permission> permissions) {
  for (auto p : permissions) {
    if (c.has(p)) return {};
  }
  return fail(ErrorCode::kAuthForbidden, field("permission", "record.read / record.verify"));
}

Result<Response> list_checkpoints_response(storage::Database& db, const Request& req) {
  XZZF_TRY(page, http::page_request(req));
  XZZF_TRY(result, db.read([&](Tx& tx) { return list_checkpoints(tx, page); }));
  json items = json::array();
  for (const auto& c : result.items) items.push_back(to_json(c));
  return Response::json(200, {{"items", std::move(items)}, {"total", result.total}});
}

Result<Response> list_entries(storage::Database& db, const Request& req, const Caller& caller) {
  XZZF_TRY(page, http::page_request(req));
  auto filter = caller.scope.filter("e.department_id", "e.jurisdiction_id");
  std::string where = "WHERE (" + filter.sql + ")";
  storage::Params params = filter.params;
  if (auto type = req.query_param("subject_type"); type && !type->empty()) {
    where += " AND e.subject_type = ?";
    params.emplace_back(std::string(*type));
  }
  XZZF_TRY(subject, http::query_id(req, "subject_id"));
  if (subject) {
    where += " AND e.subject_id = ?";
    params.emplace_back(*subject);
  }
  XZZF_TRY(actor, http::query_id(req, "actor_id"));
  if (actor) {
    where += " AND e.actor_user_id = ?";
    params.emplace_back(*actor);
  }
  if (auto action = req.query_param("action"); action && !action->empty()) {
    where += " AND e.action = ?";
    params.emplace_back(std::string(*action));
  }
  XZZF_TRY(from, day_start(req, "from", 0));
  if (from) {
    where += " AND e.at_us >= ?";
    params.emplace_back(*from);
  }
  XZZF_TRY(to, day_start(req, "to", 1));
  if (to) {
    where += " AND e.at_us < ?";
    params.emplace_back(*to);
  }
  return db.read([&](Tx& tx) -> Result<Response> {
    XZZF_TRY(count, tx.query_one("SELECT COUNT(*) FROM record_entries e " + where, params));
    storage::Params page_params = params;
    page_params.emplace_back(page.page_size);
    page_params.emplace_back(page.offset());
    XZZF_TRY(rows, tx.query(fmt::format("SELECT {} {} {} ORDER BY e.seq DESC LIMIT ? OFFSET ?",
                                        kEntryColumns, kEntryJoins, where),
                            page_params));
    json items = json::array();
    for (const auto& row : rows) items.push_back(entry_json(row, false));
    return Response::json(200, {{"items", std::move(items)}, {"total", count ? count->i64(0) : 0}});
  });
}

Result<Response> one_entry(storage::Database& db, const Request& req, const Caller& caller) {
  XZZF_TRY(number, seq_param(req));
  const auto seq = static_cast<std::int64_t>(number);
  return db.read([&](Tx& tx) -> Result<Response> {
    auto filter = caller.scope.filter("e.department_id", "e.jurisdiction_id");
    storage::Params params{seq};
    params.insert(params.end(), filter.params.begin(), filter.params.end());
    XZZF_TRY(row, tx.query_one(fmt::format("SELECT {} {} WHERE e.seq = ? AND ({})", kEntryColumns,
                                           kEntryJoins, filter.sql),
                               params));
    // Out of scope and absent answer alike, so that neither is revealed.
    if (!row) return fail(ErrorCode::kRecordEntryNotFound, field("seq", seq));
    RecordLog log;
    const auto index = static_cast<std::uint64_t>(seq);
    XZZF_TRY(size, log.size(tx));
    XZZF_TRY(latest, latest_checkpoint(tx));
    std::optional<Checkpoint> covering;
    if (latest && latest->size > index) covering = latest;
    const std::uint64_t tree_size = covering ? covering->size : size;
    XZZF_TRY(path, log.inclusion_proof(tx, index, tree_size));
    XZZF_TRY(root, log.root(tx, tree_size));
    XZZF_TRY(algorithm, log.algorithm(tx));
    return Response::json(200, {{"entry", entry_json(*row, true)},
                                {"proof",
                                 {{"tree_size", tree_size},
                                  {"root", to_hex(root)},
                                  {"algorithm", to_string(algorithm)},
                                  {"checkpoint", covering ? to_json(*covering) : json(nullptr)},
                                  {"path", to_json(path)}}}});
  });
}

}  // namespace

std::shared_ptr<RecordRoutes> register_routes(http::Router& router, const RecordDeps& deps) {
  auto state = std::make_shared<RecordRoutes>(deps);
  RecordRoutes* s = state.get();
  const auth::Guard& guard = deps.guard;
  storage::Database& db = deps.db;

  router.add(
      {.method = Method::kGet,
       .pattern = "/api/v1/record/status",
       .handler = guard.authenticated([s, &db](Request&, const Caller& c) -> Result<Response> {
         XZZF_CHECK(require_any(c, {Permission::kRecordVerify, Permission::kRecordRead}));
         struct Head {
           std::uint64_t size;
           HashAlgorithm algorithm;
           std::optional<Checkpoint> latest;
         };
         XZZF_TRY(head, db.read([](Tx& tx) -> Result<Head> {
           RecordLog log;
           XZZF_TRY(size, log.size(tx));
           XZZF_TRY(algorithm, log.algorithm(tx));
           XZZF_TRY(latest, latest_checkpoint(tx));
           return Head{size, algorithm, std::move(latest)};
         }));
         const auto& d = s->deps();
         return Response::json(
             200, {{"tree_size", head.size},
                   {"algorithm", to_string(head.algorithm)},
                   {"latest_checkpoint", head.latest ? to_json(*head.latest) : json(nullptr)},
                   {"public_key", d.public_key ? key_json(*d.public_key) : json(nullptr)},
                   {"checkpoint_policy",
                    {{"every_entries", d.policy.every_entries},
                     {"every_seconds", d.policy.every.count()}}},
                   {"verification", s->verification_json()}});
       }),
       .summary = "Record integrity status and the last verification"});

  router.add({.method = Method::kPost,
              .pattern = "/api/v1/record/verify",
              .handler = guard.require(
                  Permission::kRecordVerify,
                  [s](Request& req, const Caller& c) -> Result<Response> {
                    // No fields: an empty body or {}; anything else is refused.
                    if (!req.body.empty()) {
                      XZZF_TRY(body, http::parse_json_object(req.body));
                      XZZF_CHECK(http::ObjectReader(body).finish());
                    }
                    XZZF_CHECK(s->start(c));
                    return Response::json(202, {{"verification", s->verification_json()}});
                  }),
              .summary = "Start a full verification of the record"});

  router.add(
      {.method = Method::kGet,
       .pattern = "/api/v1/record/checkpoints",
       .handler = guard.authenticated([&db](Request& req, const Caller& c) -> Result<Response> {
         XZZF_CHECK(require_any(c, {Permission::kRecordVerify, Permission::kRecordRead}));
         return list_checkpoints_response(db, req);
       }),
       .summary = "Signed checkpoints, newest first"});

  router.add({.method = Method::kGet,
              .pattern = "/api/v1/record/entries",
              .handler = guard.require(
                  Permission::kRecordRead,
                  [&db](Request& req, const Caller& c) { return list_entries(db, req, c); }),
              .summary = "Record entries in the caller's scope, newest first"});

  router.add({.method = Method::kGet,
              .pattern = "/api/v1/record/entries/{seq}",
              .handler = guard.require(
                  Permission::kRecordRead,
                  [&db](Request& req, const Caller& c) { return one_entry(db, req, c); }),
              .summary = "One entry with its inclusion proof"});

  router.add(
      {.method = Method::kGet,
       .pattern = "/api/v1/record/proofs/inclusion",
       .handler = guard.authenticated([&db](Request& req, const Caller& c) -> Result<Response> {
         XZZF_CHECK(require_any(c, {Permission::kRecordVerify, Permission::kRecordRead}));
         XZZF_TRY(seq, query_u64(req, "seq", true));
         XZZF_TRY(size, query_u64(req, "size", true));
         return db.read([&](Tx& tx) -> Result<Response> {
           RecordLog log;
           XZZF_TRY(path, log.inclusion_proof(tx, seq, size));
           XZZF_TRY(root, log.root(tx, size));
           // No leaf hash here: this route is not scoped, and a hash would let
           // a caller test a guess at an entry it may not see. Those who may
           // see the entry have its leaf hash from /record/entries/{seq}.
           return Response::json(
               200,
               {{"seq", seq}, {"size", size}, {"root", to_hex(root)}, {"path", to_json(path)}});
         });
       }),
       .summary = "Inclusion proof of an entry in the tree of a size"});

  router.add(
      {.method = Method::kGet,
       .pattern = "/api/v1/record/proofs/consistency",
       .handler = guard.authenticated([&db](Request& req, const Caller& c) -> Result<Response> {
         XZZF_CHECK(require_any(c, {Permission::kRecordVerify, Permission::kRecordRead}));
         XZZF_TRY(from, query_u64(req, "from", true));
         XZZF_TRY(to, query_u64(req, "to", true));
         return db.read([&](Tx& tx) -> Result<Response> {
           RecordLog log;
           XZZF_TRY(path, log.consistency_proof(tx, from, to));
           XZZF_TRY(from_root, log.root(tx, from));
           XZZF_TRY(to_root, log.root(tx, to));
           return Response::json(200, {{"from", from},
                                       {"to", to},
                                       {"from_root", to_hex(from_root)},
                                       {"to_root", to_hex(to_root)},
                                       {"path", to_json(path)}});
         });
       }),
       .summary = "Consistency proof between two tree sizes"});

  // --- public ------------------------------------------------------------
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/public/record/checkpoint",
              .handler = [&db](Request&) -> Result<Response> {
                XZZF_TRY(latest, db.read([](Tx& tx) { return latest_checkpoint(tx); }));
                if (!latest) return fail(ErrorCode::kRecordNoCheckpoint);
                return Response::json(200, to_json(*latest));
              },
              .summary = "The latest signed checkpoint"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/public/record/checkpoints",
              .handler = [&db](Request& req) { return list_checkpoints_response(db, req); },
              .summary = "Signed checkpoints, newest first"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/public/record/key",
              .handler = [s](Request&) -> Result<Response> {
                const auto& key = s->deps().public_key;
                if (!key) return fail(ErrorCode::kRecordNoPublicKey);
                return Response::json(200, key_json(*key));
              },
              .summary = "The public key that signs the checkpoints"});
  return state;
}

}  // namespace xzzf::record
