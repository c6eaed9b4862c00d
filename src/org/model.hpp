#pragma once

// The organization as xzzf keeps it: jurisdictions (行政区划, townships
// included), departments with their enforcement sectors (执法领域), agencies
// (内设机构), posts (岗位), enforcement subjects (执法主体) and the history of
// changes with their effective dates (机构改革). Plain values, safe to copy
// between threads; dates are "YYYY-MM-DD" text in Asia/Shanghai.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/page.hpp"
#include "core/sectors.hpp"

namespace xzzf::org {

// 执法领域: the fixed list of core/sectors.
using xzzf::is_sector;
using xzzf::Sector;
using xzzf::sectors;

// Levels of the jurisdiction tree, from the top.
[[nodiscard]] const std::vector<std::string_view>& jurisdiction_levels();  // province … township
[[nodiscard]] std::string_view level_name(std::string_view level);         // "乡镇（街道）"

struct Jurisdiction {
  std::int64_t id = 0;
  std::string code;   // 行政区划代码: 411481, townships 9 digits
  std::string name;   // 永城市
  std::string level;  // province, city, county, township
  std::optional<std::int64_t> parent_id;
};

struct Department {
  std::int64_t id = 0;
  std::string code;        // 411481-SCJG
  std::string name;        // 永城市市场监督管理局
  std::string short_name;  // 永市监
  std::int64_t jurisdiction_id = 0;
  std::string jurisdiction_name;
  std::vector<std::string> sectors;
  bool is_legal_office = false;
  std::string status;  // active, merged, abolished
  std::optional<std::int64_t> merged_into_id;
  std::string effective_from;
  std::optional<std::string> effective_to;
  std::int64_t agency_count = 0;  // active agencies
  std::optional<std::string>
      subject_status;  // the best of its subjects: confirmed > proposed > revoked
};

struct Agency {
  std::int64_t id = 0;
  std::int64_t department_id = 0;
  std::string name;
  std::string duties;
  std::string status;  // active, abolished
  std::string effective_from;
  std::optional<std::string> effective_to;
};

struct Post {
  std::int64_t id = 0;
  std::int64_t department_id = 0;
  std::optional<std::int64_t> agency_id;
  std::optional<std::string> agency_name;
  std::string name;
  bool is_enforcement = false;
  std::string status;
};

// 执法主体 (河南省行政执法条例 第十三条, 第十四条).
struct Subject {
  std::int64_t id = 0;
  std::int64_t jurisdiction_id = 0;
  std::string jurisdiction_name;
  std::optional<std::int64_t> department_id;
  std::optional<std::string> department_name;
  std::string name;
  std::string kind;  // statutory 法定, authorized 授权, entrusted 受委托
  std::optional<std::int64_t> entrusted_by_department_id;
  std::optional<std::string> entrusted_by_department_name;
  std::string basis;
  std::string status;  // proposed, confirmed, revoked
  std::optional<std::string> confirmation_document;
  std::optional<std::string> confirmed_on;
  std::optional<std::string> revoked_on;
  std::optional<std::string> revocation_reason;
  bool published = false;
};

// One row of org_changes.
struct Change {
  std::int64_t id = 0;
  std::string entity;  // jurisdiction, department, agency, post, subject
  std::int64_t entity_id = 0;
  std::string change;  // create, rename, update, merge, move, abolish, confirm, revoke, publish
  std::string effective_date;
  std::string before_json;  // empty for none
  std::string after_json;
  std::optional<std::int64_t> actor_user_id;
  std::int64_t at_us = 0;
};

// Commands and queries, as decoded by routes.cpp.
struct NewJurisdiction {
  std::string code;
  std::string name;
  std::string level;
  std::optional<std::int64_t> parent_id;
};

struct DepartmentQuery {
  std::optional<std::int64_t> jurisdiction_id;
  std::string q;  // part of the name, code or short name
  bool include_inactive = false;
  PageRequest page;
};

struct NewDepartment {
  std::string code;
  std::string name;
  std::string short_name;
  std::int64_t jurisdiction_id = 0;
  std::vector<std::string> sectors;
  std::string effective_from;
  bool is_legal_office = false;  // set by the demo loader; not accepted over HTTP
};

struct DepartmentUpdate {
  std::optional<std::string> name;
  std::optional<std::string> short_name;
  std::optional<std::vector<std::string>> sectors;
  std::string effective_date;
};

struct DepartmentMerge {
  std::int64_t into_department_id = 0;
  std::string effective_date;
};

struct NewAgency {
  std::string name;
  std::string duties;
  std::optional<std::string> effective_from;  // today when absent
};

struct AgencyUpdate {
  std::optional<std::string> name;
  std::optional<std::string> duties;
};

struct NewPost {
  std::string name;
  std::optional<std::int64_t> agency_id;
  bool is_enforcement = false;
};

struct SubjectQuery {
  std::optional<std::string> status;
  std::optional<std::int64_t> department_id;
  PageRequest page;
};

struct NewSubject {
  std::string name;
  std::string kind;
  std::int64_t department_id = 0;
  std::string basis;
  std::optional<std::int64_t> entrusted_by_department_id;
};

struct SubjectConfirmation {
  std::string confirmation_document;  // 永政〔2016〕12号
  std::string confirmed_on;
};

struct SubjectRevocation {
  std::string reason;
  std::string revoked_on;
};

struct PublicSubjectQuery {
  std::optional<std::int64_t> department_id;
  std::string q;
  PageRequest page;
};

// What the portal shows of a confirmed and published subject.
struct PublicSubject {
  std::int64_t id = 0;
  std::string name;
  std::string kind;
  std::optional<std::int64_t> department_id;
  std::string department_name;
  std::string jurisdiction_name;
  std::string basis;
  std::string confirmation_document;
  std::string confirmed_on;
};

}  // namespace xzzf::org
