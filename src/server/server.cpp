#include "server/server.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <filesystem>
#include <limits>
#include <list>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <vector>

namespace xzzf::server {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

// Every response carries these (API.md, QUALITY.md: CSP and nosniff).
constexpr std::string_view kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' "
    "data:; "
    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'";

std::string random_hex(std::size_t bytes) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string out;
  out.reserve(bytes * 2);
  while (out.size() < bytes * 2) out += fmt::format("{:016x}", rng());
  out.resize(bytes * 2);
  return out;
}

}  // namespace

Result<std::pair<std::string, std::uint16_t>> parse_listen(std::string_view text) {
  auto invalid = [&] {
    return fail(ErrorCode::kConfigInvalid, field("key", "server.listen"),
                field("detail", fmt::format("应为 主机:端口，实际为“{}”", text)));
  };
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return invalid();
  std::string_view host = text.substr(0, colon);
  std::string_view port_text = text.substr(colon + 1);
  if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  unsigned port = 0;
  auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || ptr != port_text.data() + port_text.size() || port > 65535)
    return invalid();
  return std::pair{std::string(host), static_cast<std::uint16_t>(port)};
}

class Session;

struct Server::Impl {
  Impl(Options o, const http::Router& r, http::Metrics& m, Hooks h)
      : options(std::move(o)),
        router(r),
        metrics(m),
        hooks(std::move(h)),
        io(std::max(1, threads())),
        workers(static_cast<std::size_t>(std::max(1, options.workers))),
        acceptor(io),
        signals(io, SIGTERM, SIGINT),
        grace_timer(io) {}

  int threads() const {
    return options.threads > 0
               ? options.threads
               : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  }

  void accept();
  void begin_shutdown();
  void session_started(const std::shared_ptr<Session>& s);
  void session_ended();

  Options options;
  const http::Router& router;
  http::Metrics& metrics;
  Hooks hooks;
  net::io_context io;
  net::thread_pool workers;
  tcp::acceptor acceptor;
  net::signal_set signals;
  net::steady_timer grace_timer;
  std::atomic<bool> stopping{false};
  std::atomic<bool> forced{false};
  std::mutex sessions_mutex;
  std::list<std::weak_ptr<Session>> sessions;  // pruned as sessions end
  std::atomic<std::int64_t> live{0};
};

