#pragma once

// PublicCache: the rendered answers of GET /api/v1/public/subjects, by query,
// so that the portal's most frequent read does not query the database on every
// request. An entry lives for at most `ttl` (changes made by another process,
// e.g. a second server on the same PostgreSQL, show within it) and every entry
// is dropped when this process changes the organization (invalidate()). A
// result read from the database while a change was committing is not stored:
// put() takes the generation seen before the read.
//
// Thread-safe; owned by the org routes and shared by their handlers.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/time.hpp"

namespace xzzf::org {

class PublicCache {
 public:
  PublicCache(const Clock& clock, std::chrono::milliseconds ttl, std::size_t max_entries)
      : clock_(clock), ttl_(ttl), max_entries_(max_entries) {}

  [[nodiscard]] std::shared_ptr<const std::string> get(const std::string& key) const;
  [[nodiscard]] std::uint64_t generation() const;
  // Stores `body` unless the organization changed since `generation` was read.
  void put(const std::string& key, std::shared_ptr<const std::string> body,
           std::uint64_t generation);
  void invalidate();

 private:
  struct Entry {
    std::shared_ptr<const std::string> body;
    std::int64_t expires_us = 0;
  };

  const Clock& clock_;
  const std::chrono::milliseconds ttl_;
  const std::size_t max_entries_;
  mutable std::mutex mu_;
  std::map<std::string, Entry, std::less<>> entries_;
  std::uint64_t generation_ = 0;
};

}  // namespace xzzf::org
