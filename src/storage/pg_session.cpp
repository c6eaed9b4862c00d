// PostgreSQL through SOCI's postgresql backend; transaction control and
// migration scripts go through libpq directly, which reports the SQLSTATE and
// whether the connection survived.

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <fmt/format.h>

#include <ctime>
#include <limits>
#include <string>

#include "storage/internal/errors.hpp"
#include "storage/internal/session.hpp"
#include "storage/internal/sql.hpp"

namespace xzzf::storage::internal {
namespace {

// A connection failure as one line: libpq explains it over several.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

// The native handle. SOCI does not export its backends' type information,
// which UBSan's vptr check would need to verify the downcast.
__attribute__((no_sanitize("vptr"))) PGconn* native_handle(soci::session& session) {
  return static_cast<soci::postgresql_session_backend*>(session.get_backend())->conn_;
}

// NOTICE messages ("table … does not exist, skipping") would go to stderr.
void ignore_notice(void* /*arg*/, const char* /*message*/) {}

class PgSession final : public Session {
 public:
  explicit PgSession(soci::session& session) : session_(session) {}

  void setup() { PQsetNoticeProcessor(handle(), ignore_notice, nullptr); }

  [[nodiscard]] Dialect dialect() const override { return Dialect::kPostgres; }

  Result<std::int64_t> exec(std::string_view sql, const Params& params) override {
    std::int64_t changed = 0;
    auto r = run_statement(sql, params, nullptr, &changed);
    if (!r) return tl::unexpected(r.error());
    return changed;
  }

  Result<std::vector<Row>> query(std::string_view sql, const Params& params) override {
    std::vector<Row> rows;
    auto r = run_statement(sql, params, &rows, nullptr);
    if (!r) return tl::unexpected(r.error());
    return rows;
  }

  Result<std::int64_t> insert(std::string_view sql, const Params& params,
                              std::string_view id_column) override {
    if (!is_identifier(id_column)) {
      return tl::unexpected(spoil(make_error(ErrorCode::kDbError, field("detail", "id 列名无效"))));
    }
    std::string text(trim_statement_end(sql));
    text += " RETURNING ";
    text += id_column;
    auto rows = query(text, params);
    if (!rows) return tl::unexpected(rows.error());
    if (rows->size() != 1) {
      return tl::unexpected(spoil(
          make_error(ErrorCode::kDbError,
                     field("detail", "INSERT 插入了 " + std::to_string(rows->size()) + " 行"))));
    }
    return rows->front().i64(0);
  }

  bool broken() override { return lost_ || PQstatus(handle()) != CONNECTION_OK; }

  Result<void> reconnect() override {
    try {
      session_.reconnect();
    } catch (const soci::soci_error& e) {
      return fail(ErrorCode::kDbUnavailable, field("detail", one_line(e.get_error_message())));
    }
    lost_ = false;
    setup();
    return {};
  }

  Result<void> begin(TxKind kind) override {
    clear_spoiled();
    // Reads see one snapshot (REPEATABLE READ) and cannot write; a read-only
    // REPEATABLE READ transaction never fails to serialize.
    return native(
        kind == TxKind::kWrite ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        "BEGIN");
  }

  // An aborted transaction answers COMMIT with ROLLBACK and no error: the tag
  // is checked so that a lost commit is never reported as done.
  Result<void> commit() override { return native("COMMIT", "COMMIT"); }

  void rollback() noexcept override {
    if (PQtransactionStatus(handle()) == PQTRANS_IDLE) return;
    if (!native("ROLLBACK", nullptr)) lost_ = true;
  }

  Result<void> exec_script(std::string_view sql) override {
    auto r = native(std::string(sql).c_str(), nullptr);
    if (!r) return tl::unexpected(spoil(r.error()));
    return {};
  }

 private:
  PGconn* handle() { return native_handle(session_); }

  Error lost(std::string_view detail) {
    lost_ = true;
    return make_error(ErrorCode::kDbUnavailable, field("detail", std::string(detail)));
  }

  // Runs `sql` with PQexec; `tag`, when given, is the command tag that success
  // must report.
  Result<void> native(const char* sql, const char* tag) {
    PGresult* res = PQexec(handle(), sql);
    if (res == nullptr) return tl::unexpected(lost(pg_primary_message(PQerrorMessage(handle()))));
    const ExecStatusType status = PQresultStatus(res);
    Result<void> out;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
      const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
      const std::string sqlstate = state != nullptr ? state : "";
      const std::string message =
          primary != nullptr ? std::string(primary) : pg_primary_message(PQerrorMessage(handle()));
      if (pg_connection_lost(sqlstate) || PQstatus(handle()) != CONNECTION_OK) lost_ = true;
      out = tl::unexpected(pg_error(sqlstate, message));
    } else if (tag != nullptr && std::string_view(PQcmdStatus(res)) != tag) {
      out = fail(ErrorCode::kDbError,
                 field("detail", fmt::format("{} 返回了 {}", tag, PQcmdStatus(res))));
    }
    PQclear(res);
    return out;
  }

