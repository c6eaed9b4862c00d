#pragma once

// Result<T>: the return type of every fallible call in xzzf (tl::expected).
// An Error carries a catalog code, the rendered zh-CN message and, when a rule
// of law refuses, the legal basis it comes from (e.g.
// "《中华人民共和国行政处罚法》第四十二条").

#include <fmt/args.h>
#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <utility>

#include "core/errors.hpp"

namespace xzzf {

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::optional<std::string> basis;

  [[nodiscard]] const ErrorSpec& spec() const { return error_spec(code); }
  [[nodiscard]] ErrorKind kind() const { return spec().kind; }
  [[nodiscard]] std::string_view code_string() const { return spec().code; }
};

template <typename T>
using Result = tl::expected<T, Error>;

// A named field of a message template: field("limit", 65536).
template <typename V>
struct Field {
  const char* name;
  V value;
};
template <typename V>
Field<V> field(const char* name, V value) {
  return {name, std::move(value)};
}

namespace internal {
std::string render_message(std::string_view tmpl,
                           fmt::dynamic_format_arg_store<fmt::format_context>& args);
}  // namespace internal

// Builds an Error from the catalog, filling the template's named fields.
// A field the template does not name is ignored; a named field that is not
// given renders as the template text, so a missing field never throws.
template <typename... V>
[[nodiscard]] Error make_error(ErrorCode code, Field<V>... fields) {
  fmt::dynamic_format_arg_store<fmt::format_context> args;
  (args.push_back(fmt::arg(fields.name, fields.value)), ...);
  return Error{code, internal::render_message(error_spec(code).message_template, args),
               std::nullopt};
}

// The same, for a refusal by a rule of law, with the article it comes from.
template <typename... V>
[[nodiscard]] Error make_rule_error(ErrorCode code, std::string basis, Field<V>... fields) {
  Error e = make_error(code, std::move(fields)...);
  e.basis = std::move(basis);
  return e;
}

// tl::unexpected shorthand: `return fail(ErrorCode::kIdInvalid, field("text", s));`
template <typename... V>
[[nodiscard]] tl::unexpected<Error> fail(ErrorCode code, Field<V>... fields) {
  return tl::unexpected(make_error(code, std::move(fields)...));
}
inline tl::unexpected<Error> fail(Error e) {
  return tl::unexpected(std::move(e));
}

}  // namespace xzzf

// Inside a function returning a Result: XZZF_TRY(v, expr) evaluates expr (a
// Result) and either binds its value to `v` or returns its error;
// XZZF_CHECK(expr) does the same for a Result<void>.
#define XZZF_TRY(var, expr)                                     \
  auto var##_result = (expr);                                   \
  if (!var##_result) return ::xzzf::fail(var##_result.error()); \
  auto var = std::move(*var##_result)

#define XZZF_CHECK(expr)                         \
  if (auto xzzf_check_ = (expr); !xzzf_check_) { \
    return ::xzzf::fail(xzzf_check_.error());    \
  }
