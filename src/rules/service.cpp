#include "rules/service.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "core/sectors.hpp"
#include "rules/repository.hpp"
#include "rules/shipped.hpp"

namespace xzzf::rules {
namespace {

using auth::Permission;
using nlohmann::json;
using storage::Tx;

tl::unexpected<Error> invalid(const char* what, std::string detail) {
  return fail(ErrorCode::kRulesInvalid, field("field", what), field("detail", std::move(detail)));
}

std::optional<std::int64_t> actor_id(const auth::Caller& caller) {
  return caller.user_id != 0 ? std::optional<std::int64_t>(caller.user_id) : std::nullopt;
}

const RuleKey* catalog_key(const std::string& key) {
  return shipped_rules().key(key);
}

Result<const RuleKey*> known_key(const std::string& key) {
  const RuleKey* k = catalog_key(key);
  if (k == nullptr) return fail(ErrorCode::kRulesUnknownKey, field("key", key));
  return k;
}

Result<std::string> valid_date(const std::string& text, const char* what) {
  auto d = Date::parse(text);
  if (!d) return invalid(what, "应为 YYYY-MM-DD 格式的日期：" + text);
  return d->to_string();
}

// Where a lookup looks: the jurisdiction's chain of region codes, or national
// law alone.
struct Levels {
  std::optional<repo::Place> place;
  std::vector<std::string> chain;
  std::string name;  // for messages: 永城市, 全国
};

Result<Levels> levels_of(Tx& tx, std::optional<std::int64_t> jurisdiction_id) {
  Levels l;
  if (!jurisdiction_id) {
    l.chain = {std::string(kNationalRegion)};
    l.name = "全国";
    return l;
  }
  XZZF_TRY(place, repo::place(tx, *jurisdiction_id));
  if (!place) return fail(ErrorCode::kOrgJurisdictionNotFound, field("id", *jurisdiction_id));
  l.chain = place->chain;
  l.name = place->name;
  l.place = std::move(place);
  return l;
}

// The version that applies among those in force (model.hpp): the asked
// sector's before every sector's, then the nearest level.
const Rule* best_of(const std::vector<Rule>& candidates, const std::string& key,
                    const std::string& sector) {
  const Rule* best = nullptr;
  auto rank = [&](const Rule& r) {
    return std::pair<int, int>(!sector.empty() && r.sector == sector ? 1 : 0,
                               region_level(r.region_code));
  };
  for (const auto& r : candidates) {
    if (r.key != key || (!r.sector.empty() && r.sector != sector)) continue;
    if (best == nullptr || rank(r) > rank(*best)) best = &r;
  }
  return best;
}

json rule_payload(const Rule& r) {
  return json{{"key", r.key},
              {"region_code", r.region_code},
              {"sector", r.sector},
              {"value", r.value},
              {"unit", r.unit},
              {"effective_from", r.effective_from},
              {"effective_to", r.effective_to ? json(*r.effective_to) : json(nullptr)},
              {"norm", r.norm},
              {"article", r.article},
              {"note", r.note},
              {"confirmed", r.confirmed}};
}

// The jurisdiction row of a region code, if the deployment has one (for the
// record entry's scope).
Result<std::optional<std::int64_t>> jurisdiction_of_region(Tx& tx, const std::string& code) {
  XZZF_TRY(row, tx.query_one("SELECT id FROM jurisdictions WHERE code = ?", {code}));
  if (!row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(row->i64(0));
}

}  // namespace

// --- Shipped data ---------------------------------------------------------------

Result<int> RuleService::install_shipped() const {
  const auto& shipped = shipped_rules();
  auto run = [&]() -> Result<int> {
    return db_.write([&](Tx& tx) -> Result<int> {
      // The lock first: another process starting at the same time waits here
      // and then finds what the first one loaded (PostgreSQL's READ
      // COMMITTED shows it to the statements after the wait).
      XZZF_CHECK(journal_.hold(tx));
      std::vector<const Rule*> missing;
      for (const auto& v : shipped.versions) {
        XZZF_TRY(exists, repo::shipped_exists(tx, *v.shipped_id));
        if (!exists) missing.push_back(&v);
      }
      if (missing.empty()) return 0;
      const Instant now = clock_.now();
      for (const Rule* v : missing) {
        Rule r = *v;
        r.created_at_us = now.micros;
        XZZF_TRY(line, repo::line(tx, r.key, r.region_code, r.sector));
        json ended = nullptr;
        for (const auto& other : line) {
          if (other.effective_from > r.effective_from) {
            // A later version is already there (an amendment): this one ends where it begins.
            if (!r.effective_to || *r.effective_to > other.effective_from) {
              r.effective_to = other.effective_from;
            }
          } else if (other.effective_from < r.effective_from &&
                     other.in_force_on(r.effective_from)) {
            XZZF_CHECK(repo::end_version(tx, other.id, r.effective_from));
            ended = json{{"id", other.id}, {"effective_to", r.effective_from}};
          } else if (other.effective_from == r.effective_from) {
            return fail(ErrorCode::kRulesVersionOrder, field("name", r.name),
                        field("place", r.region_name), field("date", r.effective_from));
          }
        }
        XZZF_TRY(id, repo::insert(tx, r));
        XZZF_TRY(jurisdiction, jurisdiction_of_region(tx, r.region_code));
        json payload = rule_payload(r);
        payload["shipped_id"] = *r.shipped_id;
        payload["ended_version"] = ended;
        XZZF_CHECK(journal_.record(tx, record::Act{.at = now,
                                                   .jurisdiction_id = jurisdiction,
                                                   .subject_type = "rule",
                                                   .subject_id = id,
                                                   .action = "rule.shipped",
                                                   .payload = std::move(payload)}));
      }
      return static_cast<int>(missing.size());
    });
  };
  auto n = run();
  // Another process started at the same time and installed them first.
  if (!n && n.error().code == ErrorCode::kDbConflict) n = run();
  return n;
}

// --- Lookup ---------------------------------------------------------------------

Result<Rule> RuleService::lookup(Tx& tx, const std::string& key,
                                 std::optional<std::int64_t> jurisdiction_id,
                                 const std::string& sector, const std::string& date) const {
  XZZF_TRY(k, known_key(key));
  XZZF_TRY(day, valid_date(date, "日期"));
  XZZF_TRY(levels, levels_of(tx, jurisdiction_id));
  XZZF_TRY(candidates, repo::versions(tx, levels.chain, key, sector, day));
  const Rule* best = best_of(candidates, key, sector);
  if (best == nullptr) {
    return fail(ErrorCode::kRulesNotInForce, field("name", k->name), field("date", day),
                field("place", levels.name));
  }
  return *best;
}

Result<Rule> RuleService::lookup(const std::string& key,
                                 std::optional<std::int64_t> jurisdiction_id,
                                 const std::string& sector, const std::string& date) const {
  return db_.read([&](Tx& tx) { return lookup(tx, key, jurisdiction_id, sector, date); });
}

const std::vector<RuleKey>& RuleService::keys() const {
  return shipped_rules().keys;
}

std::optional<std::int64_t> RuleService::asked_or_own(const Caller& caller,
                                                      std::optional<std::int64_t> asked) const {
  return asked ? asked : caller.jurisdiction_id;
}

Result<std::vector<RuleInForce>> RuleService::in_force(const Caller& caller,
                                                       const RuleQuery& query) const {
  XZZF_CHECK(caller.require(Permission::kRuleRead));
  if (!query.sector.empty() && !is_sector(query.sector)) {
    return fail(ErrorCode::kOrgUnknownSector, field("sector", query.sector));
  }
  std::string date = query.date;
  if (date.empty()) {
    date = Date::of(clock_.now()).to_string();
  } else {
    XZZF_TRY(d, valid_date(date, "日期"));
    date = d;
  }
  const auto jurisdiction = asked_or_own(caller, query.jurisdiction_id);
  return db_.read([&](Tx& tx) -> Result<std::vector<RuleInForce>> {
    XZZF_TRY(levels, levels_of(tx, jurisdiction));
    XZZF_TRY(candidates, repo::versions(tx, levels.chain, std::nullopt, query.sector, date));
    std::vector<RuleInForce> out;
    for (const auto& k : keys()) {
      const Rule* best = best_of(candidates, k.key, query.sector);
      if (best == nullptr) {
        Rule missing;
        missing.key = k.key;
        missing.name = k.name;
        missing.unit = k.unit;
        out.push_back({std::move(missing), false});
        continue;
      }
      const bool inherited = levels.place ? best->region_code != levels.place->code : false;
      out.push_back({*best, inherited});
    }
    return out;
  });
}

Result<std::vector<Rule>> RuleService::history(const Caller& caller, const std::string& key,
                                               std::optional<std::int64_t> jurisdiction_id) const {
  XZZF_CHECK(caller.require(Permission::kRuleRead));
  XZZF_TRY(k, known_key(key));
  (void)k;
  return db_.read([&](Tx& tx) -> Result<std::vector<Rule>> {
    if (!jurisdiction_id) return repo::all_versions(tx, key);
    XZZF_TRY(levels, levels_of(tx, jurisdiction_id));
    return repo::versions(tx, levels.chain, key, std::nullopt, std::nullopt);
  });
}

// --- Amendment ------------------------------------------------------------------

Result<Rule> RuleService::amend(const Caller& caller, const std::string& key,
                                const RuleAmendment& cmd) const {
  XZZF_CHECK(caller.require(Permission::kRuleManage));
  XZZF_TRY(k, known_key(key));
  Rule r;
  r.key = key;
  r.name = k->name;
  if (cmd.value < 0) return invalid("数值", "不能为负数");
  r.value = cmd.value;
  r.unit = cmd.unit.value_or(k->unit);
  if (!is_unit(r.unit) || !same_unit_family(r.unit, k->unit)) {
    return invalid("单位", "“" + k->name + "”的单位应为 " + k->unit + "：" + r.unit);
  }
  XZZF_TRY(from, valid_date(cmd.effective_from, "施行日期"));
  r.effective_from = from;
  if (!cmd.sector.empty() && !is_sector(cmd.sector)) {
    return fail(ErrorCode::kOrgUnknownSector, field("sector", cmd.sector));
  }
  r.sector = cmd.sector;
  // Rules cite their law: no version without norm and article.
  if (cmd.norm.empty()) return invalid("依据（法律文件）", "不能为空");
  if (cmd.article.empty()) return invalid("依据（条款）", "不能为空");
  if (cmd.reason.empty()) return invalid("修订理由", "不能为空");
  r.norm = cmd.norm;
  r.article = cmd.article;
  r.note = cmd.note;
  r.reason = cmd.reason;
  r.confirmed = true;
  r.created_by = actor_id(caller);
  if (!cmd.jurisdiction_id) {
    // National law is the deployment's, not one legal office's; and its
    // general values change with xzzf's data, when the law changes.
    if (caller.scope.kind() != auth::Scope::Kind::kAll) return fail(ErrorCode::kAuthOutOfScope);
    if (r.sector.empty()) return fail(ErrorCode::kRulesNationalGeneral);
  }
  const Instant now = clock_.now();
  const std::string today = Date::of(now).to_string();
  if (r.effective_from < today && !cmd.retroactive) {
    return fail(ErrorCode::kRulesRetroactive, field("date", r.effective_from),
                field("today", today));
  }
  r.created_at_us = now.micros;
  return db_.write([&](Tx& tx) -> Result<Rule> {
    XZZF_CHECK(journal_.hold(tx));
    if (cmd.jurisdiction_id) {
      XZZF_TRY(place, repo::place(tx, *cmd.jurisdiction_id));
      if (!place)
        return fail(ErrorCode::kOrgJurisdictionNotFound, field("id", *cmd.jurisdiction_id));
      XZZF_CHECK(caller.scope.check(std::nullopt, place->jurisdiction_id));
      if (!place->code_matches_level()) {
        return fail(ErrorCode::kRulesCodeLevel, field("name", place->name),
                    field("code", place->code));
      }
      r.region_code = place->code;
      r.region_name = place->name;
    } else {
      r.region_code = std::string(kNationalRegion);
      r.region_name = "全国";
    }
    XZZF_TRY(line, repo::line(tx, r.key, r.region_code, r.sector));
    json ended = nullptr;
    for (const auto& v : line) {
      if (v.effective_from >= r.effective_from) {
        return fail(ErrorCode::kRulesVersionOrder, field("name", r.name),
                    field("place", r.region_name), field("date", v.effective_from));
      }
      if (v.in_force_on(r.effective_from)) {
        XZZF_CHECK(repo::end_version(tx, v.id, r.effective_from));
        ended = json{{"id", v.id}, {"effective_to", r.effective_from}};
      }
    }
    XZZF_TRY(id, repo::insert(tx, r));
    json payload = rule_payload(r);
    payload["reason"] = r.reason;
    payload["retroactive"] = r.effective_from < today;
    payload["ended_version"] = ended;
    XZZF_CHECK(journal_.record(tx, record::Act{.at = now,
                                               .actor_user_id = actor_id(caller),
                                               .jurisdiction_id = cmd.jurisdiction_id,
                                               .subject_type = "rule",
                                               .subject_id = id,
                                               .action = "rule.amended",
                                               .payload = std::move(payload)}));
    XZZF_TRY(saved, repo::find(tx, id));
    if (!saved) return fail(ErrorCode::kInternal);
    return *saved;
  });
}

// --- Calendar -------------------------------------------------------------------

Result<JurisdictionCalendar> RuleService::calendar(
    Tx& tx, std::optional<std::int64_t> jurisdiction_id) const {
  if (!jurisdiction_id) return JurisdictionCalendar{Calendar::national(), {}};
  XZZF_TRY(place, repo::place(tx, *jurisdiction_id));
  if (!place) return fail(ErrorCode::kOrgJurisdictionNotFound, field("id", *jurisdiction_id));
  // Farthest level first, so that a nearer level's day replaces it.
  std::vector<std::int64_t> ids(place->ancestor_ids.rbegin(), place->ancestor_ids.rend());
  ids.push_back(place->jurisdiction_id);
  XZZF_TRY(days, repo::local_days(tx, ids));
  std::map<std::int64_t, std::size_t> depth;
  for (std::size_t i = 0; i < ids.size(); ++i) depth[ids[i]] = i;
  std::stable_sort(days.begin(), days.end(), [&](const LocalDay& a, const LocalDay& b) {
    return depth[a.jurisdiction_id] < depth[b.jurisdiction_id];
  });
  std::vector<CalendarDay> overlay;
  for (const auto& d : days) {
    auto date = Date::parse(d.day);
    if (!date) continue;  // written through add_local_day only; a hand-edited row is skipped
    overlay.push_back(CalendarDay{*date, d.kind == "workday", d.name, true});
  }
  std::sort(days.begin(), days.end(),
            [](const LocalDay& a, const LocalDay& b) { return a.day < b.day; });
  return JurisdictionCalendar{Calendar::national().with_local(overlay), std::move(days)};
}

Result<JurisdictionCalendar> RuleService::calendar(
    std::optional<std::int64_t> jurisdiction_id) const {
  return db_.read([&](Tx& tx) { return calendar(tx, jurisdiction_id); });
}

Result<JurisdictionCalendar> RuleService::calendar_for(
    const Caller& caller, std::optional<std::int64_t> jurisdiction_id) const {
  XZZF_CHECK(caller.require(Permission::kRuleRead));
  return calendar(asked_or_own(caller, jurisdiction_id));
}

Result<LocalDay> RuleService::add_local_day(const Caller& caller, const NewLocalDay& cmd) const {
  XZZF_CHECK(caller.require(Permission::kRuleManage));
  XZZF_TRY(day, valid_date(cmd.day, "日期"));
  if (cmd.kind != "holiday" && cmd.kind != "workday") {
    return invalid("类型", "应为 holiday（放假）或 workday（上班）：" + cmd.kind);
  }
  if (cmd.name.empty() || cmd.name.size() > 120) return invalid("名称", "应为 1 至 40 个字");
  const Instant now = clock_.now();
  return db_.write([&](Tx& tx) -> Result<LocalDay> {
    XZZF_CHECK(journal_.hold(tx));
    XZZF_TRY(place, repo::place(tx, cmd.jurisdiction_id));
    if (!place) return fail(ErrorCode::kOrgJurisdictionNotFound, field("id", cmd.jurisdiction_id));
    XZZF_CHECK(caller.scope.check(std::nullopt, place->jurisdiction_id));
    if (!place->code_matches_level()) {
      return fail(ErrorCode::kRulesCodeLevel, field("name", place->name),
                  field("code", place->code));
    }
    XZZF_TRY(current, calendar(tx, cmd.jurisdiction_id));
    const Date date = *Date::parse(day);
    XZZF_TRY(working, current.calendar.is_working_day(date));
    if (cmd.kind == "workday") {
      // 法定节假日 never count (行政处罚法 第八十五条); a jurisdiction may add
      // days off, and swap a weekend day, but not work through one of them.
      const CalendarDay* national = Calendar::national().adjusted(date);
      if (national != nullptr && !national->working) {
        return tl::unexpected(make_rule_error(ErrorCode::kRulesLocalWorkdayOnHoliday,
                                              kBasisWorkingDays, field("day", day),
                                              field("name", national->name)));
      }
    }
    for (const auto& d : current.local_days) {
      if (d.day == day && d.jurisdiction_id == cmd.jurisdiction_id) {
        return fail(ErrorCode::kRulesLocalDayExists, field("place", place->name), field("day", day),
                    field("name", d.name));
      }
    }
    if (working == (cmd.kind == "workday")) {
      return invalid("日期", day + (working ? " 已是工作日" : " 已是休息日") + "，无需设定");
    }
    NewLocalDay d = cmd;
    d.day = day;
    XZZF_TRY(id, repo::insert_local_day(tx, d, actor_id(caller), now.micros));
    XZZF_CHECK(journal_.record(
        tx, record::Act{.at = now,
                        .actor_user_id = actor_id(caller),
                        .jurisdiction_id = place->jurisdiction_id,
                        .subject_type = "calendar_day",
                        .subject_id = id,
                        .action = "calendar.day_added",
                        .payload = json{{"day", day}, {"kind", d.kind}, {"name", d.name}}}));
    return LocalDay{.id = id,
                    .jurisdiction_id = place->jurisdiction_id,
                    .jurisdiction_name = place->name,
                    .day = day,
                    .kind = d.kind,
                    .name = d.name,
                    .created_at_us = now.micros};
  });
}

Result<void> RuleService::remove_local_day(const Caller& caller, std::int64_t id) const {
  XZZF_CHECK(caller.require(Permission::kRuleManage));
  const Instant now = clock_.now();
  return db_.write([&](Tx& tx) -> Result<void> {
    XZZF_CHECK(journal_.hold(tx));
    XZZF_TRY(day, repo::find_local_day(tx, id));
    if (!day) return fail(ErrorCode::kRulesLocalDayNotFound, field("id", id));
    XZZF_CHECK(caller.scope.check(std::nullopt, day->jurisdiction_id));
    XZZF_CHECK(repo::remove_local_day(tx, id, actor_id(caller), now.micros));
    XZZF_CHECK(
        journal_.record(tx, record::Act{.at = now,
                                        .actor_user_id = actor_id(caller),
                                        .jurisdiction_id = day->jurisdiction_id,
                                        .subject_type = "calendar_day",
                                        .subject_id = id,
                                        .action = "calendar.day_removed",
                                        .payload = json{{"day", day->day}, {"kind", day->kind}}}));
    return {};
  });
}

}  // namespace xzzf::rules
