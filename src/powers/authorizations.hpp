#pragma once

// AuthorizationService: the decisions that say who exercises a power
// (DOMAIN.md §1), registered by the legal office (power.review) and cited by
// the delegate and transfer steps of the power list:
//
//   delegate    下放: a county department's penalty powers handed to a
//               township or street (乡镇人民政府、街道办事处), 《中华人民共和国
//               行政处罚法》第二十四条第一款;
//   concentrate 相对集中行政处罚权: one agency exercises another's penalty
//               powers, decided by the State Council or a province (第十八条
//               第二款; 《河南省行政执法条例》第十五条);
//   entrust     委托: an organisation acts in the department's name, the
//               entrustment stating the matters, powers and term (第二十条第二款).
//
// A decision may be a 规范性文件; it is never an enforcement basis. Every
// registration is one act on the record.

#include <cstdint>
#include <optional>

#include "auth/caller.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "powers/model.hpp"
#include "record/journal.hpp"
#include "storage/database.hpp"

namespace xzzf::powers {

inline constexpr const char* kBasisDelegate = "《中华人民共和国行政处罚法》第二十四条第一款";
inline constexpr const char* kBasisConcentrate =
    "《中华人民共和国行政处罚法》第十八条第二款；《河南省行政执法条例》第十五条第一款";
// A 相对集中 transfer stays within one government.
inline constexpr const char* kBasisConcentrateGovernment = "《河南省行政执法条例》第十五条第一款";
inline constexpr const char* kBasisEntrust = "《中华人民共和国行政处罚法》第二十条第二款";

namespace repo {
[[nodiscard]] Result<std::optional<Authorization>> authorization(storage::Tx& tx, std::int64_t id);
}  // namespace repo

class AuthorizationService {
 public:
  AuthorizationService(storage::Database& db, const Clock& clock)
      : db_(db), clock_(clock), journal_(clock) {}

  using Caller = auth::Caller;

  // Decisions whose grantor or grantee is in the caller's scope (power.read).
  [[nodiscard]] Result<Page<Authorization>> list(const Caller& caller,
                                                 const AuthorizationQuery& query) const;
  [[nodiscard]] Result<Authorization> get(const Caller& caller, std::int64_t id) const;
  // Registers a decision (power.review); `a.item_ids` are items of the
  // grantor department.
  [[nodiscard]] Result<Authorization> create(const Caller& caller, const Authorization& a) const;

 private:
  storage::Database& db_;
  const Clock& clock_;
  record::Journal journal_;
};

}  // namespace xzzf::powers
