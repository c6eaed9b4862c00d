// xzzf_record_bench: the benchmarks of the full-process record (全过程记录),
// QUALITY.md "Benchmarks" 1 and 6. Each prints its figures next to a reference
// measured in the same run on the same machine, and their ratio:
//
//   append  durable record append — one write transaction holding a domain row
//           and RecordLog::append, one commit each — vs a bare single-row insert
//           commit through the same Database (same durability settings),
//           alternating in rounds so that disk noise hits both alike;
//   proofs  RecordLog::inclusion_proof at size N vs plain prepared primary-key
//           SELECTs of the very record_nodes rows the proof reads; every proof
//           is checked with verify_inclusion and its length against RFC 9162;
//   verify  verify_record (record/verify.hpp) vs `openssl speed sha256` on
//           messages of the database's mean entry size;
//   fill    grows a database to N entries through RecordLog::append, many
//           appends per transaction (proofs and verify run it when needed).
//
// A benchmark never fails for being slow: the program exits non-zero only when
// the database cannot be used or a proof does not check out.
//
// The references read the record tables through SQLite's and libpq's own APIs
// on a connection of their own, statements prepared once: they stand for what
// the record's reads can at best cost, so they bypass storage/ on purpose.

#include <fmt/format.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "record/entry.hpp"
#include "record/hash.hpp"
#include "record/log.hpp"
#include "record/merkle.hpp"
#include "record/verify.hpp"
#include "storage/database.hpp"

