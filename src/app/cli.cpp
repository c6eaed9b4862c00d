#include "app/cli.hpp"

#include <fmt/format.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/access_log.hpp"
#include "app/routes.hpp"
#include "audit/trail.hpp"
#include "auth/guard.hpp"
#include "auth/service.hpp"
#include "core/config.hpp"
#include "library/service.hpp"
#include "org/demo.hpp"
#include "personnel/demo.hpp"
#include "powers/demo.hpp"
#include "powers/service.hpp"
#include "privacy/sealer.hpp"
#include "record/checkpoints.hpp"
#include "record/log.hpp"
#include "record/verify.hpp"
#include "rules/service.hpp"
#include "server/server.hpp"
#include "storage/database.hpp"

namespace xzzf::app {

namespace fs = std::filesystem;

namespace {

// Flags every subcommand shares: where the configuration comes from.
struct CommonFlags {
  std::string config_file;
  std::vector<std::string> sets;  // key=value
};

void add_common(CLI::App& cmd, CommonFlags& flags) {
  cmd.add_option("--config", flags.config_file,
                 "TOML configuration file (see config/xzzf.example.toml)");
  cmd.add_option("--set", flags.sets,
                 "Override one setting, e.g. --set http.read_timeout_seconds=10")
      ->type_name("KEY=VALUE");
}

int report(const Error& e) {
  std::cerr << "xzzf: " << e.message;
  if (e.basis) std::cerr << "（依据：" << *e.basis << "）";
  std::cerr << " [" << e.code_string() << "]\n";
  return 1;
}

Result<Config> load(const CommonFlags& flags,
                    std::vector<std::pair<std::string, std::string>> named) {
  ConfigSources sources;
  if (!flags.config_file.empty()) sources.file = flags.config_file;
  sources.environment = process_env;
  for (const auto& s : flags.sets) {
    auto eq = s.find('=');
    if (eq == std::string::npos) {
      return fail(ErrorCode::kConfigInvalid, field("key", s), field("detail", "应为 KEY=VALUE"));
    }
    sources.overrides.emplace_back(s.substr(0, eq), s.substr(eq + 1));
  }
  for (auto& n : named) {
    if (!n.second.empty()) sources.overrides.push_back(std::move(n));
  }
  return load_config(sources);
}

void setup_logging(const Config& config) {
  auto logger = spdlog::stderr_logger_mt("xzzf");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(config.log.level));
}

Result<std::unique_ptr<storage::Database>> open_database(const Config& config) {
  if (config.db.url.empty()) {
    return fail(ErrorCode::kDbUrlInvalid, field("detail", "未指定数据库（--db 或 XZZF_DB_URL）"));
  }
  auto url = storage::DbUrl::parse(config.db.url);
  if (!url) return fail(url.error());
  auto db = storage::Database::open(
      *url, {.pool_size = config.db.pool_size, .busy_timeout_ms = config.db.busy_timeout_ms});
  if (!db) return fail(db.error());
  auto applied = (*db)->migrate();
  if (!applied) return fail(applied.error());
  if (*applied > 0) spdlog::info("applied {} migration(s) to {}", *applied, url->redacted());
  return db;
}

// What every command needs after the migrations: the record's hash algorithm
// from configuration, applied while the record is empty
// (record.hash_algorithm; a different one later is refused), then the
// shipped rule versions that the database does not hold yet, on the record.
Result<void> prepare_database(const Config& config, storage::Database& db) {
  XZZF_TRY(algorithm, record::parse_hash_algorithm(config.record.hash_algorithm));
  XZZF_CHECK(db.write(
      [&](storage::Tx& tx) { return record::RecordLog().choose_algorithm(tx, algorithm); }));
  SystemClock clock;
  XZZF_TRY(installed, rules::RuleService(db, clock).install_shipped());
  if (installed > 0) spdlog::info("loaded {} shipped rule version(s)", installed);
  XZZF_TRY(indexed, powers::PowerService(db, clock).index_published());
  if (indexed > 0) spdlog::info("indexed {} published power item(s) for search", indexed);
  return {};
}

// Writes text to path, replacing it (public files: mode 0644).
Result<void> write_text_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    return fail(ErrorCode::kFileError, field("detail", fmt::format("无法写入 {}", path)));
  }
  return {};
}

