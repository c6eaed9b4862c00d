#include "powers/routes.hpp"

#include <nlohmann/json.hpp>

#include "core/sectors.hpp"
#include "http/json.hpp"
#include "http/params.hpp"
#include "powers/authorizations.hpp"
#include "powers/sheet.hpp"
#include "sheets/writer.hpp"

namespace xzzf::powers {
namespace {

using auth::Caller;
using auth::Permission;
using http::Method;
using http::Request;
using http::Response;
using nlohmann::json;
using ServicePtr = std::shared_ptr<const PowerService>;

json to_json(const Basis& b) {
  return {{"norm_id", b.norm_id},
          {"norm_title", b.norm_title},
          {"norm_level", b.norm_level},
          {"norm_version_id", b.norm_version_id},
          {"version_date", b.version_date},
          {"article", b.article},
          {"sub", b.sub},
          {"paragraph", b.paragraph},
          {"item", b.item},
          {"label", b.label.empty() ? json(nullptr) : json(b.label)},
          {"article_text", b.article_text},
          {"stale", b.stale}};
}

json to_json(const Item& it, bool with_bases) {
  const auto* cat = category(it.content.category);
  json out{{"id", it.id},
           {"department_id", it.department_id},
           {"department_name", it.department_name},
           {"code", it.code},
           {"name", it.content.name},
           {"category", it.content.category},
           {"category_name", cat != nullptr ? json(cat->name) : json(nullptr)},
           {"sector", it.content.sector},
           {"status", it.status},
           {"status_name", status_name(it.status)},
           {"version", it.version},
           {"published_version", http::or_null(it.published_version)},
           {"flagged", it.flagged},
           {"effective_from", it.content.effective_from},
           {"last_comment", it.last_comment},
           {"updated_at", format_shanghai_iso8601(Instant{it.updated_at_us})},
           {"change", it.change},
           {"change_name", change_name(it.change)},
           {"target_department_id", http::or_null(it.target_department_id)},
           {"target_department_name", http::or_null(it.target_department_name)},
           {"authorization_id", http::or_null(it.authorization_id)},
           {"cancelled_on", http::or_null(it.cancelled_on)}};
  if (with_bases) {
    json bases = json::array();
    for (const auto& b : it.content.bases) bases.push_back(to_json(b));
    out["bases"] = std::move(bases);
    out["scope"] = it.content.scope;
    out["agency_id"] = http::or_null(it.content.agency_id);
    out["agency_name"] = http::or_null(it.agency_name);
    out["post_id"] = http::or_null(it.content.post_id);
    out["post_name"] = http::or_null(it.post_name);
    out["responsibility"] = it.content.responsibility;
    out["time_limit"] = it.content.time_limit;
    out["liabilities"] = it.content.liabilities;
  }
  return out;
}

// "bases": [{"norm_id", "article", "sub"?, "paragraph"?, "item"?}], each
// object read strictly (unknown members refused).
Result<std::vector<Basis>> take_bases(json& body) {
  std::vector<Basis> out;
  if (!body.contains("bases")) return out;
  json value = body["bases"];
  body.erase("bases");
  if (!value.is_array()) {
    return fail(ErrorCode::kJsonWrongType, field("field", "bases"), field("expected", "对象数组"));
  }
  for (const auto& v : value) {
    if (!v.is_object()) {
      return fail(ErrorCode::kJsonWrongType, field("field", "bases"),
                  field("expected", "对象数组"));
    }
    http::ObjectReader r(v);
    XZZF_TRY(norm, r.integer("norm_id"));
    XZZF_TRY(article, r.integer("article"));
    XZZF_TRY(sub, r.optional_integer("sub"));
    XZZF_TRY(paragraph, r.optional_integer("paragraph"));
    XZZF_TRY(item, r.optional_integer("item"));
    XZZF_CHECK(r.finish());
    auto small = [](std::int64_t n) {
      return static_cast<int>(std::clamp<std::int64_t>(n, -1, 10000));
    };
    out.push_back(Basis{.norm_id = norm,
                        .article = small(article),
                        .sub = small(sub.value_or(0)),
                        .paragraph = small(paragraph.value_or(0)),
                        .item = small(item.value_or(0))});
  }
  return out;
}

// The content members of a create or update body; `extra` reads the rest.
Result<Content> read_content(json& body, http::ObjectReader& r) {
  Content c;
  XZZF_TRY(name, r.string("name"));
  XZZF_TRY(cat, r.string("category"));
  XZZF_TRY(sector, r.string("sector"));
  XZZF_TRY(scope, r.optional_string("scope"));
  XZZF_TRY(agency, r.optional_integer("agency_id"));
  XZZF_TRY(post, r.optional_integer("post_id"));
  XZZF_TRY(responsibility, r.optional_string("responsibility"));
  XZZF_TRY(time_limit, r.optional_string("time_limit"));
  XZZF_TRY(from, r.string("effective_from"));
  (void)body;
  c.name = name;
  c.category = cat;
  c.sector = sector;
  c.scope = scope.value_or("");
  c.agency_id = agency;
  c.post_id = post;
  c.responsibility = responsibility.value_or("");
  c.time_limit = time_limit.value_or("");
  c.effective_from = from;
  return c;
}

json to_json(const Authorization& a) {
  json items = json::array();
  for (const auto& i : a.items) items.push_back({{"id", i.id}, {"code", i.code}, {"name", i.name}});
  return {{"id", a.id},
          {"kind", a.kind},
          {"kind_name", authorization_kind_name(a.kind)},
          {"title", a.title},
          {"doc_number", a.doc_number},
          {"issuer", a.issuer},
          {"decided_on", a.decided_on},
          {"effective_on", a.effective_on},
          {"valid_until", http::or_null(a.valid_until)},
          {"jurisdiction_id", a.jurisdiction_id},
          {"grantor_department_id", a.grantor_department_id},
          {"grantor_department_name", a.grantor_department_name},
          {"grantee_department_id", http::or_null(a.grantee_department_id)},
          {"grantee_department_name", http::or_null(a.grantee_department_name)},
          {"grantee_name", a.grantee_name},
          {"scope", a.scope},
          {"item_ids", a.item_ids},
          {"items", items},
          {"created_at_us", a.created_at_us}};
}

json counts(const DepartmentProgress& d) {
  return {{"total", d.total},         {"draft", d.draft},       {"submitted", d.submitted},
          {"returned", d.returned},   {"approved", d.approved}, {"published", d.published},
          {"cancelled", d.cancelled}, {"flagged", d.flagged}};
}

json to_json(const Progress& p) {
  json departments = json::array();
  DepartmentProgress totals;
  const bool passed = p.deadline && *p.deadline < p.today;
  for (const auto& d : p.departments) {
    json row = counts(d);
    row["department_id"] = d.department_id;
    row["department_name"] = d.department_name;
    row["complete"] = d.complete();
    row["overdue"] = passed && !d.complete();
    departments.push_back(std::move(row));
    totals.total += d.total;
    totals.draft += d.draft;
    totals.submitted += d.submitted;
    totals.returned += d.returned;
    totals.approved += d.approved;
    totals.published += d.published;
    totals.cancelled += d.cancelled;
    totals.flagged += d.flagged;
  }
  return {{"jurisdiction_id", http::or_null(p.jurisdiction_id)},
          {"deadline", http::or_null(p.deadline)},
          {"today", p.today},
          {"departments", departments},
          {"totals", counts(totals)}};
}

json to_public_json(const PublicItem& it, bool full) {
  const auto* cat = category(it.content.category);
  json bases = json::array();
  for (const auto& b : it.content.bases) {
    json basis{{"label", b.label}};
    if (full) {
      basis["norm_id"] = b.norm_id;
      basis["norm_title"] = b.norm_title;
      basis["norm_level"] = b.norm_level;
      basis["version_date"] = b.version_date;
      basis["article_text"] = b.article_text;
    }
    bases.push_back(std::move(basis));
  }
  json out{{"id", it.id},
           {"code", it.code},
           {"name", it.content.name},
           {"category", it.content.category},
           {"category_name", cat != nullptr ? json(cat->name) : json(nullptr)},
           {"sector", it.content.sector},
           {"department_id", it.department_id},
           {"department_name", it.department_name},
           {"bases", bases}};
  if (full) {
    out["scope"] = it.content.scope;
    out["responsibility"] = it.content.responsibility;
    out["time_limit"] = it.content.time_limit;
    out["liabilities"] = it.content.liabilities;
    out["effective_from"] = it.content.effective_from;
    out["agency_name"] = http::or_null(it.agency_name);
    out["post_name"] = http::or_null(it.post_name);
    out["version"] = it.version;
    out["published_at_us"] = it.published_at_us;
  }
  return out;
}

}  // namespace

// The spreadsheet routes come first: /power-items/export must not be taken
// for /power-items/{id}.
void register_sheet_routes(http::Router& router, const auth::Guard& guard, const ServicePtr& svc) {
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/power-items/template",
              .handler = guard.require(
                  Permission::kPowerRead,
                  [](Request&, const Caller&) -> Result<Response> {
                    XZZF_TRY(bytes, sheets::xlsx_bytes("权责清单", power_template(), {}));
                    return http::xlsx_attachment(std::move(bytes), "power-items.xlsx",
                                                 "权责清单模板.xlsx");
                  }),
              .summary = "The import template (.xlsx, headers only)"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/power-items/export",
              .handler = guard.require(Permission::kPowerRead,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(department, http::query_id(req, "department_id"));
                                         const auto id = department ? department : c.department_id;
                                         if (!id) {
                                           return fail(ErrorCode::kQueryInvalid,
                                                       field("name", "department_id"),
                                                       field("detail", "须指明部门"));
                                         }
                                         XZZF_TRY(bytes, svc->export_items(c, *id));
                                         return http::xlsx_attachment(
                                             std::move(bytes), "power-items.xlsx", "权责清单.xlsx");
                                       }),
              .summary = "A department's items in the import layout (.xlsx, cells as text)"});
  router.add(
      {.method = Method::kPost,
       .pattern = "/api/v1/power-items/import",
       .handler = guard.require(
           Permission::kPowerEdit,
           [svc](Request& req, const Caller& c) -> Result<Response> {
             XZZF_TRY(department, http::query_id(req, "department_id"));
             const auto id = department ? department : c.department_id;
             if (!id) {
               return fail(ErrorCode::kQueryInvalid, field("name", "department_id"),
                           field("detail", "须指明部门"));
             }
             XZZF_TRY(bytes, http::upload_contents(req, " .xlsx 文件"));
             XZZF_TRY(report, svc->import_items(c, *id, bytes));
             if (report.issues.empty()) {
               return Response::json(200,
                                     {{"imported", report.imported}, {"report", json::array()}});
             }
             json issues = json::array();
             for (const auto& i : report.issues) {
               issues.push_back({{"row", i.row}, {"column", i.column}, {"message", i.message}});
             }
             const Error e =
                 make_error(ErrorCode::kPowersImportInvalid, field("count", report.issues.size()));
             return Response::json(400,
                                   {{"error", {{"code", e.code_string()}, {"message", e.message}}},
                                    {"imported", 0},
                                    {"report", issues}});
           }),
       .body = http::BodyKind::kUpload,
       .body_limit = 16 * 1024 * 1024,
       .summary = "Import drafts from a spreadsheet: all rows or none, with a row report"});
}

