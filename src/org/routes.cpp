#include "org/routes.hpp"

#include <memory>
#include <nlohmann/json.hpp>

#include "core/ids.hpp"
#include "http/json.hpp"
#include "http/params.hpp"
#include "org/public_cache.hpp"
#include "org/service.hpp"

namespace xzzf::org {
namespace {

using auth::Caller;
using auth::Permission;
using http::Method;
using http::Request;
using http::Response;
using nlohmann::json;

json to_json(const Jurisdiction& j) {
  return {{"id", j.id},
          {"code", j.code},
          {"name", j.name},
          {"level", j.level},
          {"parent_id", http::or_null(j.parent_id)}};
}

json to_json(const Department& d) {
  return {{"id", d.id},
          {"code", d.code},
          {"name", d.name},
          {"short_name", d.short_name},
          {"jurisdiction_id", d.jurisdiction_id},
          {"jurisdiction_name", d.jurisdiction_name},
          {"sectors", d.sectors},
          {"is_legal_office", d.is_legal_office},
          {"status", d.status},
          {"merged_into_id", http::or_null(d.merged_into_id)},
          {"effective_from", d.effective_from},
          {"effective_to", http::or_null(d.effective_to)},
          {"agency_count", d.agency_count},
          {"subject_status", http::or_null(d.subject_status)}};
}

json to_json(const Agency& a) {
  return {{"id", a.id},
          {"department_id", a.department_id},
          {"name", a.name},
          {"duties", a.duties},
          {"status", a.status},
          {"effective_from", a.effective_from},
          {"effective_to", http::or_null(a.effective_to)}};
}

json to_json(const Post& p) {
  return {{"id", p.id},
          {"department_id", p.department_id},
          {"agency_id", http::or_null(p.agency_id)},
          {"agency_name", http::or_null(p.agency_name)},
          {"name", p.name},
          {"is_enforcement", p.is_enforcement},
          {"status", p.status}};
}

json to_json(const Subject& s) {
  return {{"id", s.id},
          {"name", s.name},
          {"kind", s.kind},
          {"jurisdiction_id", s.jurisdiction_id},
          {"jurisdiction_name", s.jurisdiction_name},
          {"department_id", http::or_null(s.department_id)},
          {"department_name", http::or_null(s.department_name)},
          {"entrusted_by_department_id", http::or_null(s.entrusted_by_department_id)},
          {"entrusted_by_department_name", http::or_null(s.entrusted_by_department_name)},
          {"basis", s.basis},
          {"status", s.status},
          {"confirmation_document", http::or_null(s.confirmation_document)},
          {"confirmed_on", http::or_null(s.confirmed_on)},
          {"revoked_on", http::or_null(s.revoked_on)},
          {"revocation_reason", http::or_null(s.revocation_reason)},
          {"published", s.published}};
}

json to_json(const PublicSubject& s) {
  return {{"id", s.id},
          {"name", s.name},
          {"kind", s.kind},
          {"department_id", http::or_null(s.department_id)},
          {"department_name", s.department_name},
          {"jurisdiction_name", s.jurisdiction_name},
          {"basis", s.basis},
          {"confirmation_document", s.confirmation_document},
          {"confirmed_on", s.confirmed_on}};
}

json to_json(const Change& c) {
  auto parsed = [](const std::string& text) {
    return text.empty() ? json(nullptr) : json::parse(text, nullptr, false);
  };
  return {{"id", c.id},
          {"entity", c.entity},
          {"entity_id", c.entity_id},
          {"change", c.change},
          {"effective_date", c.effective_date},
          {"before", parsed(c.before_json)},
          {"after", parsed(c.after_json)},
          {"actor_user_id", http::or_null(c.actor_user_id)},
          {"at", format_shanghai_iso8601(Instant{c.at_us})}};
}

template <typename T>
json items_json(const std::vector<T>& items, std::int64_t total) {
  json out = json::array();
  for (const auto& i : items) out.push_back(to_json(i));
  return {{"items", std::move(out)}, {"total", total}};
}

template <typename T>
Response list(const std::vector<T>& items) {
  return Response::json(200, items_json(items, static_cast<std::int64_t>(items.size())));
}

template <typename T>
Response page(const Page<T>& p) {
  return Response::json(200, items_json(p.items, p.total));
}

// "sectors": an array of strings, which ObjectReader does not read: taken out
// of the object before the reader sees the rest.
Result<std::optional<std::vector<std::string>>> take_sectors(json& body) {
  if (!body.contains("sectors")) return std::optional<std::vector<std::string>>();
  json value = body["sectors"];
  body.erase("sectors");
  if (!value.is_array()) {
    return fail(ErrorCode::kJsonWrongType, field("field", "sectors"),
                field("expected", "字符串数组"));
  }
  std::vector<std::string> out;
  for (const auto& v : value) {
    if (!v.is_string()) {
      return fail(ErrorCode::kJsonWrongType, field("field", "sectors"),
                  field("expected", "字符串数组"));
    }
    out.push_back(v.get<std::string>());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

Result<PublicSubjectQuery> public_subject_query(const Request& req) {
  PublicSubjectQuery q;
  XZZF_TRY(department, query_id(req, "department_id"));
  q.department_id = department;
  q.q = std::string(req.query_param("q").value_or(""));
  XZZF_TRY(p, page_request(req));
  q.page = p;
  return q;
}

// The cache key of a public query: every field that changes the answer.
std::string public_subject_key(const PublicSubjectQuery& q) {
  return json{{"d", http::or_null(q.department_id)},
              {"q", q.q},
              {"p", q.page.page},
              {"s", q.page.page_size}}
      .dump();
}

Response json_body(std::shared_ptr<const std::string> body) {
  Response r;
  r.content_type = "application/json; charset=utf-8";
  r.shared_body = std::move(body);
  return r;
}

// The service and the cache are shared by every handler of this module for the
// life of the router.
using ServicePtr = std::shared_ptr<const OrgService>;
using CachePtr = std::shared_ptr<PublicCache>;

// How long the portal may show a change made by another process.
constexpr std::chrono::milliseconds kPublicTtl{1000};
constexpr std::size_t kPublicMaxEntries = 512;

void register_reads(http::Router& router, const OrgDeps& deps, const ServicePtr& svc,
                    const CachePtr& cache) {
  const auth::Guard& guard = deps.guard;
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/sectors",
              .handler = guard.authenticated([](Request&, const Caller&) -> Result<Response> {
                json items = json::array();
                for (const auto& s : sectors())
                  items.push_back({{"code", s.code}, {"name", s.name}});
                return Response::json(200, {{"items", items}, {"total", items.size()}});
              }),
              .exec = http::Exec::kInline,
              .summary = "执法领域 (fixed list)"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/jurisdictions",
              .handler = guard.require(Permission::kOrgRead,
                                       [svc](Request&, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(items, svc->jurisdictions(c));
                                         return list(items);
                                       }),
              .summary = "Jurisdiction tree"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/departments",
              .handler = guard.require(Permission::kOrgRead,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         DepartmentQuery q;
                                         XZZF_TRY(jurisdiction, query_id(req, "jurisdiction_id"));
                                         q.jurisdiction_id = jurisdiction;
                                         q.q = std::string(req.query_param("q").value_or(""));
                                         XZZF_TRY(inactive,
                                                  http::query_flag(req, "include_inactive"));
                                         q.include_inactive = inactive;
                                         XZZF_TRY(p, page_request(req));
                                         q.page = p;
                                         XZZF_TRY(result, svc->departments(c, q));
                                         return page(result);
                                       }),
              .summary = "Departments in the caller's scope"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/departments/{id}",
              .handler = guard.require(Permission::kOrgRead,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, path_id(req, "id"));
                                         XZZF_TRY(d, svc->department(c, id));
                                         return Response::json(200, to_json(d));
                                       }),
              .summary = "One department"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/departments/{id}/history",
              .handler = guard.require(Permission::kOrgRead,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, path_id(req, "id"));
                                         XZZF_TRY(items, svc->department_history(c, id));
                                         return list(items);
                                       }),
              .summary = "Changes of a department (机构改革)"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/departments/{id}/agencies",
              .handler = guard.require(Permission::kOrgRead,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, path_id(req, "id"));
                                         XZZF_TRY(items, svc->agencies(c, id));
                                         return list(items);
                                       }),
              .summary = "Agencies (内设机构) of a department"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/departments/{id}/posts",
              .handler = guard.require(Permission::kOrgRead,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, path_id(req, "id"));
                                         XZZF_TRY(items, svc->posts(c, id));
                                         return list(items);
                                       }),
              .summary = "Posts of a department"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/subjects",
              .handler = guard.require(Permission::kOrgRead,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         SubjectQuery q;
                                         if (auto s = req.query_param("status"); s && !s->empty()) {
                                           q.status = std::string(*s);
                                         }
                                         XZZF_TRY(department, query_id(req, "department_id"));
                                         q.department_id = department;
                                         XZZF_TRY(p, page_request(req));
                                         q.page = p;
                                         XZZF_TRY(result, svc->subjects(c, q));
                                         return page(result);
                                       }),
              .summary = "执法主体 in the caller's scope"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/subjects/{id}",
              .handler = guard.require(Permission::kOrgRead,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, path_id(req, "id"));
                                         XZZF_TRY(s, svc->subject(c, id));
                                         return Response::json(200, to_json(s));
                                       }),
              .summary = "One 执法主体"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/public/subjects",
              .handler = [svc, cache](Request& req) -> Result<Response> {
                XZZF_TRY(q, public_subject_query(req));
                const std::string key = public_subject_key(q);
                auto body = cache->get(key);
                if (!body) {
                  const auto generation = cache->generation();
                  XZZF_TRY(result, svc->public_subjects(q));
                  body = std::make_shared<const std::string>(
                      items_json(result.items, result.total)
                          .dump(-1, ' ', false, json::error_handler_t::replace));
                  cache->put(key, body, generation);
                }
                return json_body(std::move(body));
              },
              // A cached answer is sent from the network thread without a
              // hop to a worker; a miss or a bad query goes to the handler.
              .fast_path = [cache](Request& req) -> std::optional<Response> {
                auto q = public_subject_query(req);
                if (!q) return std::nullopt;
                auto body = cache->get(public_subject_key(*q));
                if (!body) return std::nullopt;
                return json_body(std::move(body));
              },
              .summary = "Public: confirmed and published 执法主体"});
}