Result<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kFileError, field("detail", fmt::format("无法读取 {}", path)));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The checkpoint signing key: record.key_file, else DATA_DIR/record-signing.key,
// which a single-machine install makes at its first start (mode 0600) with
// its public key beside it (…key.pub). A configured file must exist: every
// instance of a deployment shares it.
Result<record::SigningKey> signing_key(const Config& config, const fs::path& data_dir,
                                       bool create) {
  if (!config.record.key_file.empty()) {
    std::error_code ec;
    if (!fs::exists(config.record.key_file, ec)) {
      return fail(ErrorCode::kRecordKeyMissing, field("path", config.record.key_file));
    }
    return record::SigningKey::load(config.record.key_file);
  }
  const std::string path = (data_dir / "record-signing.key").string();
  std::error_code ec;
  if (fs::exists(path, ec) || !create) return record::SigningKey::load(path);
  // 国密 sites (record.hash_algorithm = sm3) sign with SM2.
  XZZF_TRY(key, record::SigningKey::generate(config.record.hash_algorithm == "sm3"
                                                 ? record::SignatureAlgorithm::kSm2
                                                 : record::SignatureAlgorithm::kEd25519));
  XZZF_CHECK(key.save(path));
  XZZF_CHECK(write_text_file(path + ".pub", record::public_key_file_text(key.public_key())));
  spdlog::warn(
      "created the record signing key {} (key id {}): back it up and keep it secret; "
      "its public key is in {}.pub",
      path, key.key_id(), path);
  return key;
}

// The personal data key: privacy.key_file, else DATA_DIR/personal-data.key,
// made at the first start (mode 0600). The database remembers the key id it
// was first used with and refuses another (several instances share one file).
Result<privacy::Sealer> personal_data_key(const Config& config, const fs::path& data_dir,
                                          storage::Database& db, const Clock& clock) {
  std::error_code ec;
  std::optional<privacy::Sealer> sealer;
  if (!config.privacy.key_file.empty()) {
    if (!fs::exists(config.privacy.key_file, ec)) {
      return fail(ErrorCode::kPrivacyKeyMissing, field("path", config.privacy.key_file));
    }
    XZZF_TRY(loaded, privacy::Sealer::load(config.privacy.key_file));
    sealer = std::move(loaded);
  } else {
    const std::string path = (data_dir / "personal-data.key").string();
    if (fs::exists(path, ec)) {
      XZZF_TRY(loaded, privacy::Sealer::load(path));
      sealer = std::move(loaded);
    } else {
      XZZF_TRY(made, privacy::Sealer::create(path));
      spdlog::warn(
          "created the personal data key {} (key id {}): back it up with the database "
          "and keep it secret",
          path, made.key_id());
      sealer = std::move(made);
    }
  }
  const std::string id = sealer->key_id();
  // Two first starts at once both insert; one row wins and both compare with it.
  auto checked = db.write([&](storage::Tx& tx) -> Result<void> {
    XZZF_CHECK(
        tx.exec("INSERT INTO privacy_keys (slot, key_id, created_at_us) VALUES (1, ?, ?) "
                "ON CONFLICT (slot) DO NOTHING",
                {id, clock.now().micros}));
    XZZF_TRY(known, tx.query_one("SELECT key_id FROM privacy_keys WHERE slot = 1"));
    if (known && known->text(0) == id) return {};
    return fail(ErrorCode::kPrivacyKeyMismatch, field("key_id", id),
                field("expected", known ? known->text(0) : std::string()));
  });
  if (!checked) return tl::unexpected(checked.error());
  return std::move(*sealer);
}

// The web app: configured, else web/dist beside the working directory, else
// beside the binary's source tree (build/release/xzzf → ../../web/dist).
std::string resolve_web_dir(const Config& config, const char* argv0) {
  if (!config.web.dir.empty()) return config.web.dir;
  std::error_code ec;
  if (fs::is_directory("web/dist", ec)) return fs::absolute("web/dist").string();
  auto exe = fs::weakly_canonical(fs::path(argv0), ec);
  auto candidate = exe.parent_path() / ".." / ".." / "web" / "dist";
  return candidate.lexically_normal().string();
}

std::shared_ptr<spdlog::logger> make_access_logger(const Config& config, const fs::path& data_dir) {
  if (config.log.access == "off") return nullptr;
  std::shared_ptr<spdlog::logger> logger;
  if (config.log.access == "file") {
    logger = spdlog::basic_logger_mt("access", (data_dir / "logs" / "access.log").string());
  } else {
    logger = spdlog::stdout_logger_mt("access");
  }
  logger->set_pattern("%v");
  logger->set_level(spdlog::level::info);
  return logger;
}