void register_progress_routes(http::Router& router, const auth::Guard& guard,
                              const ServicePtr& svc);

void register_routes(http::Router& router, const auth::Guard& guard, ServicePtr svc) {
  register_sheet_routes(router, guard, svc);
  register_progress_routes(router, guard, svc);
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/power-items",
              .handler = guard.require(
                  Permission::kPowerRead,
                  [svc](Request& req, const Caller& c) -> Result<Response> {
                    ItemQuery q;
                    XZZF_TRY(department, http::query_id(req, "department_id"));
                    q.department_id = department;
                    q.status = std::string(req.query_param("status").value_or(""));
                    q.category = std::string(req.query_param("category").value_or(""));
                    q.q = std::string(req.query_param("q").value_or(""));
                    XZZF_TRY(flagged, http::query_flag(req, "flagged"));
                    q.flagged_only = flagged;
                    XZZF_TRY(norm, http::query_id(req, "norm_id"));
                    q.norm_id = norm;
                    XZZF_TRY(p, http::page_request(req));
                    q.page = p;
                    XZZF_TRY(page, svc->items(c, q));
                    json items = json::array();
                    for (const auto& it : page.items) items.push_back(to_json(it, false));
                    return Response::json(200, {{"items", items}, {"total", page.total}});
                  }),
              .summary = "Power items (权责清单) in the caller's scope"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/power-items/{id}",
              .handler = guard.require(Permission::kPowerRead,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, http::path_id(req, "id"));
                                         XZZF_TRY(it, svc->item(c, id));
                                         return Response::json(200, to_json(it, true));
                                       }),
              .summary = "One power item with its bases"});
  router.add(
      {.method = Method::kGet,
       .pattern = "/api/v1/power-items/{id}/versions",
       .handler = guard.require(
           Permission::kPowerRead,
           [svc](Request& req, const Caller& c) -> Result<Response> {
             XZZF_TRY(id, http::path_id(req, "id"));
             XZZF_TRY(versions, svc->versions(c, id));
             XZZF_TRY(reviews, svc->reviews(c, id));
             json vs = json::array();
             for (const auto& v : versions) {
               vs.push_back({{"version", v.version},
                             {"status", v.status},
                             {"content", json::parse(v.snapshot_json, nullptr, false)},
                             {"saved_at", format_shanghai_iso8601(Instant{v.saved_at_us})}});
             }
             json rs = json::array();
             for (const auto& r : reviews) {
               rs.push_back({{"version", r.version},
                             {"action", r.action},
                             {"comment", r.comment},
                             {"actor_user_id", http::or_null(r.actor_user_id)},
                             {"at", format_shanghai_iso8601(Instant{r.at_us})}});
             }
             return Response::json(200, {{"items", vs}, {"total", vs.size()}, {"reviews", rs}});
           }),
       .summary = "Every version of an item, and its review trail"});
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/power-items",
              .handler = guard.require(
                  Permission::kPowerEdit,
                  [svc](Request& req, const Caller& c) -> Result<Response> {
                    XZZF_TRY(body, http::parse_json_object(req.body));
                    XZZF_TRY(bases, take_bases(body));
                    XZZF_TRY(liabilities, http::take_strings(body, "liabilities"));
                    http::ObjectReader r(body);
                    XZZF_TRY(department, r.integer("department_id"));
                    XZZF_TRY(code, r.optional_string("code"));
                    XZZF_TRY(content, read_content(body, r));
                    XZZF_CHECK(r.finish());
                    content.bases = std::move(bases);
                    content.liabilities = std::move(liabilities);
                    XZZF_TRY(it, svc->create(c, department, code.value_or(""), content));
                    return Response::json(201, to_json(it, true));
                  }),
              .body = http::BodyKind::kJson,
              .summary = "A new item, in draft (power.edit, on the record)"});
  router.add({.method = Method::kPut,
              .pattern = "/api/v1/power-items/{id}",
              .handler = guard.require(Permission::kPowerEdit,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, http::path_id(req, "id"));
                                         XZZF_TRY(body, http::parse_json_object(req.body));
                                         XZZF_TRY(bases, take_bases(body));
                                         XZZF_TRY(liabilities,
                                                  http::take_strings(body, "liabilities"));
                                         http::ObjectReader r(body);
                                         XZZF_TRY(content, read_content(body, r));
                                         XZZF_CHECK(r.finish());
                                         content.bases = std::move(bases);
                                         content.liabilities = std::move(liabilities);
                                         XZZF_TRY(it, svc->update(c, id, content));
                                         return Response::json(200, to_json(it, true));
                                       }),
              .body = http::BodyKind::kJson,
              .summary = "Rewrite a draft or returned item (power.edit, on the record)"});
  for (const char* action : {"submit", "return", "approve", "publish", "amend", "withdraw"}) {
    const bool review = std::string_view(action) == "return" ||
                        std::string_view(action) == "approve" ||
                        std::string_view(action) == "publish";
    router.add(
        {.method = Method::kPost,
         .pattern = std::string("/api/v1/power-items/{id}/") + action,
         .handler = guard.require(review ? Permission::kPowerReview : Permission::kPowerEdit,
                                  [svc, action](Request& req, const Caller& c) -> Result<Response> {
                                    XZZF_TRY(id, http::path_id(req, "id"));
                                    std::string comment;
                                    if (!req.body.empty()) {
                                      XZZF_TRY(body, http::parse_json_object(req.body));
                                      http::ObjectReader r(body);
                                      XZZF_TRY(text, r.optional_string("comment"));
                                      XZZF_CHECK(r.finish());
                                      comment = text.value_or("");
                                    }
                                    XZZF_TRY(it, svc->transition(c, id, action, comment));
                                    return Response::json(200, to_json(it, true));
                                  }),
         .body = http::BodyKind::kJson,
         .summary = std::string("Review step: ") + action + " (on the record)"});
  }
  for (const char* action : {"cancel", "delegate", "transfer"}) {
    router.add({.method = Method::kPost,
                .pattern = std::string("/api/v1/power-items/{id}/") + action,
                .handler = guard.require(
                    Permission::kPowerEdit,
                    [svc, action](Request& req, const Caller& c) -> Result<Response> {
                      XZZF_TRY(id, http::path_id(req, "id"));
                      XZZF_TRY(body, http::parse_json_object(req.body));
                      http::ObjectReader r(body);
                      ChangeRequest cr{.action = action};
                      XZZF_TRY(comment, r.string("comment"));
                      cr.comment = comment;
                      if (std::string_view(action) != "cancel") {
                        XZZF_TRY(department, r.integer("department_id"));
                        XZZF_TRY(authorization, r.optional_integer("authorization_id"));
                        cr.department_id = department;
                        cr.authorization_id = authorization;
                      }
                      XZZF_CHECK(r.finish());
                      XZZF_TRY(it, svc->request_change(c, id, cr));
                      return Response::json(200, to_json(it, true));
                    }),
                .body = http::BodyKind::kJson,
                .summary = std::string("Request to ") + action +
                           " a published item, for review (on the record)"});
  }
}

