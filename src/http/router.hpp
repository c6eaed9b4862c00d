#pragma once

// Router: maps a method and a path to a route. Patterns are literal segments
// and `{name}` parameters, e.g. "/api/v1/departments/{id}/agencies". Each route
// declares how its body is read (none, JSON up to a limit, or streamed to a
// file) and whether its handler may block, so that server/ can read the body
// and pick the thread before the handler runs.
//
// Routes are registered once at start-up, before the server runs; after that
// the Router is only read and is safe to share between threads.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace xzzf::http {

enum class BodyKind : std::uint8_t {
  kNone,    // no body expected; a small one is read and ignored
  kJson,    // read into Request::body up to the route's limit
  kUpload,  // streamed to a file in the data directory (Request::upload)
};

enum class Exec : std::uint8_t {
  kInline,  // cheap and never blocks: run on the network thread
  kWorker,  // may block on the database or files: run on a worker thread
};

using Handler = std::function<Result<Response>(Request&)>;

struct Route {
  Method method = Method::kGet;
  std::string pattern;
  Handler handler;
  BodyKind body = BodyKind::kNone;
  Exec exec = Exec::kWorker;
  std::int64_t body_limit = 0;  // 0: the configured default for the body kind
  // Optional, for routes with a cheap answer most of the time (a cache): tried
  // on the network thread first; when it returns nothing, `handler` runs as
  // `exec` says. It must never block.
  std::function<std::optional<Response>(Request&)> fast_path;
  std::string summary;  // one line for logs and the route list

  // Filled by the router.
  std::size_t index = 0;
  std::vector<std::string> segments;
};

class Router {
 public:
  enum class Outcome : std::uint8_t { kFound, kNotFound, kMethodNotAllowed };
  struct Match {
    Outcome outcome = Outcome::kNotFound;
    const Route* route = nullptr;
    std::map<std::string, std::string, std::less<>> params;
    std::vector<Method> allowed;  // for kMethodNotAllowed: the methods the path takes
  };

  // Registers a route; a duplicate method and pattern is a programming error
  // and aborts.
  void add(Route route);
  // GET/HEAD requests for paths outside /api/ that match no route (the web
  // app's pages and files).
  void set_fallback(Handler handler) { fallback_ = std::move(handler); }

  // HEAD matches GET routes.
  [[nodiscard]] Match match(Method method, std::string_view path) const;
  [[nodiscard]] const std::vector<Route>& routes() const { return routes_; }
  [[nodiscard]] const Handler& fallback() const { return fallback_; }

 private:
  std::vector<Route> routes_;
  Handler fallback_;
};

}  // namespace xzzf::http