namespace xzzf::bench {
namespace {

using record::Hash;
using record::HashAlgorithm;
using storage::Database;
using storage::DbUrl;
using storage::Dialect;
using storage::Tx;
using SteadyClock = std::chrono::steady_clock;

double seconds_since(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

double micros_since(SteadyClock::time_point start) {
  return std::chrono::duration<double, std::micro>(SteadyClock::now() - start).count();
}

Error bench_error(std::string detail) {
  return make_error(ErrorCode::kDbError, field("detail", std::move(detail)));
}

int report(const Error& e) {
  fmt::print(stderr, "xzzf_record_bench: {} [{}]\n", e.message, e.code_string());
  return 1;
}

// 12345678 → "12,345,678"
std::string grouped(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string grouped(double x) {
  return grouped(static_cast<std::uint64_t>(std::llround(x)));
}

std::string duration_text(double seconds) {
  const auto s = static_cast<std::uint64_t>(std::llround(seconds));
  if (s < 60) return fmt::format("{:.1f} s", seconds);
  if (s < 3600) return fmt::format("{} min {} s", s / 60, s % 60);
  return fmt::format("{} h {} min", s / 3600, (s % 3600) / 60);
}

// The q-quantile (0 < q ≤ 1) of `values` by the nearest-rank method; sorts them.
double quantile(std::vector<double>& values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

// Where the loops leave what they computed, so that the compiler cannot drop
// the work.
volatile std::uint64_t g_sink = 0;

// SplitMix64: a small, fast generator whose stream depends on the seed alone,
// so that entry i of a database is the same on every machine and every run.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform enough in [0, n) for n far below 2^64.
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  std::int64_t id(std::uint64_t n) { return static_cast<std::int64_t>(below(n) + 1); }

  template <typename T, std::size_t N>
  const T& pick(const std::array<T, N>& items) {
    return items[below(N)];
  }

 private:
  std::uint64_t state_;
};

// ---------------------------------------------------------------------------
// Synthetic acts: what the organization and account modules record — renamed
// departments, granted roles, new power items (职权事项), new accounts — with
// Chinese text and, where a person is concerned, keyed hashes instead of
// personal data (RECORD.md). Payloads come out at 200–280 bytes.

constexpr std::uint64_t kSeed = 20261128;
// 2026-01-01T00:00:00+08:00; filled entries are 2.5 s apart from there.
constexpr std::int64_t kFillStartMicros = 1767196800LL * 1000000;
constexpr std::int64_t kFillStepMicros = 2500000;

constexpr std::array<std::string_view, 8> kCities{"杭州市", "宁波市", "温州市", "绍兴市",
                                                  "湖州市", "嘉兴市", "金华市", "台州市"};
constexpr std::array<std::string_view, 8> kAgencies{
    "市场监督管理局", "生态环境局",     "交通运输局", "综合行政执法局",
    "农业农村局",     "文化广电旅游局", "应急管理局", "卫生健康委员会"};
constexpr std::array<std::string_view, 6> kUnits{
    "综合执法支队第一大队", "综合执法支队第二大队", "法制科", "执法监督科", "办公室", "城区中队"};
constexpr std::array<std::string_view, 5> kRoles{"case_officer", "case_reviewer", "legal_reviewer",
                                                 "department_head", "auditor"};
constexpr std::array<std::string_view, 5> kReasons{
    "机构改革后职能调整，依据市委编办批复变更名称及隶属关系",
    "根据《中华人民共和国行政处罚法》第二十二条调整案件管辖范围",
    "执法证件年审合格，按本部门执法人员管理规定重新授权",
    "岗位调整，原承办人员调离执法岗位，案件移交新承办人员",
    "依据《浙江省综合行政执法条例》第十条划转相关行政处罚事项"};
constexpr std::array<std::string_view, 4> kPowers{
    "对未取得食品经营许可从事食品经营活动的行政处罚",
    "对超过大气污染物排放标准排放大气污染物的行政处罚",
    "对道路运输经营者未按规定维护和检测运输车辆的行政处罚",
    "对生产经营单位未按规定设置安全生产管理机构的行政处罚"};
constexpr std::array<std::string_view, 4> kBases{
    "《中华人民共和国食品安全法》第一百二十二条", "《中华人民共和国大气污染防治法》第九十九条",
    "《中华人民共和国道路运输条例》第七十条", "《中华人民共和国安全生产法》第九十七条"};

std::string department_name(Random& random) {
  return fmt::format("{}{}{}", random.pick(kCities), random.pick(kAgencies), random.pick(kUnits));
}

// 64 hex digits standing for an HMAC of a personal field.
std::string keyed_hash(Random& random) {
  return fmt::format("{:016x}{:016x}{:016x}{:016x}", random.next(), random.next(), random.next(),
                     random.next());
}

// The act `random` picks, at time `at`, about `subject_id` when one is given
// (the id of the domain row just written), else about a random subject.
record::Entry synthetic_act(Random& random, Instant at, std::optional<std::int64_t> subject_id) {
  record::Entry e;
  e.at = at;
  e.actor_user_id = random.id(50000);
  e.jurisdiction_id = random.id(100);
  e.department_id = random.id(3000);
  const std::uint64_t kind = random.below(10);
  if (kind < 3) {
    e.subject_type = "department";
    e.subject_id = subject_id.value_or(random.id(3000));
    e.action = "update";
    e.payload = {{"changes",
                  {{"name", {{"from", department_name(random)}, {"to", department_name(random)}}}}},
                 {"parent_id", random.id(3000)},
                 {"reason", random.pick(kReasons)}};
  } else if (kind < 6) {
    e.subject_type = "user";
    e.subject_id = subject_id.value_or(random.id(50000));
    e.action = "grant_role";
    e.payload = {{"department_id", random.id(3000)},
                 {"role", random.pick(kRoles)},
                 {"scope", "本部门及所属执法队伍"},
                 {"basis", "《行政执法证件管理办法》第八条"},
                 {"reason", random.pick(kReasons)}};
  } else if (kind < 8) {
    e.subject_type = "power_item";
    e.subject_id = subject_id.value_or(random.id(200000));
    e.action = "create";
    e.payload = {{"basis", random.pick(kBases)},
                 {"category", "行政处罚"},
                 {"code", fmt::format("33{:010}", random.below(10000000000ULL))},
                 {"department_id", random.id(3000)},
                 {"name", random.pick(kPowers)}};
  } else {
    e.subject_type = "user";
    e.subject_id = subject_id.value_or(random.id(50000));
    e.action = "create";
    e.payload = {{"department_id", random.id(3000)},
                 {"id_number_hmac", keyed_hash(random)},
                 {"name_hmac", keyed_hash(random)},
                 {"roles", {random.pick(kRoles)}}};
  }
  return e;
}

// Entry i of a filled database.
record::Entry filled_entry(std::uint64_t i) {
  Random random(kSeed ^ (i * 0xD1B54A32D192ED03ULL));
  const Instant at{kFillStartMicros + static_cast<std::int64_t>(i) * kFillStepMicros};
  return synthetic_act(random, at, std::nullopt);
}

Instant wall_now() {
  return Instant{std::chrono::duration_cast<std::chrono::microseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count()};
}

// ---------------------------------------------------------------------------
// The database under test.

struct Target {
  DbUrl url;
  std::unique_ptr<Database> db;
};

Result<Target> open_target(const std::string& url_text) {
  XZZF_TRY(url, DbUrl::parse(url_text));
  XZZF_TRY(db, Database::open(url, Database::Options{}));
  XZZF_CHECK(db->migrate());
  return Target{std::move(url), std::move(db)};
}

Result<std::uint64_t> record_size(Database& db) {
  const record::RecordLog log;
  return db.read([&](Tx& tx) { return log.size(tx); });
}

// Grows the record to `target` entries (entry i being filled_entry(i)) through
// RecordLog::append, `batch` appends per write transaction. Prints progress at
// most every 30 s and the overall rate.
Result<void> fill(Database& db, std::uint64_t target, std::uint64_t batch) {
  XZZF_TRY(size, record_size(db));
  if (size >= target) {
    fmt::print("fill: the database holds {} entries (≥ {}): reused\n", grouped(size),
               grouped(target));
    return {};
  }
  fmt::print("fill: {} → {} entries through RecordLog::append, {} per transaction\n", grouped(size),
             grouped(target), grouped(batch));
  std::fflush(stdout);
  const record::RecordLog log;
  const std::uint64_t start_size = size;
  const auto start = SteadyClock::now();
  auto last_print = start;
  double generate_seconds = 0;
  double commit_seconds = 0;
  std::vector<record::Entry> entries;
  while (size < target) {
    const std::uint64_t n = std::min(batch, target - size);
    const auto generate_start = SteadyClock::now();
    entries.clear();
    entries.reserve(n);
    for (std::uint64_t j = 0; j < n; ++j) entries.push_back(filled_entry(size + j));
    generate_seconds += seconds_since(generate_start);

    const auto batch_start = SteadyClock::now();
    SteadyClock::time_point commit_start;
    XZZF_CHECK(db.write([&](Tx& tx) -> Result<void> {
      for (auto& entry : entries) {
        XZZF_TRY(seq, log.append(tx, std::move(entry)));
        (void)seq;
      }
      commit_start = SteadyClock::now();
      return {};
    }));
    commit_seconds += seconds_since(commit_start);
    const double batch_seconds = seconds_since(batch_start);
    size += n;

    if (seconds_since(last_print) >= 30 || size == target) {
      last_print = SteadyClock::now();
      const double elapsed = seconds_since(start);
      const double rate = static_cast<double>(size - start_size) / elapsed;
      fmt::print(
          "fill: {:>12} entries  last batch {:>7} appends/s  overall {:>7} appends/s  "
          "elapsed {}  ETA {}\n",
          grouped(size), grouped(static_cast<double>(n) / batch_seconds), grouped(rate),
          duration_text(elapsed), duration_text(static_cast<double>(target - size) / rate));
      std::fflush(stdout);
    }
  }
  const double elapsed = seconds_since(start);
  const std::uint64_t added = size - start_size;
  fmt::print(
      "fill: {} appends in {}: {} appends/s (making the entries {}, commits {}, appends the "
      "rest)\n",
      grouped(added), duration_text(elapsed), grouped(static_cast<double>(added) / elapsed),
      duration_text(generate_seconds), duration_text(commit_seconds));
  return {};
}

// ---------------------------------------------------------------------------
// References: the record tables read through the database's own API.

struct ScanFigures {
  std::uint64_t rows = 0;
  std::uint64_t bytes = 0;  // bytes of the values read
};

class NodeReader {
 public:
  virtual ~NodeReader() = default;
  [[nodiscard]] virtual Result<void> begin() = 0;
  [[nodiscard]] virtual Result<void> commit() = 0;
  // The stored hash text of node (level, index) into `hash`.
  [[nodiscard]] virtual Result<void> read(int level, std::uint64_t index, std::string& hash) = 0;
  // Every column of `table`, row by row, in primary-key order.
  [[nodiscard]] virtual Result<ScanFigures> scan(std::string_view table,
                                                 std::string_view order) = 0;
};

class SqliteReader final : public NodeReader {
 public:
  SqliteReader() = default;
  SqliteReader(const SqliteReader&) = delete;
  SqliteReader& operator=(const SqliteReader&) = delete;
  ~SqliteReader() override {
    sqlite3_finalize(begin_);
    sqlite3_finalize(commit_);
    sqlite3_finalize(node_);
    sqlite3_close(db_);
  }

  Result<void> open(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      return tl::unexpected(error("open"));
    }
    XZZF_CHECK(prepare("BEGIN", &begin_));
    XZZF_CHECK(prepare("COMMIT", &commit_));
    return prepare("SELECT hash FROM record_nodes WHERE level = ? AND idx = ?", &node_);
  }

  Result<void> begin() override { return step_done(begin_); }
  Result<void> commit() override { return step_done(commit_); }

  Result<void> read(int level, std::uint64_t index, std::string& hash) override {
    sqlite3_bind_int(node_, 1, level);
    sqlite3_bind_int64(node_, 2, static_cast<sqlite3_int64>(index));
    if (sqlite3_step(node_) != SQLITE_ROW) {
      sqlite3_reset(node_);
      return tl::unexpected(error(fmt::format("node ({}, {})", level, index)));
    }
    hash.assign(reinterpret_cast<const char*>(sqlite3_column_text(node_, 0)),
                static_cast<std::size_t>(sqlite3_column_bytes(node_, 0)));
    sqlite3_reset(node_);
    return {};
  }

  Result<ScanFigures> scan(std::string_view table, std::string_view order) override {
    sqlite3_stmt* st = nullptr;
    XZZF_CHECK(prepare(fmt::format("SELECT * FROM {} ORDER BY {}", table, order), &st));
    ScanFigures figures;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      ++figures.rows;
      const int columns = sqlite3_column_count(st);
      for (int c = 0; c < columns; ++c) {
        if (sqlite3_column_type(st, c) == SQLITE_TEXT) {
          (void)sqlite3_column_text(st, c);
          figures.bytes += static_cast<std::uint64_t>(sqlite3_column_bytes(st, c));
        } else {
          figures.bytes += sizeof(sqlite3_int64);
        }
      }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return tl::unexpected(error("scan"));
    return figures;
  }

 private:
  Error error(std::string_view what) {
    return bench_error(fmt::format("SQLite {}: {}", what, sqlite3_errmsg(db_)));
  }

  Result<void> prepare(const std::string& sql, sqlite3_stmt** st) {
    if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), st, nullptr) !=
        SQLITE_OK) {
      return tl::unexpected(error(sql));
    }
    return {};
  }

