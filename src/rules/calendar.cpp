#include "rules/calendar.hpp"

#include <spdlog/spdlog.h>
#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "core/embedded.hpp"

namespace xzzf::embedded {
const std::vector<File>& rules_data_files();  // src/rules/data/*, by cmake/embed.cmake
}  // namespace xzzf::embedded

namespace xzzf::rules {
namespace {

using std::chrono::Saturday;
using std::chrono::Sunday;

constexpr std::string_view kCalendarFile = "src/rules/data/calendar-cn.tsv";
// The last day of its last year the data tells about (see calendar.hpp).
constexpr unsigned kLastCoveredDecemberDay = 24;

int year_of(Date d) {
  return static_cast<int>(d.ymd().year());
}

bool is_weekend(Date d) {
  const auto wd = d.weekday();
  return wd == Saturday || wd == Sunday;
}

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const auto tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
    if (tab == std::string_view::npos) return out;
    start = tab + 1;
  }
}

std::optional<int> parse_year(std::string_view text) {
  int v = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || ptr != end || v < 1900 || v > 9999) return std::nullopt;
  return v;
}

bool excluded_day(Date d, std::span<const Excluded> excluded) {
  return std::any_of(excluded.begin(), excluded.end(),
                     [&](const Excluded& e) { return e.first <= d && (!e.last || d <= *e.last); });
}

// An excluded period that has begun by `d` and has no end: the clock stops.
bool open_pause_from(Date d, std::span<const Excluded> excluded) {
  return std::any_of(excluded.begin(), excluded.end(),
                     [&](const Excluded& e) { return !e.last && e.first <= d; });
}

}  // namespace

std::optional<PeriodUnit> parse_period_unit(std::string_view unit) {
  if (unit == "days") return PeriodUnit::kDays;
  if (unit == "working_days") return PeriodUnit::kWorkingDays;
  return std::nullopt;
}

const Calendar& Calendar::national() {
  static const Calendar calendar = [] {
    for (const auto& f : embedded::rules_data_files()) {
      if (f.path != kCalendarFile) continue;
      auto parsed = parse(f.bytes);
      if (!parsed) {
        // The file is checked in and tested: a bad one is a build defect.
        spdlog::critical("{}: {}", kCalendarFile, parsed.error().message);
        std::abort();
      }
      return *std::move(parsed);
    }
    spdlog::critical("{} is not compiled into this binary", kCalendarFile);
    std::abort();
  }();
  return calendar;
}

Result<Calendar> Calendar::parse(std::string_view tsv) {
  Calendar c;
  bool covered = false;
  int line_no = 0;
  auto bad = [&](std::string detail) {
    return fail(ErrorCode::kCalendarDataInvalid, field("line", line_no),
                field("detail", std::move(detail)));
  };
  while (!tsv.empty()) {
    ++line_no;
    const auto nl = tsv.find('\n');
    std::string_view line = tsv.substr(0, nl);
    tsv = nl == std::string_view::npos ? std::string_view() : tsv.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    const auto cols = split_tabs(line);
    if (cols[0] == "covers") {
      if (cols.size() != 3) return bad("covers 行应为：covers<TAB>首年<TAB>末年");
      auto first = parse_year(cols[1]);
      auto last = parse_year(cols[2]);
      if (!first || !last || *first > *last) return bad("年份无效");
      c.first_year_ = *first;
      c.last_year_ = *last;
      covered = true;
      continue;
    }
    if (cols.size() != 3) return bad("应有 3 列：日期、holiday 或 workday、名称");
    auto date = Date::parse(cols[0]);
    if (!date) return bad("日期无效：" + std::string(cols[0]));
    if (cols[1] != "holiday" && cols[1] != "workday") {
      return bad("类型应为 holiday 或 workday：" + std::string(cols[1]));
    }
    if (!covered || year_of(*date) < c.first_year_ || year_of(*date) > c.last_year_) {
      return bad("日期不在 covers 行所述年份内：" + std::string(cols[0]));
    }
    const bool working = cols[1] == "workday";
    if (working && !is_weekend(*date)) return bad("调休上班日应为周末：" + std::string(cols[0]));
    auto [it, inserted] = c.days_.emplace(date->days_since_epoch(),
                                          CalendarDay{*date, working, std::string(cols[2]), false});
    if (!inserted) return bad("日期重复：" + std::string(cols[0]));
  }
  if (!covered)
    return fail(ErrorCode::kCalendarDataInvalid, field("line", 0),
                field("detail", "缺少 covers 行"));
  return c;
}

