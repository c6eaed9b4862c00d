#include "app/cli.hpp"

#include <fmt/format.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/access_log.hpp"
#include "app/routes.hpp"
#include "audit/trail.hpp"
#include "auth/guard.hpp"
#include "auth/service.hpp"
#include "core/config.hpp"
#include "org/demo.hpp"
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

  SystemClock clock;
  audit::AuditTrail trail(**db, clock, {});

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
  SystemClock clock;
  audit::AuditTrail trail(**db, clock, {});
  auth::AuthService service(**db, trail, clock, auth::AuthSettings::from(config));
  auto created = service.create_user_cli(u, false);
  if (!created) return report(created.error());
  std::cout << fmt::format("已创建账号 {}（编号 {}）\n", (*created)->username, (*created)->id);
  return 0;
}

// `xzzf demo`: the organization of 永城市 and one account per role, all of
// which must change the demo password at first login. Idempotent: existing
// accounts are left as they are (a changed password stays changed).
constexpr const char* kDemoPassword = "Xzzf-Demo-2026";

int demo(const Config& config) {
  auto db = open_database(config);
  if (!db) return report(db.error());
  SystemClock clock;
  audit::AuditTrail trail(**db, clock, {});
  auto org = org::load_demo(**db, clock);
  if (!org) return report(org.error());
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
  add_common(*demo_cmd, demo_flags);

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
    auto config = load(demo_flags, {{"db.url", demo_db}});
    if (!config) return report(config.error());
    setup_logging(*config);
    return demo(*config);
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
