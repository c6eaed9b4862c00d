#pragma once

// Configuration of one xzzf process. Values come from, in rising precedence:
// built-in defaults < a TOML file (--config) < environment variables
// XZZF_<SECTION>_<KEY> < command-line flags. Every key is declared once, in
// config.cpp's table, which docs/configuration.md and config/xzzf.example.toml
// mirror (a test keeps them in step). None of these settings is a rule of law:
// thresholds and deadlines set by law live in the rule set, never here.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace xzzf {

struct Config {
  struct Server {
    std::string listen = "127.0.0.1:8080";
    int threads = 0;  // 0: one per core
    int workers = 8;  // threads for handlers that block (database, files)
    int shutdown_grace_seconds = 30;
  } server;
  struct Db {
    std::string url;
    int pool_size = 8;
    int busy_timeout_ms = 5000;
  } db;
  struct Http {
    std::int64_t json_body_limit = 64 * 1024;
    std::int64_t upload_body_limit = std::int64_t{4} * 1024 * 1024 * 1024;
    std::int64_t header_limit = 16 * 1024;
    int read_timeout_seconds = 30;
    int idle_timeout_seconds = 75;
  } http;
  struct Data {
    std::string dir = "./data";
  } data;
  struct Web {
    std::string dir;  // empty: web/dist next to the working directory or the binary
  } web;
  struct Deployment {
    std::string name = "永城市行政执法监督平台";
  } deployment;
  struct Personnel {
    int reminder_days =
        60;  // certificates due for 年审 or expiry turn yellow this many days before
    int rotation_years = 5;    // 定期轮岗: officers longer in one post are listed
    int photo_max_kib = 1024;  // the largest officer's photo accepted
    // Who numbers certificates: province (entered or imported) or self.
    std::string number_issuer = "province";
    // Of self-issued numbers: the prefix, then 8 digits.
    std::string number_prefix = "豫";
  } personnel;
  struct Privacy {
    std::string key_file;  // empty: DATA_DIR/personal-data.key, made at the first start
  } privacy;
  struct Portal {
    int search_total_cap = 1000;  // a search's total is counted up to this ("1,000 项以上")
    std::string public_url;       // the portal's address in QR codes; empty: the request's
  } portal;
  struct Log {
    std::string level = "info";
    std::string access = "stdout";  // stdout | file | off
  } log;
  struct Auth {
    int lockout_threshold = 5;       // failed logins of one user name before it is locked
    int lockout_minutes = 30;        // how long the name stays locked
    int idle_timeout_minutes = 30;   // a session unused this long ends
    int password_min_length = 12;    // characters (code points)
    int password_max_age_days = 90;  // then the password must be changed at login
    bool cookie_secure = false;      // Secure on the session cookie (behind TLS)
    int max_concurrent_hashes = 2;   // argon2id runs at once (64 MiB each)
  } auth;
  struct Record {
    std::string key_file;                   // empty: DATA_DIR/record-signing.key
    std::string hash_algorithm = "sha256";  // sha256 | sm3, fixed when the record is created
    int checkpoint_every_entries = 1000;    // sign a checkpoint after this many new entries
    int checkpoint_every_seconds = 300;     // or this long after the last one, if any is new
  } record;
  struct Testing {
    bool routes = false;
    int idle_timeout_seconds = 0;  // > 0: replaces auth.idle_timeout_minutes (tests only)
    bool fast_hashing = false;     // cheap argon2id parameters (tests only)
  } testing;
};

// One declared key.
struct ConfigKey {
  std::string_view section;
  std::string_view key;
  std::string_view type;  // "string", "integer", "bool"
  std::string_view description;
  std::function<Result<void>(Config&, std::string_view)> set;
  std::function<std::string(const Config&)> get;

  [[nodiscard]] std::string dotted() const;    // "http.json_body_limit"
  [[nodiscard]] std::string env_name() const;  // "XZZF_HTTP_JSON_BODY_LIMIT"
};

[[nodiscard]] const std::vector<ConfigKey>& config_keys();

// Where a configuration comes from. `environment` is looked up by name, so a
// test can pass its own instead of the process environment.
struct ConfigSources {
  std::optional<std::string> file;
  std::function<std::optional<std::string>(const std::string&)> environment;
  std::vector<std::pair<std::string, std::string>> overrides;  // dotted key, value
};

// Loads and validates; an unknown key in the file or in an override, or a value
// of the wrong type, is an error naming the key.
[[nodiscard]] Result<Config> load_config(const ConfigSources& sources);

// Reads the process environment.
[[nodiscard]] std::optional<std::string> process_env(const std::string& name);

}  // namespace xzzf
