#pragma once

// Typed integer ids. Rows are keyed by BIGINT; a typed wrapper keeps a user id
// from being passed where a department id is expected. Ids arrive from clients
// as decimal text in paths and are parsed here, strictly.

#include <charconv>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace xzzf {

template <typename Tag>
struct Id {
  std::int64_t value = 0;

  friend constexpr auto operator<=>(Id, Id) = default;
};

// Parses a positive decimal id with no sign, spaces or leading zeros.
[[nodiscard]] inline Result<std::int64_t> parse_id(std::string_view text) {
  std::int64_t v = 0;
  if (text.empty() || text.size() > 18 || text[0] == '0') {
    return fail(ErrorCode::kIdInvalid, field("text", std::string(text)));
  }
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || ptr != text.data() + text.size() || v <= 0) {
    return fail(ErrorCode::kIdInvalid, field("text", std::string(text)));
  }
  return v;
}

template <typename Tag>
[[nodiscard]] Result<Id<Tag>> parse_typed_id(std::string_view text) {
  return parse_id(text).map([](std::int64_t v) { return Id<Tag>{v}; });
}

}  // namespace xzzf
