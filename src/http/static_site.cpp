#include "http/static_site.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

namespace xzzf::http {

namespace fs = std::filesystem;

namespace {

std::string content_type_for(const std::string& ext) {
  static const std::map<std::string, std::string, std::less<>> types = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".ico", "image/x-icon"},
      {".webp", "image/webp"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json; charset=utf-8"},
  };
  auto it = types.find(ext);
  return it == types.end() ? "application/octet-stream" : it->second;
}

}  // namespace

Result<StaticSite> StaticSite::load(const std::string& dir) {
  StaticSite site;
  site.dir_ = dir;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return site;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (!in) {
      return fail(ErrorCode::kFileError,
                  field("detail", fmt::format("读取 {} 失败", it->path().string())));
    }
    auto bytes = std::make_shared<const std::string>(buffer.str());
    std::string key = "/" + fs::relative(it->path(), dir).generic_string();
    File f{bytes, content_type_for(it->path().extension().string()),
           fmt::format("\"{:016x}-{:x}\"", std::hash<std::string>{}(*bytes), bytes->size())};
    site.files_.emplace(std::move(key), std::move(f));
  }
  if (ec) return fail(ErrorCode::kFileError, field("detail", ec.message()));
  return site;
}

Result<Response> StaticSite::serve(const Request& request) const {
  if (files_.empty()) {
    return fail(ErrorCode::kUnavailable,
                field("reason", "网页界面尚未构建（请运行 npm run build）"));
  }
  std::string_view path = request.path;
  auto it = files_.find(path == "/" ? std::string_view("/index.html") : path);
  bool is_page = false;
  if (it == files_.end()) {
    auto last = path.substr(path.rfind('/') + 1);
    if (last.find('.') != std::string_view::npos) {
      return fail(ErrorCode::kHttpNotFound, field("path", std::string(path)));
    }
    it = files_.find("/index.html");
    is_page = true;
    if (it == files_.end()) return fail(ErrorCode::kHttpNotFound, field("path", std::string(path)));
  }
  const File& file = it->second;
  Response r;
  r.content_type = file.content_type;
  r.headers.emplace_back("ETag", file.etag);
  bool immutable = !is_page && path.starts_with("/assets/");
  r.headers.emplace_back("Cache-Control",
                         immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (auto inm = request.header("if-none-match"); inm && *inm == file.etag) {
    r.status = 304;
    return r;
  }
  r.status = 200;
  r.shared_body = file.bytes;
  return r;
}

}  // namespace xzzf::http