  Result<void> step_done(sqlite3_stmt* st) {
    const int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return tl::unexpected(error(sqlite3_sql(st)));
    return {};
  }

  sqlite3* db_ = nullptr;
  sqlite3_stmt* begin_ = nullptr;
  sqlite3_stmt* commit_ = nullptr;
  sqlite3_stmt* node_ = nullptr;
};

class PgReader final : public NodeReader {
 public:
  PgReader() = default;
  PgReader(const PgReader&) = delete;
  PgReader& operator=(const PgReader&) = delete;
  ~PgReader() override { PQfinish(conn_); }

  Result<void> open(const std::string& conninfo) {
    conn_ = PQconnectdb(conninfo.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) return tl::unexpected(error("connect"));
    PGresult* r = PQprepare(
        conn_, "node", "SELECT hash FROM record_nodes WHERE level = $1 AND idx = $2", 2, nullptr);
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) return tl::unexpected(error("prepare"));
    return {};
  }

  Result<void> begin() override {
    return command("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }
  Result<void> commit() override { return command("COMMIT"); }

  Result<void> read(int level, std::uint64_t index, std::string& hash) override {
    const std::string level_text = std::to_string(level);
    const std::string index_text = std::to_string(index);
    const std::array<const char*, 2> values{level_text.c_str(), index_text.c_str()};
    PGresult* r = PQexecPrepared(conn_, "node", 2, values.data(), nullptr, nullptr, 0);
    const bool ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
    if (ok) hash.assign(PQgetvalue(r, 0, 0), static_cast<std::size_t>(PQgetlength(r, 0, 0)));
    PQclear(r);
    if (!ok) return tl::unexpected(error(fmt::format("node ({}, {})", level, index)));
    return {};
  }

  Result<ScanFigures> scan(std::string_view table, std::string_view order) override {
    const std::string sql = fmt::format("SELECT * FROM {} ORDER BY {}", table, order);
    if (PQsendQuery(conn_, sql.c_str()) != 1 || PQsetSingleRowMode(conn_) != 1) {
      return tl::unexpected(error("scan"));
    }
    ScanFigures figures;
    bool ok = true;
    while (PGresult* r = PQgetResult(conn_)) {
      const ExecStatusType status = PQresultStatus(r);
      if (status == PGRES_SINGLE_TUPLE) {
        ++figures.rows;
        for (int c = 0; c < PQnfields(r); ++c) {
          figures.bytes += static_cast<std::uint64_t>(PQgetlength(r, 0, c));
        }
      } else if (status != PGRES_TUPLES_OK) {
        ok = false;
      }
      PQclear(r);
    }
    if (!ok) return tl::unexpected(error("scan"));
    return figures;
  }

 private:
  Error error(std::string_view what) {
    return bench_error(fmt::format("PostgreSQL {}: {}", what, PQerrorMessage(conn_)));
  }

  Result<void> command(const char* sql) {
    PGresult* r = PQexec(conn_, sql);
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) return tl::unexpected(error(sql));
    return {};
  }

  PGconn* conn_ = nullptr;
};