int serve(const Config& config, const char* argv0) {
  std::error_code ec;
  fs::path data_dir = fs::absolute(config.data.dir, ec);
  fs::create_directories(data_dir / "logs", ec);
  if (ec) {
    return report(make_error(
        ErrorCode::kFileError,
        field("detail", fmt::format("无法创建数据目录 {}：{}", data_dir.string(), ec.message()))));
  }
  auto listen = server::parse_listen(config.server.listen);
  if (!listen) return report(listen.error());

  auto db = open_database(config);
  if (!db) return report(db.error());
  if (auto r = prepare_database(config, **db); !r) return report(r.error());

  SystemClock clock;
  audit::AuditTrail trail(**db, clock, {});

  auto key = signing_key(config, data_dir, /*create=*/true);
  if (!key) return report(key.error());
  // A key other than the one that signed the record's checkpoints would
  // sign nothing and make every later verification look like tampering:
  // refuse to start (several instances must share one record.key_file).
  auto latest = (*db)->read([](storage::Tx& tx) { return record::latest_checkpoint(tx); });
  if (!latest) return report(latest.error());
  if (*latest && (*latest)->key_id != key->key_id()) {
    return report(make_error(ErrorCode::kRecordKeyMismatch, field("key_id", key->key_id()),
                             field("expected", (*latest)->key_id)));
  }
  const record::CheckpointPolicy policy{
      .every_entries = static_cast<std::uint64_t>(config.record.checkpoint_every_entries),
      .every = std::chrono::seconds(config.record.checkpoint_every_seconds)};
  record::Checkpointer checkpointer(**db, clock, std::move(*key), policy);

  auto sealer = personal_data_key(config, data_dir, **db, clock);
  if (!sealer) return report(sealer.error());

  auto site = http::StaticSite::load(resolve_web_dir(config, argv0));
  if (!site) return report(site.error());
  if (site->file_count() == 0)
    spdlog::warn("web app not built: pages answer 503 until `npm run build`");

  auth::AuthService auth_service(**db, trail, clock, auth::AuthSettings::from(config));
  auth::Guard guard(auth_service, trail);
  AppContext ctx{config, clock, db->get(), &*site};
  ctx.trail = &trail;
  ctx.auth = &auth_service;
  ctx.guard = &guard;
  ctx.sealer = &*sealer;
  ctx.record_key = checkpointer.public_key();
  ctx.record_policy = policy;
  http::Router router;
  register_all_routes(router, ctx);
  http::Metrics metrics(router);
  metrics.add_extra({"xzzf_audit_events_dropped_total",
                     "Audit events dropped because the queue was full.", "counter",
                     [&trail] { return static_cast<double>(trail.dropped()); }});
  ctx.metrics = &metrics;

  auto access = make_access_logger(config, data_dir);
  // Log lines reach their file or pipe within a second without a write per request.
  spdlog::flush_every(std::chrono::seconds(1));
  server::Hooks hooks;
  if (access) {
    hooks.on_complete = [access, &clock](const server::RequestLog& r) {
      access->info(format_access_line(r, clock.now()));
    };
  }
  hooks.on_refusal = [&trail, &clock](const server::RequestLog& r) {
    if (r.audited) return;
    nlohmann::json detail = {{"route", r.route}};
    trail.submit(audit::AuditEvent{
        .at = clock.now(),
        .event = "http.refused",
        .actor_user_id = r.actor_user_id,
        .actor = r.actor.empty() ? std::string("anonymous") : std::string(r.actor),
        .remote_addr = std::string(r.remote_addr),
        .method = std::string(r.method),
        .path = std::string(r.path),
        .status = r.status,
        .code = std::string(r.error_code),
        .detail_json = detail.dump(),
        .request_id = std::string(r.request_id)});
  };

  server::Options options{
      .host = listen->first,
      .port = listen->second,
      .threads = config.server.threads,
      .workers = config.server.workers,
      .shutdown_grace = std::chrono::seconds(config.server.shutdown_grace_seconds),
      .json_body_limit = config.http.json_body_limit,
      .upload_body_limit = config.http.upload_body_limit,
      .header_limit = config.http.header_limit,
      .read_timeout = std::chrono::seconds(config.http.read_timeout_seconds),
      .idle_timeout = std::chrono::seconds(config.http.idle_timeout_seconds),
      .upload_dir = (data_dir / "uploads" / "incoming").string()};
  server::Server srv(options, router, metrics, hooks);
  ctx.shutting_down = [&srv] { return srv.shutting_down(); };
  if (auto l = srv.listen(); !l) return report(l.error());
  checkpointer.start();

  // Tests and the README's serve script read this line to find the port.
  std::cout << "xzzf listening on " << srv.url() << std::endl;
  spdlog::info("xzzf {} serving {} (database {}, data {})", XZZF_VERSION, config.deployment.name,
               storage::DbUrl::parse(config.db.url)->redacted(), data_dir.string());
  if (srv.run() == server::Server::Stop::kForced) {
    // Handlers still hold worker threads (a stuck database call, say): waiting
    // for them would ignore the grace period the operator configured.
    spdlog::warn("exiting without waiting for handlers still running");
    spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) { l->flush(); });
    std::fflush(stdout);
    std::_Exit(0);
  }
  checkpointer.stop();
  trail.flush();
  spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) { l->flush(); });
  return 0;
}

