#include "http/message.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace xzzf::http {

Method parse_method(std::string_view text) {
  if (text == "GET") return Method::kGet;
  if (text == "HEAD") return Method::kHead;
  if (text == "POST") return Method::kPost;
  if (text == "PUT") return Method::kPut;
  if (text == "PATCH") return Method::kPatch;
  if (text == "DELETE") return Method::kDelete;
  if (text == "OPTIONS") return Method::kOptions;
  return Method::kOther;
}

std::string_view method_name(Method m) {
  switch (m) {
    case Method::kGet:
      return "GET";
    case Method::kHead:
      return "HEAD";
    case Method::kPost:
      return "POST";
    case Method::kPut:
      return "PUT";
    case Method::kPatch:
      return "PATCH";
    case Method::kDelete:
      return "DELETE";
    case Method::kOptions:
      return "OPTIONS";
    case Method::kOther:
      break;
  }
  return "OTHER";
}

bool is_mutating(Method m) {
  return m == Method::kPost || m == Method::kPut || m == Method::kPatch || m == Method::kDelete;
}

std::optional<std::string_view> Request::header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return std::nullopt;
}

std::optional<std::string_view> Request::query_param(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::string_view Request::path_param(std::string_view name) const {
  auto it = path_params.find(name);
  return it == path_params.end() ? std::string_view() : std::string_view(it->second);
}

Response Response::json(int status, const nlohmann::json& value) {
  Response r;
  r.status = status;
  r.content_type = "application/json; charset=utf-8";
  r.body = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response Response::text(int status, std::string content_type, std::string body) {
  Response r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

Response Response::no_content() {
  Response r;
  r.status = 204;
  return r;
}

Response Response::error(const Error& e) {
  nlohmann::json err = {{"code", e.code_string()}, {"message", e.message}};
  if (e.basis) err["basis"] = *e.basis;
  Response r = json(status_for(e.kind()), {{"error", std::move(err)}});
  r.error_code = std::string(e.code_string());
  return r;
}

int status_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidInput:
      return 400;
    case ErrorKind::kUnauthenticated:
      return 401;
    case ErrorKind::kForbidden:
      return 403;
    case ErrorKind::kNotFound:
      return 404;
    case ErrorKind::kMethodNotAllowed:
      return 405;
    case ErrorKind::kTimeout:
      return 408;
    case ErrorKind::kConflict:
      return 409;
    case ErrorKind::kTooLarge:
      return 413;
    case ErrorKind::kRuleRefused:
      return 422;
    case ErrorKind::kUnavailable:
      return 503;
    case ErrorKind::kInternal:
      return 500;
  }
  return 500;
}

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string percent_encode(std::string_view text) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0x0F];
    }
  }
  return out;
}

Result<std::string> upload_contents(const Request& req, std::string_view what) {
  if (!req.upload) {
    return fail(ErrorCode::kHttpBadRequest, field("detail", "缺少" + std::string(what)));
  }
  std::ifstream in(req.upload->path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

Response attachment(std::string content_type, std::string bytes, std::string_view ascii_name,
                    std::string_view name) {
  Response r = Response::text(200, std::move(content_type), std::move(bytes));
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" +
                                                    std::string(ascii_name) +
                                                    "\"; filename*=UTF-8''" + percent_encode(name));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Response xlsx_attachment(std::string bytes, std::string_view ascii_name, std::string_view name) {
  return attachment("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    std::move(bytes), ascii_name, name);
}

Result<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      int hi = i + 2 < text.size() ? hex_value(text[i + 1]) : -1;
      int lo = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return fail(ErrorCode::kHttpBadRequest, field("detail", "地址中的百分号编码无效"));
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Result<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> split_target(
    std::string_view target) {
  auto q = target.find('?');
  std::string_view raw_path = target.substr(0, q);
  if (raw_path.empty() || raw_path.front() != '/') {
    return fail(ErrorCode::kHttpBadRequest, field("detail", "请求地址须以 / 开头"));
  }
  auto path = percent_decode(raw_path, false);
  if (!path) return fail(path.error());
  if (path->find('\0') != std::string::npos) {
    return fail(ErrorCode::kHttpBadRequest, field("detail", "请求地址含有空字符"));
  }
  std::vector<std::pair<std::string, std::string>> query;
  if (q != std::string_view::npos) {
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
      auto amp = rest.find('&');
      std::string_view pair = rest.substr(0, amp);
      rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
      if (pair.empty()) continue;
      auto eq = pair.find('=');
      auto key = percent_decode(pair.substr(0, eq), true);
      auto value = percent_decode(
          eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
      if (!key || !value) {
        return fail(ErrorCode::kQueryInvalid, field("name", std::string(pair.substr(0, eq))),
                    field("detail", "百分号编码无效"));
      }
      query.emplace_back(std::move(*key), std::move(*value));
    }
  }
  return std::pair{std::move(*path), std::move(query)};
}

}  // namespace xzzf::http
