#pragma once

// Request counts and latency per route, rendered as Prometheus text for
// /metrics. Counting is lock-free (relaxed atomics): any thread may observe()
// while another renders.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "http/router.hpp"

namespace xzzf::http {

class Metrics {
 public:
  // Slots for every route of `router`, plus "static" (web app files) and
  // "unmatched" (404/405 and requests refused before routing).
  explicit Metrics(const Router& router);

  [[nodiscard]] std::size_t static_slot() const { return slots_.size() - 2; }
  [[nodiscard]] std::size_t unmatched_slot() const { return slots_.size() - 1; }

  void observe(std::size_t slot, int status, std::chrono::microseconds duration);
  void connection_opened() { connections_.fetch_add(1, std::memory_order_relaxed); }
  void connection_closed() { connections_.fetch_sub(1, std::memory_order_relaxed); }

  // Extra gauges or counters another part of the process reports
  // (name, help, type, value), appended to the text.
  struct Extra {
    std::string name;
    std::string help;
    std::string type;  // "counter" or "gauge"
    std::function<double()> value;
  };
  void add_extra(Extra extra) { extras_.push_back(std::move(extra)); }

  [[nodiscard]] std::string render() const;

  static constexpr std::array<double, 13> kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0};

 private:
  struct Slot {
    std::string label;                                        // method and pattern
    std::array<std::atomic<std::uint64_t>, 500> by_status{};  // index status - 100
    std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets{};
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sum_micros{0};
  };
  std::vector<std::unique_ptr<Slot>> slots_;
  std::atomic<std::int64_t> connections_{0};
  std::vector<Extra> extras_;
};

}  // namespace xzzf::http
