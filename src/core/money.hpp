#pragma once

// Money as xzzf stores it: a whole number of fen (分, 1/100 yuan) in an int64.
// Amounts of fines and confiscations are never floating point.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace xzzf {

class Money {
 public:
  constexpr Money() = default;
  [[nodiscard]] static constexpr Money fen(std::int64_t fen) { return Money(fen); }
  [[nodiscard]] static constexpr Money yuan(std::int64_t yuan) { return Money(yuan * 100); }

  // Parses yuan as people write them: "5000", "5000.5", "5000.50", "1,000.00".
  // At most two decimals; negative amounts and overflow are refused.
  [[nodiscard]] static Result<Money> parse_yuan(std::string_view text);

  [[nodiscard]] constexpr std::int64_t fen() const { return fen_; }
  // "5000.00" — the canonical form used in documents and exports.
  [[nodiscard]] std::string to_yuan_string() const;

  friend constexpr auto operator<=>(Money, Money) = default;
  friend constexpr Money operator+(Money a, Money b) { return Money(a.fen_ + b.fen_); }

 private:
  explicit constexpr Money(std::int64_t fen) : fen_(fen) {}
  std::int64_t fen_ = 0;
};

}  // namespace xzzf
