#pragma once

// One pooled connection and the transaction running on it. Database keeps one
// Session per slot of its soci::connection_pool; the thread that leased the
// slot is the only one touching the Session until it gives the slot back.

#include <memory>
#include <optional>
#include <string_view>

#include "storage/database.hpp"

namespace soci {
class session;
}

namespace xzzf::storage::internal {

class Session : public Tx {
 public:
  // Whether the connection can no longer be used and must be reopened.
  [[nodiscard]] virtual bool broken() = 0;
  // Reopens the connection and applies its settings again.
  [[nodiscard]] virtual Result<void> reconnect() = 0;

  [[nodiscard]] virtual Result<void> begin(TxKind kind) = 0;
  [[nodiscard]] virtual Result<void> commit() = 0;
  // Never fails: a rollback that cannot run marks the connection broken.
  virtual void rollback() noexcept = 0;

  // Runs a script of several statements (a migration) through the native
  // handle, inside the open transaction.
  [[nodiscard]] virtual Result<void> exec_script(std::string_view sql) = 0;

  // The first error of a statement in the current transaction, if any.
  [[nodiscard]] const std::optional<Error>& spoiled() const { return spoiled_; }

 protected:
  void clear_spoiled() { spoiled_.reset(); }
  // Records a failed statement and passes its error on.
  Error spoil(Error e) {
    if (!spoiled_) spoiled_ = e;
    return e;
  }

 private:
  std::optional<Error> spoiled_;
};

// Open `session` to the database of `url` and wrap it. Failures to connect
// come back as kDbUnavailable.
[[nodiscard]] Result<std::unique_ptr<Session>> open_sqlite_session(
    soci::session& session, const DbUrl& url, const Database::Options& options);
[[nodiscard]] Result<std::unique_ptr<Session>> open_pg_session(soci::session& session,
                                                               const DbUrl& url);

}  // namespace xzzf::storage::internal