int migrate(const Config& config) {
  auto db = open_database(config);
  if (!db) return report(db.error());
  auto status = (*db)->migration_status();
  if (!status) return report(status.error());
  std::cout << fmt::format("数据库结构版本：{}（本程序最新：{}）\n", status->current,
                           status->latest);
  return 0;
}

// `xzzf user create`: an account with the password its operator typed.
struct UserCreateFlags {
  std::string db;
  std::string username;
  std::vector<std::string> roles;
  std::string department_code;
  std::string jurisdiction_code;
  std::string display_name;
  bool password_stdin = false;
};

int user_create(const Config& config, const UserCreateFlags& f) {
  if (!f.password_stdin) {
    std::cerr << "xzzf: 请使用 --password-stdin 从标准输入提供密码（不在命令行中出现）\n";
    return 2;
  }
  std::string password;
  std::getline(std::cin, password);
  while (!password.empty() && (password.back() == '\r' || password.back() == '\n')) {
    password.pop_back();
  }
  auth::AuthService::CliUser u;
  u.username = f.username;
  u.display_name = f.display_name.empty() ? f.username : f.display_name;
  for (const auto& code : f.roles) {
    auto role = auth::parse_role(code);
    if (!role) return report(make_error(ErrorCode::kAuthUnknownRole, field("role", code)));
    u.roles.push_back(*role);
  }
  if (!f.department_code.empty()) u.department_code = f.department_code;
  if (!f.jurisdiction_code.empty()) u.jurisdiction_code = f.jurisdiction_code;
  u.password = password;
  u.must_change = false;
  auto db = open_database(config);
  if (!db) return report(db.error());
  if (auto r = prepare_database(config, **db); !r) return report(r.error());
  SystemClock clock;
  audit::AuditTrail trail(**db, clock, {});
  auth::AuthService service(**db, trail, clock, auth::AuthSettings::from(config));
  auto created = service.create_user_cli(u, false);
  if (!created) return report(created.error());
  std::cout << fmt::format("已创建账号 {}（编号 {}）\n", (*created)->username, (*created)->id);
  return 0;
}

// Where the texts of laws/ come from (laws/README.md).
constexpr const char* kLawsSource = "国家法律法规数据库（xzzf laws/ 目录所收官方文本）";

// Loads the law texts of `dir` (laws/ of the source tree) into the legal
// library, printing progress; texts already there are left as they are.
Result<void> import_laws(storage::Database& db, const Clock& clock, const std::string& dir) {
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) {
    std::cout << fmt::format(
        "未找到法律文本目录 {}，跳过法律法规库（可用 xzzf library import 导入）\n", dir);
    return {};
  }
  library::LibraryService library(db, clock);
  XZZF_TRY(done, library.import_directory(dir, kLawsSource, [](int n, int total) {
    if (n == total || n % 10 == 0) std::cout << fmt::format("法律法规库：{}/{}\n", n, total);
  }));
  std::cout << fmt::format("法律法规库：{} 个文本，新导入 {} 个\n", done.files, done.created);
  return {};
}

// `xzzf demo`: the organization of 永城市 and one account per role, all of
// which must change the demo password at first login. Idempotent: existing
// accounts are left as they are (a changed password stays changed).
constexpr const char* kDemoPassword = "Xzzf-Demo-2026";

