#include "http/params.hpp"

#include <fmt/format.h>

#include "core/ids.hpp"

namespace xzzf::http {

Result<std::int64_t> path_id(const Request& req, std::string_view name) {
  return parse_id(req.path_param(name));
}

Result<std::optional<std::int64_t>> query_id(const Request& req, std::string_view name) {
  auto v = req.query_param(name);
  if (!v || v->empty()) return std::optional<std::int64_t>();
  auto id = parse_id(*v);
  if (!id) {
    return fail(ErrorCode::kQueryInvalid, field("name", std::string(name)),
                field("detail", "应为正整数"));
  }
  return std::optional<std::int64_t>(*id);
}

Result<bool> query_flag(const Request& req, std::string_view name) {
  auto v = req.query_param(name);
  if (!v || v->empty() || *v == "false" || *v == "0") return false;
  if (*v == "true" || *v == "1") return true;
  return fail(ErrorCode::kQueryInvalid, field("name", std::string(name)),
              field("detail", "应为 true 或 false"));
}

Result<PageRequest> page_request(const Request& req) {
  PageRequest p;
  XZZF_TRY(page_no, query_id(req, "page"));
  XZZF_TRY(size, query_id(req, "page_size"));
  if (page_no) {
    if (*page_no > kMaxPageNumber) {
      return fail(ErrorCode::kQueryInvalid, field("name", "page"), field("detail", "过大"));
    }
    p.page = *page_no;
  }
  if (size) {
    if (*size > kMaxPageSize) {
      return fail(ErrorCode::kQueryInvalid, field("name", "page_size"),
                  field("detail", fmt::format("应为 1 到 {}", kMaxPageSize)));
    }
    p.page_size = *size;
  }
  return p;
}

}  // namespace xzzf::http
