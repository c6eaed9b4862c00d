#pragma once

// One structured access-log line per request: a JSON object with the time,
// request id, client address, method, path (never the query string, which may
// carry personal data), route, status, bytes, milliseconds, and the error code
// and user when there are any. Built with fmt rather than a JSON DOM because it
// runs for every request. Thread-safe.

#include <string>

#include "core/time.hpp"
#include "server/server.hpp"

namespace xzzf::app {

[[nodiscard]] std::string format_access_line(const server::RequestLog& r, Instant at);

// Appends `text` as a JSON string literal: quotes, backslashes and control
// characters escaped, invalid UTF-8 replaced by U+FFFD.
void append_json_string(std::string& out, std::string_view text);

}  // namespace xzzf::app