Result<std::unique_ptr<NodeReader>> open_reader(const DbUrl& url) {
  if (url.dialect == Dialect::kSqlite) {
    auto reader = std::make_unique<SqliteReader>();
    XZZF_CHECK(reader->open(url.sqlite_path));
    return std::unique_ptr<NodeReader>(std::move(reader));
  }
  auto reader = std::make_unique<PgReader>();
  XZZF_CHECK(reader->open(url.pg_conninfo));
  return std::unique_ptr<NodeReader>(std::move(reader));
}

// Complete nodes read through a NodeReader; notes each (level, index) asked for
// in `trace` when one is given.
class ReaderSource final : public record::NodeSource {
 public:
  ReaderSource(NodeReader& reader, std::vector<std::pair<int, std::uint64_t>>* trace)
      : reader_(reader), trace_(trace) {}

  [[nodiscard]] Result<Hash> node(int level, std::uint64_t index) const override {
    if (trace_ != nullptr) trace_->emplace_back(level, index);
    XZZF_CHECK(reader_.read(level, index, text_));
    return record::hash_from_hex(text_);
  }

 private:
  NodeReader& reader_;
  std::vector<std::pair<int, std::uint64_t>>* trace_;
  mutable std::string text_;
};

// ---------------------------------------------------------------------------
// 1. Durable append vs bare commit.

struct AppendFlags {
  std::string db;
  int rounds = 5;
  double seconds = 2;
};

struct Series {
  std::vector<double> micros;       // one per commit, all of write()
  std::vector<double> body_micros;  // of which the statements (the rest: BEGIN and COMMIT)
  double seconds = 0;               // time spent committing, all rounds
  [[nodiscard]] double rate() const { return static_cast<double>(micros.size()) / seconds; }
};

