#pragma once

// The search index (检索索引): for each document of a family (`kind`, e.g.
// "power_item"), its fields normalized (search/normalize.hpp) and joined with
// '\n' in search_docs, so that a query, which never holds a control
// character, cannot match across two fields. condition() selects exactly the
// documents a scan with matches() finds, on both databases
// (migrations 0010_search.sql):
//
//   query (code points)  SQLite                         PostgreSQL
//   1                    search_grams                   chars (GIN)
//   2                    search_grams                   chars (GIN) + LIKE
//   3 or more            FTS5 trigram + instr() recheck pg_trgm (GIN) + LIKE
//
// SQLite's search_grams holds every distinct unigram and bigram of a
// document (any character, none spanning a '\n'): a 1- or 2-character query
// is one range of its primary key, exact by construction; FTS5's trigram
// tokenizer finds nothing for them on SQLite 3.40. Its FTS table keeps no
// positions: trigrams covering the query are ANDed and every candidate is
// checked with instr() on the stored text. PostgreSQL keeps each document's
// distinct characters in an array instead (the same table of rows took 1.4
// GB for 100,000 items there): one character is exact, two are both
// characters and then LIKE; LIKE is exact and pg_trgm's index finds its
// candidates for longer queries.
//
// condition() costs what the documents it matches cost (a COUNT sees each of
// them): a character found in most documents costs about as much as a scan.
// find() answers a list's page and total without that: it counts exactly up
// to a cap and says "more" beyond it, and when more than the cap match it
// walks the caller's order testing each row, which meets a page's worth of
// matches after a few rows.
//
// put() and remove() run inside the caller's write transaction, next to the
// change of the document itself. Free functions without state: thread-safe as
// far as the Tx is.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "storage/database.hpp"

namespace xzzf::search {

// Replaces the indexed fields of document `id` of `kind` (normalized here).
// Unchanged text writes nothing; a changed one rewrites only the grams that
// differ.
[[nodiscard]] Result<void> put(storage::Tx& tx, std::string_view kind, std::int64_t id,
                               const std::vector<std::string>& fields);

// Drops the document from the index; nothing when it is not there.
[[nodiscard]] Result<void> remove(storage::Tx& tx, std::string_view kind, std::int64_t id);

// An SQL condition "<id_column> IN (SELECT …)" and its bound parameters, in
// order, to AND into the caller's WHERE (with its own filters, COUNT and
// LIMIT/OFFSET). `id_column` is the caller's column (e.g. "id" or "p.id"),
// spliced into the SQL: it must be a plain, possibly qualified identifier
// (anything else is a programming error and aborts). `normalized_query` must be
// a non-empty query_text() result.
struct Condition {
  std::string sql;
  storage::Params params;
};
[[nodiscard]] Condition condition(storage::Dialect dialect, std::string_view kind,
                                  std::string_view id_column, std::string_view normalized_query);

// The same match as condition(), tested on the row's own stored text (a
// correlated EXISTS): for walking a list in its index order when matches are
// many, where reading the index's matches first would cost more than the
// page needs. `id_column` must be qualified ("p.item_id"): inside the
// subquery a bare "id" would name search_docs' own column (aborts).
[[nodiscard]] Condition row_condition(storage::Dialect dialect, std::string_view kind,
                                      std::string_view id_column,
                                      std::string_view normalized_query);

// "<id_column> is one of `ids`", with one bound parameter.
[[nodiscard]] Condition id_set(storage::Dialect dialect, std::string_view id_column,
                               const std::vector<std::int64_t>& ids);

// A caller's list, searched; `id_column` qualified, as for row_condition().
// The SQL parts are the caller's own text, never
// a user's: `table` ("power_public p"), `order_by` (ending in a unique column,
// so that pages are stable; an index in that order makes many matches
// cheap), `filter` (ANDed, may be empty) and `alternative` (ORed with the
// match, e.g. "p.department_id IN (?)" for departments whose name matches;
// may be empty), each with its parameters in order. The documents of `kind`
// are the rows of `table` (put and remove next to the row's own change): with
// no filter, more than total_cap matching documents are more than total_cap
// rows, without counting them.
struct Listing {
  std::string_view kind;
  std::string table;
  std::string id_column;
  std::string order_by;
  std::string filter;
  storage::Params filter_params;
  std::string alternative;
  storage::Params alternative_params;
  std::int64_t limit = 20;
  std::int64_t offset = 0;
  std::int64_t total_cap = 1000;  // ≥ 1
};

struct Found {
  std::vector<std::int64_t> ids;  // the page, in order
  std::int64_t total = 0;         // exact; total_cap when total_capped
  bool total_capped = false;      // more than total_cap rows match
};

// One page of `listing` narrowed to rows whose document contains
// `normalized_query` (a non-empty query_text() result), and their total.
[[nodiscard]] Result<Found> find(storage::Tx& tx, const Listing& listing,
                                 std::string_view normalized_query);

// The distinct unigrams and bigrams (code points) of normalized `text`, none
// holding a '\n', sorted: what search_grams holds for a document (SQLite).
[[nodiscard]] std::vector<std::string> grams(std::string_view text);

// The distinct characters (code points) of normalized `text` but '\n',
// sorted: what search_docs.chars holds for a document (PostgreSQL).
[[nodiscard]] std::vector<std::int64_t> chars(std::string_view text);

}  // namespace xzzf::search
