#include "library/routes.hpp"

#include <nlohmann/json.hpp>

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

json opt(const std::optional<std::string>& v) {
  return v ? json(*v) : json(nullptr);
}

json to_json(const Norm& n) {
  return {{"id", n.id},
          {"title", n.title},
          {"level", n.level},
          {"level_name", level_name(n.level)},
          {"issuer", n.issuer},
          {"doc_number", n.doc_number},
          {"region_code", n.region_code},
          {"adopted_on", opt(n.adopted_on)},
          {"repealed_on", opt(n.repealed_on)},
          {"version_count", n.version_count},
          {"latest_version_id", n.latest_version_id ? json(*n.latest_version_id) : json(nullptr)},
          {"latest_version_date", opt(n.latest_version_date)},
          {"latest_effective_on", opt(n.latest_effective_on)},
          {"earliest_version_date", opt(n.earliest_version_date)}};
}

json to_json(const NormVersion& v) {
  return {{"id", v.id},
          {"norm_id", v.norm_id},
          {"version_date", v.version_date},
          {"effective_on", opt(v.effective_on)},
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
}

}  // namespace xzzf::library