int run_append(const AppendFlags& flags) {
  auto target = open_target(flags.db);
  if (!target) return report(target.error());
  Database& db = *target->db;
  const bool pg = db.dialect() == Dialect::kPostgres;
  // The domain rows: one table for the acts the record covers, one for the
  // bare commits, alike.
  for (const char* table : {"bench_acts", "bench_bare"}) {
    auto made = db.write([&](Tx& tx) -> Result<std::int64_t> {
      return tx.exec(
          fmt::format("CREATE TABLE IF NOT EXISTS {} (id {} PRIMARY KEY, name TEXT NOT "
                      "NULL, at_us BIGINT NOT NULL)",
                      table, pg ? "BIGSERIAL" : "INTEGER"));
    });
    if (!made) return report(made.error());
  }
  auto start_size = record_size(db);
  if (!start_size) return report(start_size.error());

  const record::RecordLog log;
  Random random(kSeed);
  std::uint64_t entry_bytes = 0;
  std::uint64_t entries = 0;
  // What the app does for one act: the domain row and its entry, one commit.
  auto record_act = [&](double& body_micros) -> Result<void> {
    const std::string name = department_name(random);
    const Instant at = wall_now();
    return db.write([&](Tx& tx) -> Result<void> {
      const auto body_start = SteadyClock::now();
      XZZF_TRY(id,
               tx.insert("INSERT INTO bench_acts (name, at_us) VALUES (?, ?)", {name, at.micros}));
      record::Entry entry = synthetic_act(random, at, id);
      XZZF_TRY(bytes, record::canonical_bytes(entry));
      entry_bytes += bytes.size();
      ++entries;
      XZZF_TRY(seq, log.append(tx, std::move(entry)));
      (void)seq;
      body_micros = micros_since(body_start);
      return {};
    });
  };
  auto bare_commit = [&](double& body_micros) -> Result<void> {
    const std::string name = department_name(random);
    const Instant at = wall_now();
    return db.write([&](Tx& tx) -> Result<void> {
      const auto body_start = SteadyClock::now();
      XZZF_TRY(id,
               tx.insert("INSERT INTO bench_bare (name, at_us) VALUES (?, ?)", {name, at.micros}));
      (void)id;
      body_micros = micros_since(body_start);
      return {};
    });
  };

  fmt::print("append: {} vs bare commit, {} rounds × {} s each, alternating\n",
             target->url.redacted(), flags.rounds, flags.seconds);
  for (int i = 0; i < 20; ++i) {  // warm-up
    double ignored = 0;
    if (auto r = record_act(ignored); !r) return report(r.error());
    if (auto r = bare_commit(ignored); !r) return report(r.error());
  }
  entry_bytes = 0;
  entries = 0;

  Series record_series;
  Series bare_series;
  std::vector<double> round_ratios;
  auto run_for = [&](auto& op, Series& series) -> Result<std::uint64_t> {
    const auto start = SteadyClock::now();
    std::uint64_t n = 0;
    while (seconds_since(start) < flags.seconds) {
      const auto t = SteadyClock::now();
      double body = 0;
      XZZF_CHECK(op(body));
      series.micros.push_back(micros_since(t));
      series.body_micros.push_back(body);
      ++n;
    }
    series.seconds += seconds_since(start);
    return n;
  };
  for (int round = 0; round < flags.rounds; ++round) {
    // Alternate which goes first, so that neither always follows the other.
    const bool record_first = round % 2 == 0;
    std::uint64_t record_n = 0;
    std::uint64_t bare_n = 0;
    for (int half = 0; half < 2; ++half) {
      const bool record_now = (half == 0) == record_first;
      auto n = record_now ? run_for(record_act, record_series) : run_for(bare_commit, bare_series);
      if (!n) return report(n.error());
      (record_now ? record_n : bare_n) = *n;
    }
    round_ratios.push_back(static_cast<double>(record_n) /
                           static_cast<double>(std::max<std::uint64_t>(bare_n, 1)));
    fmt::print("  round {}: record {:>6.0f} commits/s   bare {:>6.0f} commits/s   ratio {:.2f}\n",
               round + 1, static_cast<double>(record_n) / flags.seconds,
               static_cast<double>(bare_n) / flags.seconds, round_ratios.back());
  }

  auto end_size = record_size(db);
  if (!end_size) return report(end_size.error());
  const double record_rate = record_series.rate();
  const double bare_rate = bare_series.rate();
  const double record_p50 = quantile(record_series.micros, 0.50);
  const double record_p99 = quantile(record_series.micros, 0.99);
  const double bare_p50 = quantile(bare_series.micros, 0.50);
  const double bare_p99 = quantile(bare_series.micros, 0.99);
  const double record_body_p50 = quantile(record_series.body_micros, 0.50);
  const double bare_body_p50 = quantile(bare_series.body_micros, 0.50);
  fmt::print(
      "  entries: mean {:.0f} canonical bytes; tree {} → {} entries\n",
      static_cast<double>(entry_bytes) / static_cast<double>(std::max<std::uint64_t>(entries, 1)),
      grouped(*start_size), grouped(*end_size));
  fmt::print(
      "  record append (row + entry, 1 commit) {:>7.0f} commits/s  p50 {:.2f} ms  p99 {:.2f} ms\n",
      record_rate, record_p50 / 1000, record_p99 / 1000);
  fmt::print(
      "  bare single-row insert commit         {:>7.0f} commits/s  p50 {:.2f} ms  p99 {:.2f} ms\n",
      bare_rate, bare_p50 / 1000, bare_p99 / 1000);
  fmt::print("  statements before COMMIT, p50: record {:.3f} ms, bare {:.3f} ms\n",
             record_body_p50 / 1000, bare_body_p50 / 1000);
  fmt::print("  ratio record/bare: {:.2f} (target >= 0.7); median of the rounds' ratios {:.2f}\n",
             record_rate / bare_rate, quantile(round_ratios, 0.5));
  return 0;
}

// ---------------------------------------------------------------------------
// 2. Inclusion proofs vs bare primary-key reads.

struct ProofFlags {
  std::string db;
  std::uint64_t entries = 10000000;
  std::uint64_t batch = 50000;
  std::uint64_t proofs = 10000;
  int rounds = 5;
};

// The length of PATH(m, D[0:n]) (RFC 9162 §2.1.3.1), from the definition: one
// sibling per split on the way down to the leaf.
std::size_t rfc_path_length(std::uint64_t m, std::uint64_t n) {
  std::size_t length = 0;
  while (n > 1) {
    const std::uint64_t k = std::bit_floor(n - 1);  // largest power of two < n
    if (m < k) {
      n = k;
    } else {
      m -= k;
      n -= k;
    }
    ++length;
  }
  return length;
}

std::size_t ceil_log2(std::uint64_t n) {
  return n <= 1 ? 0 : static_cast<std::size_t>(std::bit_width(n - 1));
}

