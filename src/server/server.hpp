#pragma once

// The HTTP server: Boost.Beast over Asio, completion-handler style. It accepts
// connections, reads each request's header, routes it, reads the body the way
// the route asks (JSON up to a limit, or streamed to a file), runs the handler
// on a network thread or a worker thread, and writes the response with the
// security headers every response carries. Keep-alive, read and idle
// timeouts, and a graceful shutdown on SIGTERM/SIGINT: the server stops
// accepting, idle connections close, requests in flight finish (up to the grace
// period), then run() returns.
//
// Only this module includes Beast. The Server borrows the Router and Metrics,
// which must outlive it. run() blocks the calling thread; request_shutdown()
// may be called from any thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"

namespace xzzf::server {

struct Options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  int threads = 0;  // 0: one per core
  int workers = 8;
  std::chrono::seconds shutdown_grace{30};
  std::int64_t json_body_limit = 64 * 1024;
  std::int64_t upload_body_limit = std::int64_t{4} * 1024 * 1024 * 1024;
  std::int64_t header_limit = 16 * 1024;
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds idle_timeout{75};
  std::string upload_dir;  // where streamed bodies land (created if missing)
};

// What happened to one request: for the access log, and for the audit trail
// when the server refused it.
struct RequestLog {
  std::string_view request_id;
  std::string_view remote_addr;
  std::string_view method;
  std::string_view path;
  std::string_view route;  // pattern, "static" or "unmatched"
  int status = 0;
  std::uint64_t bytes = 0;
  std::chrono::microseconds duration{0};
  std::string_view error_code;
  std::string_view actor;  // empty when nobody was authenticated
  std::optional<std::int64_t> actor_user_id;
  bool audited = false;  // the refusal is already in the audit trail
};

struct Hooks {
  std::function<void(const RequestLog&)> on_complete;  // after every response
  std::function<void(const RequestLog&)> on_refusal;   // after every 4xx, and dropped slow clients
};

class Server {
 public:
  Server(Options options, const http::Router& router, http::Metrics& metrics, Hooks hooks);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; afterwards url() names the actual port.
  [[nodiscard]] Result<void> listen();
  [[nodiscard]] std::string url() const;

  enum class Stop : std::uint8_t {
    kGraceful,  // every request finished
    kForced,    // the grace period ran out with handlers still running: the
                // caller should exit the process rather than wait for them
  };
  // Serves until a shutdown completes. Installs the SIGTERM/SIGINT handler.
  [[nodiscard]] Stop run();
  void request_shutdown();
  [[nodiscard]] bool shutting_down() const;

  struct Impl;  // defined in server.cpp, with the connection type

 private:
  std::unique_ptr<Impl> impl_;
};

// "HOST:PORT" → host and port; "[::1]:8080" for IPv6.
[[nodiscard]] Result<std::pair<std::string, std::uint16_t>> parse_listen(std::string_view text);

}  // namespace xzzf::server