// One client connection. Owned by the shared_ptrs its pending operations hold;
// all its handlers run on its strand, so its state needs no lock.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Server::Impl& server)
      : stream_(std::move(socket)), server_(server) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    remote_ = ec ? std::string("unknown") : ep.address().to_string();
    stream_.socket().set_option(tcp::no_delay(true), ec);
    server_.metrics.connection_opened();
  }
  ~Session() {
    remove_upload();
    server_.metrics.connection_closed();
    server_.session_ended();
  }

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
  }

  // Called on the strand when the server begins to shut down.
  void on_shutdown() {
    closing_ = true;
    if (state_ == State::kWaitingHeader) stream_.cancel();
  }

  net::any_io_executor executor() { return stream_.get_executor(); }

 private:
  enum class State : std::uint8_t { kWaitingHeader, kReadingBody, kHandling, kWriting };

  void read_header() {
    if (closing_ || server_.stopping) return close();
    state_ = State::kWaitingHeader;
    header_parser_.emplace();
    header_parser_->header_limit(static_cast<std::uint32_t>(server_.options.header_limit));
    // The route decides the body limit once the header is known (on_header).
    // Not boost::none: Beast 1.74 compares a Content-Length with it as if none
    // were smaller than any number.
    header_parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    stream_.expires_after(first_request_ ? server_.options.read_timeout
                                         : server_.options.idle_timeout);
    bhttp::async_read_header(
        stream_, buffer_, *header_parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    first_request_ = false;
    started_ = Clock::now();
    request_ = http::Request{};
    request_.remote_addr = remote_;
    request_.request_id = random_hex(8);
    route_ = nullptr;
    slot_ = server_.metrics.unmatched_slot();
    if (ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset) {
      return close();
    }
    if (ec == beast::error::timeout) {
      // The socket is already closed by the timeout; the client sent part of a
      // request (or nothing, on an idle keep-alive connection) too slowly.
      if (buffer_.size() > 0) refuse_dropped(ErrorCode::kHttpTimeout, 408);
      return;
    }
    if (ec == bhttp::error::header_limit) {
      return reply_and_close(
          make_error(ErrorCode::kHttpHeaderTooLarge, field("limit", server_.options.header_limit)));
    }
    if (ec)
      return reply_and_close(make_error(ErrorCode::kHttpBadRequest, field("detail", ec.message())));

    const auto& msg = header_parser_->get();
    request_.method = http::parse_method(
        std::string_view(msg.method_string().data(), msg.method_string().size()));
    method_text_ = std::string(msg.method_string());
    request_.target = std::string(msg.target());
    keep_alive_ = msg.keep_alive();
    for (const auto& h : msg) {
      std::string name(h.name_string());
      for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      request_.headers.emplace_back(std::move(name), std::string(h.value()));
    }
    auto split = http::split_target(request_.target);
    if (!split) return reply_and_close(split.error());
    request_.path = std::move(split->first);
    request_.query = std::move(split->second);

    auto match = server_.router.match(request_.method, request_.path);
    if (match.outcome == http::Router::Outcome::kFound) {
      route_ = match.route;
      slot_ = route_->index;
      request_.path_params = std::move(match.params);
    } else if (match.outcome == http::Router::Outcome::kMethodNotAllowed) {
      std::string allow;
      for (auto m : match.allowed) {
        allow += allow.empty() ? "" : ", ";
        allow += http::method_name(m);
      }
      return reply_and_close(
          make_error(ErrorCode::kHttpMethodNotAllowed, field("path", request_.path),
                     field("method", method_text_)),
          {{"Allow", allow}});
    } else if ((request_.method == http::Method::kGet || request_.method == http::Method::kHead) &&
               !request_.path.starts_with("/api/") && server_.router.fallback()) {
      slot_ = server_.metrics.static_slot();
    } else {
      return reply_and_close(make_error(ErrorCode::kHttpNotFound, field("path", request_.path)));
    }

    http::BodyKind kind = route_ ? route_->body : http::BodyKind::kNone;
    std::int64_t limit = route_ && route_->body_limit > 0  ? route_->body_limit
                         : kind == http::BodyKind::kUpload ? server_.options.upload_body_limit
                                                           : server_.options.json_body_limit;
    if (auto length = header_parser_->content_length();
        length && *length > static_cast<std::uint64_t>(limit)) {
      return reply_and_close(make_error(ErrorCode::kHttpBodyTooLarge, field("limit", limit)));
    }
    // JSON commands must say so: a cross-site form cannot send this type
    // without a preflight, and a mislabelled body is refused before reading.
    if (kind == http::BodyKind::kJson && header_parser_->content_length().value_or(1) > 0) {
      auto type = request_.header("content-type").value_or("");
      if (!type.starts_with("application/json")) {
        return reply_and_close(make_error(ErrorCode::kHttpUnsupportedMediaType));
      }
    }
    if (header_parser_->is_done()) {
      // No body follows (a GET, say): hand over without another read.
      header_parser_.reset();
      return dispatch();
    }
    state_ = State::kReadingBody;
    if (kind == http::BodyKind::kUpload) return read_upload(limit);
    read_string_body(limit);
  }

  void read_string_body(std::int64_t limit) {
    string_parser_.emplace(std::move(*header_parser_));
    string_parser_->body_limit(static_cast<std::uint64_t>(limit));
    stream_.expires_after(server_.options.read_timeout);
    bhttp::async_read(stream_, buffer_, *string_parser_,
                      [self = shared_from_this(), limit](beast::error_code ec, std::size_t) {
                        if (ec) return self->on_body_error(ec, limit);
                        self->request_.body = std::move(self->string_parser_->get().body());
                        self->string_parser_.reset();
                        self->dispatch();
                      });
  }

  void read_upload(std::int64_t limit) {
    namespace fs = std::filesystem;
    std::error_code fec;
    fs::create_directories(server_.options.upload_dir, fec);
    upload_path_ =
        (fs::path(server_.options.upload_dir) / ("upload-" + random_hex(12) + ".part")).string();
    file_parser_.emplace(std::move(*header_parser_));
    file_parser_->body_limit(static_cast<std::uint64_t>(limit));
    beast::error_code ec;
    file_parser_->get().body().open(upload_path_.c_str(), beast::file_mode::write, ec);
    if (ec) {
      upload_path_.clear();
      return reply_and_close(
          make_error(ErrorCode::kFileError, field("detail", "无法创建上传文件")));
    }
    read_upload_chunk(limit);
  }

  // Uploads may be gigabytes: the timeout applies between chunks, not to the whole body.
  void read_upload_chunk(std::int64_t limit) {
    stream_.expires_after(server_.options.read_timeout);
    bhttp::async_read_some(stream_, buffer_, *file_parser_,
                           [self = shared_from_this(), limit](beast::error_code ec, std::size_t) {
                             if (ec) return self->on_body_error(ec, limit);
                             if (!self->file_parser_->is_done())
                               return self->read_upload_chunk(limit);
                             beast::error_code close_ec;
                             self->file_parser_->get().body().file().close(close_ec);
                             std::error_code fec;
                             auto size = std::filesystem::file_size(self->upload_path_, fec);
                             self->request_.upload = http::UploadedFile{
                                 self->upload_path_, static_cast<std::int64_t>(size)};
                             self->file_parser_.reset();
                             self->dispatch();
                           });
  }

  void on_body_error(beast::error_code ec, std::int64_t limit) {
    if (ec == bhttp::error::body_limit) {
      return reply_and_close(make_error(ErrorCode::kHttpBodyTooLarge, field("limit", limit)));
    }
    if (ec == beast::error::timeout) {
      return refuse_dropped(ErrorCode::kHttpTimeout, 408);
    }
    if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
        ec == net::error::connection_reset || ec == net::error::operation_aborted) {
      return close();
    }
    reply_and_close(make_error(ErrorCode::kHttpBadRequest, field("detail", ec.message())));
  }

  void dispatch() {
    state_ = State::kHandling;
    const http::Handler& handler = route_ ? route_->handler : server_.router.fallback();
    if (route_ != nullptr && route_->fast_path) {
      auto answer = guarded(request_, [&] { return route_->fast_path(request_); });
      if (answer) return send(std::move(*answer));
    }
    bool inline_exec = !route_ || route_->exec == http::Exec::kInline;
    if (inline_exec) return send(invoke(handler, request_));
    net::post(server_.workers, [self = shared_from_this(), &handler]() mutable {
      http::Response response = invoke(handler, self->request_);
      auto ex = self->executor();
      net::post(ex, [self = std::move(self), response = std::move(response)]() mutable {
        self->send(std::move(response));
      });
    });
  }

  // The request boundary: no exception gets past here.
  static http::Response invoke(const http::Handler& handler, http::Request& request) {
    return *guarded(request, [&]() -> std::optional<http::Response> {
      auto result = handler(request);
      if (result) return std::move(*result);
      return http::Response::error(result.error());
    });
  }

  // Runs `fn` so that no exception escapes: a stray one becomes a 500 and a
  // log line naming the request.
  template <typename F>
  static std::optional<http::Response> guarded(const http::Request& request, F&& fn) {
    try {
      return fn();
    } catch (const std::exception& e) {
      spdlog::error("request {} {} {}: unhandled exception: {}", request.request_id,
                    http::method_name(request.method), request.path, e.what());
    } catch (...) {
      spdlog::error("request {} {} {}: unhandled non-standard exception", request.request_id,
                    http::method_name(request.method), request.path);
    }
    return http::Response::error(
        make_error(ErrorCode::kInternal, field("request_id", request.request_id)));
  }

  void reply_and_close(const Error& error, http::HeaderList headers = {}) {
    keep_alive_ = false;
    linger_ = true;
    http::Response response = http::Response::error(error);
    for (auto& h : headers) response.headers.push_back(std::move(h));
    send(std::move(response));
  }

  template <typename Body>
  void prepare(bhttp::response<Body>& res, const http::Response& r, std::size_t body_size) {
    res.result(static_cast<unsigned>(r.status));
    res.version(11);
    // A fresh message: insert, which does not search for an existing field.
    res.insert(bhttp::field::server, "xzzf");
    if (!r.content_type.empty()) res.insert(bhttp::field::content_type, r.content_type);
    res.insert("X-Content-Type-Options", "nosniff");
    res.insert("X-Frame-Options", "DENY");
    res.insert("Content-Security-Policy", beast::string_view(kCsp.data(), kCsp.size()));
    res.insert("Referrer-Policy", "same-origin");
    res.insert("Cross-Origin-Opener-Policy", "same-origin");
    res.insert("X-Request-Id", request_.request_id);
    bool has_cache_control = false;
    for (const auto& [name, value] : r.headers) {
      res.set(name, value);
      has_cache_control = has_cache_control || beast::iequals(name, "Cache-Control");
    }
    if (!has_cache_control) res.insert(bhttp::field::cache_control, "no-store");
    bool keep = keep_alive_ && !closing_ && !server_.stopping.load();
    res.keep_alive(keep);
    res.content_length(r.status == 304 ? 0 : body_size);
  }

  void send(http::Response response) {
    state_ = State::kWriting;
    status_ = response.status;
    error_code_ = std::move(response.error_code);
    bool head = request_.method == http::Method::kHead;
    std::string_view body = response.body_view();
    bytes_ = head || response.status == 304 ? 0 : body.size();
    if (response.shared_body && !head) {
      auto res = std::make_shared<bhttp::response<bhttp::span_body<const char>>>();
      prepare(*res, response, body.size());
      res->body() = beast::span<const char>(body.data(), body.size());
      shared_body_ = response.shared_body;  // keeps the span's bytes alive
      return write(std::move(res));
    }
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    prepare(*res, response, body.size());
    if (!head && response.status != 304) res->body() = std::move(response.body);
    write(std::move(res));
  }

  template <typename Message>
  void write(std::shared_ptr<Message> res) {
    bool keep = res->keep_alive();
    stream_.expires_after(server_.options.read_timeout);
    bhttp::async_write(stream_, *res,
                       [self = shared_from_this(), res, keep](beast::error_code ec, std::size_t) {
                         self->after_write(ec, keep);
                       });
  }

  void after_write(beast::error_code ec, bool keep) {
    shared_body_.reset();
    remove_upload();
    log_request();
    if (ec) return close();
    if (!keep) return linger_ ? linger_close() : close();
    read_header();
  }

  void log_request() {
    RequestLog entry{request_.request_id,
                     remote_,
                     method_text_,
                     request_.path,
                     route_                                   ? std::string_view(route_->pattern)
                     : slot_ == server_.metrics.static_slot() ? std::string_view("static")
                                                              : std::string_view("unmatched"),
                     status_,
                     bytes_,
                     std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started_),
                     error_code_};
    entry.actor = request_.actor;
    entry.actor_user_id = request_.actor_user_id;
    entry.audited = request_.audited;
    server_.metrics.observe(slot_, status_, entry.duration);
    if (server_.hooks.on_complete) server_.hooks.on_complete(entry);
    if (status_ >= 400 && status_ < 500 && server_.hooks.on_refusal)
      server_.hooks.on_refusal(entry);
  }

  // A refusal with no response possible (the timeout closed the socket).
  void refuse_dropped(ErrorCode code, int status) {
    status_ = status;
    error_code_ = std::string(error_spec(code).code);
    bytes_ = 0;
    if (started_ == Clock::time_point{}) started_ = Clock::now();
    log_request();
    close();
  }

  // After refusing a request whose body was not read, read and discard what the
  // client is still sending for a moment, so that it sees the response rather
  // than a reset connection.
  void linger_close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    linger_until_ = Clock::now() + std::chrono::seconds(2);
    drain();
  }

  void drain() {
    if (Clock::now() > linger_until_ || drained_ > (std::int64_t{8} << 20)) return close();
    stream_.expires_after(std::chrono::seconds(2));
    drain_buffer_.resize(64 * 1024);
    stream_.async_read_some(net::buffer(drain_buffer_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->drained_ += static_cast<std::int64_t>(n);
                              if (ec) return self->close();
                              self->drain();
                            });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

  void remove_upload() {
    if (upload_path_.empty()) return;
    std::error_code ec;
    std::filesystem::remove(upload_path_, ec);  // the handler moved it away if it kept it
    upload_path_.clear();
  }

  beast::tcp_stream stream_;
  Server::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::empty_body>> header_parser_;
  std::optional<bhttp::request_parser<bhttp::string_body>> string_parser_;
  std::optional<bhttp::request_parser<bhttp::file_body>> file_parser_;
  http::Request request_;
  std::string method_text_;
  const http::Route* route_ = nullptr;
  std::size_t slot_ = 0;
  std::string remote_;
  std::string upload_path_;
  std::shared_ptr<const std::string> shared_body_;
  std::string error_code_;
  std::vector<char> drain_buffer_;
  Clock::time_point started_{};
  Clock::time_point linger_until_{};
  std::int64_t drained_ = 0;
  std::uint64_t bytes_ = 0;
  int status_ = 0;
  State state_ = State::kWaitingHeader;
  bool keep_alive_ = true;
  bool first_request_ = true;
  bool closing_ = false;
  bool linger_ = false;
};