int run_proofs(const ProofFlags& flags) {
  if (flags.entries == 0 || flags.proofs == 0 || flags.rounds < 1) {
    fmt::print(stderr, "proofs: --entries, --proofs and --rounds must be positive\n");
    return 2;
  }
  auto target = open_target(flags.db);
  if (!target) return report(target.error());
  Database& db = *target->db;
  if (auto filled = fill(db, flags.entries, flags.batch); !filled) return report(filled.error());
  const std::uint64_t n = flags.entries;

  const record::RecordLog log;
  struct TreeFacts {
    HashAlgorithm algorithm;
    Hash root;
  };
  auto facts = db.read([&](Tx& tx) -> Result<TreeFacts> {
    XZZF_TRY(algorithm, log.algorithm(tx));
    XZZF_TRY(root, log.root(tx, n));
    return TreeFacts{algorithm, root};
  });
  if (!facts) return report(facts.error());
  auto reader = open_reader(target->url);
  if (!reader) return report(reader.error());

  Random random(kSeed + 2);
  std::vector<std::uint64_t> seqs(flags.proofs);
  for (auto& seq : seqs) seq = random.below(n);

  // Which nodes each proof reads: from the proof itself, computed by
  // record::inclusion_proof over the reference reader. This pass also warms
  // the caches for the four loops below.
  std::vector<std::vector<std::pair<int, std::uint64_t>>> traces(seqs.size());
  std::vector<std::vector<Hash>> direct_proofs(seqs.size());
  std::uint64_t node_reads = 0;
  for (std::size_t i = 0; i < seqs.size(); ++i) {
    const ReaderSource source(**reader, &traces[i]);
    auto proof = (*reader)->begin().and_then(
        [&] { return record::inclusion_proof(source, seqs[i], n, facts->algorithm); });
    if (!proof) return report(proof.error());
    if (auto c = (*reader)->commit(); !c) return report(c.error());
    direct_proofs[i] = std::move(*proof);
    node_reads += traces[i].size();
  }

  fmt::print("proofs: {} random leaves of the tree of size {} ({}), {} rounds\n",
             grouped(seqs.size()), grouped(n), target->url.redacted(), flags.rounds);
  std::vector<std::vector<Hash>> app_proofs(seqs.size());
  std::vector<double> app_micros;
  std::vector<double> ref_micros;
  double app_seconds = 0;
  double ref_seconds = 0;
  double direct_seconds = 0;
  double tx_seconds = 0;
  std::string hash_text;
  std::uint64_t sink = 0;

  // RecordLog::inclusion_proof, one read transaction per proof as the API
  // answers one request.
  auto app_pass = [&](bool keep) -> Result<void> {
    const auto start = SteadyClock::now();
    for (std::size_t i = 0; i < seqs.size(); ++i) {
      const auto t = SteadyClock::now();
      XZZF_TRY(proof, db.read([&](Tx& tx) { return log.inclusion_proof(tx, seqs[i], n); }));
      app_micros.push_back(micros_since(t));
      sink += proof.size();
      if (keep) app_proofs[i] = std::move(proof);
    }
    app_seconds += seconds_since(start);
    return {};
  };
  // The reference: the very same record_nodes rows by primary key, one
  // prepared SELECT each, in one read transaction per proof.
  auto ref_pass = [&]() -> Result<void> {
    NodeReader& r = **reader;
    const auto start = SteadyClock::now();
    for (const auto& trace : traces) {
      const auto t = SteadyClock::now();
      XZZF_CHECK(r.begin());
      for (const auto& [level, index] : trace) {
        XZZF_CHECK(r.read(level, index, hash_text));
        sink += hash_text.size();
      }
      XZZF_CHECK(r.commit());
      ref_micros.push_back(micros_since(t));
    }
    ref_seconds += seconds_since(start);
    return {};
  };
  // In between: record::inclusion_proof over the reference's reads, i.e. the
  // proof without storage/ and RecordLog around it.
  auto direct_pass = [&]() -> Result<void> {
    NodeReader& r = **reader;
    const ReaderSource source(r, nullptr);
    const auto start = SteadyClock::now();
    for (const std::uint64_t seq : seqs) {
      XZZF_CHECK(r.begin());
      XZZF_TRY(proof, record::inclusion_proof(source, seq, n, facts->algorithm));
      sink += proof.size();
      XZZF_CHECK(r.commit());
    }
    direct_seconds += seconds_since(start);
    return {};
  };
  // And the reference's reads through storage/: one Database::read per proof,
  // one Tx::query_one per node, as RecordLog issues them.
  auto tx_pass = [&]() -> Result<void> {
    const auto start = SteadyClock::now();
    for (const auto& trace : traces) {
      XZZF_CHECK(db.read([&](Tx& tx) -> Result<void> {
        for (const auto& [level, index] : trace) {
          XZZF_TRY(row, tx.query_one("SELECT hash FROM record_nodes WHERE level = ? AND idx = ?",
                                     {level, static_cast<std::int64_t>(index)}));
          if (!row) return tl::unexpected(bench_error("a node is missing"));
          sink += row->text(0).size();
        }
        return {};
      }));
    }
    tx_seconds += seconds_since(start);
    return {};
  };
  for (int round = 0; round < flags.rounds; ++round) {
    for (int k = 0; k < 4; ++k) {
      // Rotate the order from round to round.
      Result<void> r;
      switch ((k + round) % 4) {
        case 0:
          r = app_pass(round == 0);
          break;
        case 1:
          r = ref_pass();
          break;
        case 2:
          r = direct_pass();
          break;
        default:
          r = tx_pass();
          break;
      }
      if (!r) return report(r.error());
    }
  }

  // Every proof: verified against the root from the leaf recomputed from the
  // stored entry, equal to the direct one, and of the RFC's length.
  std::uint64_t failures = 0;
  std::size_t max_length = 0;
  std::uint64_t length_sum = 0;
  auto checked = db.read([&](Tx& tx) -> Result<void> {
    for (std::size_t i = 0; i < seqs.size(); ++i) {
      XZZF_TRY(entry, log.entry(tx, seqs[i]));
      XZZF_TRY(bytes, record::canonical_bytes(entry));
      XZZF_TRY(stored_leaf, log.stored_leaf_hash(tx, seqs[i]));
      const Hash leaf = record::leaf_hash(facts->algorithm, bytes);
      const auto& proof = app_proofs[i];
      const bool ok =
          leaf == stored_leaf && proof == direct_proofs[i] &&
          proof.size() == rfc_path_length(seqs[i], n) && proof.size() <= ceil_log2(n) &&
          record::verify_inclusion(facts->algorithm, seqs[i], n, leaf, proof, facts->root);
      if (!ok && failures++ < 5) {
        fmt::print(stderr, "proofs: the proof of entry {} in size {} does not check out\n", seqs[i],
                   n);
      }
      max_length = std::max(max_length, proof.size());
      length_sum += proof.size();
    }
    return {};
  });
  if (!checked) return report(checked.error());

  const auto total = static_cast<double>(seqs.size()) * flags.rounds;
  const double app_rate = total / app_seconds;
  const double ref_rate = total / ref_seconds;
  const double direct_rate = total / direct_seconds;
  const double tx_rate = total / tx_seconds;
  const double reads_per_proof = static_cast<double>(node_reads) / static_cast<double>(seqs.size());
  const double app_p50 = quantile(app_micros, 0.50);
  const double app_p99 = quantile(app_micros, 0.99);
  const double ref_p50 = quantile(ref_micros, 0.50);
  const double ref_p99 = quantile(ref_micros, 0.99);
  fmt::print(
      "  proof length: max {}, mean {:.1f}; ceil(log2 N) = {}; node reads per proof {:.1f}\n",
      max_length, static_cast<double>(length_sum) / static_cast<double>(seqs.size()), ceil_log2(n),
      reads_per_proof);
  fmt::print(
      "  RecordLog::inclusion_proof (storage/, 1 read tx each) {:>8.0f} proofs/s  p50 {:.0f} µs  "
      "p99 {:.0f} µs\n",
      app_rate, app_p50, app_p99);
  fmt::print("  record::inclusion_proof over prepared SELECTs         {:>8.0f} proofs/s\n",
             direct_rate);
  fmt::print("  the same rows through storage::Tx::query_one          {:>8.0f} proofs/s\n",
             tx_rate);
  fmt::print(
      "  reference: the same rows by prepared SELECT           {:>8.0f} proofs/s  p50 {:.0f} µs  "
      "p99 {:.0f} µs ({} reads/s)\n",
      ref_rate, ref_p50, ref_p99, grouped(ref_rate * reads_per_proof));
  fmt::print("  ratio proofs/reference: {:.2f} (target >= 0.5)\n", app_rate / ref_rate);
  g_sink = g_sink + sink;
  if (failures > 0) {
    fmt::print(stderr, "proofs: {} of {} proofs do not check out\n", failures, seqs.size());
    return 1;
  }
  fmt::print("  all {} proofs verified against the root of size {}, lengths as RFC 9162 PATH\n",
             grouped(seqs.size()), grouped(n));
  return 0;
}

