#include "rules/routes.hpp"

#include <charconv>
#include <nlohmann/json.hpp>

#include "core/sectors.hpp"
#include "http/json.hpp"
#include "http/params.hpp"

namespace xzzf::rules {
namespace {

using auth::Caller;
using auth::Permission;
using http::Method;
using http::Request;
using http::Response;
using nlohmann::json;
using ServicePtr = std::shared_ptr<const RuleService>;

json to_json(const Rule& r) {
  return {{"id", r.id},
          {"key", r.key},
          {"name", r.name},
          {"region_code", r.region_code},
          {"region_name", r.region_name},
          {"region_level", region_level(r.region_code)},
          {"sector", r.sector},
          {"value", r.value},
          {"unit", r.unit},
          {"display", format_value(r.value, r.unit)},
          {"effective_from", r.effective_from},
          {"effective_to", http::or_null(r.effective_to)},
          {"norm", r.norm},
          {"article", r.article},
          {"citation", r.citation()},
          {"note", r.note},
          {"confirmed", r.confirmed},
          {"shipped", r.shipped_id.has_value()},
          {"reason", r.reason},
          {"created_by", r.created_by ? json(*r.created_by) : json(nullptr)},
          {"created_at", format_shanghai_iso8601(Instant{r.created_at_us})}};
}

json to_json(const RuleKey& k) {
  return {{"key", k.key}, {"name", k.name}, {"unit", k.unit}, {"description", k.description}};
}

json to_json(const LocalDay& d) {
  return {{"id", d.id},
          {"jurisdiction_id", d.jurisdiction_id},
          {"jurisdiction_name", d.jurisdiction_name},
          {"day", d.day},
          {"kind", d.kind},
          {"name", d.name},
          {"created_at", format_shanghai_iso8601(Instant{d.created_at_us})}};
}

tl::unexpected<Error> bad_query(std::string_view name, std::string detail) {
  return fail(ErrorCode::kQueryInvalid, field("name", std::string(name)),
              field("detail", std::move(detail)));
}

Result<Date> query_date(const Request& req, std::string_view name) {
  auto v = req.query_param(name);
  if (!v || v->empty()) return bad_query(name, "缺少日期（YYYY-MM-DD）");
  auto d = Date::parse(*v);
  if (!d) return bad_query(name, "应为 YYYY-MM-DD 格式的日期：" + std::string(*v));
  return *d;
}

Result<int> query_count(const Request& req, std::string_view name) {
  auto v = req.query_param(name);
  const std::string detail = "应为 0 至 " + std::to_string(kMaxPeriodCount) + " 的整数";
  if (!v || v->empty()) return bad_query(name, detail);
  int n = 0;
  const char* end = v->data() + v->size();
  auto [ptr, ec] = std::from_chars(v->data(), end, n);
  if (ec != std::errc() || ptr != end || n < 0 || n > kMaxPeriodCount) {
    return bad_query(name, detail);
  }
  return n;
}

// ?excluded=2024-04-10~2024-04-20,2024-06-01~ : periods that do not count,
// first and last day included; no last day while the period goes on.
Result<std::vector<Excluded>> query_excluded(const Request& req) {
  std::vector<Excluded> out;
  auto v = req.query_param("excluded");
  if (!v || v->empty()) return out;
  std::string_view rest = *v;
  constexpr std::string_view kShape =
      "应为 首日~末日（YYYY-MM-DD~YYYY-MM-DD，进行中的期间省略末日），以逗号分隔";
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const auto tilde = item.find('~');
    if (tilde == std::string_view::npos) return bad_query("excluded", std::string(kShape));
    auto first = Date::parse(item.substr(0, tilde));
    if (!first) return bad_query("excluded", std::string(kShape));
    Excluded e{*first, std::nullopt};
    if (tilde + 1 < item.size()) {
      auto last = Date::parse(item.substr(tilde + 1));
      if (!last || *last < *first) return bad_query("excluded", std::string(kShape));
      e.last = *last;
    }
    out.push_back(e);
    if (out.size() > 50) return bad_query("excluded", "最多 50 个期间");
  }
  return out;
}

Result<std::string> query_sector(const Request& req) {
  std::string sector(req.query_param("sector").value_or(""));
  if (!sector.empty() && !is_sector(sector)) {
    return fail(ErrorCode::kOrgUnknownSector, field("sector", sector));
  }
  return sector;
}

json calendar_span(const Calendar& c) {
  return json{{"first_year", c.first_year()},
              {"last_year", c.last_year()},
              {"first_day", c.first_day().to_string()},
              {"last_day", c.last_day().to_string()}};
}

void register_rule_routes(http::Router& router, const auth::Guard& guard, const ServicePtr& svc) {
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/rules",
              .handler = guard.require(
                  Permission::kRuleRead,
                  [svc](Request& req, const Caller& c) -> Result<Response> {
                    RuleQuery q;
                    XZZF_TRY(jurisdiction, http::query_id(req, "jurisdiction_id"));
                    q.jurisdiction_id = jurisdiction;
                    XZZF_TRY(sector, query_sector(req));
                    q.sector = sector;
                    q.date = std::string(req.query_param("date").value_or(""));
                    XZZF_TRY(items, svc->in_force(c, q));
                    json out = json::array();
                    for (const auto& i : items) {
                      const auto* key = [&]() -> const RuleKey* {
                        for (const auto& k : svc->keys()) {
                          if (k.key == i.rule.key) return &k;
                        }
                        return nullptr;
                      }();
                      json item = key != nullptr ? to_json(*key) : json{{"key", i.rule.key}};
                      item["rule"] = i.rule.id != 0 ? to_json(i.rule) : json(nullptr);
                      item["inherited"] = i.inherited;
                      out.push_back(std::move(item));
                    }
                    return Response::json(200, {{"items", out}, {"total", out.size()}});
                  }),
              .summary = "The rules in force for a jurisdiction, a sector and a date"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/rules/{key}/history",
              .handler = guard.require(
                  Permission::kRuleRead,
                  [svc](Request& req, const Caller& c) -> Result<Response> {
                    const std::string key(req.path_param("key"));
                    XZZF_TRY(jurisdiction, http::query_id(req, "jurisdiction_id"));
                    XZZF_TRY(items, svc->history(c, key, jurisdiction));
                    json out = json::array();
                    for (const auto& r : items) out.push_back(to_json(r));
                    return Response::json(200, {{"items", out}, {"total", out.size()}});
                  }),
              .summary = "Every version of a rule, with citations"});
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/rules/{key}",
              .handler = guard.require(Permission::kRuleManage,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         const std::string key(req.path_param("key"));
                                         XZZF_TRY(body, http::parse_json_object(req.body));
                                         http::ObjectReader r(body);
                                         RuleAmendment cmd;
                                         XZZF_TRY(jurisdiction,
                                                  r.optional_integer("jurisdiction_id"));
                                         XZZF_TRY(sector, r.optional_string("sector"));
                                         XZZF_TRY(value, r.integer("value"));
                                         XZZF_TRY(unit, r.optional_string("unit"));
                                         XZZF_TRY(from, r.string("effective_from"));
                                         XZZF_TRY(norm, r.string("norm"));
                                         XZZF_TRY(article, r.string("article"));
                                         XZZF_TRY(note, r.optional_string("note"));
                                         XZZF_TRY(reason, r.string("reason"));
                                         XZZF_TRY(retroactive, r.optional_boolean("retroactive"));
                                         XZZF_CHECK(r.finish());
                                         cmd.jurisdiction_id = jurisdiction;
                                         cmd.sector = sector.value_or("");
                                         cmd.value = value;
                                         cmd.unit = unit;
                                         cmd.effective_from = from;
                                         cmd.norm = norm;
                                         cmd.article = article;
                                         cmd.note = note.value_or("");
                                         cmd.reason = reason;
                                         cmd.retroactive = retroactive.value_or(false);
                                         XZZF_TRY(rule, svc->amend(c, key, cmd));
                                         return Response::json(201, to_json(rule));
                                       }),
              .body = http::BodyKind::kJson,
              .summary = "A new version of a rule from a date on (legal office, on the record)"});
}

