#pragma once

// LibraryService: the legal library over the Database. Imports a law's text
// as a new version of its norm (on the record, one act per version, its text
// bound by hash), marks each article new or changed against the previous
// version, and answers the console's and the later modules' reads.
//
// Laws are public: every business role reads the library (library.read).
// Importing is the deployment's (CLI) or the legal office's (library.manage).
//
// Borrows the Database and the Clock; stateless otherwise, thread-safe.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/caller.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "library/model.hpp"
#include "library/parse.hpp"
#include "record/journal.hpp"
#include "storage/database.hpp"

namespace xzzf::library {

// What a text's title and history say about its level, issuer and document
// number: 中华人民共和国…法 by the NPC → law; …条例 by 国务院 → admin_regulation;
// 河南省/商丘市 …条例 by a people's congress → local_regulation; by a
// government order (人民政府令) → local_gov_rule; 部令/总局令 → dept_rule.
struct Provenance {
  std::string level;
  std::string issuer;
  std::string doc_number;
};
[[nodiscard]] Provenance infer_provenance(const ParsedNorm& norm, std::string_view region_code);

class LibraryService {
 public:
  LibraryService(storage::Database& db, const Clock& clock)
      : db_(db), clock_(clock), journal_(clock) {}

  using Caller = auth::Caller;

  // Imports one text as a version of its norm (created at its first version).
  // Importing the same version with the same text again changes nothing;
  // with another text it is refused (library.version_conflict). A version
  // older than the newest is refused too (imports go in date order).
  [[nodiscard]] Result<ImportResult> import_text(const ParsedNorm& text, const ImportMeta& meta,
                                                 std::optional<std::int64_t> actor) const;

  // Every *.md below `dir`, versions of one title in date order; the region
  // from the folder ("national") or the title (河南省 → 410000, 商丘市 →
  // 411400). `progress(done, total)` after each file.
  struct DirectoryImport {
    int files = 0;
    int created = 0;
  };
  [[nodiscard]] Result<DirectoryImport> import_directory(
      const std::filesystem::path& dir, const std::string& source,
      const std::function<void(int, int)>& progress = {}) const;

  // A new version of the norm from its latest text and the amendment's
  // articles (library.manage), imported as any version is: its articles
  // marked new or changed, one act on the record. Power items citing a
  // changed or removed article are flagged from then on.
  [[nodiscard]] Result<ImportResult> amend(const Caller& caller, std::int64_t norm_id,
                                           const Amendment& amendment) const;
  // The norm is repealed from `date` (library.manage, on the record): every
  // item citing it is flagged.
  [[nodiscard]] Result<Norm> repeal(const Caller& caller, std::int64_t norm_id,
                                    const std::string& date, const std::string& note) const;

  [[nodiscard]] Result<Page<Norm>> norms(const Caller& caller, const NormQuery& query) const;
  [[nodiscard]] Result<Norm> norm(const Caller& caller, std::int64_t id) const;
  [[nodiscard]] Result<std::vector<NormVersion>> versions(const Caller& caller,
                                                          std::int64_t norm_id) const;
  // The articles of one version: the given one, else the one in force on
  // `date` (the latest whose effective date, or version date, is not after
  // it), else the latest.
  [[nodiscard]] Result<std::vector<Article>> articles(const Caller& caller, std::int64_t norm_id,
                                                      std::optional<std::int64_t> version_id,
                                                      const std::string& date) const;

 private:
  storage::Database& db_;
  const Clock& clock_;
  record::Journal journal_;
};

}  // namespace xzzf::library
