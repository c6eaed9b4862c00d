#pragma once

// One page of a list, as every list endpoint answers it (API.md:
// ?page=1&page_size=50 → {"items": [...], "total": N}).

#include <cstdint>
#include <vector>

namespace xzzf {

// The largest page a client may ask for.
inline constexpr std::int64_t kMaxPageSize = 200;
// The largest page number accepted (beyond it a client is probing, not paging).
inline constexpr std::int64_t kMaxPageNumber = 1'000'000;

struct PageRequest {
  std::int64_t page = 1;  // from 1
  std::int64_t page_size = 50;

  [[nodiscard]] std::int64_t offset() const { return (page - 1) * page_size; }
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::int64_t total = 0;
  bool total_capped = false;  // a search counted up to `total`, and more match
};

}  // namespace xzzf
