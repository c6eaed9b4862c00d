#pragma once

// The SQL of org/: every statement over the organization tables, on one open
// transaction (storage::Tx). No rules live here: service.cpp decides, this file
// reads and writes. Visibility is never decided here either: list queries take
// the caller's auth::SqlFilter (from Scope::filter) and splice only its text,
// with its parameters bound. Stateless functions; a Tx belongs to one thread.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/caller.hpp"
#include "core/result.hpp"
#include "org/model.hpp"
#include "storage/database.hpp"

namespace xzzf::org::repo {

using storage::Tx;

// Jurisdictions
[[nodiscard]] Result<std::vector<Jurisdiction>> list_jurisdictions(Tx& tx);
[[nodiscard]] Result<std::optional<Jurisdiction>> find_jurisdiction(Tx& tx, std::int64_t id);
[[nodiscard]] Result<std::optional<Jurisdiction>> find_jurisdiction_by_code(
    Tx& tx, const std::string& code);
[[nodiscard]] Result<std::int64_t> insert_jurisdiction(Tx& tx, const NewJurisdiction& j,
                                                       std::int64_t at_us);

// Departments. `filter` restricts by d.id and d.jurisdiction_id.
[[nodiscard]] Result<Page<Department>> list_departments(Tx& tx, const auth::SqlFilter& filter,
                                                        const DepartmentQuery& query);
[[nodiscard]] Result<std::optional<Department>> find_department(Tx& tx, std::int64_t id);
[[nodiscard]] Result<std::optional<std::int64_t>> department_id_by_code(Tx& tx,
                                                                        const std::string& code);
[[nodiscard]] Result<std::int64_t> insert_department(Tx& tx, const NewDepartment& d,
                                                     std::int64_t at_us);
[[nodiscard]] Result<void> update_department_names(Tx& tx, std::int64_t id, const std::string& name,
                                                   const std::string& short_name);
[[nodiscard]] Result<void> set_department_sectors(Tx& tx, std::int64_t id,
                                                  const std::vector<std::string>& sectors);
[[nodiscard]] Result<void> mark_department_merged(Tx& tx, std::int64_t id, std::int64_t into_id,
                                                  const std::string& effective_to);

// Agencies and posts of one department.
[[nodiscard]] Result<std::vector<Agency>> list_agencies(Tx& tx, std::int64_t department_id);
[[nodiscard]] Result<std::optional<Agency>> find_agency(Tx& tx, std::int64_t id);
[[nodiscard]] Result<std::optional<Agency>> find_agency_by_name(Tx& tx, std::int64_t department_id,
                                                                const std::string& name);
[[nodiscard]] Result<std::int64_t> insert_agency(Tx& tx, std::int64_t department_id,
                                                 const std::string& name, const std::string& duties,
                                                 const std::string& effective_from,
                                                 std::int64_t at_us);
[[nodiscard]] Result<void> update_agency(Tx& tx, std::int64_t id, const std::string& name,
                                         const std::string& duties);
[[nodiscard]] Result<void> abolish_agency(Tx& tx, std::int64_t id, const std::string& effective_to);
[[nodiscard]] Result<void> move_agency(Tx& tx, std::int64_t id, std::int64_t department_id,
                                       const std::string& name);
[[nodiscard]] Result<std::vector<Post>> list_posts(Tx& tx, std::int64_t department_id);
[[nodiscard]] Result<bool> post_name_taken(Tx& tx, std::int64_t department_id,
                                           const std::string& name);
[[nodiscard]] Result<std::int64_t> insert_post(Tx& tx, std::int64_t department_id, const NewPost& p,
                                               std::int64_t at_us);
[[nodiscard]] Result<void> move_post(Tx& tx, std::int64_t id, std::int64_t department_id,
                                     const std::string& name);

// Subjects. `filter` restricts by s.department_id and s.jurisdiction_id.
[[nodiscard]] Result<Page<Subject>> list_subjects(Tx& tx, const auth::SqlFilter& filter,
                                                  const SubjectQuery& query);
[[nodiscard]] Result<std::optional<Subject>> find_subject(Tx& tx, std::int64_t id);
[[nodiscard]] Result<std::optional<std::int64_t>> subject_id_by_name(Tx& tx,
                                                                     std::int64_t department_id,
                                                                     const std::string& name);
[[nodiscard]] Result<std::int64_t> insert_subject(Tx& tx, std::int64_t jurisdiction_id,
                                                  const NewSubject& s, std::int64_t at_us);
[[nodiscard]] Result<void> confirm_subject(Tx& tx, std::int64_t id, const SubjectConfirmation& c,
                                           std::int64_t at_us);
[[nodiscard]] Result<void> revoke_subject(Tx& tx, std::int64_t id, const SubjectRevocation& r,
                                          std::int64_t at_us);
[[nodiscard]] Result<void> publish_subject(Tx& tx, std::int64_t id, std::int64_t at_us);
// Confirmed and published subjects: public, so no scope.
[[nodiscard]] Result<Page<PublicSubject>> list_public_subjects(Tx& tx,
                                                               const PublicSubjectQuery& query);

// History
[[nodiscard]] Result<void> insert_change(Tx& tx, const Change& c);
[[nodiscard]] Result<std::vector<Change>> list_changes(Tx& tx, const std::string& entity,
                                                       std::int64_t entity_id);

// Counts for the demo loader and tests.
[[nodiscard]] Result<std::int64_t> count_rows(Tx& tx, const std::string& table);

}  // namespace xzzf::org::repo
