#include "library/routes.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "http/json.hpp"
#include "http/params.hpp"

namespace xzzf::library {
namespace {

using auth::Caller;
using auth::Permission;
using http::Method;
using http::Request;
using http::Response;
using nlohmann::json;
using ServicePtr = std::shared_ptr<const LibraryService>;

json to_json(const Norm& n) {
  return {{"id", n.id},
          {"title", n.title},
          {"level", n.level},
          {"level_name", level_name(n.level)},
          {"issuer", n.issuer},
          {"doc_number", n.doc_number},
          {"region_code", n.region_code},
          {"adopted_on", http::or_null(n.adopted_on)},
          {"repealed_on", http::or_null(n.repealed_on)},
          {"version_count", n.version_count},
          {"latest_version_id", n.latest_version_id ? json(*n.latest_version_id) : json(nullptr)},
          {"latest_version_date", http::or_null(n.latest_version_date)},
          {"latest_effective_on", http::or_null(n.latest_effective_on)},
          {"earliest_version_date", http::or_null(n.earliest_version_date)}};
}

json to_json(const NormVersion& v) {
  return {{"id", v.id},
          {"norm_id", v.norm_id},
          {"version_date", v.version_date},
          {"effective_on", http::or_null(v.effective_on)},
          {"kind", v.kind},
          {"history", v.history},
          {"source", v.source},
          {"text_sha256", v.text_sha256},
          {"article_count", v.article_count},
          {"changed_count", v.changed_count},
          {"removed_articles", v.removed_articles}};
}

json to_json(const Article& a) {
  return {{"id", a.id},     {"version_id", a.version_id}, {"number", a.number},
          {"sub", a.sub},   {"label", a.label},           {"chapter", a.chapter},
          {"text", a.text}, {"change", a.change}};
}

template <typename T>
Response list(const std::vector<T>& items, std::int64_t total) {
  json out = json::array();
  for (const auto& i : items) out.push_back(to_json(i));
  return Response::json(200, {{"items", std::move(out)}, {"total", total}});
}

// {"number", "sub"?, "text"?} objects of an amendment, read strictly.
Result<std::vector<Amendment::ArticleText>> read_articles(const json& value, const char* name,
                                                          bool with_text) {
  std::vector<Amendment::ArticleText> out;
  if (value.is_null()) return out;
  if (!value.is_array()) {
    return fail(ErrorCode::kJsonWrongType, field("field", name), field("expected", "对象数组"));
  }
  for (const auto& v : value) {
    if (!v.is_object()) {
      return fail(ErrorCode::kJsonWrongType, field("field", name), field("expected", "对象数组"));
    }
    http::ObjectReader r(v);
    XZZF_TRY(number, r.integer("number"));
    XZZF_TRY(sub, r.optional_integer("sub"));
    std::string text;
    if (with_text) {
      XZZF_TRY(t, r.string("text"));
      text = t;
    }
    XZZF_CHECK(r.finish());
    auto small = [](std::int64_t n) {
      return static_cast<int>(std::clamp<std::int64_t>(n, -1, 100000));
    };
    out.push_back({small(number), small(sub.value_or(0)), std::move(text)});
  }
  return out;
}

Result<Amendment> read_amendment(json& body) {
  const json articles = body.contains("articles") ? body["articles"] : json(nullptr);
  const json removed = body.contains("removed") ? body["removed"] : json(nullptr);
  body.erase("articles");
  body.erase("removed");
  http::ObjectReader r(body);
  Amendment am;
  XZZF_TRY(date, r.string("version_date"));
  XZZF_TRY(effective, r.optional_string("effective_on"));
  XZZF_TRY(kind, r.string("kind"));
  XZZF_TRY(note, r.string("note"));
  XZZF_TRY(source, r.string("source"));
  XZZF_CHECK(r.finish());
  am.version_date = date;
  am.effective_on = effective;
  am.kind = kind;
  am.note = note;
  am.source = source;
  XZZF_TRY(changed, read_articles(articles, "articles", true));
  am.articles = std::move(changed);
  XZZF_TRY(gone, read_articles(removed, "removed", false));
  for (const auto& g : gone) am.removed.emplace_back(g.number, g.sub);
  return am;
}

}  // namespace

void register_routes(http::Router& router, const auth::Guard& guard, ServicePtr svc) {
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/norms",
              .handler = guard.require(Permission::kLibraryRead,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         NormQuery q;
                                         q.q = std::string(req.query_param("q").value_or(""));
                                         q.level =
                                             std::string(req.query_param("level").value_or(""));
                                         XZZF_TRY(p, http::page_request(req));
                                         q.page = p;
                                         XZZF_TRY(page, svc->norms(c, q));
                                         return list(page.items, page.total);
                                       }),
              .summary = "Norms of the legal library (法律法规库)"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/norms/{id}",
              .handler = guard.require(Permission::kLibraryRead,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, http::path_id(req, "id"));
                                         XZZF_TRY(n, svc->norm(c, id));
                                         return Response::json(200, to_json(n));
                                       }),
              .summary = "One norm"});
  router.add({.method = Method::kGet,
              .pattern = "/api/v1/norms/{id}/versions",
              .handler = guard.require(Permission::kLibraryRead,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, http::path_id(req, "id"));
                                         XZZF_TRY(items, svc->versions(c, id));
                                         return list(items,
                                                     static_cast<std::int64_t>(items.size()));
                                       }),
              .summary = "The versions of a norm, with what each changed"});
  router.add(
      {.method = Method::kGet,
       .pattern = "/api/v1/norms/{id}/articles",
       .handler = guard.require(Permission::kLibraryRead,
                                [svc](Request& req, const Caller& c) -> Result<Response> {
                                  XZZF_TRY(id, http::path_id(req, "id"));
                                  XZZF_TRY(version, http::query_id(req, "version_id"));
                                  const std::string date(req.query_param("date").value_or(""));
                                  XZZF_TRY(items, svc->articles(c, id, version, date));
                                  return list(items, static_cast<std::int64_t>(items.size()));
                                }),
       .summary = "The articles of a version (the latest, or the one in force on a date)"});
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/norms/{id}/amend",
              .handler = guard.require(Permission::kLibraryManage,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, http::path_id(req, "id"));
                                         XZZF_TRY(body, http::parse_json_object(req.body));
                                         XZZF_TRY(am, read_amendment(body));
                                         XZZF_TRY(r, svc->amend(c, id, am));
                                         return Response::json(
                                             201, {{"norm_id", r.norm_id},
                                                   {"version_id", r.version_id},
                                                   {"changed_count", r.changed_count},
                                                   {"removed_articles", r.removed_articles}});
                                       }),
              .body = http::BodyKind::kJson,
              .summary = "A new version from the latest text (library.manage, on the record); "
                         "items citing what changed are flagged"});
  router.add({.method = Method::kPost,
              .pattern = "/api/v1/norms/{id}/repeal",
              .handler = guard.require(Permission::kLibraryManage,
                                       [svc](Request& req, const Caller& c) -> Result<Response> {
                                         XZZF_TRY(id, http::path_id(req, "id"));
                                         XZZF_TRY(body, http::parse_json_object(req.body));
                                         http::ObjectReader r(body);
                                         XZZF_TRY(date, r.string("repealed_on"));
                                         XZZF_TRY(note, r.string("note"));
                                         XZZF_CHECK(r.finish());
                                         XZZF_TRY(n, svc->repeal(c, id, date, note));
                                         return Response::json(200, to_json(n));
                                       }),
              .body = http::BodyKind::kJson,
              .summary = "Repeal a norm (library.manage, on the record); items citing it are "
                         "flagged"});
}

}  // namespace xzzf::library
