#include "core/time.hpp"

#include <fmt/format.h>

#include <charconv>

namespace xzzf {

namespace chr = std::chrono;

namespace {

bool parse_digits(std::string_view s, int& out) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && ptr == s.data() + s.size();
}

chr::sys_days shanghai_day(Instant at, chr::seconds& second_of_day) {
  chr::sys_time<chr::microseconds> utc{chr::microseconds{at.micros}};
  auto local = utc + kShanghaiOffset;
  auto day = chr::floor<chr::days>(local);
  second_of_day = chr::floor<chr::seconds>(local - day);
  return day;
}

}  // namespace

Result<Date> Date::parse(std::string_view text) {
  int y = 0;
  int m = 0;
  int d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      !parse_digits(text.substr(0, 4), y) || !parse_digits(text.substr(5, 2), m) ||
      !parse_digits(text.substr(8, 2), d)) {
    return fail(ErrorCode::kDateInvalid, field("text", std::string(text)));
  }
  chr::year_month_day ymd{chr::year{y}, chr::month{static_cast<unsigned>(m)},
                          chr::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return fail(ErrorCode::kDateInvalid, field("text", std::string(text)));
  return Date{ymd};
}

Date Date::of(Instant at) {
  chr::seconds unused{};
  return Date{chr::year_month_day{shanghai_day(at, unused)}};
}

std::string Date::to_string() const {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd_.year()),
                     static_cast<unsigned>(ymd_.month()), static_cast<unsigned>(ymd_.day()));
}

Date Date::plus_days(int days) const {
  return Date{chr::year_month_day{chr::sys_days{ymd_} + chr::days{days}}};
}

Date Date::plus_years(int years) const {
  chr::year_month_day next = ymd_ + chr::years{years};
  if (!next.ok()) next = chr::year_month_day{next.year(), next.month(), chr::day{28}};
  return Date{next};
}

chr::weekday Date::weekday() const {
  return chr::weekday{chr::sys_days{ymd_}};
}

int Date::days_since_epoch() const {
  return static_cast<int>(chr::sys_days{ymd_}.time_since_epoch().count());
}

Instant Date::start() const {
  const auto midnight_utc = chr::sys_days{ymd_} - kShanghaiOffset;
  return Instant{chr::duration_cast<chr::microseconds>(midnight_utc.time_since_epoch()).count()};
}

std::string format_shanghai_iso8601(Instant at) {
  chr::seconds sod{};
  Date date{chr::year_month_day{shanghai_day(at, sod)}};
  chr::hh_mm_ss<chr::seconds> hms{sod};
  return fmt::format("{}T{:02}:{:02}:{:02}+08:00", date.to_string(), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count());
}

Instant SystemClock::now() const {
  auto since = chr::system_clock::now().time_since_epoch();
  return Instant{chr::duration_cast<chr::microseconds>(since).count()};
}

}  // namespace xzzf