void register_org_changes(http::Router& router, const OrgDeps& deps, const ServicePtr& svc) {
  const auth::Guard& guard = deps.guard;
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/jurisdictions",
              .handler = guard.require(Permission::kOrgManage,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(body, http::parse_json_object(req.body));
                                         http::ObjectReader r(body);
                                         NewJurisdiction cmd;
                                         XZZF_TRY(code, r.string("code"));
                                         XZZF_TRY(name, r.string("name"));
                                         XZZF_TRY(level, r.string("level"));
                                         XZZF_TRY(parent, r.optional_integer("parent_id"));
                                         XZZF_CHECK(r.finish());
                                         cmd.code = code;
                                         cmd.name = name;
                                         cmd.level = level;
                                         cmd.parent_id = parent;
                                         XZZF_TRY(j, svc->create_jurisdiction(c, cmd));
                                         return Response::json(201, to_json(j));
                                       }),
              .body = http::BodyKind::kJson,
              .summary = "Add a jurisdiction"});
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/departments",
              .handler = guard.require(Permission::kOrgManage,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(body, http::parse_json_object(req.body));
                                         XZZF_TRY(sectors_in, take_sectors(body));
                                         http::ObjectReader r(body);
                                         NewDepartment cmd;
                                         XZZF_TRY(code, r.string("code"));
                                         XZZF_TRY(name, r.string("name"));
                                         XZZF_TRY(short_name, r.optional_string("short_name"));
                                         XZZF_TRY(jurisdiction, r.integer("jurisdiction_id"));
                                         XZZF_TRY(from, r.string("effective_from"));
                                         XZZF_TRY(legal, r.optional_boolean("is_legal_office"));
                                         XZZF_CHECK(r.finish());
                                         if (!sectors_in) {
                                           return fail(ErrorCode::kJsonMissingField,
                                                       field("field", "sectors"));
                                         }
                                         cmd.code = code;
                                         cmd.name = name;
                                         cmd.short_name = short_name.value_or("");
                                         cmd.jurisdiction_id = jurisdiction;
                                         cmd.sectors = *sectors_in;
                                         cmd.effective_from = from;
                                         cmd.is_legal_office = legal.value_or(false);
                                         XZZF_TRY(d, svc->create_department(c, cmd));
                                         return Response::json(201, to_json(d));
                                       }),
              .body = http::BodyKind::kJson,
              .summary = "Add a department"});
  router.add({.method = Method::kPut,
              .pattern = "/api/v1/departments/{id}",
              .handler = guard.require(Permission::kOrgManage,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, path_id(req, "id"));
                                         XZZF_TRY(body, http::parse_json_object(req.body));
                                         XZZF_TRY(sectors_in, take_sectors(body));
                                         http::ObjectReader r(body);
                                         DepartmentUpdate cmd;
                                         XZZF_TRY(name, r.optional_string("name"));
                                         XZZF_TRY(short_name, r.optional_string("short_name"));
                                         XZZF_TRY(date, r.string("effective_date"));
                                         XZZF_CHECK(r.finish());
                                         cmd.name = name;
                                         cmd.short_name = short_name;
                                         cmd.sectors = sectors_in;
                                         cmd.effective_date = date;
                                         XZZF_TRY(d, svc->update_department(c, id, cmd));
                                         return Response::json(200, to_json(d));
                                       }),
              .body = http::BodyKind::kJson,
              .summary = "Rename a department or change its sectors (history kept)"});
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/departments/{id}/merge",
              .handler = guard.require(Permission::kOrgManage,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, path_id(req, "id"));
                                         XZZF_TRY(body, http::parse_json_object(req.body));
                                         http::ObjectReader r(body);
                                         DepartmentMerge cmd;
                                         XZZF_TRY(into, r.integer("into_department_id"));
                                         XZZF_TRY(date, r.string("effective_date"));
                                         XZZF_CHECK(r.finish());
                                         cmd.into_department_id = into;
                                         cmd.effective_date = date;
                                         XZZF_TRY(d, svc->merge_department(c, id, cmd));
                                         return Response::json(200, to_json(d));
                                       }),
              .body = http::BodyKind::kJson,
              .summary = "Merge a department into another (机构改革)"});
}