void register_calendar_routes(http::Router& router, const auth::Guard& guard,
                              const ServicePtr& svc) {
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/calendar/working-days",
              .handler = guard.require(
                  Permission::kRuleRead,
                  [svc](Request& req, const Caller& c) -> Result<Response> {
                    XZZF_TRY(from, query_date(req, "from"));
                    XZZF_TRY(add, query_count(req, "add"));
                    XZZF_TRY(jurisdiction, http::query_id(req, "jurisdiction_id"));
                    XZZF_TRY(cal, svc->calendar_for(c, jurisdiction));
                    XZZF_TRY(date, cal.calendar.add_working_days(from, add));
                    return Response::json(200, {{"from", from.to_string()},
                                                {"add", add},
                                                {"date", date.to_string()},
                                                {"data", calendar_span(cal.calendar)}});
                  }),
              .summary = "The Nth working day after a date (the date itself not counted)"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/calendar/deadline",
              .handler = guard.require(
                  Permission::kRuleRead,
                  [svc](Request& req, const Caller& c) -> Result<Response> {
                    XZZF_TRY(from, query_date(req, "from"));
                    XZZF_TRY(count, query_count(req, "count"));
                    const std::string unit_text(req.query_param("unit").value_or("days"));
                    auto unit = parse_period_unit(unit_text);
                    if (!unit) return bad_query("unit", "应为 days 或 working_days");
                    XZZF_TRY(excluded, query_excluded(req));
                    XZZF_TRY(jurisdiction, http::query_id(req, "jurisdiction_id"));
                    XZZF_TRY(cal, svc->calendar_for(c, jurisdiction));
                    XZZF_TRY(due, cal.calendar.due(from, Period{count, *unit}, excluded));
                    return Response::json(200,
                                          {{"from", from.to_string()},
                                           {"count", count},
                                           {"unit", unit_text},
                                           {"due", due ? json(due->to_string()) : json(nullptr)},
                                           {"paused", !due.has_value()},
                                           {"data", calendar_span(cal.calendar)}});
                  }),
              .summary = "The last day of a period, with excluded periods and the holiday rule"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/calendar/days",
              .handler = guard.require(
                  Permission::kRuleRead,
                  [svc](Request& req, const Caller& c) -> Result<Response> {
                    XZZF_TRY(jurisdiction, http::query_id(req, "jurisdiction_id"));
                    XZZF_TRY(cal, svc->calendar_for(c, jurisdiction));
                    int year = cal.calendar.last_year();
                    if (auto y = req.query_param("year"); y && !y->empty()) {
                      const char* end = y->data() + y->size();
                      auto [ptr, ec] = std::from_chars(y->data(), end, year);
                      if (ec != std::errc() || ptr != end || year < 1900 || year > 9999) {
                        return bad_query("year", "应为四位年份");
                      }
                    }
                    json days = json::array();
                    for (const auto& d : cal.calendar.year(year)) {
                      days.push_back({{"date", d.date.to_string()},
                                      {"working", d.working},
                                      {"name", d.name},
                                      {"local", d.local}});
                    }
                    json local = json::array();
                    for (const auto& d : cal.local_days) local.push_back(to_json(d));
                    const bool covered =
                        year >= cal.calendar.first_year() && year <= cal.calendar.last_year();
                    return Response::json(200, {{"year", year},
                                                {"covered", covered},
                                                {"data", calendar_span(cal.calendar)},
                                                {"items", days},
                                                {"total", days.size()},
                                                {"local_days", local}});
                  }),
              .summary = "A year's holidays and adjusted working days, and a jurisdiction's own"});
  router.add(
      {.method = Method::kPost,
       .pattern = "/api/v1/calendar/days",
       .handler = guard.require(Permission::kRuleManage,
                                [svc](Request& req, const Caller& c) -> Result<Response> {
                                  XZZF_TRY(body, http::parse_json_object(req.body));
                                  http::ObjectReader r(body);
                                  NewLocalDay cmd;
                                  XZZF_TRY(jurisdiction, r.integer("jurisdiction_id"));
                                  XZZF_TRY(day, r.string("day"));
                                  XZZF_TRY(kind, r.string("kind"));
                                  XZZF_TRY(name, r.string("name"));
                                  XZZF_CHECK(r.finish());
                                  cmd.jurisdiction_id = jurisdiction;
                                  cmd.day = day;
                                  cmd.kind = kind;
                                  cmd.name = name;
                                  XZZF_TRY(d, svc->add_local_day(c, cmd));
                                  return Response::json(201, to_json(d));
                                }),
       .body = http::BodyKind::kJson,
       .summary = "A jurisdiction's own day off or working day (legal office, on the record)"});
  router.add({.method = Method::kDelete,
              .pattern = "/api/v1/calendar/days/{id}",
              .handler = guard.require(Permission::kRuleManage,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, http::path_id(req, "id"));
                                         XZZF_CHECK(svc->remove_local_day(c, id));
                                         return Response::no_content();
                                       }),
              .summary = "Remove a jurisdiction's own day (on the record)"});
}

}  // namespace

void register_routes(http::Router& router, const auth::Guard& guard, ServicePtr service) {
  register_rule_routes(router, guard, service);
  register_calendar_routes(router, guard, service);
}

}  // namespace xzzf::rules
