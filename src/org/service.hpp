#pragma once

// OrgService: the rules of the organization — jurisdictions, departments and
// their changes (机构改革), agencies, posts and 执法主体 — over the Database.
// Every call takes the Caller and checks its permission and Scope itself
// (defence in depth: the route's guard has checked the permission already);
// lists go through Scope::filter, single objects through Scope::check, so an
// object of another department is absent from lists and refused in detail
// (403 auth.out_of_scope). Every change writes its org_changes row and an
// audit event in the same transaction as the change.
//
// Borrows the Database, the AuditTrail and the Clock, which must outlive it.
// Stateless apart from those: safe to use from many threads.

#include <cstdint>
#include <functional>
#include <vector>

#include "audit/trail.hpp"
#include "auth/caller.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "org/model.hpp"
#include "record/journal.hpp"
#include "storage/database.hpp"

namespace xzzf::org {

// 河南省行政执法条例: where the refusals of this module come from.
inline constexpr const char* kBasisSubjectConfirmation = "《河南省行政执法条例》第十三条";
inline constexpr const char* kBasisEntrustment = "《河南省行政执法条例》第十四条";

// A subject may act (handle cases, sign decisions) only once confirmed: the
// check later modules call. 422 org.subject_not_confirmed with 第十三条.
[[nodiscard]] Result<void> check_subject_may_act(const Subject& subject);

// A department merged into another, told to the modules whose rows belong to
// a department (power items …) inside the merge's transaction, after its
// agencies and posts moved: they move their rows too, on the record.
struct MergeEvent {
  std::int64_t from_id = 0;
  std::int64_t into_id = 0;
  std::string date;
  std::optional<std::int64_t> actor_user_id;
  Instant at;
};
using MergeHook = std::function<Result<void>(storage::Tx&, const MergeEvent&)>;

class OrgService {
 public:
  // `after_change`, if set, runs after every committed change (the routes drop
  // their cache of public answers there); `on_merge`, if set, inside every
  // merge (a refusal rolls the merge back).
  OrgService(storage::Database& db, audit::AuditTrail& audit, const Clock& clock,
             std::function<void()> after_change = {}, MergeHook on_merge = {})
      : db_(db),
        audit_(audit),
        clock_(clock),
        journal_(clock),
        after_change_(std::move(after_change)),
        on_merge_(std::move(on_merge)) {}

  using Caller = auth::Caller;

  // The whole tree (org.read): names of jurisdictions are not department data.
  [[nodiscard]] Result<std::vector<Jurisdiction>> jurisdictions(const Caller& caller) const;
  [[nodiscard]] Result<Jurisdiction> create_jurisdiction(const Caller& caller,
                                                         const NewJurisdiction& cmd) const;

  [[nodiscard]] Result<Page<Department>> departments(const Caller& caller,
                                                     const DepartmentQuery& query) const;
  [[nodiscard]] Result<Department> department(const Caller& caller, std::int64_t id) const;
  [[nodiscard]] Result<Department> create_department(const Caller& caller,
                                                     const NewDepartment& cmd) const;
  // Rename, short name, sectors; the old values stay in org_changes.
  [[nodiscard]] Result<Department> update_department(const Caller& caller, std::int64_t id,
                                                     const DepartmentUpdate& cmd) const;
  // Marks `id` merged into the target and moves its agencies and posts there.
  [[nodiscard]] Result<Department> merge_department(const Caller& caller, std::int64_t id,
                                                    const DepartmentMerge& cmd) const;
  [[nodiscard]] Result<std::vector<Change>> department_history(const Caller& caller,
                                                               std::int64_t id) const;

  [[nodiscard]] Result<std::vector<Agency>> agencies(const Caller& caller,
                                                     std::int64_t department_id) const;
  [[nodiscard]] Result<Agency> create_agency(const Caller& caller, std::int64_t department_id,
                                             const NewAgency& cmd) const;
  [[nodiscard]] Result<Agency> update_agency(const Caller& caller, std::int64_t department_id,
                                             std::int64_t agency_id, const AgencyUpdate& cmd) const;
  [[nodiscard]] Result<Agency> abolish_agency(const Caller& caller, std::int64_t department_id,
                                              std::int64_t agency_id,
                                              const std::string& effective_date) const;

  [[nodiscard]] Result<std::vector<Post>> posts(const Caller& caller,
                                                std::int64_t department_id) const;
  [[nodiscard]] Result<Post> create_post(const Caller& caller, std::int64_t department_id,
                                         const NewPost& cmd) const;

  [[nodiscard]] Result<Page<Subject>> subjects(const Caller& caller,
                                               const SubjectQuery& query) const;
  [[nodiscard]] Result<Subject> subject(const Caller& caller, std::int64_t id) const;
  [[nodiscard]] Result<Subject> propose_subject(const Caller& caller, const NewSubject& cmd) const;
  [[nodiscard]] Result<Subject> confirm_subject(const Caller& caller, std::int64_t id,
                                                const SubjectConfirmation& cmd) const;
  [[nodiscard]] Result<Subject> revoke_subject(const Caller& caller, std::int64_t id,
                                               const SubjectRevocation& cmd) const;
  // Only a confirmed subject is announced (第十三条): 422 otherwise.
  [[nodiscard]] Result<Subject> publish_subject(const Caller& caller, std::int64_t id) const;

  // The portal: confirmed and published subjects; no caller, no scope.
  [[nodiscard]] Result<Page<PublicSubject>> public_subjects(const PublicSubjectQuery& query) const;

 private:
  template <typename T>
  Result<T> notify(Result<T> result) const {
    if (result && after_change_) after_change_();
    return result;
  }

  storage::Database& db_;
  audit::AuditTrail& audit_;
  const Clock& clock_;
  record::Journal journal_;
  std::function<void()> after_change_;
  MergeHook on_merge_;
};

}  // namespace xzzf::org