void register_progress_routes(http::Router& router, const auth::Guard& guard,
                              const ServicePtr& svc) {
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/power-items/progress",
              .handler = guard.require(Permission::kPowerRead,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(jurisdiction,
                                                  http::query_id(req, "jurisdiction_id"));
                                         XZZF_TRY(p, svc->progress(c, jurisdiction));
                                         return Response::json(200, to_json(p));
                                       }),
              .summary = "Items per department and state against the deadline"});
  router.add(
      {.method = Method::kPost,
       .pattern = "/api/v1/power-items/deadline",
       .handler = guard.require(
           Permission::kPowerReview,
           [svc](Request& req, const Caller& c) -> Result<Response> {
             XZZF_TRY(body, http::parse_json_object(req.body));
             http::ObjectReader r(body);
             XZZF_TRY(jurisdiction, r.integer("jurisdiction_id"));
             XZZF_TRY(deadline, r.string("deadline"));
             XZZF_CHECK(r.finish());
             XZZF_TRY(set, svc->set_deadline(c, jurisdiction, deadline));
             return Response::json(200, {{"jurisdiction_id", jurisdiction}, {"deadline", set}});
           }),
       .body = http::BodyKind::kJson,
       .summary = "The legal office's deadline for the lists (on the record)"});
}

void register_authorization_routes(http::Router& router, const auth::Guard& guard,
                                   std::shared_ptr<const AuthorizationService> svc) {
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/authorizations",
              .handler = guard.require(Permission::kPowerRead,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         AuthorizationQuery q;
                                         q.kind = std::string(req.query_param("kind").value_or(""));
                                         XZZF_TRY(department, http::query_id(req, "department_id"));
                                         q.department_id = department;
                                         XZZF_TRY(p, http::page_request(req));
                                         q.page = p;
                                         XZZF_TRY(page, svc->list(c, q));
                                         json items = json::array();
                                         for (const auto& a : page.items)
                                           items.push_back(to_json(a));
                                         return Response::json(200,
                                                               {{"items", items},
                                                                {"total", page.total},
                                                                {"page", q.page.page},
                                                                {"page_size", q.page.page_size}});
                                       }),
              .summary = "Decisions of 下放, 相对集中行政处罚权 and 委托 in the caller's scope"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/authorizations/{id}",
              .handler = guard.require(Permission::kPowerRead,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, http::path_id(req, "id"));
                                         XZZF_TRY(a, svc->get(c, id));
                                         return Response::json(200, to_json(a));
                                       }),
              .summary = "One decision with the items it covers"});
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/authorizations",
              .handler = guard.require(Permission::kPowerReview,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(body, http::parse_json_object(req.body));
                                         XZZF_TRY(items, http::take_ids(body, "item_ids"));
                                         http::ObjectReader r(body);
                                         Authorization a;
                                         XZZF_TRY(kind, r.string("kind"));
                                         XZZF_TRY(title, r.string("title"));
                                         XZZF_TRY(doc_number, r.string("doc_number"));
                                         XZZF_TRY(issuer, r.string("issuer"));
                                         XZZF_TRY(decided_on, r.string("decided_on"));
                                         XZZF_TRY(effective_on, r.string("effective_on"));
                                         XZZF_TRY(valid_until, r.optional_string("valid_until"));
                                         XZZF_TRY(grantor, r.integer("grantor_department_id"));
                                         XZZF_TRY(grantee,
                                                  r.optional_integer("grantee_department_id"));
                                         XZZF_TRY(grantee_name, r.optional_string("grantee_name"));
                                         XZZF_TRY(scope, r.optional_string("scope"));
                                         XZZF_CHECK(r.finish());
                                         a.kind = kind;
                                         a.title = title;
                                         a.doc_number = doc_number;
                                         a.issuer = issuer;
                                         a.decided_on = decided_on;
                                         a.effective_on = effective_on;
                                         a.valid_until = valid_until;
                                         a.grantor_department_id = grantor;
                                         a.grantee_department_id = grantee;
                                         a.grantee_name = grantee_name.value_or("");
                                         a.scope = scope.value_or("");
                                         a.item_ids = std::move(items);
                                         XZZF_TRY(saved, svc->create(c, a));
                                         return Response::json(201, to_json(saved));
                                       }),
              .body = http::BodyKind::kJson,
              .summary = "Register a decision (power.review, on the record)"});
}

