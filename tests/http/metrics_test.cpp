#include "http/metrics.hpp"

#include <gtest/gtest.h>

namespace xzzf::http {
namespace {

TEST(Metrics, CountsPerRouteAndStatusWithCumulativeBuckets) {
  Router r;
  r.add({.method = Method::kGet,
         .pattern = "/api/v1/public/info",
         .handler = [](Request&) -> Result<Response> { return Response{}; }});
  Metrics m(r);
  m.observe(0, 200, std::chrono::microseconds(300));
  m.observe(0, 200, std::chrono::microseconds(3000));
  m.observe(m.unmatched_slot(), 404, std::chrono::microseconds(10));
  std::string text = m.render();
  EXPECT_NE(
      text.find("xzzf_http_requests_total{route=\"GET /api/v1/public/info\",status=\"200\"} 2"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("xzzf_http_requests_total{route=\"unmatched\",status=\"404\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("xzzf_http_request_duration_seconds_bucket{route=\"GET "
                      "/api/v1/public/info\",le=\"0.0005\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("xzzf_http_request_duration_seconds_bucket{route=\"GET "
                      "/api/v1/public/info\",le=\"+Inf\"} 2"),
            std::string::npos);
  EXPECT_NE(
      text.find("xzzf_http_request_duration_seconds_count{route=\"GET /api/v1/public/info\"} 2"),
      std::string::npos);
}

}  // namespace
}  // namespace xzzf::http