void register_agency_changes(http::Router& router, const OrgDeps& deps, const ServicePtr& svc) {
  const auth::Guard& guard = deps.guard;
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/departments/{id}/agencies",
              .handler = guard.require(Permission::kAgencyManage,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, path_id(req, "id"));
                                         XZZF_TRY(body, http::parse_json_object(req.body));
                                         http::ObjectReader r(body);
                                         NewAgency cmd;
                                         XZZF_TRY(name, r.string("name"));
                                         XZZF_TRY(duties, r.optional_string("duties"));
                                         XZZF_TRY(from, r.optional_string("effective_from"));
                                         XZZF_CHECK(r.finish());
                                         cmd.name = name;
                                         cmd.duties = duties.value_or("");
                                         cmd.effective_from = from;
                                         XZZF_TRY(a, svc->create_agency(c, id, cmd));
                                         return Response::json(201, to_json(a));
                                       }),
              .body = http::BodyKind::kJson,
              .summary = "Add an agency (内设机构)"});
  router.add({.method = Method::kPut,
              .pattern = "/api/v1/departments/{id}/agencies/{agency_id}",
              .handler = guard.require(Permission::kAgencyManage,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, path_id(req, "id"));
                                         XZZF_TRY(agency_id, path_id(req, "agency_id"));
                                         XZZF_TRY(body, http::parse_json_object(req.body));
                                         http::ObjectReader r(body);
                                         AgencyUpdate cmd;
                                         XZZF_TRY(name, r.optional_string("name"));
                                         XZZF_TRY(duties, r.optional_string("duties"));
                                         XZZF_CHECK(r.finish());
                                         cmd.name = name;
                                         cmd.duties = duties;
                                         XZZF_TRY(a, svc->update_agency(c, id, agency_id, cmd));
                                         return Response::json(200, to_json(a));
                                       }),
              .body = http::BodyKind::kJson,
              .summary = "Rename an agency or change its duties"});
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/departments/{id}/agencies/{agency_id}/abolish",
              .handler = guard.require(Permission::kAgencyManage,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, path_id(req, "id"));
                                         XZZF_TRY(agency_id, path_id(req, "agency_id"));
                                         XZZF_TRY(body, http::parse_json_object(req.body));
                                         http::ObjectReader r(body);
                                         XZZF_TRY(date, r.string("effective_date"));
                                         XZZF_CHECK(r.finish());
                                         XZZF_TRY(a, svc->abolish_agency(c, id, agency_id, date));
                                         return Response::json(200, to_json(a));
                                       }),
              .body = http::BodyKind::kJson,
              .summary = "Abolish an agency"});
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/departments/{id}/posts",
              .handler = guard.require(Permission::kAgencyManage,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, path_id(req, "id"));
                                         XZZF_TRY(body, http::parse_json_object(req.body));
                                         http::ObjectReader r(body);
                                         NewPost cmd;
                                         XZZF_TRY(name, r.string("name"));
                                         XZZF_TRY(agency, r.optional_integer("agency_id"));
                                         XZZF_TRY(enforcement, r.boolean("is_enforcement"));
                                         XZZF_CHECK(r.finish());
                                         cmd.name = name;
                                         cmd.agency_id = agency;
                                         cmd.is_enforcement = enforcement;
                                         XZZF_TRY(p, svc->create_post(c, id, cmd));
                                         return Response::json(201, to_json(p));
                                       }),
              .body = http::BodyKind::kJson,
              .summary = "Add a post"});
}