void register_public_routes(http::Router& router, const ServicePtr& svc,
                            std::int64_t search_total_cap) {
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/public/power-items",
              .handler = [svc, search_total_cap](Request& req) -> Result<Response> {
                PublicQuery q;
                q.total_cap = search_total_cap;
                q.q = std::string(req.query_param("q").value_or(""));
                q.category = std::string(req.query_param("category").value_or(""));
                XZZF_TRY(department, http::query_id(req, "department_id"));
                q.department_id = department;
                XZZF_TRY(p, http::page_request(req));
                q.page = p;
                XZZF_TRY(page, svc->public_items(q));
                json items = json::array();
                for (const auto& it : page.items) items.push_back(to_public_json(it, false));
                return Response::json(200, {{"items", items},
                                            {"total", page.total},
                                            {"total_capped", page.total_capped},
                                            {"page", q.page.page},
                                            {"page_size", q.page.page_size}});
              },
              .summary = "Published 权责清单, Chinese substring search (no login)"});
  router.add(
      {.method = Method::kGet,
       .pattern = "/api/v1/public/power-items/summary",
       .handler = [svc](Request&) -> Result<Response> {
         XZZF_TRY(s, svc->public_summary());
         json departments = json::array();
         for (const auto& d : s.departments) {
           departments.push_back({{"id", std::stoll(d.key)}, {"name", d.name}, {"count", d.count}});
         }
         json categories = json::array();
         for (const auto& c : s.categories) {
           categories.push_back({{"code", c.key}, {"name", c.name}, {"count", c.count}});
         }
         return Response::json(200, {{"departments", departments}, {"categories", categories}});
       },
       .summary = "Published items counted by department and category (no login)"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/public/power-items/{id}",
              .handler = [svc](Request& req) -> Result<Response> {
                XZZF_TRY(id, http::path_id(req, "id"));
                XZZF_TRY(it, svc->public_item(id));
                return Response::json(200, to_public_json(it, true));
              },
              .summary = "One published item with its basis texts (no login)"});
}

}  // namespace xzzf::powers
