#include "core/money.hpp"

#include <fmt/format.h>

#include <limits>

namespace xzzf {

Result<Money> Money::parse_yuan(std::string_view text) {
  auto invalid = [&] { return fail(ErrorCode::kMoneyInvalid, field("text", std::string(text))); };
  if (text.empty()) return invalid();
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  std::int64_t whole = 0;
  std::size_t i = 0;
  bool any_digit = false;
  int digits_since_comma = -1;
  for (; i < text.size() && text[i] != '.'; ++i) {
    char c = text[i];
    if (c == ',') {
      // Thousands separators must group exactly three digits.
      if (!any_digit || (digits_since_comma != -1 && digits_since_comma != 3)) return invalid();
      digits_since_comma = 0;
      continue;
    }
    if (c < '0' || c > '9') return invalid();
    if (whole > (kMax / 100 - (c - '0')) / 10) return invalid();
    whole = whole * 10 + (c - '0');
    any_digit = true;
    if (digits_since_comma != -1) ++digits_since_comma;
  }
  if (!any_digit || (digits_since_comma != -1 && digits_since_comma != 3)) return invalid();
  std::int64_t cents = 0;
  if (i < text.size()) {
    std::string_view frac = text.substr(i + 1);
    if (frac.empty() || frac.size() > 2) return invalid();
    for (char c : frac) {
      if (c < '0' || c > '9') return invalid();
    }
    cents = (frac[0] - '0') * 10 + (frac.size() == 2 ? frac[1] - '0' : 0);
  }
  return Money(whole * 100 + cents);
}

std::string Money::to_yuan_string() const {
  std::int64_t abs = fen_ < 0 ? -fen_ : fen_;
  return fmt::format("{}{}.{:02}", fen_ < 0 ? "-" : "", abs / 100, abs % 100);
}

}  // namespace xzzf