Calendar Calendar::with_local(const std::vector<CalendarDay>& days) const {
  Calendar c = *this;
  for (const auto& d : days) {
    CalendarDay day = d;
    day.local = true;
    c.days_[d.date.days_since_epoch()] = std::move(day);
  }
  return c;
}

Date Calendar::first_day() const {
  return Date(std::chrono::year{first_year_} / std::chrono::January / 1);
}

Date Calendar::last_day() const {
  return Date(std::chrono::year{last_year_} / std::chrono::December / kLastCoveredDecemberDay);
}

bool Calendar::covers(Date d) const {
  return first_day() <= d && d <= last_day();
}

Error Calendar::beyond(Date d) const {
  return make_error(ErrorCode::kCalendarBeyondData, field("date", d.to_string()),
                    field("first", first_day().to_string()), field("last", last_day().to_string()));
}

Result<bool> Calendar::is_working_day(Date d) const {
  if (!covers(d)) return tl::unexpected(beyond(d));
  if (const auto* a = adjusted(d)) return a->working;
  return !is_weekend(d);
}

const CalendarDay* Calendar::adjusted(Date d) const {
  auto it = days_.find(d.days_since_epoch());
  return it == days_.end() ? nullptr : &it->second;
}

std::vector<CalendarDay> Calendar::year(int y) const {
  std::vector<CalendarDay> out;
  for (const auto& [_, day] : days_) {
    if (year_of(day.date) == y) out.push_back(day);
  }
  std::sort(out.begin(), out.end(),
            [](const CalendarDay& a, const CalendarDay& b) { return a.date < b.date; });
  return out;
}

Result<bool> Calendar::counts(Date d, PeriodUnit unit, std::span<const Excluded> excluded) const {
  if (excluded_day(d, excluded)) return false;
  if (unit == PeriodUnit::kDays) return true;
  return is_working_day(d);
}

Result<std::optional<Date>> Calendar::due(Date event, Period period,
                                          std::span<const Excluded> excluded) const {
  if (period.count < 0 || period.count > kMaxPeriodCount) {
    return fail(ErrorCode::kQueryInvalid, field("name", "add"),
                field("detail", "应为 0 至 " + std::to_string(kMaxPeriodCount) + " 的整数"));
  }
  Date d = event;
  for (int counted = 0; counted < period.count;) {
    d = d.plus_days(1);
    if (open_pause_from(d, excluded)) return std::optional<Date>();
    XZZF_TRY(yes, counts(d, period.unit, excluded));
    if (yes) ++counted;
  }
  if (period.unit == PeriodUnit::kDays && period.count > 0) {
    // The last day falls on a day off: the period ends on the next working
    // day that an excluded period does not hold.
    while (true) {
      if (open_pause_from(d, excluded)) return std::optional<Date>();
      if (!excluded_day(d, excluded)) {
        XZZF_TRY(working, is_working_day(d));
        if (working) break;
      }
      d = d.plus_days(1);
    }
  }
  return std::optional<Date>(d);
}

Result<Date> Calendar::add_working_days(Date from, int n,
                                        std::span<const Excluded> excluded) const {
  XZZF_TRY(d, due(from, Period{n, PeriodUnit::kWorkingDays}, excluded));
  if (!d) return fail(ErrorCode::kCalendarClockPaused);
  return *d;
}

Result<Date> Calendar::add_days(Date from, int n, std::span<const Excluded> excluded) const {
  XZZF_TRY(d, due(from, Period{n, PeriodUnit::kDays}, excluded));
  if (!d) return fail(ErrorCode::kCalendarClockPaused);
  return *d;
}

}  // namespace xzzf::rules
