#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <set>
#include <string>

#include "storage/database.hpp"

namespace xzzf::storage {
namespace {

constexpr std::string_view kSqliteMemory = "sqlite::memory:";
constexpr std::string_view kSqlitePrefix = "sqlite://";

tl::unexpected<Error> invalid(std::string detail) {
  return fail(ErrorCode::kDbUrlInvalid, field("detail", std::move(detail)));
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XX escapes; a NUL byte or a broken escape is refused.
std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    const int hi = hex_digit(s[i + 1]);
    const int lo = hex_digit(s[i + 2]);
    if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

// The keywords libpq accepts (host, sslmode, options, …), asked of libpq itself
// so that a URL option it would refuse at connect time is refused here.
const std::set<std::string, std::less<>>& libpq_keywords() {
  static const std::set<std::string, std::less<>> keywords = [] {
    std::set<std::string, std::less<>> out;
    PQconninfoOption* options = PQconndefaults();
    for (PQconninfoOption* o = options; o != nullptr && o->keyword != nullptr; ++o) {
      out.insert(o->keyword);
    }
    PQconninfoFree(options);
    return out;
  }();
  return keywords;
}

void append_conninfo(std::string& conninfo, std::string_view key, std::string_view value) {
  if (!conninfo.empty()) conninfo.push_back(' ');
  conninfo.append(key);
  conninfo += "='";
  for (char c : value) {
    if (c == '\\' || c == '\'') conninfo.push_back('\\');
    conninfo.push_back(c);
  }
  conninfo.push_back('\'');
}

Result<DbUrl> parse_sqlite(std::string_view url) {
  DbUrl out;
  out.dialect = Dialect::kSqlite;
  out.text = std::string(url);
  if (url == kSqliteMemory) {
    out.sqlite_path = ":memory:";
    return out;
  }
  if (!url.starts_with(kSqlitePrefix)) {
    return invalid("SQLite 地址应为 sqlite:///绝对路径 或 sqlite::memory:");
  }
  std::string_view rest = url.substr(kSqlitePrefix.size());
  if (rest.empty() || rest.front() != '/') {
    return invalid("SQLite 数据库文件须为绝对路径（sqlite:///绝对路径）");
  }
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return invalid("SQLite 地址不接受参数");
  }
  auto path = percent_decode(rest);
  if (!path) return invalid("路径中的 % 转义无效");
  if (path->back() == '/') return invalid("路径须指向文件而非目录");
  // SOCI reads its connect string as key=value pairs when it holds '=': such a
  // path is quoted, and then it cannot also hold a quote.
  if (path->find('=') != std::string::npos && path->find('"') != std::string::npos) {
    return invalid("路径不能同时包含 = 与 \"");
  }
  out.sqlite_path = std::move(*path);
  return out;
}

Result<DbUrl> parse_postgres(std::string_view url, std::size_t scheme_end) {
  DbUrl out;
  out.dialect = Dialect::kPostgres;
  out.text = std::string(url);
  std::string_view rest = url.substr(scheme_end);
  if (rest.find('#') != std::string_view::npos) return invalid("地址不能包含 #");

  std::string_view query;
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string_view authority = rest;
  std::string_view path;
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    authority = rest.substr(0, slash);
    path = rest.substr(slash + 1);
  }

  std::string conninfo;
  std::string_view hostport = authority;
  std::string_view userinfo;
  bool has_userinfo = false;
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    userinfo = authority.substr(0, at);
    hostport = authority.substr(at + 1);
    has_userinfo = true;
  }

  std::string_view host = hostport;
  std::string_view port;
  if (hostport.starts_with('[')) {
    auto close = hostport.find(']');
    if (close == std::string_view::npos) return invalid("IPv6 主机缺少 ]");
    host = hostport.substr(1, close - 1);
    std::string_view after = hostport.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return invalid("主机后应为 :端口");
      port = after.substr(1);
      if (port.empty()) return invalid("端口为空");
    }
  } else if (auto colon = hostport.rfind(':'); colon != std::string_view::npos) {
    host = hostport.substr(0, colon);
    port = hostport.substr(colon + 1);
    if (port.empty()) return invalid("端口为空");
  }
  if (!host.empty()) {
    auto decoded = percent_decode(host);
    if (!decoded) return invalid("主机中的 % 转义无效");
    append_conninfo(conninfo, "host", *decoded);
  }
  if (!port.empty()) {
    int number = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (ec != std::errc{} || ptr != port.data() + port.size() || number < 1 || number > 65535) {
      return invalid("端口应为 1 至 65535 的数字");
    }
    append_conninfo(conninfo, "port", port);
  }
  if (!path.empty()) {
    auto dbname = percent_decode(path);
    if (!dbname || dbname->find('/') != std::string::npos) return invalid("数据库名无效");
    append_conninfo(conninfo, "dbname", *dbname);
  }
  if (has_userinfo) {
    std::string_view user = userinfo;
    std::optional<std::string_view> password;
    if (auto colon = userinfo.find(':'); colon != std::string_view::npos) {
      user = userinfo.substr(0, colon);
      password = userinfo.substr(colon + 1);
    }
    auto decoded_user = percent_decode(user);
    if (!decoded_user) return invalid("用户名中的 % 转义无效");
    if (!decoded_user->empty()) append_conninfo(conninfo, "user", *decoded_user);
    if (password) {
      auto decoded_password = percent_decode(*password);
      // The detail never quotes the password.
      if (!decoded_password) return invalid("密码中的 % 转义无效");
      append_conninfo(conninfo, "password", *decoded_password);
    }
  }

  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    if (eq == std::string_view::npos) return invalid("参数应为 名=值");
    auto key = percent_decode(pair.substr(0, eq));
    auto value = percent_decode(pair.substr(eq + 1));
    if (!key || !value) return invalid("参数中的 % 转义无效");
    if (!libpq_keywords().contains(*key)) return invalid("未知的 PostgreSQL 连接参数 " + *key);
    append_conninfo(conninfo, *key, *value);
  }
  out.pg_conninfo = std::move(conninfo);
  return out;
}

}  // namespace

Result<DbUrl> DbUrl::parse(std::string_view url) {
  if (url.starts_with("sqlite:")) return parse_sqlite(url);
  for (std::string_view scheme : {"postgresql://", "postgres://"}) {
    if (url.starts_with(scheme)) return parse_postgres(url, scheme.size());
  }
  auto colon = url.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 32) {
    return invalid("缺少协议（sqlite: 或 postgresql:）");
  }
  return invalid("不支持的协议 " + std::string(url.substr(0, colon)));
}

std::string DbUrl::redacted() const {
  if (dialect != Dialect::kPostgres) return text;
  std::string out = text;
  auto start = out.find("://");
  if (start == std::string::npos) return out;
  start += 3;
  auto authority_end = out.find_first_of("/?#", start);
  if (authority_end == std::string::npos) authority_end = out.size();
  auto at = out.rfind('@', authority_end);
  if (at != std::string::npos && at >= start) {
    auto colon = out.find(':', start);
    if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  }
  // A password given as a query option.
  auto q = out.find('?');
  while (q != std::string::npos) {
    const std::size_t key_start = q + 1;
    const std::string_view key = "password=";
    const std::size_t value_end = std::min(out.find('&', key_start), out.size());
    if (out.compare(key_start, key.size(), key) == 0) {
      out.replace(key_start + key.size(), value_end - key_start - key.size(), "***");
    }
    q = out.find('&', key_start);
  }
  return out;
}

}  // namespace xzzf::storage