int demo(const Config& config, const std::string& laws_dir, bool data_dir_named) {
  auto db = open_database(config);
  if (!db) return report(db.error());
  if (auto r = prepare_database(config, **db); !r) return report(r.error());
  SystemClock clock;
  audit::AuditTrail trail(**db, clock, {});
  // The officers' ID numbers and phones are sealed with the deployment's key:
  // the one `serve` with the same data directory (or privacy.key_file) uses.
  // Named, not guessed: a key made in the working directory by mistake would
  // bind the database to it, and the server would then refuse to start.
  if (config.privacy.key_file.empty() && !data_dir_named) {
    return report(make_error(
        ErrorCode::kConfigInvalid, field("key", "data.dir"),
        field("detail",
              "xzzf demo 须指明 --data-dir（与 xzzf serve 相同的数据目录）"
              "或 privacy.key_file：演示执法人员的身份证号码和电话用部署的个人信息密钥加密")));
  }
  std::error_code ec;
  const fs::path data_dir = fs::absolute(config.data.dir, ec);
  fs::create_directories(data_dir, ec);
  auto sealer = personal_data_key(config, data_dir, **db, clock);
  if (!sealer) return report(sealer.error());
  auto org = org::load_demo(**db, clock);
  if (!org) return report(org.error());
  // The power list's items published in 2020 go in while the older texts
  // they cite are the newest in the library; the later versions that
  // laws/ brings then flag them (amendment tracking).
  auto history = powers::load_demo_history(**db, clock, org->department_ids, laws_dir, kLawsSource);
  if (!history) return report(history.error());
  if (auto laws = import_laws(**db, clock, laws_dir); !laws) return report(laws.error());
  auto items = powers::load_demo(**db, clock, org->department_ids);
  if (!items) return report(items.error());
  std::cout << powers::demo_summary(*history, *items) << "\n";
  auto decisions = powers::load_demo_decisions(**db, clock, org->department_ids);
  if (!decisions) return report(decisions.error());
  if (*decisions > 0) std::cout << fmt::format("授权与委托：登记 {} 项决定\n", *decisions);
  auto people = personnel::load_demo(**db, *sealer, trail, clock, org->department_ids);
  if (!people) return report(people.error());
  if (people->officers > 0) {
    std::cout << fmt::format("执法人员：登记 {} 人，申领证件 {} 份\n", people->officers,
                             people->certificates);
  }
  auth::AuthService service(**db, trail, clock, auth::AuthSettings::from(config));
  using auth::Role;
  struct Account {
    const char* username;
    const char* display_name;
    Role role;
    const char* department;
    const char* jurisdiction;
  };
  const std::vector<Account> accounts = {
      {"legal_office", "司法局执法监督科", Role::kLegalOffice, org::kDemoLegalOfficeCode, nullptr},
      {"scjg_admin", "市场监管局法制科", Role::kDeptAdmin, org::kDemoMarketCode, nullptr},
      {"scjg_officer", "市场监管局执法人员", Role::kOfficer, org::kDemoMarketCode, nullptr},
      {"scjg_leader", "市场监管局负责人", Role::kDeptLeader, org::kDemoMarketCode, nullptr},
      {"scjg_reviewer", "市场监管局法制审核", Role::kLegalReviewer, org::kDemoMarketCode, nullptr},
      {"monitor", "监察审计人员", Role::kMonitor, nullptr, "411481"},
      {"supervisor", "社会监督员", Role::kSocialSupervisor, nullptr, "411481"},
      {"sysadmin", "系统管理员", Role::kSysadmin, nullptr, "411481"},
      {"secadmin", "安全保密管理员", Role::kSecadmin, nullptr, "411481"},
      {"auditor", "安全审计员", Role::kAuditor, nullptr, "411481"},
  };
  std::cout << fmt::format("{:<16}{:<18}{:<22}{}\n", "用户名", "角色", "部门", "状态");
  for (const auto& a : accounts) {
    auth::AuthService::CliUser u{
        .username = a.username,
        .display_name = a.display_name,
        .roles = {a.role},
        .department_code = a.department ? std::optional<std::string>(a.department) : std::nullopt,
        .jurisdiction_code =
            a.jurisdiction ? std::optional<std::string>(a.jurisdiction) : std::nullopt,
        .password = kDemoPassword,
        .must_change = true};
    auto created = service.create_user_cli(u, true);
    if (!created) return report(created.error());
    std::cout << fmt::format("{:<16}{:<18}{:<22}{}\n", a.username, auth::role_code(a.role),
                             a.department ? a.department : "-", *created ? "新建" : "已存在");
  }
  trail.flush();
  std::cout << fmt::format("演示密码：{}（首次登录须修改）\n", kDemoPassword);
  return 0;
}

