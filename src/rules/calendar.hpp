#pragma once

// The statutory calendar: which days are working days in mainland China, and
// how the law counts a period (DOMAIN.md, "Counting days";
// ARCHITECTURE.md principle 4).
//
// A day is a working day when it is Monday to Friday and not a public holiday
// or adjusted day off, or when it is a weekend day made a working day (调休).
// The national days come from src/rules/data/calendar-cn.tsv (generated from
// the chinese-days package, see docs/calendar.md), compiled into the binary; a
// jurisdiction may add days of its own on top (calendar_days).
//
// Counting, as 行政处罚法 第八十五条 and the general rules on periods have it:
//   - the day of the event never counts;
//   - a period in working days (二日, 三日, 五日, 七日; 工作日) counts working days only;
//   - a period in calendar days counts every day, and when its last day is not
//     a working day it ends on the next working day;
//   - excluded periods (hearing, expert appraisal, public notice …) pause the
//     clock: their days do not count, and a clock still paused has no end yet.
// The data covers 1 January of its first year (2015) through 24 December of
// its last: the last days of December are set by the next year's notice
// (元旦, e.g. 2018-12-29 worked and 2018-12-30/31 off under the 2019 notice),
// so they count only once that year is in the data. A count that needs a day
// outside is refused with calendar.beyond_data: it is never counted as plain
// weekdays.
//
// A Calendar is immutable once built: safe to share between threads.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace xzzf::rules {

// One adjusted day: a holiday on a weekday, a weekend day worked, or a
// holiday on a weekend (kept for its name).
struct CalendarDay {
  Date date;
  bool working = false;
  std::string name;    // 春节, 国庆节, or a jurisdiction's own name for it
  bool local = false;  // a jurisdiction's own day
};

// A period that does not count (听证, 鉴定, 公告 …): its first and last day,
// both excluded; no last day while it goes on.
struct Excluded {
  Date first;
  std::optional<Date> last;
};

enum class PeriodUnit : std::uint8_t { kDays, kWorkingDays };

struct Period {
  int count = 0;
  PeriodUnit unit = PeriodUnit::kDays;
};

// "days" / "working_days"; anything else is not a period.
[[nodiscard]] std::optional<PeriodUnit> parse_period_unit(std::string_view unit);

class Calendar {
 public:
  // The national calendar compiled into the binary, parsed once.
  [[nodiscard]] static const Calendar& national();
  // Parses the data file's format (see the file's header). calendar.data_invalid
  // names the first bad line.
  [[nodiscard]] static Result<Calendar> parse(std::string_view tsv);

  // This calendar with a jurisdiction's own days on top (a local day replaces
  // a national one of the same date). Coverage stays the national one's.
  [[nodiscard]] Calendar with_local(const std::vector<CalendarDay>& days) const;

  [[nodiscard]] int first_year() const { return first_year_; }
  [[nodiscard]] int last_year() const { return last_year_; }
  // The first and the last day the calendar can tell about.
  [[nodiscard]] Date first_day() const;
  [[nodiscard]] Date last_day() const;
  [[nodiscard]] bool covers(Date d) const;

  // calendar.beyond_data outside the covered years.
  [[nodiscard]] Result<bool> is_working_day(Date d) const;
  // The adjusted day, if the data lists one for this date.
  [[nodiscard]] const CalendarDay* adjusted(Date d) const;
  // Every adjusted day of a year, in date order.
  [[nodiscard]] std::vector<CalendarDay> year(int year) const;

  // The Nth working day after `from` (`from` not counted; n = 0 gives `from`).
  // calendar.clock_paused when an excluded period without a last day stops it.
  [[nodiscard]] Result<Date> add_working_days(Date from, int n,
                                              std::span<const Excluded> excluded = {}) const;
  // N calendar days after `from`, moved to the next working day when the last
  // day is not one.
  [[nodiscard]] Result<Date> add_days(Date from, int n,
                                      std::span<const Excluded> excluded = {}) const;
  // The last day of a period that starts with the event on `event`; empty while
  // an excluded period that has no last day holds the clock.
  [[nodiscard]] Result<std::optional<Date>> due(Date event, Period period,
                                                std::span<const Excluded> excluded = {}) const;

 private:
  [[nodiscard]] Result<bool> counts(Date d, PeriodUnit unit,
                                    std::span<const Excluded> excluded) const;
  [[nodiscard]] Error beyond(Date d) const;

  int first_year_ = 0;
  int last_year_ = -1;
  std::unordered_map<int, CalendarDay> days_;  // by days since the epoch
};

// Upper bound of a count (about thirty years of working days): larger counts
// are refused as input errors rather than walked.
inline constexpr int kMaxPeriodCount = 10000;

}  // namespace xzzf::rules
