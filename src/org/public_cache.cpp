#include "org/public_cache.hpp"

namespace xzzf::org {

std::shared_ptr<const std::string> PublicCache::get(const std::string& key) const {
  const std::int64_t now = clock_.now().micros;
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.expires_us <= now) return nullptr;
  return it->second.body;
}

std::uint64_t PublicCache::generation() const {
  std::lock_guard lock(mu_);
  return generation_;
}

void PublicCache::put(const std::string& key, std::shared_ptr<const std::string> body,
                      std::uint64_t generation) {
  const std::int64_t expires =
      clock_.now().micros + std::chrono::duration_cast<std::chrono::microseconds>(ttl_).count();
  std::lock_guard lock(mu_);
  if (generation != generation_) return;
  // Queries are free text: a flood of distinct ones must not grow the map.
  if (entries_.size() >= max_entries_ && !entries_.contains(key)) entries_.clear();
  entries_[key] = Entry{std::move(body), expires};
}

void PublicCache::invalidate() {
  std::lock_guard lock(mu_);
  ++generation_;
  entries_.clear();
}

}  // namespace xzzf::org
