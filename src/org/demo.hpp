#pragma once

// The demo organization of 永城市 (411481, 商丘市, 河南省): the jurisdiction
// tree with townships, the legal office (永城市司法局), enforcement departments
// under their 2019 机构改革 names with sectors, agencies and posts, township
// 综合行政执法, and 执法主体 in every state (most confirmed and published, one
// proposed, one revoked). `xzzf demo` loads it; the auth engineer's accounts
// refer to the ids returned here.
//
// Idempotent: every object is looked up (by code, or by name within its
// department) before it is created, so running it twice changes nothing. The
// changes go through OrgService, so each has its org_changes row and audit
// event, as if the legal office had entered it.

#include <cstdint>
#include <map>
#include <string>

#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"

namespace xzzf::org {

struct DemoOrg {
  std::int64_t province_id = 0;  // 河南省 410000
  std::int64_t city_id = 0;      // 商丘市 411400
  std::int64_t county_id = 0;    // 永城市 411481: the deployment's jurisdiction
  std::map<std::string, std::int64_t> township_ids;    // by 行政区划代码
  std::map<std::string, std::int64_t> department_ids;  // by department code, e.g. "411481-SCJG"
  std::int64_t legal_office_id = 0;                    // 永城市司法局 (411481-SFJ)
  std::int64_t market_id = 0;  // 永城市市场监督管理局 (411481-SCJG)
};

// Codes of the departments the demo accounts belong to.
inline constexpr const char* kDemoLegalOfficeCode = "411481-SFJ";
inline constexpr const char* kDemoMarketCode = "411481-SCJG";

[[nodiscard]] Result<DemoOrg> load_demo(storage::Database& db, const Clock& clock);

}  // namespace xzzf::org