void Server::Impl::accept() {
  acceptor.async_accept(net::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
    if (!ec) {
      auto session = std::make_shared<Session>(std::move(socket), *this);
      session_started(session);
      session->start();
    } else {
      spdlog::warn("accept failed: {}", ec.message());
    }
    accept();
  });
}

void Server::Impl::session_started(const std::shared_ptr<Session>& s) {
  live.fetch_add(1);
  std::lock_guard lock(sessions_mutex);
  if (sessions.size() > 1024) sessions.remove_if([](const auto& w) { return w.expired(); });
  sessions.push_back(s);
}

void Server::Impl::session_ended() {
  if (live.fetch_sub(1) == 1 && stopping.load()) {
    net::post(io, [this] {
      grace_timer.cancel();
      beast::error_code ec;
      signals.cancel(ec);
    });
  }
}

void Server::Impl::begin_shutdown() {
  if (stopping.exchange(true)) return;
  spdlog::info("shutting down: no new connections; waiting up to {} s for requests in flight",
               options.shutdown_grace.count());
  beast::error_code ec;
  acceptor.close(ec);
  std::vector<std::shared_ptr<Session>> open;
  {
    std::lock_guard lock(sessions_mutex);
    for (auto& w : sessions) {
      if (auto s = w.lock()) open.push_back(std::move(s));
    }
    sessions.clear();
  }
  for (auto& s : open) {
    net::post(s->executor(), [s] { s->on_shutdown(); });
  }
  grace_timer.expires_after(options.shutdown_grace);
  grace_timer.async_wait([this](beast::error_code wait_ec) {
    if (wait_ec == net::error::operation_aborted) return;
    spdlog::warn("shutdown grace period over: closing {} connection(s) still open", live.load());
    forced = true;
    io.stop();
  });
  if (live.load() == 0) {
    grace_timer.cancel();
    signals.cancel(ec);
  }
}