void register_subject_changes(http::Router& router, const OrgDeps& deps, const ServicePtr& svc) {
  const auth::Guard& guard = deps.guard;
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/subjects",
              .handler = guard.require(Permission::kSubjectPropose,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(body, http::parse_json_object(req.body));
                                         http::ObjectReader r(body);
                                         NewSubject cmd;
                                         XZZF_TRY(name, r.string("name"));
                                         XZZF_TRY(kind, r.string("kind"));
                                         XZZF_TRY(department, r.integer("department_id"));
                                         XZZF_TRY(basis, r.string("basis"));
                                         XZZF_TRY(by,
                                                  r.optional_integer("entrusted_by_department_id"));
                                         XZZF_CHECK(r.finish());
                                         cmd.name = name;
                                         cmd.kind = kind;
                                         cmd.department_id = department;
                                         cmd.basis = basis;
                                         cmd.entrusted_by_department_id = by;
                                         XZZF_TRY(s, svc->propose_subject(c, cmd));
                                         return Response::json(201, to_json(s));
                                       }),
              .body = http::BodyKind::kJson,
              .summary = "Propose a 执法主体"});
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/subjects/{id}/confirm",
              .handler = guard.require(Permission::kSubjectConfirm,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, path_id(req, "id"));
                                         XZZF_TRY(body, http::parse_json_object(req.body));
                                         http::ObjectReader r(body);
                                         SubjectConfirmation cmd;
                                         XZZF_TRY(doc, r.string("confirmation_document"));
                                         XZZF_TRY(on, r.string("confirmed_on"));
                                         XZZF_CHECK(r.finish());
                                         cmd.confirmation_document = doc;
                                         cmd.confirmed_on = on;
                                         XZZF_TRY(s, svc->confirm_subject(c, id, cmd));
                                         return Response::json(200, to_json(s));
                                       }),
              .body = http::BodyKind::kJson,
              .summary = "Confirm a 执法主体 (第十三条)"});
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/subjects/{id}/revoke",
              .handler = guard.require(Permission::kSubjectConfirm,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, path_id(req, "id"));
                                         XZZF_TRY(body, http::parse_json_object(req.body));
                                         http::ObjectReader r(body);
                                         SubjectRevocation cmd;
                                         XZZF_TRY(reason, r.string("reason"));
                                         XZZF_TRY(on, r.string("revoked_on"));
                                         XZZF_CHECK(r.finish());
                                         cmd.reason = reason;
                                         cmd.revoked_on = on;
                                         XZZF_TRY(s, svc->revoke_subject(c, id, cmd));
                                         return Response::json(200, to_json(s));
                                       }),
              .body = http::BodyKind::kJson,
              .summary = "Revoke a 执法主体"});
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/subjects/{id}/publish",
              .handler = guard.require(Permission::kSubjectConfirm,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, path_id(req, "id"));
                                         XZZF_TRY(s, svc->publish_subject(c, id));
                                         return Response::json(200, to_json(s));
                                       }),
              .summary = "Publish a confirmed 执法主体 (第十三条)"});
}

#undef XZZF_TRY
#undef XZZF_CHECK

}  // namespace

void register_routes(http::Router& router, const OrgDeps& deps) {
  auto cache = std::make_shared<PublicCache>(deps.clock, kPublicTtl, kPublicMaxEntries);
  auto svc = std::make_shared<const OrgService>(
      deps.db, deps.audit, deps.clock, [cache] { cache->invalidate(); }, deps.on_merge);
  register_reads(router, deps, svc, cache);
  register_org_changes(router, deps, svc);
  register_agency_changes(router, deps, svc);
  register_subject_changes(router, deps, svc);
}

}  // namespace xzzf::org