// ---------------------------------------------------------------------------
// 3. Full verification vs openssl speed.

struct VerifyFlags {
  std::string db;
  std::uint64_t entries = 0;  // fill to this size first when > 0
  std::uint64_t batch = 50000;
  int openssl_seconds = 3;
};

// `openssl speed -seconds S -bytes B sha256`: bytes per second (its table
// gives thousands of bytes per second, "k" being 1000).
Result<double> openssl_speed(std::uint64_t bytes, int seconds) {
  const std::string command =
      fmt::format("openssl speed -seconds {} -bytes {} sha256 2>/dev/null", seconds, bytes);
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return tl::unexpected(bench_error("cannot run " + command));
  std::string output;
  std::array<char, 4096> buffer{};
  std::size_t got = 0;
  while ((got = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    output.append(buffer.data(), got);
  const int status = pclose(pipe);
  // The last line of the table: "sha256   123456.78k".
  const auto line = output.rfind("\nsha256");
  if (status != 0 || line == std::string::npos) {
    return tl::unexpected(bench_error(command + " printed no table:\n" + output));
  }
  const std::string rest = output.substr(line + 7);
  const double kilo = std::strtod(rest.c_str(), nullptr);
  if (kilo <= 0) return tl::unexpected(bench_error("cannot read " + command + ":\n" + output));
  return kilo * 1000;
}

// record::leaf_hash over the canonical bytes of filled entries, in memory: the
// hashing alone, as the record calls OpenSSL.
double leaf_hash_rate(HashAlgorithm algorithm, double seconds) {
  std::vector<std::string> messages;
  for (std::uint64_t i = 0; i < 10000; ++i) {
    auto bytes = record::canonical_bytes(filled_entry(i));
    if (bytes) messages.push_back(std::move(*bytes));
  }
  std::uint64_t hashed = 0;
  std::uint8_t sink = 0;
  const auto start = SteadyClock::now();
  while (seconds_since(start) < seconds) {
    for (const auto& m : messages) {
      sink ^= record::leaf_hash(algorithm, m)[0];
      hashed += m.size();
    }
  }
  g_sink = g_sink + sink;
  return static_cast<double>(hashed) / seconds_since(start);
}

int run_verify(const VerifyFlags& flags) {
  auto target = open_target(flags.db);
  if (!target) return report(target.error());
  Database& db = *target->db;
  if (flags.entries > 0) {
    if (auto filled = fill(db, flags.entries, flags.batch); !filled) {
      return report(filled.error());
    }
  }
  const record::RecordLog log;
  auto algorithm = db.read([&](Tx& tx) { return log.algorithm(tx); });
  if (!algorithm) return report(algorithm.error());
  fmt::print("verify: verify_record over {}\n", target->url.redacted());
  std::fflush(stdout);

  record::VerifyOptions options;
  auto last_print = SteadyClock::now();
  options.progress = [&](std::uint64_t done, std::uint64_t total) {
    if (seconds_since(last_print) < 30) return;
    last_print = SteadyClock::now();
    fmt::print("verify: {} / {} entries\n", grouped(done), grouped(total));
    std::fflush(stdout);
  };
  const auto start = SteadyClock::now();
  auto verified = record::verify_record(db, options);
  const double wall = seconds_since(start);
  if (!verified) return report(verified.error());
  const record::VerifyReport& r = *verified;
  if (r.entries == 0 || r.seconds <= 0) {
    fmt::print(stderr, "verify: nothing verified ({} entries in {} s)\n", r.entries, r.seconds);
    return 1;
  }
  const double mean_size = static_cast<double>(r.bytes_hashed) / static_cast<double>(r.entries);
  const auto message_size = static_cast<std::uint64_t>(std::llround(mean_size));
  const double byte_rate = static_cast<double>(r.bytes_hashed) / r.seconds;
  const double entry_rate = static_cast<double>(r.entries) / r.seconds;

  auto openssl = openssl_speed(message_size, flags.openssl_seconds);
  if (!openssl) return report(openssl.error());
  const double in_process = leaf_hash_rate(*algorithm, flags.openssl_seconds);

  // The reading floor: every stored column of both tables, once, in order.
  auto reader = open_reader(target->url);
  if (!reader) return report(reader.error());
  const auto scan_start = SteadyClock::now();
  auto entries_scan =
      (*reader)->begin().and_then([&] { return (*reader)->scan("record_entries", "seq"); });
  if (!entries_scan) return report(entries_scan.error());
  auto nodes_scan = (*reader)->scan("record_nodes", "level, idx");
  if (!nodes_scan) return report(nodes_scan.error());
  if (auto c = (*reader)->commit(); !c) return report(c.error());
  const double scan_seconds = seconds_since(scan_start);

  fmt::print("  report: ok={} entries={} tree_size={} bytes_hashed={} seconds={:.2f} (wall {:.2f})",
             r.ok, grouped(r.entries), grouped(r.tree_size), grouped(r.bytes_hashed), r.seconds,
             wall);
  if (!r.ok) fmt::print(" problem={} first_bad_seq={}", r.problem, r.first_bad_seq.value_or(0));
  fmt::print("\n  mean canonical entry: {:.1f} bytes\n", mean_size);
  fmt::print("  verify_record                        {:>7.1f} MB/s  {:>9} entries/s\n",
             byte_rate / 1e6, grouped(entry_rate));
  fmt::print("  openssl speed sha256 ({} B blocks)   {:>7.1f} MB/s  {:>9} hashes/s\n", message_size,
             *openssl / 1e6, grouped(*openssl / static_cast<double>(message_size)));
  fmt::print("  record::leaf_hash in memory          {:>7.1f} MB/s\n", in_process / 1e6);
  fmt::print(
      "  reading floor: {} entries + {} nodes ({:.0f} MB) scanned in {:.2f} s, {} entries/s\n",
      grouped(entries_scan->rows), grouped(nodes_scan->rows),
      static_cast<double>(entries_scan->bytes + nodes_scan->bytes) / 1e6, scan_seconds,
      grouped(static_cast<double>(entries_scan->rows) / scan_seconds));
  fmt::print("  ratio verify/openssl: {:.2f} (target >= 0.5)\n", byte_rate / *openssl);
  if (!r.ok) {
    fmt::print(stderr, "verify: the record does not verify: {}\n", r.message);
    return 1;
  }
  return 0;
}

int run_fill(const ProofFlags& flags) {
  auto target = open_target(flags.db);
  if (!target) return report(target.error());
  if (auto filled = fill(*target->db, flags.entries, flags.batch); !filled) {
    return report(filled.error());
  }
  return 0;
}

int run(int argc, char** argv) {
  CLI::App app{"The record benchmarks of QUALITY.md (bench/README.md; bench/record.sh runs them)"};
  app.require_subcommand(1);

  AppendFlags append_flags;
  auto* append = app.add_subcommand("append", "Durable record append vs bare single-row commit");
  append->add_option("--db", append_flags.db, "Database URL (created and migrated if needed)")
      ->required();
  append->add_option("--rounds", append_flags.rounds, "Alternating rounds")->capture_default_str();
  append->add_option("--seconds", append_flags.seconds, "Seconds per side per round")
      ->capture_default_str();

  ProofFlags proof_flags;
  auto* proofs = app.add_subcommand("proofs", "Inclusion proofs vs bare primary-key reads");
  auto* fill_cmd = app.add_subcommand("fill", "Grow the record to --entries entries");
  for (auto* cmd : {proofs, fill_cmd}) {
    cmd->add_option("--db", proof_flags.db, "Database URL (created and filled if needed)")
        ->required();
    cmd->add_option("--entries", proof_flags.entries, "Tree size N")->capture_default_str();
    cmd->add_option("--batch", proof_flags.batch, "Appends per transaction while filling")
        ->capture_default_str();
  }
  proofs->add_option("--proofs", proof_flags.proofs, "Random leaves per round")
      ->capture_default_str();
  proofs->add_option("--rounds", proof_flags.rounds, "Rounds")->capture_default_str();

  VerifyFlags verify_flags;
  auto* verify = app.add_subcommand("verify", "Full verification vs openssl speed sha256");
  verify->add_option("--db", verify_flags.db, "Database URL")->required();
  verify->add_option("--entries", verify_flags.entries, "Fill to this size first (0: as it is)")
      ->capture_default_str();
  verify->add_option("--batch", verify_flags.batch, "Appends per transaction while filling")
      ->capture_default_str();
  verify->add_option("--openssl-seconds", verify_flags.openssl_seconds, "openssl speed -seconds")
      ->capture_default_str();

  CLI11_PARSE(app, argc, argv);
  if (append->parsed()) return run_append(append_flags);
  if (proofs->parsed()) return run_proofs(proof_flags);
  if (fill_cmd->parsed()) return run_fill(proof_flags);
  return run_verify(verify_flags);
}

}  // namespace
}  // namespace xzzf::bench

int main(int argc, char** argv) {
  return xzzf::bench::run(argc, argv);
}
