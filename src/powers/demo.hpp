#pragma once

// The demo power and responsibility list (权责清单) of 永城市: over two hundred
// items of eight departments, each citing articles of the law texts in laws/
// (src/powers/data/demo_items.json, compiled into the binary). `xzzf demo`
// loads it after the organization (org::load_demo) and the legal library.
// Every item goes through PowerService as a department and the legal office
// would take it — created, then submitted, approved and published, or left
// approved, submitted, returned with a reason, or in draft — so each step is
// an act on the record, by the system (no user).
//
// Amendment tracking: some items were published in 2020 under texts that a
// later version changed (道路运输条例 2019, 农产品质量安全法 2018, 文物保护法
// 2017). A basis that is already stale cannot be submitted, so these items
// are loaded first, by load_demo_history(), while the older texts are the
// newest in the library; importing the rest of laws/ afterwards flags them
// and puts them on their departments' revision lists (DOMAIN.md §1).
//
// Idempotent: an item whose department already holds an item of the same
// name is left as it is. Borrows the Database and the Clock; stateless.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "powers/model.hpp"
#include "storage/database.hpp"

namespace xzzf::powers {

// One item of the demo list as written in the data file: bases by norm title
// (Basis::norm_id unset), agency and post by name (empty: none).
struct DemoItem {
  std::string department;  // 411481-SCJG
  Content content;
  std::vector<std::string> norm_titles;  // one per content.bases
  std::string agency;
  std::string post;
  std::string state;     // draft, submitted, returned, approved, published
  std::string comment;   // the legal office's reason, for a returned item
  bool history = false;  // published in 2020 under a text a later version changed
};

struct DemoList {
  // The older texts the history items cite, relative to laws/
  // ("national/道路运输条例(2019-03-02).md").
  std::vector<std::string> superseded_texts;
  std::vector<DemoItem> items;
};

// The embedded list, parsed and checked for shape (not against the library).
[[nodiscard]] Result<DemoList> demo_list();

struct DemoResult {
  int created = 0;
  int existing = 0;                      // already in their department: left alone
  std::map<std::string, int> by_status;  // of the items created
  int texts_imported = 0;                // older texts imported by load_demo_history
  int flagged = 0;             // items of the demo departments on a revision list afterwards
  bool library_empty = false;  // no text the list cites is in the library: nothing loaded
};

// The history items: imports the superseded texts from `laws_dir` (their
// source written as import_directory writes it, `source` + "：" + path), then
// creates and publishes the items that cite them. Call before the texts of
// laws/ are imported. Nothing happens when `laws_dir` is not a directory.
[[nodiscard]] Result<DemoResult> load_demo_history(
    storage::Database& db, const Clock& clock,
    const std::map<std::string, std::int64_t>& department_ids,
    const std::filesystem::path& laws_dir, const std::string& source);

// Every item not yet there. A history item loaded here, after the later
// texts, stays a draft (its basis is stale). `department_ids` by code, as
// org::load_demo returns them.
[[nodiscard]] Result<DemoResult> load_demo(
    storage::Database& db, const Clock& clock,
    const std::map<std::string, std::int64_t>& department_ids);

// The decisions of the demo city and what follows from them: a 下放 to
// 芒山镇 of two 城市管理局 items, one of which went through the review and
// now belongs to the township; a 相对集中行政处罚权 decision for 城市管理局;
// the legal office's deadline for the lists (a month from today). Idempotent:
// nothing happens when the 下放 decision is there. Returns how many decisions
// it registered.
[[nodiscard]] Result<int> load_demo_decisions(
    storage::Database& db, const Clock& clock,
    const std::map<std::string, std::int64_t>& department_ids);

// One line for the console, of both calls: "权责清单：新建 234 项（已公布 196
// 项、…），待修订 14 项"; "权责清单：已有 234 项，未新建；待修订 14 项".
[[nodiscard]] std::string demo_summary(const DemoResult& history, const DemoResult& rest);

}  // namespace xzzf::powers
