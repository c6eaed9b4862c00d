#include "core/config.hpp"

#include <toml++/toml.h>
#include <charconv>
#include <cstdlib>

namespace xzzf {

namespace {

Result<void> invalid(std::string_view key, std::string detail) {
  return fail(ErrorCode::kConfigInvalid, field("key", std::string(key)),
              field("detail", std::move(detail)));
}

template <typename Int>
Result<void> parse_int(std::string_view key, std::string_view text, Int min, Int max, Int& out) {
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || ptr != text.data() + text.size()) {
    return invalid(key, fmt::format("应为整数，实际为“{}”", text));
  }
  if (v < static_cast<std::int64_t>(min) || v > static_cast<std::int64_t>(max)) {
    return invalid(key, fmt::format("应在 {} 到 {} 之间，实际为 {}", min, max, v));
  }
  out = static_cast<Int>(v);
  return {};
}

// Helpers that bind a key to a field through an accessor lambda.
template <typename Access>
ConfigKey integer(std::string_view section, std::string_view key, std::int64_t min,
                  std::int64_t max, std::string_view description, Access access) {
  std::string dotted = fmt::format("{}.{}", section, key);
  return ConfigKey{section,
                   key,
                   "integer",
                   description,
                   [=](Config& c, std::string_view v) -> Result<void> {
                     auto& ref = access(c);
                     using T = std::remove_reference_t<decltype(ref)>;
                     return parse_int<T>(dotted, v, static_cast<T>(min), static_cast<T>(max), ref);
                   },
                   [=](const Config& c) { return std::to_string(access(const_cast<Config&>(c))); }};
}

template <typename Access>
ConfigKey string(std::string_view section, std::string_view key, std::string_view description,
                 Access access, std::vector<std::string_view> allowed = {}) {
  std::string dotted = fmt::format("{}.{}", section, key);
  return ConfigKey{section,
                   key,
                   "string",
                   description,
                   [=](Config& c, std::string_view v) -> Result<void> {
                     if (!allowed.empty()) {
                       bool ok = false;
                       for (auto a : allowed) ok = ok || a == v;
                       if (!ok) return invalid(dotted, fmt::format("不支持的取值“{}”", v));
                     }
                     access(c) = std::string(v);
                     return {};
                   },
                   [=](const Config& c) { return access(const_cast<Config&>(c)); }};
}

// A string with its own check: nullopt when the value is acceptable, else
// what is wrong.
template <typename Access, typename Check>
ConfigKey string_checked(std::string_view section, std::string_view key,
                         std::string_view description, Access access, Check check) {
  std::string dotted = fmt::format("{}.{}", section, key);
  return ConfigKey{section,
                   key,
                   "string",
                   description,
                   [=](Config& c, std::string_view v) -> Result<void> {
                     if (auto problem = check(v)) return invalid(dotted, *problem);
                     access(c) = std::string(v);
                     return {};
                   },
                   [=](const Config& c) { return access(const_cast<Config&>(c)); }};
}

template <typename Access>
ConfigKey boolean(std::string_view section, std::string_view key, std::string_view description,
                  Access access) {
  std::string dotted = fmt::format("{}.{}", section, key);
  return ConfigKey{section,
                   key,
                   "bool",
                   description,
                   [=](Config& c, std::string_view v) -> Result<void> {
                     if (v == "true" || v == "1") {
                       access(c) = true;
                     } else if (v == "false" || v == "0") {
                       access(c) = false;
                     } else {
                       return invalid(dotted, fmt::format("应为 true 或 false，实际为“{}”", v));
                     }
                     return {};
                   },
                   [=](const Config& c) {
                     return std::string(access(const_cast<Config&>(c)) ? "true" : "false");
                   }};
}

constexpr std::int64_t kGiB = std::int64_t{1024} * 1024 * 1024;

std::vector<ConfigKey> make_keys() {
  std::vector<ConfigKey> k;
  k.push_back(string("server", "listen",
                     "Address and port to listen on, HOST:PORT (port 0 picks a free one)",
                     [](Config& c) -> std::string& { return c.server.listen; }));
  k.push_back(integer("server", "threads", 0, 256, "Network threads; 0 means one per core",
                      [](Config& c) -> int& { return c.server.threads; }));
  k.push_back(integer("server", "workers", 1, 1024,
                      "Threads for handlers that block on the database or files",
                      [](Config& c) -> int& { return c.server.workers; }));
  k.push_back(integer("server", "shutdown_grace_seconds", 0, 3600,
                      "On SIGTERM, how long in-flight requests may take to finish",
                      [](Config& c) -> int& { return c.server.shutdown_grace_seconds; }));
  k.push_back(string("db", "url",
                     "sqlite:///absolute/path.db or postgresql://user:pass@host:port/dbname",
                     [](Config& c) -> std::string& { return c.db.url; }));
  k.push_back(integer("db", "pool_size", 1, 512, "Database connections in the pool",
                      [](Config& c) -> int& { return c.db.pool_size; }));
  k.push_back(integer("db", "busy_timeout_ms", 0, 600000,
                      "SQLite: how long a writer waits for the lock",
                      [](Config& c) -> int& { return c.db.busy_timeout_ms; }));
  k.push_back(integer("http", "json_body_limit", 1024, 64 * 1024 * 1024,
                      "Largest JSON request body, bytes",
                      [](Config& c) -> std::int64_t& { return c.http.json_body_limit; }));
  k.push_back(integer("http", "upload_body_limit", 1024, 1024 * kGiB,
                      "Largest streamed upload (evidence files), bytes",
                      [](Config& c) -> std::int64_t& { return c.http.upload_body_limit; }));
  k.push_back(integer("http", "header_limit", 1024, 1024 * 1024,
                      "Largest request header block, bytes",
                      [](Config& c) -> std::int64_t& { return c.http.header_limit; }));
  k.push_back(integer("http", "read_timeout_seconds", 1, 3600,
                      "A request must arrive within this time (uploads: between two chunks)",
                      [](Config& c) -> int& { return c.http.read_timeout_seconds; }));
  k.push_back(integer("http", "idle_timeout_seconds", 1, 3600,
                      "Keep-alive connections idle this long are closed",
                      [](Config& c) -> int& { return c.http.idle_timeout_seconds; }));
  k.push_back(string("data", "dir", "Data directory: uploads, keys, logs",
                     [](Config& c) -> std::string& { return c.data.dir; }));
  k.push_back(
      string("web", "dir",
             "Built web app (web/dist); empty: found next to the working directory or binary",
             [](Config& c) -> std::string& { return c.web.dir; }));
  k.push_back(string("deployment", "name", "Name shown on the portal and console",
                     [](Config& c) -> std::string& { return c.deployment.name; }));
  k.push_back(integer("personnel", "reminder_days", 1, 366,
                      "Certificates due for annual review or expiry are shown this many days "
                      "before",
                      [](Config& c) -> int& { return c.personnel.reminder_days; }));
  k.push_back(integer("personnel", "rotation_years", 1, 30,
                      "Officers longer than this in one post are listed for rotation",
                      [](Config& c) -> int& { return c.personnel.rotation_years; }));
  k.push_back(integer("personnel", "photo_max_kib", 16, 8192,
                      "The largest officer's photo (JPEG or PNG) accepted, in KiB",
                      [](Config& c) -> int& { return c.personnel.photo_max_kib; }));
  k.push_back(string("personnel", "number_issuer",
                     "Who numbers certificates: province (numbers are entered or imported) or "
                     "self (a deployment at province level issues them)",
                     [](Config& c) -> std::string& { return c.personnel.number_issuer; },
                     {"province", "self"}));
  k.push_back(string_checked(
      "personnel", "number_prefix",
      "Prefix of the numbers a self-issuing deployment gives: prefix + 8 digits",
      [](Config& c) -> std::string& { return c.personnel.number_prefix; },
      [](std::string_view v) -> std::optional<std::string> {
        std::size_t chars = 0;
        for (unsigned char ch : v) {
          if (ch < 0x20 || ch == ' ' || ch == 0x7F) return "不能含空格或控制字符";
          chars += (ch & 0xC0) != 0x80 ? 1 : 0;
        }
        if (chars < 1 || chars > 16) return "应为 1 至 16 个字符";
        return std::nullopt;
      }));
  k.push_back(string("privacy", "key_file",
                     "Personal data key (mode 0600) every instance shares; empty: "
                     "DATA_DIR/personal-data.key, made at the first start",
                     [](Config& c) -> std::string& { return c.privacy.key_file; }));
  k.push_back(string("portal", "public_url",
                     "The portal's public address (https://…), where certificate QR codes "
                     "lead; empty: the address each request came to",
                     [](Config& c) -> std::string& { return c.portal.public_url; }));
  k.push_back(integer("portal", "search_total_cap", 100, 1000000,
                      "A portal search counts its matches up to this, then shows \"more than\"",
                      [](Config& c) -> int& { return c.portal.search_total_cap; }));
  k.push_back(string("log", "level", "trace, debug, info, warn, error",
                     [](Config& c) -> std::string& { return c.log.level; },
                     {"trace", "debug", "info", "warn", "error"}));
  k.push_back(string("log", "access", "Access log: stdout, file (DATA_DIR/logs/access.log) or off",
                     [](Config& c) -> std::string& { return c.log.access; },
                     {"stdout", "file", "off"}));
  k.push_back(integer("auth", "lockout_threshold", 1, 100,
                      "Failed logins of one user name before the name is locked",
                      [](Config& c) -> int& { return c.auth.lockout_threshold; }));
  k.push_back(integer("auth", "lockout_minutes", 1, 24 * 60,
                      "How long a locked user name stays locked, minutes",
                      [](Config& c) -> int& { return c.auth.lockout_minutes; }));
  k.push_back(integer("auth", "idle_timeout_minutes", 1, 24 * 60,
                      "A session unused this long ends, minutes",
                      [](Config& c) -> int& { return c.auth.idle_timeout_minutes; }));
  k.push_back(integer("auth", "password_min_length", 8, 128,
                      "Shortest password, characters (3 of 4 classes are also required)",
                      [](Config& c) -> int& { return c.auth.password_min_length; }));
  k.push_back(integer("auth", "password_max_age_days", 1, 3650,
                      "A password older than this must be changed at the next login, days",
                      [](Config& c) -> int& { return c.auth.password_max_age_days; }));
  k.push_back(boolean("auth", "cookie_secure",
                      "Marks the session cookie Secure (set it when served over TLS)",
                      [](Config& c) -> bool& { return c.auth.cookie_secure; }));
  k.push_back(integer("auth", "max_concurrent_hashes", 1, 64,
                      "Password hashes computed at once (argon2id, 64 MiB of memory each)",
                      [](Config& c) -> int& { return c.auth.max_concurrent_hashes; }));
  k.push_back(string("record", "key_file",
                     "Checkpoint signing key file (mode 0600); empty: DATA_DIR/record-signing.key, "
                     "created at first start",
                     [](Config& c) -> std::string& { return c.record.key_file; }));
  k.push_back(string("record", "hash_algorithm",
                     "Hash of the record's Merkle tree, chosen when the database is created",
                     [](Config& c) -> std::string& { return c.record.hash_algorithm; },
                     {"sha256", "sm3"}));
  k.push_back(integer("record", "checkpoint_every_entries", 1, 1000000,
                      "A signed checkpoint after this many new entries",
                      [](Config& c) -> int& { return c.record.checkpoint_every_entries; }));
  k.push_back(integer("record", "checkpoint_every_seconds", 1, 7 * 24 * 3600,
                      "A signed checkpoint this many seconds after the last, when entries are new",
                      [](Config& c) -> int& { return c.record.checkpoint_every_seconds; }));
  k.push_back(
      boolean("testing", "routes",
              "Registers the /api/v1/test/* routes used by the test suite; never in production",
              [](Config& c) -> bool& { return c.testing.routes; }));
  k.push_back(integer("testing", "idle_timeout_seconds", 0, 3600,
                      "Test suite only: when > 0, replaces auth.idle_timeout_minutes",
                      [](Config& c) -> int& { return c.testing.idle_timeout_seconds; }));
  k.push_back(boolean("testing", "fast_hashing",
                      "Test suite only: cheap password hashing parameters; never in production",
                      [](Config& c) -> bool& { return c.testing.fast_hashing; }));
  return k;
}

const ConfigKey* find_key(std::string_view dotted) {
  for (const auto& k : config_keys()) {
    if (k.dotted() == dotted) return &k;
  }
  return nullptr;
}

std::optional<std::string> toml_scalar(const toml::node& node) {
  if (auto s = node.value<std::string>()) return *s;
  if (node.is_boolean()) return std::string(*node.value<bool>() ? "true" : "false");
  if (auto i = node.value_exact<std::int64_t>()) return std::to_string(*i);
  return std::nullopt;
}

}  // namespace

