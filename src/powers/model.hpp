#pragma once

// The power and responsibility list (权责清单, DOMAIN.md §2; notice 三): each
// enforcement power of a department with its category, legal basis (norm,
// article, paragraph, item), scope, the agency and post it is assigned to
// (分解执法职权), the responsibility and time limit, and the liabilities for
// unlawful or improper acts (追责情形). Items go draft → submitted → returned
// | approved → published, each step on the record; every version is kept.
// Plain values; dates "YYYY-MM-DD".

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/page.hpp"

namespace xzzf::powers {

// 行政许可/处罚/强制/确认/给付/征收/裁决/检查/其他 (notice 三(一)).
struct Category {
  std::string_view code;    // penalty
  std::string_view name;    // 行政处罚
  std::string_view letter;  // CF, in item codes
};
[[nodiscard]] const std::vector<Category>& categories();
[[nodiscard]] const Category* category(std::string_view code);

// draft 草稿, submitted 待审核, returned 已退回, approved 已审核, published 已公布,
// cancelled 已取消.
[[nodiscard]] std::string_view status_name(std::string_view status);

// One basis of an item: an article (款, 项 optional) of a norm, as the
// version in force on the item's effective date has it.
struct Basis {
  std::int64_t norm_id = 0;
  int article = 0;    // 第X条
  int sub = 0;        // 第X条之一
  int paragraph = 0;  // 第Y款; 0: the whole article
  int item = 0;       // 第（Z）项; 0: the whole paragraph
  // Filled from the library:
  std::string norm_title;
  std::string norm_level;
  std::int64_t norm_version_id = 0;
  std::string version_date;
  std::string label;  // 《中华人民共和国食品安全法》第一百二十二条第一款
  std::string article_text;
  bool stale = false;  // a later version changed or removed the article, or the norm was repealed
};

// 《中华人民共和国食品安全法》第一百二十四条第一款: a basis as cited.
[[nodiscard]] std::string basis_label(const Basis& b);

// What a department administrator writes.
struct Content {
  std::string name;
  std::string category;
  std::string sector;  // one of the department's 执法领域
  std::string scope;   // 实施对象、适用范围
  std::vector<Basis> bases;
  std::optional<std::int64_t> agency_id;
  std::optional<std::int64_t> post_id;
  std::string responsibility;            // 责任事项
  std::string time_limit;                // 办理时限
  std::vector<std::string> liabilities;  // 追责情形
  std::string effective_from;
};

struct Item {
  std::int64_t id = 0;
  std::int64_t department_id = 0;
  std::string department_name;
  std::int64_t jurisdiction_id = 0;
  std::string code;
  std::string status;
  std::int64_t version = 1;
  std::optional<std::int64_t> published_version;
  bool flagged = false;  // a basis went stale: on the department's revision list
  Content content;
  std::optional<std::string> agency_name;
  std::optional<std::string> post_name;
  std::string last_comment;  // of the last review step
  std::int64_t updated_at_us = 0;
  // What the version under review does: create, amend, cancel (取消),
  // delegate (下放) or transfer (转移), with the department it goes to and the
  // decision behind it.
  std::string change = "create";
  std::optional<std::int64_t> target_department_id;
  std::optional<std::string> target_department_name;
  std::optional<std::int64_t> authorization_id;
  std::optional<std::string> cancelled_on;
};

// 修订 amend, 取消 cancel, 下放 delegate, 转移 transfer, 新增 create.
[[nodiscard]] std::string_view change_name(std::string_view change);

// A request to cancel, delegate or transfer a published item.
struct ChangeRequest {
  std::string action;  // cancel, delegate, transfer
  std::string comment;
  std::optional<std::int64_t> department_id;     // delegate, transfer: where it goes
  std::optional<std::int64_t> authorization_id;  // delegate: required; transfer: optional
};

// A decision on who exercises powers (DOMAIN.md §1): 下放 to a township
// (行政处罚法 第二十四条), 相对集中行政处罚权 (第十八条第二款), 委托 (第二十条). It may
// be a 规范性文件; it is never a basis.
struct Authorization {
  std::int64_t id = 0;
  std::string kind;  // delegate, concentrate, entrust
  std::string title;
  std::string doc_number;
  std::string issuer;
  std::string decided_on;
  std::string effective_on;
  std::optional<std::string> valid_until;
  std::int64_t jurisdiction_id = 0;
  std::int64_t grantor_department_id = 0;
  std::string grantor_department_name;
  std::optional<std::int64_t> grantee_department_id;
  std::optional<std::string> grantee_department_name;
  std::string grantee_name;
  std::string scope;
  std::vector<std::int64_t> item_ids;
  struct ItemRef {
    std::int64_t id = 0;
    std::string code;
    std::string name;
  };
  std::vector<ItemRef> items;  // filled on reads
  std::int64_t created_at_us = 0;
};
[[nodiscard]] std::string_view authorization_kind_name(std::string_view kind);

struct AuthorizationQuery {
  std::string kind;
  std::optional<std::int64_t> department_id;  // grantor or grantee
  PageRequest page;
};

// One department's items by state against the legal office's deadline.
struct DepartmentProgress {
  std::int64_t department_id = 0;
  std::string department_name;
  std::int64_t total = 0, draft = 0, submitted = 0, returned = 0, approved = 0, published = 0,
               cancelled = 0, flagged = 0;
  [[nodiscard]] bool complete() const {
    return total > cancelled && published + cancelled == total;
  }
};
struct Progress {
  std::optional<std::int64_t> jurisdiction_id;
  std::optional<std::string> deadline;
  std::string today;
  std::vector<DepartmentProgress> departments;
};

// A published item as the portal shows it: the published version's content.
struct PublicItem {
  std::int64_t id = 0;
  std::int64_t department_id = 0;
  std::string department_name;
  std::int64_t version = 0;
  std::int64_t published_at_us = 0;
  std::string code;
  Content content;  // bases with their article text from the version cited
  std::optional<std::string> agency_name;
  std::optional<std::string> post_name;
};

struct PublicQuery {
  std::string q;  // raw; normalized by search::query_text
  std::optional<std::int64_t> department_id;
  std::string category;
  PageRequest page;
  std::int64_t total_cap = 1000;  // portal.search_total_cap
};

struct PublicSummary {
  struct Count {
    std::string key;  // department id or category code
    std::string name;
    std::int64_t count = 0;
  };
  std::vector<Count> departments;
  std::vector<Count> categories;
};

struct Version {
  std::int64_t version = 0;
  std::string status;  // the item's status when the version was last saved
  std::string snapshot_json;
  std::int64_t saved_at_us = 0;
};

struct Review {
  std::int64_t version = 0;
  std::string action;  // submit, return, approve, publish, amend
  std::string comment;
  std::optional<std::int64_t> actor_user_id;
  std::int64_t at_us = 0;
};

struct ItemQuery {
  std::optional<std::int64_t> department_id;
  std::string status;
  std::string category;
  std::string q;  // part of the name or code
  bool flagged_only = false;
  std::optional<std::int64_t> norm_id;  // items citing this norm
  PageRequest page;
};

}  // namespace xzzf::powers
