#pragma once

// Reading ids and paging from a request's path and query, with the catalog's
// errors for bad input. Shared by every module's routes.

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/page.hpp"
#include "core/result.hpp"
#include "http/message.hpp"

namespace xzzf::http {

// A path parameter that must be an id ({id}); kIdInvalid otherwise.
[[nodiscard]] Result<std::int64_t> path_id(const Request& req, std::string_view name);
// An optional query parameter that must be an id when present; kQueryInvalid otherwise.
[[nodiscard]] Result<std::optional<std::int64_t>> query_id(const Request& req,
                                                           std::string_view name);
// ?page= and ?page_size= (at most kMaxPageSize), defaulting to PageRequest's values.
[[nodiscard]] Result<PageRequest> page_request(const Request& req);
// An optional true/false query parameter (also 1/0); false when absent.
[[nodiscard]] Result<bool> query_flag(const Request& req, std::string_view name);

}  // namespace xzzf::http
