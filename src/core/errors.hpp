#pragma once

// The one catalog of errors xzzf can answer with. Each entry has a stable code
// (clients rely on it), a kind (which http/ alone maps to a status) and a zh-CN
// message template with fmt-style named fields, e.g. {limit}.

#include <cstdint>
#include <string_view>

namespace xzzf {

// What went wrong, as far as a client is concerned.
enum class ErrorKind : std::uint8_t {
  kInvalidInput,      // 400
  kUnauthenticated,   // 401
  kForbidden,         // 403
  kNotFound,          // 404
  kMethodNotAllowed,  // 405
  kTimeout,           // 408
  kConflict,          // 409
  kTooLarge,          // 413
  kRuleRefused,       // 422, always with a legal basis
  kUnavailable,       // 503
  kInternal,          // 500
};

// The catalog is assembled from one list per module under core/errors/
// (all.inc includes them), so that modules add codes without touching each
// other's lines. Each list holds X(Name, "code", Kind, "zh-CN message
// template") entries; a site that expands the catalog defines X, includes
// "core/errors/all.inc" and undefines X.

enum class ErrorCode : std::uint16_t {
#define X(name, code, kind, tmpl) k##name,
#include "core/errors/all.inc"
#undef X
};

// The catalog entry of a code.
struct ErrorSpec {
  std::string_view code;
  ErrorKind kind;
  std::string_view message_template;
};

[[nodiscard]] const ErrorSpec& error_spec(ErrorCode code);

// Every catalog entry, in declaration order (for tests and documentation).
[[nodiscard]] std::initializer_list<ErrorCode> all_error_codes();

}  // namespace xzzf
