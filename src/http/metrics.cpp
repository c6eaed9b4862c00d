#include "http/metrics.hpp"

#include <fmt/format.h>

namespace xzzf::http {

namespace {
std::string escape_label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}
}  // namespace

Metrics::Metrics(const Router& router) {
  for (const auto& route : router.routes()) {
    auto slot = std::make_unique<Slot>();
    slot->label = fmt::format("{} {}", method_name(route.method), route.pattern);
    slots_.push_back(std::move(slot));
  }
  for (const char* label : {"static", "unmatched"}) {
    auto slot = std::make_unique<Slot>();
    slot->label = label;
    slots_.push_back(std::move(slot));
  }
}

void Metrics::observe(std::size_t slot_index, int status, std::chrono::microseconds duration) {
  Slot& slot = *slots_.at(slot_index);
  if (status >= 100 && status < 600) {
    slot.by_status[static_cast<std::size_t>(status - 100)].fetch_add(1, std::memory_order_relaxed);
  }
  double seconds = static_cast<double>(duration.count()) / 1e6;
  std::size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  slot.buckets[b].fetch_add(1, std::memory_order_relaxed);
  slot.count.fetch_add(1, std::memory_order_relaxed);
  slot.sum_micros.fetch_add(static_cast<std::uint64_t>(duration.count()),
                            std::memory_order_relaxed);
}

std::string Metrics::render() const {
  std::string out;
  out += "# HELP xzzf_http_requests_total HTTP requests answered, by route and status.\n";
  out += "# TYPE xzzf_http_requests_total counter\n";
  for (const auto& slot : slots_) {
    auto label = escape_label(slot->label);
    for (std::size_t i = 0; i < slot->by_status.size(); ++i) {
      auto n = slot->by_status[i].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out += fmt::format("xzzf_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", label,
                         i + 100, n);
    }
  }
  out +=
      "# HELP xzzf_http_request_duration_seconds Time from a complete request header to the "
      "response written.\n";
  out += "# TYPE xzzf_http_request_duration_seconds histogram\n";
  for (const auto& slot : slots_) {
    auto count = slot->count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    auto label = escape_label(slot->label);
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += slot->buckets[b].load(std::memory_order_relaxed);
      std::string le = b < kBuckets.size() ? fmt::format("{}", kBuckets[b]) : "+Inf";
      out += fmt::format("xzzf_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                         label, le, cumulative);
    }
    out += fmt::format("xzzf_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", label,
                       static_cast<double>(slot->sum_micros.load(std::memory_order_relaxed)) / 1e6);
    out +=
        fmt::format("xzzf_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", label, count);
  }
  out +=
      "# HELP xzzf_http_connections Open client connections.\n# TYPE xzzf_http_connections gauge\n";
  out += fmt::format("xzzf_http_connections {}\n", connections_.load(std::memory_order_relaxed));
  for (const auto& extra : extras_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n{} {}\n", extra.name, extra.help, extra.name,
                       extra.type, extra.name, extra.value());
  }
  return out;
}

}  // namespace xzzf::http
