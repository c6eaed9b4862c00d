#include "powers/routes.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/sectors.hpp"
#include "http/json.hpp"
#include "http/params.hpp"
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

json opt(const std::optional<std::int64_t>& v) {
  return v ? json(*v) : json(nullptr);
}
json opt(const std::optional<std::string>& v) {
  return v ? json(*v) : json(nullptr);
}

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
           {"published_version", opt(it.published_version)},
           {"flagged", it.flagged},
           {"effective_from", it.content.effective_from},
           {"last_comment", it.last_comment},
           {"updated_at", format_shanghai_iso8601(Instant{it.updated_at_us})}};
  if (with_bases) {
    json bases = json::array();
    for (const auto& b : it.content.bases) bases.push_back(to_json(b));
    out["bases"] = std::move(bases);
    out["scope"] = it.content.scope;
    out["agency_id"] = opt(it.content.agency_id);
    out["agency_name"] = opt(it.agency_name);
    out["post_id"] = opt(it.content.post_id);
    out["post_name"] = opt(it.post_name);
    out["responsibility"] = it.content.responsibility;
    out["time_limit"] = it.content.time_limit;
    out["liabilities"] = it.content.liabilities;
  }
  return out;
}

Result<std::vector<std::string>> take_strings(json& body, const char* name) {
  std::vector<std::string> out;
  if (!body.contains(name)) return out;
  json value = body[name];
  body.erase(name);
  if (!value.is_array()) {
    return fail(ErrorCode::kJsonWrongType, field("field", name), field("expected", "字符串数组"));
  }
  for (const auto& v : value) {
    if (!v.is_string()) {
      return fail(ErrorCode::kJsonWrongType, field("field", name), field("expected", "字符串数组"));
    }
    out.push_back(v.get<std::string>());
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

}  // namespace

Response xlsx(std::string bytes, const std::string& filename) {
  Response r = Response::text(
      200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", std::move(bytes));
  // RFC 6266: an ASCII fallback and the UTF-8 name.
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"power-items.xlsx\"; "
                         "filename*=UTF-8''" +
                             filename);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

// The spreadsheet routes come first: /power-items/export must not be taken
// for /power-items/{id}.
void register_sheet_routes(http::Router& router, const auth::Guard& guard, const ServicePtr& svc) {
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/power-items/template",
              .handler = guard.require(Permission::kPowerRead,
                                       [](Request&, const Caller&) -> Result<Response> {
                                         XZZF_TRY(bytes, sheets::xlsx_bytes("权责清单",
                                                                            power_template(), {}));
                                         return xlsx(std::move(bytes),
                                                     "%E6%9D%83%E8%B4%A3%E6%B8%85%E5%8D%95%E6%A8%A1"
                                                     "%E6%9D%BF.xlsx");
                                       }),
              .summary = "The import template (.xlsx, headers only)"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/power-items/export",
              .handler = guard.require(
                  Permission::kPowerRead,
                  [svc](Request& req, const Caller& c) -> Result<Response> {
                    XZZF_TRY(department, http::query_id(req, "department_id"));
                    const auto id = department ? department : c.department_id;
                    if (!id) {
                      return fail(ErrorCode::kQueryInvalid, field("name", "department_id"),
                                  field("detail", "须指明部门"));
                    }
                    XZZF_TRY(bytes, svc->export_items(c, *id));
                    return xlsx(std::move(bytes), "%E6%9D%83%E8%B4%A3%E6%B8%85%E5%8D%95.xlsx");
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
             if (!req.upload) {
               return fail(ErrorCode::kHttpBadRequest, field("detail", "缺少 .xlsx 文件"));
             }
             std::ifstream in(req.upload->path, std::ios::binary);
             std::ostringstream bytes;
             bytes << in.rdbuf();
             XZZF_TRY(report, svc->import_items(c, *id, bytes.str()));
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

void register_routes(http::Router& router, const auth::Guard& guard, ServicePtr svc) {
  register_sheet_routes(router, guard, svc);
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
                             {"actor_user_id", opt(r.actor_user_id)},
                             {"at", format_shanghai_iso8601(Instant{r.at_us})}});
             }
             return Response::json(200, {{"items", vs}, {"total", vs.size()}, {"reviews", rs}});
           }),
       .summary = "Every version of an item, and its review trail"});
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/power-items",
              .handler = guard.require(Permission::kPowerEdit,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(body, http::parse_json_object(req.body));
                                         XZZF_TRY(bases, take_bases(body));
                                         XZZF_TRY(liabilities, take_strings(body, "liabilities"));
                                         http::ObjectReader r(body);
                                         XZZF_TRY(department, r.integer("department_id"));
                                         XZZF_TRY(code, r.optional_string("code"));
                                         XZZF_TRY(content, read_content(body, r));
                                         XZZF_CHECK(r.finish());
                                         content.bases = std::move(bases);
                                         content.liabilities = std::move(liabilities);
                                         XZZF_TRY(it, svc->create(c, department, code.value_or(""),
                                                                  content));
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
                                         XZZF_TRY(liabilities, take_strings(body, "liabilities"));
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
  for (const char* action : {"submit", "return", "approve", "publish", "amend"}) {
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
}

}  // namespace xzzf::powers