Server::Server(Options options, const http::Router& router, http::Metrics& metrics, Hooks hooks)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics, std::move(hooks))) {}

Server::~Server() {
  if (!impl_->forced) impl_->workers.join();
}

Result<void> Server::listen() {
  beast::error_code ec;
  auto address = net::ip::make_address(impl_->options.host, ec);
  if (ec) {
    return fail(ErrorCode::kConfigInvalid, field("key", "server.listen"),
                field("detail", fmt::format("无效的地址“{}”", impl_->options.host)));
  }
  tcp::endpoint endpoint{address, impl_->options.port};
  auto& acceptor = impl_->acceptor;
  auto failed = [&](std::string_view what) {
    return fail(ErrorCode::kUnavailable,
                field("reason", fmt::format("无法{} {}:{}（{}）", what, impl_->options.host,
                                            impl_->options.port, ec.message())));
  };
  if (acceptor.open(endpoint.protocol(), ec); ec) return failed("打开");
  if (acceptor.set_option(net::socket_base::reuse_address(true), ec); ec) return failed("设置");
  if (acceptor.bind(endpoint, ec); ec) return failed("监听");
  if (acceptor.listen(net::socket_base::max_listen_connections, ec); ec) return failed("监听");
  return {};
}

std::string Server::url() const {
  beast::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  auto host = ep.address().is_v6() ? fmt::format("[{}]", ep.address().to_string())
                                   : ep.address().to_string();
  return fmt::format("http://{}:{}", host, ep.port());
}

Server::Stop Server::run() {
  Impl& impl = *impl_;
  impl.signals.async_wait([&impl](beast::error_code ec, int signal) {
    if (ec) return;
    spdlog::info("received signal {}", signal);
    impl.begin_shutdown();
  });
  impl.accept();
  std::vector<std::thread> threads;
  int n = impl.threads();
  threads.reserve(static_cast<std::size_t>(n - 1));
  for (int i = 1; i < n; ++i) threads.emplace_back([&impl] { impl.io.run(); });
  impl.io.run();
  for (auto& t : threads) t.join();
  if (impl.forced) return Stop::kForced;
  impl.workers.join();
  spdlog::info("server stopped");
  return Stop::kGraceful;
}

void Server::request_shutdown() {
  net::post(impl_->io, [this] { impl_->begin_shutdown(); });
}

bool Server::shutting_down() const {
  return impl_->stopping.load();
}

}  // namespace xzzf::server
