#pragma once

// Instants and calendar dates as xzzf stores them: an Instant is microseconds
// since the Unix epoch (UTC); a Date is a civil date in Asia/Shanghai, which has
// been a fixed UTC+8 without daylight saving since 1991, so no tz database is
// needed. Clock is the seam through which every module reads the time, so that
// tests can inject a fixed or stepping clock.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace xzzf {

// Microseconds since 1970-01-01T00:00:00Z.
struct Instant {
  std::int64_t micros = 0;

  friend constexpr auto operator<=>(Instant, Instant) = default;
};

// A civil date in Asia/Shanghai.
class Date {
 public:
  constexpr Date() = default;
  explicit constexpr Date(std::chrono::year_month_day ymd) : ymd_(ymd) {}

  // Parses exactly "YYYY-MM-DD" and rejects dates that do not exist.
  [[nodiscard]] static Result<Date> parse(std::string_view text);
  [[nodiscard]] static Date of(Instant at);

  [[nodiscard]] std::string to_string() const;  // "YYYY-MM-DD"
  [[nodiscard]] Date plus_days(int days) const;
  // The same day `years` later (or earlier); 29 February becomes 28 February
  // in a year without it.
  [[nodiscard]] Date plus_years(int years) const;
  [[nodiscard]] std::chrono::weekday weekday() const;
  [[nodiscard]] constexpr std::chrono::year_month_day ymd() const { return ymd_; }
  [[nodiscard]] int days_since_epoch() const;
  // The first instant of this day in Asia/Shanghai (00:00 +08:00).
  [[nodiscard]] Instant start() const;

  friend constexpr auto operator<=>(const Date&, const Date&) = default;

 private:
  std::chrono::year_month_day ymd_{std::chrono::year{1970}, std::chrono::January,
                                   std::chrono::day{1}};
};

// The offset of Asia/Shanghai from UTC.
inline constexpr std::chrono::hours kShanghaiOffset{8};

// "2026-11-28T14:03:05+08:00"
[[nodiscard]] std::string format_shanghai_iso8601(Instant at);

// Where every module gets the current time. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual Instant now() const = 0;
};

class SystemClock final : public Clock {
 public:
  [[nodiscard]] Instant now() const override;
};

// A clock for tests: holds a time that the test sets or advances.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Instant start) : micros_(start.micros) {}
  [[nodiscard]] Instant now() const override { return Instant{micros_.load()}; }
  void set(Instant at) { micros_.store(at.micros); }
  void advance(std::chrono::microseconds by) { micros_.fetch_add(by.count()); }

 private:
  std::atomic<std::int64_t> micros_;
};

}  // namespace xzzf
