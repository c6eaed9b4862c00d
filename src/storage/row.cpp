#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "storage/database.hpp"

namespace xzzf::storage {
namespace {

// A row that does not fit the schema its reader expects: a bug, not input.
[[noreturn]] void broken_invariant(std::string_view what, std::size_t column) {
  std::fputs(fmt::format("xzzf storage: {} (column {})\n", what, column).c_str(), stderr);
  std::abort();
}

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

const Value& Row::value(std::size_t i) const {
  if (i >= values_.size()) broken_invariant("column index out of range", i);
  return values_[i];
}

bool Row::is_null(std::size_t i) const {
  return value(i).is_null();
}

std::int64_t Row::i64(std::size_t i) const {
  return std::visit(
      Overloaded{
          [&](std::monostate) -> std::int64_t { broken_invariant("NULL read as an integer", i); },
          [](std::int64_t v) { return v; },
          [&](double v) -> std::int64_t {
            // 2^63 is exact as a double; anything at or above it does not fit.
            constexpr double kLimit = 9223372036854775808.0;
            if (std::trunc(v) != v || v < -kLimit || v >= kLimit) {
              broken_invariant("a fraction read as an integer", i);
            }
            return static_cast<std::int64_t>(v);
          },
          [&](const std::string& s) -> std::int64_t {
            std::int64_t v = 0;
            auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
            if (s.empty() || ec != std::errc{} || ptr != s.data() + s.size()) {
              broken_invariant("text that is not an integer read as an integer", i);
            }
            return v;
          },
      },
      value(i).variant());
}

std::optional<std::int64_t> Row::opt_i64(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return i64(i);
}

double Row::f64(std::size_t i) const {
  return std::visit(
      Overloaded{
          [&](std::monostate) -> double { broken_invariant("NULL read as a number", i); },
          [](std::int64_t v) { return static_cast<double>(v); },
          [](double v) { return v; },
          [&](const std::string& s) -> double {
            double v = 0;
            auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
            if (s.empty() || ec != std::errc{} || ptr != s.data() + s.size()) {
              broken_invariant("text that is not a number read as a number", i);
            }
            return v;
          },
      },
      value(i).variant());
}

std::string Row::text(std::size_t i) const {
  return std::visit(
      Overloaded{
          [&](std::monostate) -> std::string { broken_invariant("NULL read as text", i); },
          [](std::int64_t v) { return std::to_string(v); },
          [](double v) { return fmt::format("{}", v); },
          [](const std::string& s) { return s; },
      },
      value(i).variant());
}

std::optional<std::string> Row::opt_text(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return text(i);
}

Result<std::optional<Row>> Tx::query_one(std::string_view sql, const Params& params) {
  auto rows = query(sql, params);
  if (!rows) return tl::unexpected(std::move(rows.error()));
  if (rows->empty()) return std::optional<Row>{};
  return std::optional<Row>{std::move(rows->front())};
}

}  // namespace xzzf::storage