  // One statement through SOCI: `?` rewritten to named placeholders, each
  // value bound with an indicator for NULL. Rows go to `rows` when given.
  Result<void> run_statement(std::string_view sql, const Params& params, std::vector<Row>* rows,
                             std::int64_t* changed) {
    if (auto ok = check_params(params); !ok) return tl::unexpected(spoil(ok.error()));
    RewrittenSql rewritten = rewrite_placeholders(sql);
    // Without parameters SOCI sends the text with PQexec, which would run
    // several statements: refuse them as SQLite and PQexecParams do.
    if (rewritten.several_statements) {
      return tl::unexpected(
          spoil(make_error(ErrorCode::kDbError, field("detail", "每次调用只能执行一条语句"))));
    }
    if (rewritten.placeholders != params.size()) {
      return tl::unexpected(spoil(make_error(
          ErrorCode::kDbError,
          field("detail", "语句有 " + std::to_string(rewritten.placeholders) + " 个占位符，给出 " +
                              std::to_string(params.size()) + " 个参数"))));
    }
    // SOCI keeps references to what it binds: every holder stays put while
    // the statement runs.
    const std::size_t n = params.size();
    std::vector<long long> ints(n);
    std::vector<double> reals(n);
    std::vector<std::string> texts(n);
    std::vector<soci::indicator> indicators(n, soci::i_ok);
    std::vector<std::string> names(n);
    try {
      soci::statement st(session_);
      soci::row row;
      if (rows != nullptr) st.exchange(soci::into(row));
      for (std::size_t i = 0; i < n; ++i) {
        names[i] = "p" + std::to_string(i + 1);
        const auto& v = params[i].variant();
        if (const auto* i64 = std::get_if<std::int64_t>(&v)) {
          ints[i] = *i64;
          st.exchange(soci::use(ints[i], indicators[i], names[i]));
        } else if (const auto* d = std::get_if<double>(&v)) {
          reals[i] = *d;
          st.exchange(soci::use(reals[i], indicators[i], names[i]));
        } else if (const auto* s = std::get_if<std::string>(&v)) {
          texts[i] = *s;
          st.exchange(soci::use(texts[i], indicators[i], names[i]));
        } else {
          indicators[i] = soci::i_null;
          st.exchange(soci::use(texts[i], indicators[i], names[i]));
        }
      }
      st.alloc();
      st.prepare(rewritten.text, soci::details::st_one_time_query);
      st.define_and_bind();
      bool got = st.execute(true);
      if (changed != nullptr) *changed = st.get_affected_rows();
      if (rows != nullptr) {
        while (got) {
          auto converted = convert(row);
          if (!converted) return tl::unexpected(spoil(converted.error()));
          rows->push_back(std::move(*converted));
          got = st.fetch();
        }
      }
    } catch (const soci::postgresql_soci_error& e) {
      const std::string sqlstate = e.sqlstate();
      if (pg_connection_lost(sqlstate) || PQstatus(handle()) != CONNECTION_OK) lost_ = true;
      return tl::unexpected(spoil(pg_error(sqlstate, pg_primary_message(e.get_error_message()))));
    } catch (const soci::soci_error& e) {
      // SOCI's own message, without the context it appends (which quotes the
      // bound values).
      if (PQstatus(handle()) != CONNECTION_OK) {
        return tl::unexpected(spoil(lost(pg_primary_message(e.get_error_message()))));
      }
      return tl::unexpected(spoil(make_error(
          ErrorCode::kDbError, field("detail", pg_primary_message(e.get_error_message())))));
    }
    return {};
  }

  static Result<Row> convert(const soci::row& row) {
    std::vector<Value> values;
    values.reserve(row.size());
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (row.get_indicator(i) == soci::i_null) {
        values.emplace_back();
        continue;
      }
      switch (row.get_properties(i).get_data_type()) {
        case soci::dt_string:
          values.emplace_back(row.get<std::string>(i));
          break;
        case soci::dt_integer:
          values.emplace_back(row.get<int>(i));
          break;
        case soci::dt_long_long:
          values.emplace_back(row.get<long long>(i));
          break;
        case soci::dt_unsigned_long_long: {
          const unsigned long long v = row.get<unsigned long long>(i);
          if (v > static_cast<unsigned long long>(std::numeric_limits<long long>::max())) {
            return fail(ErrorCode::kDbError, field("detail", "无符号整数超出 int64 范围"));
          }
          values.emplace_back(static_cast<long long>(v));
          break;
        }
        case soci::dt_double:
          values.emplace_back(row.get<double>(i));
          break;
        case soci::dt_date: {
          const std::tm t = row.get<std::tm>(i);
          values.emplace_back(fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", t.tm_year + 1900,
                                          t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec));
          break;
        }
        default:
          return fail(ErrorCode::kDbError,
                      field("detail", "不支持的列类型：" + row.get_properties(i).get_name()));
      }
    }
    return Row(std::move(values));
  }

  soci::session& session_;
  bool lost_ = false;
};

}  // namespace

Result<std::unique_ptr<Session>> open_pg_session(soci::session& session, const DbUrl& url) {
  try {
    session.open(soci::postgresql, url.pg_conninfo);
  } catch (const soci::soci_error& e) {
    return fail(ErrorCode::kDbUnavailable, field("detail", one_line(e.get_error_message())));
  }
  auto s = std::make_unique<PgSession>(session);
  s->setup();
  return std::unique_ptr<Session>(std::move(s));
}

}  // namespace xzzf::storage::internal
