#include "http/router.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>

namespace xzzf::http {

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

bool is_param(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::add(Route route) {
  for (const auto& r : routes_) {
    if (r.method == route.method && r.pattern == route.pattern) {
      spdlog::critical("route registered twice: {} {}", method_name(route.method), route.pattern);
      std::abort();
    }
  }
  for (auto s : split_path(route.pattern)) route.segments.emplace_back(s);
  route.index = routes_.size();
  routes_.push_back(std::move(route));
}

Router::Match Router::match(Method method, std::string_view path) const {
  Match result;
  if (path.empty() || path.front() != '/') return result;
  auto parts = split_path(path);
  Method wanted = method == Method::kHead ? Method::kGet : method;
  for (const auto& route : routes_) {
    if (route.segments.size() != parts.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < parts.size() && same; ++i) {
      const auto& seg = route.segments[i];
      same = is_param(seg) ? !parts[i].empty() : seg == parts[i];
    }
    if (!same) continue;
    if (route.method != wanted) {
      result.outcome = Outcome::kMethodNotAllowed;
      result.allowed.push_back(route.method);
      if (route.method == Method::kGet) result.allowed.push_back(Method::kHead);
      continue;
    }
    result.outcome = Outcome::kFound;
    result.route = &route;
    result.allowed.clear();
    result.params.clear();
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const auto& seg = route.segments[i];
      if (is_param(seg))
        result.params.emplace(seg.substr(1, seg.size() - 2), std::string(parts[i]));
    }
    return result;
  }
  return result;
}

}  // namespace xzzf::http
