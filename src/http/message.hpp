#pragma once

// Beast-free HTTP request and response types. server/ fills a Request from the
// wire and writes a Response back; routes and modules see only these.

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace xzzf::http {

enum class Method : std::uint8_t { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

[[nodiscard]] Method parse_method(std::string_view text);
[[nodiscard]] std::string_view method_name(Method m);
// POST, PUT, PATCH and DELETE change state; they need CSRF protection later.
[[nodiscard]] bool is_mutating(Method m);

// A request body that server/ streamed to a file in the data directory.
struct UploadedFile {
  std::string path;
  std::int64_t size = 0;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Request {
  Method method = Method::kGet;
  std::string target;                                      // as received: path and query
  std::string path;                                        // percent-decoded path, no query
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  HeaderList headers;                                      // names lower-case
  std::map<std::string, std::string, std::less<>> path_params;
  std::string body;                    // routes with a JSON body
  std::optional<UploadedFile> upload;  // routes that stream their body to a file
  std::string remote_addr;
  std::string request_id;
  // Who made the request, once authentication has said so (auth's guard sets
  // these); the access log and the audit trail record them.
  std::string actor;
  std::optional<std::int64_t> actor_user_id;
  // Set when a module has already written this request's refusal to the audit
  // trail (with more detail than the server knows), so it is not written twice.
  bool audited = false;

  [[nodiscard]] std::optional<std::string_view> header(std::string_view lower_name) const;
  [[nodiscard]] std::optional<std::string_view> query_param(std::string_view name) const;
  [[nodiscard]] std::string_view path_param(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type;
  HeaderList headers;
  std::string body;
  // A large immutable body shared between responses (static files), used
  // instead of `body` when set, so that it is not copied per request.
  std::shared_ptr<const std::string> shared_body;
  // The catalog code when this response reports an error (access log, audit).
  std::string error_code;

  [[nodiscard]] static Response json(int status, const nlohmann::json& value);
  [[nodiscard]] static Response text(int status, std::string content_type, std::string body);
  // {"error": {"code", "message", "basis"?}} with the status of the error's kind.
  [[nodiscard]] static Response error(const Error& e);
  // 204, no body.
  [[nodiscard]] static Response no_content();

  [[nodiscard]] std::string_view body_view() const {
    return shared_body ? std::string_view(*shared_body) : std::string_view(body);
  }
};

// The status an error kind answers with; http/ alone decides this.
[[nodiscard]] int status_for(ErrorKind kind);

// Decodes %XX and, for query strings, '+'; refuses malformed escapes.
[[nodiscard]] Result<std::string> percent_decode(std::string_view text, bool plus_is_space);

// %XX for every byte but RFC 3986's unreserved characters (A-Z a-z 0-9 - . _ ~):
// a path segment, or an RFC 6266 filename*.
[[nodiscard]] std::string percent_encode(std::string_view text);

// The whole body a BodyKind::kUpload route streamed to its file; 400
// http.bad_request "缺少{what}" when none came.
[[nodiscard]] Result<std::string> upload_contents(const Request& req, std::string_view what);

// A file to download, never cached: `ascii_name` for old clients and `name`
// (any UTF-8) as RFC 6266's filename*.
[[nodiscard]] Response attachment(std::string content_type, std::string bytes,
                                  std::string_view ascii_name, std::string_view name);

// An .xlsx to download, as attachment() names it.
[[nodiscard]] Response xlsx_attachment(std::string bytes, std::string_view ascii_name,
                                       std::string_view name);

// Splits "path?query" into a decoded path and decoded query pairs.
[[nodiscard]] Result<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>>
split_target(std::string_view target);

}  // namespace xzzf::http
