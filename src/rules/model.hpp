#pragma once

// Rule sets (规则集): the statutory values xzzf applies — two officers, hearing
// and major-penalty thresholds, day counts — each version with the article it
// comes from and the days it is in force (ARCHITECTURE.md principle 3). Plain
// values, safe to copy between threads; dates are "YYYY-MM-DD" text in
// Asia/Shanghai, amounts in fen.
//
// Where a value holds: a version is set by one level — national law
// (region_code "000000"), a province, a city, a county or a township (their
// 行政区划代码) — and is inherited downward. A version may be limited to one
// 执法领域 (`sector`): a national sector standard set by a State Council
// department, which overrides the province for its sector (e.g. 河南省人民政府令
// 第204号 第四条第二款). Lookup order for a key, a jurisdiction, a sector and a
// date, among the versions in force on that date:
//   1. versions for the sector before versions for every sector;
//   2. then the nearest level: township, county, city, province, national.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/regions.hpp"

namespace xzzf::rules {

// Units a rule's value is counted in.
//   fen           money, 1/100 yuan
//   days          calendar days (a period ending on a holiday ends on the next working day)
//   working_days  working days (行政处罚法 第八十五条: 法定节假日 excluded)
//   persons       a number of people
//   years         whole years
[[nodiscard]] bool is_unit(std::string_view unit);
// Units that may replace each other in an amendment (days ↔ working_days).
[[nodiscard]] bool same_unit_family(std::string_view a, std::string_view b);
// "5000 元", "90 日", "5 个工作日", "2 人", "2 年".
[[nodiscard]] std::string format_value(std::int64_t value, std::string_view unit);

// One key of the catalog (shipped with xzzf; keys are what the code consumes).
struct RuleKey {
  std::string key;   // "hearing.fine_threshold.citizen"
  std::string name;  // 听证标准：对公民的罚款
  std::string unit;  // the usual unit; a version may say days where the key says working_days
  std::string description;
};

// One version of one rule.
struct Rule {
  std::int64_t id = 0;
  std::string key;
  std::string name;  // of the key
  std::string region_code;
  std::string region_name;  // 全国, 河南省, 永城市 …
  std::string sector;       // "" for every sector
  std::int64_t value = 0;
  std::string unit;
  std::string effective_from;
  std::optional<std::string> effective_to;  // exclusive; empty while in force
  std::string norm;     // 《中华人民共和国行政处罚法》（2021年修订）
  std::string article;  // 第五十一条
  std::string note;
  bool confirmed = true;  // false: the source could not be confirmed (the note says so)
  std::optional<std::string> shipped_id;
  std::string reason;
  std::optional<std::int64_t> created_by;
  std::int64_t created_at_us = 0;

  // "《中华人民共和国行政处罚法》（2021年修订）第五十一条": the `basis` of a
  // refusal built from this rule.
  [[nodiscard]] std::string citation() const { return norm + article; }
  [[nodiscard]] bool in_force_on(std::string_view date) const {
    return effective_from <= date && (!effective_to || date < *effective_to);
  }
};

// A rule as a lookup found it for a jurisdiction, sector and date.
struct RuleInForce {
  Rule rule;
  bool inherited = false;  // set by a level above the asked jurisdiction
};

// A new version from a legal office (POST /rules/{key}).
struct RuleAmendment {
  std::optional<std::int64_t> jurisdiction_id;  // empty: national (a deployment-wide caller only)
  std::string sector;                           // "" every sector
  std::int64_t value = 0;
  std::optional<std::string> unit;  // the key's unit when absent
  std::string effective_from;
  std::string norm;
  std::string article;
  std::string note;
  std::string reason;
  // A date before today changes how past acts were judged: refused unless
  // the amendment says it records a rule already in force then (补录).
  bool retroactive = false;
};

// What the rules in force are asked for.
struct RuleQuery {
  std::optional<std::int64_t> jurisdiction_id;  // the caller's when absent
  std::string sector;
  std::string date;  // today when empty
};

// A jurisdiction's own day off or working day (calendar_days).
struct LocalDay {
  std::int64_t id = 0;
  std::int64_t jurisdiction_id = 0;
  std::string jurisdiction_name;
  std::string day;
  std::string kind;  // holiday, workday
  std::string name;
  std::int64_t created_at_us = 0;
};

struct NewLocalDay {
  std::int64_t jurisdiction_id = 0;
  std::string day;
  std::string kind;
  std::string name;
};

}  // namespace xzzf::rules
