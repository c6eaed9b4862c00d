#include "app/routes.hpp"

#include <spdlog/spdlog.h>

#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "auth/routes.hpp"
#include "core/embedded.hpp"
#include "core/ids.hpp"
#include "http/json.hpp"
#include "library/routes.hpp"
#include "org/routes.hpp"
#include "personnel/routes.hpp"
#include "powers/routes.hpp"
#include "rules/routes.hpp"

namespace xzzf::embedded {
const std::vector<File>& openapi_files();
}  // namespace xzzf::embedded

namespace xzzf::app {

using http::Request;
using http::Response;
using nlohmann::json;

const std::string& openapi_document() {
  // Merged once: base.json, then each fragment's paths and component schemas.
  static const std::string merged = [] {
    json doc;
    std::vector<json> fragments;
    for (const auto& f : embedded::openapi_files()) {
      if (f.path == "docs/openapi/base.json") {
        doc = json::parse(f.bytes);
      } else if (f.path.ends_with(".paths.json")) {
        fragments.push_back(json::parse(f.bytes));
      }
    }
    doc["paths"] = json::object();
    for (auto& fragment : fragments) {
      for (auto& [path, ops] : fragment["paths"].items()) doc["paths"][path].update(ops);
      if (fragment.contains("components")) {
        for (auto& [kind, items] : fragment["components"].items())
          doc["components"][kind].update(items);
      }
    }
    return doc.dump(2);
  }();
  return merged;
}

void register_ops_routes(http::Router& router, AppContext& ctx) {
  router.add({.method = http::Method::kGet,
              .pattern = "/healthz",
              .handler = [](Request&) -> Result<Response> {
                return Response::json(200, {{"status", "ok"}});
              },
              .exec = http::Exec::kInline,
              .summary = "Liveness: the process answers"});
  router.add(
      {.method = http::Method::kGet,
       .pattern = "/readyz",
       .handler = [&ctx](Request&) -> Result<Response> {
         if (ctx.shutting_down())
           return fail(ErrorCode::kUnavailable, field("reason", "服务正在关闭"));
         if (ctx.db == nullptr)
           return fail(ErrorCode::kUnavailable, field("reason", "未连接数据库"));
         if (auto ping = ctx.db->ping(); !ping) return fail(ping.error());
         auto status = ctx.db->migration_status();
         if (!status) return fail(status.error());
         if (status->current < status->latest) {
           return fail(ErrorCode::kUnavailable, field("reason", "数据库迁移尚未完成"));
         }
         return Response::json(200, {{"status", "ready"}, {"schema_version", status->current}});
       },
       .summary = "Readiness: database answering and migrated, not shutting down"});
  router.add({.method = http::Method::kGet,
              .pattern = "/metrics",
              .handler = [&ctx](Request&) -> Result<Response> {
                return Response::text(200, "text/plain; version=0.0.4; charset=utf-8",
                                      ctx.metrics ? ctx.metrics->render() : std::string());
              },
              .exec = http::Exec::kInline,
              .summary = "Prometheus metrics"});
}

void register_public_routes(http::Router& router, AppContext& ctx) {
  router.add({.method = http::Method::kGet,
              .pattern = "/api/v1/public/info",
              .handler = [&ctx](Request&) -> Result<Response> {
                return Response::json(200, {{"name", ctx.config.deployment.name},
                                            {"version", XZZF_VERSION},
                                            {"time", format_shanghai_iso8601(ctx.clock.now())}});
              },
              .exec = http::Exec::kInline,
              .summary = "Deployment name, version and server time"});
  auto openapi = std::make_shared<const std::string>(openapi_document());
  router.add({.method = http::Method::kGet,
              .pattern = "/api/v1/openapi.json",
              .handler = [openapi](Request&) -> Result<Response> {
                Response r;
                r.content_type = "application/json; charset=utf-8";
                r.headers.emplace_back("Cache-Control", "no-cache");
                r.shared_body = openapi;
                return r;
              },
              .exec = http::Exec::kInline,
              .summary = "This API's OpenAPI 3 document"});
}

namespace {

Result<std::string> sha256_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kFileError, field("detail", "无法读取上传文件"));
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(md.get(), EVP_sha256(), nullptr);
  std::array<char, 64 * 1024> buffer{};
  while (in) {
    in.read(buffer.data(), buffer.size());
    EVP_DigestUpdate(md.get(), buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(md.get(), digest.data(), &len);
  std::string hex;
  for (unsigned i = 0; i < len; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

}  // namespace

void register_test_routes(http::Router& router, AppContext& /*ctx*/) {
  router.add({.method = http::Method::kPost,
              .pattern = "/api/v1/test/echo",
              .handler = [](Request& req) -> Result<Response> {
                auto body = http::parse_json_object(req.body);
                if (!body) return fail(body.error());
                http::ObjectReader reader(*body);
                auto text = reader.string("text");
                if (!text) return fail(text.error());
                auto count = reader.optional_integer("count");
                if (!count) return fail(count.error());
                if (auto done = reader.finish(); !done) return fail(done.error());
                json out = {{"text", *text}};
                if (*count) out["count"] = **count;
                return Response::json(200, out);
              },
              .body = http::BodyKind::kJson,
              .summary = "Test only: echoes a JSON command (unknown fields refused)"});
  router.add({.method = http::Method::kPost,
              .pattern = "/api/v1/test/upload",
              .handler = [](Request& req) -> Result<Response> {
                if (!req.upload)
                  return fail(ErrorCode::kHttpBadRequest, field("detail", "缺少上传内容"));
                auto digest = sha256_file(req.upload->path);
                if (!digest) return fail(digest.error());
                return Response::json(200, {{"bytes", req.upload->size}, {"sha256", *digest}});
              },
              .body = http::BodyKind::kUpload,
              .summary = "Test only: streams the body to a file and returns its size and SHA-256"});
  router.add({.method = http::Method::kGet,
              .pattern = "/api/v1/test/sleep",
              .handler = [](Request& req) -> Result<Response> {
                std::int64_t ms = 0;
                if (auto v = req.query_param("ms")) {
                  auto parsed = parse_id(*v);
                  if (!parsed || *parsed > 10000) {
                    return fail(ErrorCode::kQueryInvalid, field("name", "ms"),
                                field("detail", "应为 1 到 10000"));
                  }
                  ms = *parsed;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(ms));
                return Response::json(200, {{"slept_ms", ms}});
              },
              .summary = "Test only: answers after ms milliseconds (graceful shutdown tests)"});
  router.add({.method = http::Method::kGet,
              .pattern = "/api/v1/test/crash",
              .handler = [](Request&) -> Result<Response> {
                throw std::runtime_error("deliberate failure for the catch-all test");
              },
              .summary = "Test only: throws, to prove the catch-all answers 500"});
}

void register_web_fallback(http::Router& router, AppContext& ctx) {
  router.set_fallback([&ctx](Request& req) -> Result<Response> {
    if (ctx.site == nullptr) return fail(ErrorCode::kHttpNotFound, field("path", req.path));
    return ctx.site->serve(req);
  });
}

void register_module_routes(http::Router& router, AppContext& ctx) {
  if (ctx.db == nullptr || ctx.guard == nullptr || ctx.auth == nullptr || ctx.trail == nullptr ||
      ctx.sealer == nullptr) {
    spdlog::critical("register_module_routes: the database and the services must be built first");
    std::abort();
  }
  auth::register_routes(router, {.service = *ctx.auth, .guard = *ctx.guard});
  auto powers = std::make_shared<const powers::PowerService>(*ctx.db, ctx.clock);
  org::register_routes(router, {.db = *ctx.db,
                                .guard = *ctx.guard,
                                .audit = *ctx.trail,
                                .clock = ctx.clock,
                                .on_merge = [powers](storage::Tx& tx, const org::MergeEvent& e) {
                                  return powers->follow_merge(tx, e);
                                }});
  library::register_routes(router, *ctx.guard,
                           std::make_shared<const library::LibraryService>(*ctx.db, ctx.clock));
  powers::register_routes(router, *ctx.guard, powers);
  powers::register_public_routes(router, powers, ctx.config.portal.search_total_cap);
  powers::register_authorization_routes(
      router, *ctx.guard, std::make_shared<const powers::AuthorizationService>(*ctx.db, ctx.clock));
  rules::register_routes(router, *ctx.guard,
                         std::make_shared<const rules::RuleService>(*ctx.db, ctx.clock));
  auto personnel = std::make_shared<const personnel::PersonnelService>(
      *ctx.db, *ctx.sealer, *ctx.trail, ctx.clock,
      personnel::Settings{.reminder_days = ctx.config.personnel.reminder_days,
                          .rotation_years = ctx.config.personnel.rotation_years,
                          .photo_max_kib = ctx.config.personnel.photo_max_kib,
                          .number_issuer = ctx.config.personnel.number_issuer == "self"
                                               ? personnel::NumberIssuer::kSelf
                                               : personnel::NumberIssuer::kProvince,
                          .number_prefix = ctx.config.personnel.number_prefix});
  personnel::register_routes(router, *ctx.guard, personnel);
  personnel::register_public_routes(router, personnel, ctx.config.portal.public_url);
  ctx.record_routes = record::register_routes(router, {.db = *ctx.db,
                                                       .guard = *ctx.guard,
                                                       .audit = *ctx.trail,
                                                       .clock = ctx.clock,
                                                       .public_key = ctx.record_key,
                                                       .policy = ctx.record_policy});
}

void register_all_routes(http::Router& router, AppContext& ctx) {
  register_ops_routes(router, ctx);
  register_module_routes(router, ctx);
  register_public_routes(router, ctx);
  if (ctx.config.testing.routes) register_test_routes(router, ctx);
  register_web_fallback(router, ctx);
}

}  // namespace xzzf::app
