#pragma once

// PowerService: the rules of the power and responsibility list (权责清单).
//
//   - A department administrator (power.edit) writes items of their own
//     department; the legal office (power.edit, power.review) of the
//     jurisdiction reviews them: submit → return | approve → publish; a
//     published item is amended by a new version that goes through the same
//     review, the published version staying on the portal meanwhile.
//   - Every basis is checked against the legal library, with the article it
//     comes from when refused: a 规范性文件 is never a basis (永政办〔2015〕98号
//     三（一）), nor a norm not in force on the item's effective date, and an
//     item without basis is refused.
//   - Every change writes its version snapshot and is one act on the record
//     in the same transaction.
//   - Lists and single items are scoped by the caller's department or
//     jurisdiction (auth::Scope).
//
// Borrows the Database and the Clock; stateless otherwise, thread-safe.

#include <cstdint>
#include <string>
#include <vector>

#include "auth/caller.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "org/service.hpp"
#include "powers/model.hpp"
#include "record/journal.hpp"
#include "sheets/table.hpp"
#include "storage/database.hpp"

namespace xzzf::powers {

// The most rows one import takes (all of them in one transaction).
inline constexpr std::size_t kMaxImportRows = 2000;

inline constexpr const char* kBasisNotice =
    "《永城市人民政府办公室关于贯彻豫政办〔2015〕42号文件全面落实行政执法责任制的通知》"
    "（永政办〔2015〕98号）三（一）";

class PowerService {
 public:
  PowerService(storage::Database& db, const Clock& clock)
      : db_(db), clock_(clock), journal_(clock) {}

  using Caller = auth::Caller;

  [[nodiscard]] Result<Page<Item>> items(const Caller& caller, const ItemQuery& query) const;
  [[nodiscard]] Result<Item> item(const Caller& caller, std::int64_t id) const;
  [[nodiscard]] Result<std::vector<Version>> versions(const Caller& caller, std::int64_t id) const;
  [[nodiscard]] Result<std::vector<Review>> reviews(const Caller& caller, std::int64_t id) const;

  // A new draft of `department_id`; `code` empty: the department's next code
  // (411481-SCJG-CF-001: department code, category letters, number).
  [[nodiscard]] Result<Item> create(const Caller& caller, std::int64_t department_id,
                                    const std::string& code, const Content& content) const;
  // Rewrites a draft or returned item (the same version).
  [[nodiscard]] Result<Item> update(const Caller& caller, std::int64_t id,
                                    const Content& content) const;

  // The review steps: submit (power.edit), return and approve and publish
  // (power.review), amend (power.edit: a published item's next version, in
  // draft). A return needs a comment.
  [[nodiscard]] Result<Item> transition(const Caller& caller, std::int64_t id,
                                        const std::string& action,
                                        const std::string& comment) const;

  // cancel (取消), delegate (下放, to a township department under a 下放
  // decision) or transfer (转移, to a department of the same government,
  // under a 相对集中 decision if any) a published item (power.edit, a reason
  // required): its next version, submitted for the same review; the
  // published one stays on the portal until the change is published.
  [[nodiscard]] Result<Item> request_change(const Caller& caller, std::int64_t id,
                                            const ChangeRequest& request) const;

  // Items per department and state against the legal office's deadline
  // (power.read, scoped); the jurisdiction's, or the caller's.
  [[nodiscard]] Result<Progress> progress(const Caller& caller,
                                          std::optional<std::int64_t> jurisdiction_id) const;
  // The legal office sets its jurisdiction's deadline (power.review).
  [[nodiscard]] Result<std::string> set_deadline(const Caller& caller, std::int64_t jurisdiction_id,
                                                 const std::string& deadline) const;

  // org's merge hook: the merged department's items move to the one that
  // absorbed it, each on the record (inside the merge's transaction).
  [[nodiscard]] Result<void> follow_merge(storage::Tx& tx, const org::MergeEvent& event) const;

  // The portal (no caller: published items are public). `query.q` raw.
  [[nodiscard]] Result<Page<PublicItem>> public_items(const PublicQuery& query) const;
  [[nodiscard]] Result<PublicItem> public_item(std::int64_t id) const;
  [[nodiscard]] Result<PublicSummary> public_summary() const;
  // Search documents for published items that have none (start-up).
  [[nodiscard]] Result<std::int64_t> index_published() const;

  // A spreadsheet in the layout of powers/sheet.hpp, as drafts of one
  // department: every row is checked as create() checks one item, and nothing
  // is imported unless every row is valid (the report says row, column and
  // what is wrong).
  struct ImportReport {
    int imported = 0;
    std::vector<sheets::RowIssue> issues;
  };
  [[nodiscard]] Result<ImportReport> import_items(const Caller& caller, std::int64_t department_id,
                                                  std::string_view xlsx) const;
  // The department's items in the same layout (.xlsx bytes).
  [[nodiscard]] Result<std::string> export_items(const Caller& caller,
                                                 std::int64_t department_id) const;

 private:
  storage::Database& db_;
  const Clock& clock_;
  record::Journal journal_;
};

}  // namespace xzzf::powers
