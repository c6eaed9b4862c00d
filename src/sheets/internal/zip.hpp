#pragma once

// A read-only zip archive over bytes in memory (libzip), which charges every
// byte it inflates to a budget and refuses to go past it. Private to sheets/.
//
// The bytes must outlive the archive. Not safe to share between threads.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

struct zip;

namespace xzzf::sheets::internal {

class ZipArchive {
 public:
  // Opens `bytes` as a zip archive holding at most `max_entries` entries;
  // `budget` bounds the bytes all later reads may inflate together.
  // Errors: sheets.not_xlsx, sheets.too_many_entries.
  [[nodiscard]] static Result<ZipArchive> open(std::string_view bytes, std::size_t max_entries,
                                               std::uint64_t budget);

  // The index of the entry named `name` (exact, else ignoring case as OPC
  // part names do), or nullopt.
  [[nodiscard]] std::optional<std::uint64_t> find(const std::string& name) const;

  // The inflated bytes of entry `index`, charged to the budget: refused with
  // sheets.too_large when its declared size or the bytes actually inflated
  // exceed what is left (reading stops there); sheets.not_xlsx when the entry
  // is encrypted, compressed other than stored/deflated, or damaged.
  [[nodiscard]] Result<std::string> read(std::uint64_t index, std::string_view name);

 private:
  struct Discard {
    void operator()(zip* archive) const;
  };
  ZipArchive(std::unique_ptr<zip, Discard> archive, std::uint64_t budget)
      : archive_(std::move(archive)), budget_(budget), limit_(budget) {}

  std::unique_ptr<zip, Discard> archive_;
  std::uint64_t budget_;  // bytes left
  std::uint64_t limit_;   // the whole budget, for messages
};

}  // namespace xzzf::sheets::internal
