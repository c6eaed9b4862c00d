#pragma once

// Files compiled into the binary (migrations, the OpenAPI document) by
// cmake/embed.cmake, so that a deployed binary needs nothing beside it.

#include <string_view>
#include <vector>

namespace xzzf::embedded {

struct File {
  std::string_view path;  // relative to the source tree, e.g. "docs/openapi/base.json"
  std::string_view bytes;
};

}  // namespace xzzf::embedded