std::string ConfigKey::dotted() const {
  return fmt::format("{}.{}", section, key);
}

std::string ConfigKey::env_name() const {
  std::string name = fmt::format("XZZF_{}_{}", section, key);
  for (auto& ch : name) {
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  }
  return name;
}

const std::vector<ConfigKey>& config_keys() {
  static const std::vector<ConfigKey> keys = make_keys();
  return keys;
}

std::optional<std::string> process_env(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

Result<Config> load_config(const ConfigSources& sources) {
  Config config;
  if (sources.file) {
    toml::table table;
    try {
      table = toml::parse_file(*sources.file);
    } catch (const toml::parse_error& e) {
      return fail(invalid(*sources.file,
                          fmt::format("第 {} 行：{}", e.source().begin.line, e.description()))
                      .error());
    }
    for (const auto& [section, node] : table) {
      const auto* sub = node.as_table();
      if (sub == nullptr) {
        return fail(invalid(section.str(), "应为一个表（[section]）").error());
      }
      for (const auto& [key, value] : *sub) {
        std::string dotted = fmt::format("{}.{}", section.str(), key.str());
        const ConfigKey* k = find_key(dotted);
        if (k == nullptr) return fail(invalid(dotted, "未知的配置项").error());
        auto text = toml_scalar(value);
        if (!text) return fail(invalid(dotted, "取值类型不支持").error());
        if (auto r = k->set(config, *text); !r) return fail(r.error());
      }
    }
  }
  if (sources.environment) {
    for (const auto& k : config_keys()) {
      if (auto v = sources.environment(k.env_name())) {
        if (auto r = k.set(config, *v); !r) return fail(r.error());
      }
    }
  }
  for (const auto& [dotted, value] : sources.overrides) {
    const ConfigKey* k = find_key(dotted);
    if (k == nullptr) return fail(invalid(dotted, "未知的配置项").error());
    if (auto r = k->set(config, value); !r) return fail(r.error());
  }
  return config;
}

}  // namespace xzzf