// `xzzf library import`: every text below a folder, each version once.
int library_import(const Config& config, const std::string& dir, const std::string& source) {
  auto db = open_database(config);
  if (!db) return report(db.error());
  if (auto r = prepare_database(config, **db); !r) return report(r.error());
  SystemClock clock;
  library::LibraryService library(**db, clock);
  auto done = library.import_directory(
      dir, source, [](int n, int total) { std::cout << fmt::format("{}/{}\n", n, total); });
  if (!done) return report(done.error());
  std::cout << fmt::format("已读取 {} 个文本，新导入 {} 个版本\n", done->files, done->created);
  return 0;
}

// `xzzf record keygen`: a new signing key file (0600, never overwriting one)
// and its public key file beside it.
int record_keygen(const std::string& out, const std::string& algorithm_name) {
  auto algorithm = record::parse_signature_algorithm(algorithm_name);
  if (!algorithm) return report(algorithm.error());
  auto key = record::SigningKey::generate(*algorithm);
  if (!key) return report(key.error());
  if (auto r = key->save(out); !r) return report(r.error());
  if (auto r = write_text_file(out + ".pub", record::public_key_file_text(key->public_key())); !r)
    return report(r.error());
  std::cout << fmt::format("已生成签名密钥 {}（{}，密钥编号 {}），公钥 {}.pub\n", out,
                           record::to_string(*algorithm), key->key_id(), out);
  std::cout << "请妥善备份私钥并设置 record.key_file；公钥可公开，供校验者使用。\n";
  return 0;
}

// `xzzf record checkpoint`: signs the current tree now.
int record_checkpoint(const Config& config) {
  auto db = open_database(config);
  if (!db) return report(db.error());
  std::error_code ec;
  auto key = signing_key(config, fs::absolute(config.data.dir, ec), /*create=*/false);
  if (!key) return report(key.error());
  SystemClock clock;
  auto latest =
      (*db)->write([&](storage::Tx& tx) { return record::sign_checkpoint(tx, *key, clock.now()); });
  if (!latest) return report(latest.error());
  if (!*latest) {
    std::cout << "全过程记录为空，无需签名检查点\n";
    return 0;
  }
  std::cout << record::to_json_text(**latest) << "\n";
  return 0;
}

// `xzzf record export-checkpoints`: every stored checkpoint, one JSON object
// per line, oldest first: the copy to keep outside the database.
int record_export(const Config& config, const std::string& out) {
  auto db = open_database(config);
  if (!db) return report(db.error());
  auto all = (*db)->read([](storage::Tx& tx) { return record::all_checkpoints(tx); });
  if (!all) return report(all.error());
  std::string text;
  for (const auto& c : *all) text += record::to_json_text(c) + "\n";
  if (out.empty() || out == "-") {
    std::cout << text;
  } else {
    if (auto r = write_text_file(out, text); !r) return report(r.error());
    std::cerr << fmt::format("已导出 {} 个检查点到 {}\n", all->size(), out);
  }
  return 0;
}

