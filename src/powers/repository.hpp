#pragma once

// SQL of the powers module: power items, their versions, bases and reviews,
// and the reads of org and the legal library that the checks need.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "auth/caller.hpp"
#include "core/result.hpp"
#include "powers/model.hpp"
#include "storage/database.hpp"

namespace xzzf::powers::repo {

using storage::Tx;

struct DepartmentInfo {
  std::int64_t id = 0;
  std::string code;
  std::string name;
  std::int64_t jurisdiction_id = 0;
  std::string status;
  std::string jurisdiction_level;  // province, city, county, township
  std::optional<std::int64_t> jurisdiction_parent_id;
  std::vector<std::string> sectors;
};
[[nodiscard]] Result<std::optional<DepartmentInfo>> department(Tx& tx, std::int64_t id);

struct NormInfo {
  std::string title;
  std::string level;
  std::optional<std::string> repealed_on;
  std::optional<std::string> adopted_on;
};
[[nodiscard]] Result<std::optional<NormInfo>> norm_info(Tx& tx, std::int64_t norm_id);
// The version in force on `date`: {id, version_date}.
[[nodiscard]] Result<std::optional<std::pair<std::int64_t, std::string>>> version_in_force(
    Tx& tx, std::int64_t norm_id, const std::string& date);
[[nodiscard]] Result<std::optional<std::string>> article_text(Tx& tx, std::int64_t version_id,
                                                              int article, int sub);
[[nodiscard]] Result<bool> agency_of_department(Tx& tx, std::int64_t agency_id,
                                                std::int64_t department_id);
[[nodiscard]] Result<bool> post_of_department(Tx& tx, std::int64_t post_id,
                                              std::int64_t department_id);

[[nodiscard]] Result<std::int64_t> next_number(Tx& tx, std::int64_t department_id,
                                               const std::string& prefix);
[[nodiscard]] Result<bool> code_taken(Tx& tx, std::int64_t department_id, const std::string& code);
[[nodiscard]] Result<std::int64_t> insert(Tx& tx, std::int64_t department_id,
                                          const std::string& code, const Content& c,
                                          std::int64_t at_us);
// The content columns and the bases (replaced).
[[nodiscard]] Result<void> update_content(Tx& tx, std::int64_t id, const Content& c,
                                          std::int64_t at_us);
[[nodiscard]] Result<void> set_status(Tx& tx, std::int64_t id, const std::string& status,
                                      std::int64_t version,
                                      std::optional<std::int64_t> published_version,
                                      const std::string& comment, std::int64_t at_us);
[[nodiscard]] Result<void> save_version(Tx& tx, std::int64_t id, std::int64_t version,
                                        const std::string& status, const std::string& snapshot,
                                        std::int64_t at_us);
[[nodiscard]] Result<void> add_review(Tx& tx, std::int64_t id, std::int64_t version,
                                      const std::string& action, const std::string& comment,
                                      std::optional<std::int64_t> actor, std::int64_t at_us);

[[nodiscard]] Result<std::optional<std::int64_t>> norm_id_by_title(Tx& tx,
                                                                   const std::string& title);
[[nodiscard]] Result<std::optional<std::int64_t>> agency_by_name(Tx& tx, std::int64_t department_id,
                                                                 const std::string& name);
[[nodiscard]] Result<std::optional<std::int64_t>> post_by_name(Tx& tx, std::int64_t department_id,
                                                               const std::string& name);
[[nodiscard]] Result<std::vector<std::int64_t>> ids_of_department(Tx& tx,
                                                                  std::int64_t department_id);

[[nodiscard]] Result<std::optional<Item>> find(Tx& tx, std::int64_t id);
[[nodiscard]] Result<Page<Item>> list(Tx& tx, const auth::Scope& scope, const ItemQuery& query);
[[nodiscard]] Result<std::vector<Version>> versions(Tx& tx, std::int64_t id);
[[nodiscard]] Result<std::vector<Review>> reviews(Tx& tx, std::int64_t id);

// The change a version under review makes (create, amend, cancel, delegate,
// transfer), with its target department and authorization.
[[nodiscard]] Result<void> set_change(Tx& tx, std::int64_t id, const std::string& change,
                                      std::optional<std::int64_t> target,
                                      std::optional<std::int64_t> authorization);
// The item now belongs to `department_id` under `code`; its agency and post
// (the old department's) are cleared.
[[nodiscard]] Result<void> move(Tx& tx, std::int64_t id, std::int64_t department_id,
                                const std::string& code);
// The same item under a merged department's successor: agencies and posts
// moved with the merge, so they stay.
[[nodiscard]] Result<void> follow(Tx& tx, std::int64_t id, std::int64_t department_id,
                                  const std::string& code);
[[nodiscard]] Result<void> set_cancelled(Tx& tx, std::int64_t id, const std::string& date);
[[nodiscard]] Result<void> link_authorization(Tx& tx, std::int64_t authorization_id,
                                              std::int64_t item_id);

// Active departments in scope (of one jurisdiction and its townships if given) with their
// items counted by state.
[[nodiscard]] Result<std::vector<DepartmentProgress>> progress(
    Tx& tx, const auth::Scope& scope, std::optional<std::int64_t> jurisdiction_id);
[[nodiscard]] Result<std::optional<std::string>> deadline(Tx& tx, std::int64_t jurisdiction_id);
[[nodiscard]] Result<void> set_deadline(Tx& tx, std::int64_t jurisdiction_id,
                                        const std::string& date, std::optional<std::int64_t> actor,
                                        std::int64_t at_us);

}  // namespace xzzf::powers::repo