// `xzzf record verify`: recomputes everything; exit status 0 only when the
// record is whole.
int record_verify(const Config& config, const std::string& public_key_file,
                  const std::string& checkpoints_file) {
  record::VerifyOptions options;
  if (!public_key_file.empty()) {
    auto text = read_text_file(public_key_file);
    if (!text) return report(text.error());
    auto key = record::parse_public_key_file(*text);
    if (!key) return report(key.error());
    options.public_key = *key;
  }
  if (!checkpoints_file.empty()) {
    auto text = read_text_file(checkpoints_file);
    if (!text) return report(text.error());
    std::istringstream lines(*text);
    std::string line;
    int number = 0;
    while (std::getline(lines, line)) {
      ++number;
      if (line.empty() || line == "\r") continue;
      auto c = record::checkpoint_from_json(line);
      if (!c) {
        std::cerr << fmt::format("xzzf: {} 第 {} 行：", checkpoints_file, number);
        return report(c.error());
      }
      options.external_checkpoints.push_back(std::move(*c));
    }
  }
  auto url = storage::DbUrl::parse(config.db.url);
  if (!url) return report(url.error());
  // Verification reads; it must not migrate or otherwise write the database
  // it is checking.
  auto db =
      storage::Database::open(*url, {.pool_size = 1, .busy_timeout_ms = config.db.busy_timeout_ms});
  if (!db) return report(db.error());
  const bool tty = isatty(fileno(stderr)) != 0;
  options.progress = [tty](std::uint64_t done, std::uint64_t total) {
    if (tty) std::cerr << fmt::format("\r已校验 {} / {} 个条目", done, total) << std::flush;
  };
  auto result = record::verify_record(**db, options);
  if (tty) std::cerr << "\n";
  if (!result) return report(result.error());
  const auto& r = *result;
  std::cout << fmt::format("条目：{}（树头记载 {}），检查点：{}，用时 {:.2f} 秒\n", r.entries,
                           r.tree_size, r.checkpoints_checked, r.seconds);
  if (r.ok) {
    std::cout << "结果：通过。" << r.message << "\n";
    return 0;
  }
  std::cout << "结果：发现问题 [" << r.problem << "] " << r.message << "\n";
  if (r.first_bad_seq) {
    std::cout << fmt::format("first bad sequence number: {}\n", *r.first_bad_seq);
  }
  return 1;
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App cli{
      "xzzf — 行政执法责任制管理系统 (administrative law enforcement responsibility system)"};
  cli.set_version_flag("--version", std::string("xzzf ") + XZZF_VERSION);
  cli.require_subcommand(1);

  CommonFlags serve_flags;
  std::string serve_db;
  std::string serve_listen;
  std::string serve_data;
  std::string serve_web;
  auto* serve_cmd = cli.add_subcommand("serve", "Serve the portal, console and API");
  serve_cmd->add_option("--db", serve_db, "Database URL: sqlite:///abs/path.db or postgresql://…");
  serve_cmd->add_option("--listen", serve_listen, "HOST:PORT (port 0 picks a free port)");
  serve_cmd->add_option("--data-dir", serve_data, "Data directory: uploads, keys, logs");
  serve_cmd->add_option("--web-dir", serve_web, "Built web app (default: web/dist)");
  add_common(*serve_cmd, serve_flags);

  CommonFlags migrate_flags;
  std::string migrate_db;
  auto* migrate_cmd =
      cli.add_subcommand("migrate", "Apply database migrations and print the schema version");
  migrate_cmd->add_option("--db", migrate_db, "Database URL");
  add_common(*migrate_cmd, migrate_flags);

  CommonFlags user_flags;
  UserCreateFlags user_create_flags;
  auto* user_cmd = cli.add_subcommand("user", "Manage accounts from the command line");
  auto* user_create_cmd = user_cmd->add_subcommand(
      "create", "Create an account that keeps the password read from standard input");
  user_cmd->require_subcommand(1);
  user_create_cmd->add_option("--db", user_create_flags.db, "Database URL");
  user_create_cmd->add_option("--username", user_create_flags.username, "User name")->required();
  user_create_cmd->add_option("--role", user_create_flags.roles, "Role code (repeatable)");
  user_create_cmd->add_option("--department-code", user_create_flags.department_code,
                              "Code of the account's department");
  user_create_cmd->add_option("--jurisdiction-code", user_create_flags.jurisdiction_code,
                              "行政区划 code of the account's jurisdiction");
  user_create_cmd->add_option("--display-name", user_create_flags.display_name, "Display name");
  user_create_cmd->add_flag("--password-stdin", user_create_flags.password_stdin,
                            "Read the password from the first line of standard input");
  add_common(*user_create_cmd, user_flags);

  CommonFlags demo_flags;
  std::string demo_db;
  auto* demo_cmd = cli.add_subcommand(
      "demo", "Load the demo organization of 永城市 and one account per role (idempotent)");
  demo_cmd->add_option("--db", demo_db, "Database URL");
  std::string demo_data;
  demo_cmd->add_option("--data-dir", demo_data,
                       "Data directory whose personal data key seals the officers' data "
                       "(the one serve uses)");
  std::string demo_laws = "laws";
  demo_cmd->add_option("--laws", demo_laws,
                       "Folder of law texts to load into the legal library (laws/ of the source)");
  add_common(*demo_cmd, demo_flags);

  auto* library_cmd = cli.add_subcommand("library", "The legal library (法律法规库)");
  library_cmd->require_subcommand(1);
  CommonFlags library_flags;
  std::string library_db;
  std::string library_dir;
  std::string library_source = kLawsSource;
  auto* library_import_cmd = library_cmd->add_subcommand(
      "import", "Import every law text (*.md, laws/README.md format) below a folder");
  library_import_cmd->add_option("--db", library_db, "Database URL");
  library_import_cmd->add_option("--dir", library_dir, "Folder of texts")->required();
  library_import_cmd->add_option("--source", library_source, "Where the texts come from");
  add_common(*library_import_cmd, library_flags);

  auto* record_cmd = cli.add_subcommand("record", "The full-process record (全过程记录)");
  record_cmd->require_subcommand(1);
  std::string keygen_out;
  std::string keygen_algorithm = "ed25519";
  auto* keygen_cmd = record_cmd->add_subcommand("keygen", "Make a checkpoint signing key file");
  keygen_cmd->add_option("--out", keygen_out, "Key file to write (mode 0600; FILE.pub beside it)")
      ->required();
  keygen_cmd->add_option("--algorithm", keygen_algorithm, "ed25519 (default) or sm2");

  CommonFlags checkpoint_flags;
  std::string checkpoint_db;
  std::string checkpoint_data;
  auto* checkpoint_cmd =
      record_cmd->add_subcommand("checkpoint", "Sign a checkpoint of the record now");
  checkpoint_cmd->add_option("--db", checkpoint_db, "Database URL");
  checkpoint_cmd->add_option("--data-dir", checkpoint_data, "Data directory (its key file)");
  add_common(*checkpoint_cmd, checkpoint_flags);

  CommonFlags export_flags;
  std::string export_db;
  std::string export_out;
  auto* export_cmd = record_cmd->add_subcommand(
      "export-checkpoints", "Write every signed checkpoint, one JSON object per line");
  export_cmd->add_option("--db", export_db, "Database URL");
  export_cmd->add_option("--out", export_out, "File to write (default: standard output)");
  add_common(*export_cmd, export_flags);

  CommonFlags verify_flags;
  std::string verify_db;
  std::string verify_key;
  std::string verify_checkpoints;
  auto* verify_cmd = record_cmd->add_subcommand(
      "verify",
      "Recompute the whole record; exit status 1 and the first bad sequence number "
      "on any fault");
  verify_cmd->add_option("--db", verify_db, "Database URL");
  verify_cmd->add_option("--public-key", verify_key, "Public key file (xzzf record keygen)");
  verify_cmd->add_option("--checkpoints", verify_checkpoints,
                         "Checkpoints kept outside the database (export-checkpoints)");
  add_common(*verify_cmd, verify_flags);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }

  if (serve_cmd->parsed()) {
    auto config = load(serve_flags, {{"db.url", serve_db},
                                     {"server.listen", serve_listen},
                                     {"data.dir", serve_data},
                                     {"web.dir", serve_web}});
    if (!config) return report(config.error());
    setup_logging(*config);
    return serve(*config, argv[0]);
  }
  if (migrate_cmd->parsed()) {
    auto config = load(migrate_flags, {{"db.url", migrate_db}});
    if (!config) return report(config.error());
    setup_logging(*config);
    return migrate(*config);
  }
  if (demo_cmd->parsed()) {
    auto config = load(demo_flags, {{"db.url", demo_db}, {"data.dir", demo_data}});
    if (!config) return report(config.error());
    setup_logging(*config);
    return demo(*config, demo_laws, !demo_data.empty());
  }
  if (library_import_cmd->parsed()) {
    auto config = load(library_flags, {{"db.url", library_db}});
    if (!config) return report(config.error());
    setup_logging(*config);
    return library_import(*config, library_dir, library_source);
  }
  if (keygen_cmd->parsed()) return record_keygen(keygen_out, keygen_algorithm);
  if (checkpoint_cmd->parsed()) {
    auto config =
        load(checkpoint_flags, {{"db.url", checkpoint_db}, {"data.dir", checkpoint_data}});
    if (!config) return report(config.error());
    setup_logging(*config);
    return record_checkpoint(*config);
  }
  if (export_cmd->parsed()) {
    auto config = load(export_flags, {{"db.url", export_db}});
    if (!config) return report(config.error());
    setup_logging(*config);
    return record_export(*config, export_out);
  }
  if (verify_cmd->parsed()) {
    auto config = load(verify_flags, {{"db.url", verify_db}});
    if (!config) return report(config.error());
    setup_logging(*config);
    return record_verify(*config, verify_key, verify_checkpoints);
  }
  if (user_create_cmd->parsed()) {
    auto config = load(user_flags, {{"db.url", user_create_flags.db}});
    if (!config) return report(config.error());
    setup_logging(*config);
    return user_create(*config, user_create_flags);
  }
  return 1;
}

}  // namespace xzzf::app
