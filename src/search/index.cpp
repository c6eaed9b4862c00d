#include "search/index.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iterator>

#include "search/normalize.hpp"

namespace xzzf::search {
namespace {

using storage::Dialect;
using storage::Tx;

// The byte length of the UTF-8 sequence that starts with `lead` (valid text).
std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

// The byte offsets where each code point of valid UTF-8 `text` starts, and
// text.size() at the end.
std::vector<std::size_t> boundaries(std::string_view text) {
  std::vector<std::size_t> out;
  out.reserve(text.size() + 1);
  for (std::size_t i = 0; i < text.size();) {
    out.push_back(i);
    i += sequence_length(static_cast<unsigned char>(text[i]));
  }
  out.push_back(text.size());
  return out;
}

// The code point that starts at byte `i` of valid UTF-8 `text`.
std::int64_t code_point_at(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  const std::size_t n = sequence_length(lead);
  if (n == 1) return lead;
  std::int64_t c = lead & (0xFF >> (n + 1));
  for (std::size_t k = 1; k < n; ++k) {
    c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  }
  return c;
}

std::string joined(const std::vector<std::string>& fields) {
  std::string text;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) text += '\n';
    text += normalize(fields[i]);
  }
  return text;
}

// JSON arrays: the one parameter that carries a document's grams to
// json_each() (SQLite) or its characters to jsonb_array_elements_text()
// (PostgreSQL).
std::string json_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : items[i]) {
      const auto b = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (b < 0x20) {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\u%04x", b);
        out += escaped;
      } else {
        out += c;
      }
    }
    out += '"';
  }
  out += ']';
  return out;
}

std::string json_array(const std::vector<std::int64_t>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(items[i]);
  }
  out += ']';
  return out;
}

std::vector<std::string> difference(const std::vector<std::string>& a,
                                    const std::vector<std::string>& b) {
  std::vector<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

// search_grams rows (SQLite; PostgreSQL keeps an array of characters instead).
Result<void> insert_grams(Tx& tx, std::string_view kind, std::int64_t id,
                          const std::vector<std::string>& grams) {
  if (grams.empty()) return {};
  XZZF_TRY(n, tx.exec("INSERT INTO search_grams (kind, gram, doc_id) "
                      "SELECT ?, value, ? FROM json_each(?)",
                      {kind, id, json_array(grams)}));
  (void)n;
  return {};
}

Result<void> delete_grams(Tx& tx, std::string_view kind, std::int64_t id,
                          const std::vector<std::string>& grams) {
  if (grams.empty()) return {};
  // By primary key, gram by gram: the key starts with (kind, gram).
  XZZF_TRY(n, tx.exec("DELETE FROM search_grams WHERE kind = ? AND doc_id = ? "
                      "AND gram IN (SELECT value FROM json_each(?))",
                      {kind, id, json_array(grams)}));
  (void)n;
  return {};
}

// The stored text of a document, nullopt when it is not indexed.
Result<std::optional<std::string>> stored_text(Tx& tx, std::string_view kind, std::int64_t id) {
  XZZF_TRY(row,
           tx.query_one("SELECT text FROM search_docs WHERE kind = ? AND doc_id = ?", {kind, id}));
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(row->text(0));
}

// [A-Za-z_][A-Za-z0-9_]* parts joined by '.': safe to splice into SQL.
bool is_column_reference(std::string_view name) {
  if (name.empty()) return false;
  bool part_start = true;
  for (char c : name) {
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (c == '.') {
      if (part_start) return false;
      part_start = true;
      continue;
    }
    if (!alpha && !(digit && !part_start)) return false;
    part_start = false;
  }
  return !part_start;
}

// An FTS5 string: in double quotes, an inner double quote doubled.
std::string fts5_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

// The FTS5 query for a normalized query of 3 or more code points: trigrams
// that cover it (at 0, 3, 6 … and the last one), ANDed. The table keeps no
// positions (detail=none), so this finds candidates only and the recheck on
// the stored text decides; fewer trigrams than all of them cost fewer doclist
// merges, and the recheck weeds out the few more candidates they let through.
std::string trigram_match(std::string_view query) {
  const auto at = boundaries(query);
  const std::size_t n = at.size() - 1;  // code points, ≥ 3
  std::vector<std::string> trigrams;
  for (std::size_t i = 0; i + 3 <= n; i += 3) {
    trigrams.emplace_back(query.substr(at[i], at[i + 3] - at[i]));
  }
  if (n % 3 != 0) trigrams.emplace_back(query.substr(at[n - 3], at[n] - at[n - 3]));
  std::sort(trigrams.begin(), trigrams.end());
  trigrams.erase(std::unique(trigrams.begin(), trigrams.end()), trigrams.end());
  std::string out;
  for (const auto& t : trigrams) {
    if (!out.empty()) out += " AND ";
    out += fts5_string(t);
  }
  return out;
}

}  // namespace

std::vector<std::int64_t> chars(std::string_view text) {
  std::vector<std::int64_t> out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::int64_t c = code_point_at(text, i);
    if (c != '\n') out.push_back(c);
    i += sequence_length(static_cast<unsigned char>(text[i]));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> grams(std::string_view text) {
  const auto at = boundaries(text);
  std::vector<std::string> out;
  out.reserve(2 * at.size());
  for (std::size_t i = 0; i + 1 < at.size(); ++i) {
    const std::string_view one = text.substr(at[i], at[i + 1] - at[i]);
    if (one == "\n") continue;
    out.emplace_back(one);
    if (i + 2 < at.size() && text[at[i + 1]] != '\n') {
      out.emplace_back(text.substr(at[i], at[i + 2] - at[i]));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<void> put(Tx& tx, std::string_view kind, std::int64_t id,
                 const std::vector<std::string>& fields) {
  std::string text = joined(fields);
  XZZF_TRY(old, stored_text(tx, kind, id));
  if (old && *old == text) return {};
  if (tx.dialect() == Dialect::kPostgres) {
    // The characters go with the row; its GIN indexes follow.
    XZZF_TRY(n,
             tx.exec("INSERT INTO search_docs (kind, doc_id, text, chars) VALUES (?, ?, ?, "
                     "ARRAY(SELECT CAST(jsonb_array_elements_text(CAST(? AS JSONB)) AS INTEGER))) "
                     "ON CONFLICT (kind, doc_id) DO UPDATE SET text = excluded.text, "
                     "chars = excluded.chars",
                     {kind, id, text, json_array(chars(text))}));
    (void)n;
    return {};
  }
  // Triggers keep the FTS table in step with search_docs; search_grams is ours.
  if (!old) {
    XZZF_TRY(n, tx.exec("INSERT INTO search_docs (kind, doc_id, text) VALUES (?, ?, ?)",
                        {kind, id, text}));
    (void)n;
    return insert_grams(tx, kind, id, grams(text));
  }
  XZZF_TRY(n, tx.exec("UPDATE search_docs SET text = ? WHERE kind = ? AND doc_id = ?",
                      {text, kind, id}));
  (void)n;
  const auto before = grams(*old);
  const auto now = grams(text);
  XZZF_CHECK(delete_grams(tx, kind, id, difference(before, now)));
  return insert_grams(tx, kind, id, difference(now, before));
}

Result<void> remove(Tx& tx, std::string_view kind, std::int64_t id) {
  XZZF_TRY(old, stored_text(tx, kind, id));
  if (!old) return {};
  if (tx.dialect() == Dialect::kSqlite) XZZF_CHECK(delete_grams(tx, kind, id, grams(*old)));
  XZZF_TRY(n, tx.exec("DELETE FROM search_docs WHERE kind = ? AND doc_id = ?", {kind, id}));
  (void)n;
  return {};
}

namespace {

// The SELECT of the doc_ids of `kind` that contain `normalized_query` (non-
// empty), by the index; see the table at the top of index.hpp.
Condition match_select(Dialect dialect, std::string_view kind, std::string_view normalized_query) {
  const std::size_t length = code_points(normalized_query);
  if (length <= 2) {
    if (dialect == Dialect::kSqlite) {
      return {"SELECT doc_id FROM search_grams WHERE kind = ? AND gram = ?",
              {kind, normalized_query}};
    }
    const auto at = boundaries(normalized_query);
    if (length == 1) {
      return {
          "SELECT doc_id FROM search_docs WHERE kind = ? "
          "AND chars @> ARRAY[CAST(? AS INTEGER)]",
          {kind, code_point_at(normalized_query, 0)}};
    }
    return {
        "SELECT doc_id FROM search_docs WHERE kind = ? "
        "AND chars @> ARRAY[CAST(? AS INTEGER), CAST(? AS INTEGER)] "
        "AND text LIKE ? ESCAPE '\\'",
        {kind, code_point_at(normalized_query, 0), code_point_at(normalized_query, at[1]),
         storage::like_contains(normalized_query)}};
  }
  if (dialect == Dialect::kSqlite) {
    // CROSS JOIN keeps the FTS table outside: SQLite's planner would
    // otherwise walk every document of the kind and run the MATCH for each.
    return {
        "SELECT d.doc_id FROM search_fts CROSS JOIN search_docs AS d "
        "ON d.id = search_fts.rowid WHERE search_fts MATCH ? AND d.kind = ? "
        "AND instr(d.text, ?) > 0",
        {trigram_match(normalized_query), kind, normalized_query}};
  }
  return {"SELECT doc_id FROM search_docs WHERE kind = ? AND text LIKE ? ESCAPE '\\'",
          {kind, storage::like_contains(normalized_query)}};
}

// `qualified`: the column goes into a subquery on search_docs, whose own
// columns (id, kind, doc_id, text) an unqualified name would mean instead.
void require_column(std::string_view id_column, bool qualified = false) {
  if (is_column_reference(id_column) &&
      (!qualified || id_column.find('.') != std::string_view::npos)) {
    return;
  }
  std::fprintf(stderr, "xzzf: search: \"%.*s\" is not a%s column\n",
               static_cast<int>(id_column.size()), id_column.data(), qualified ? " qualified" : "");
  std::abort();
}

// Up to `limit` doc_ids that match, in no particular order: the index read
// stops there, so this costs what `limit` matches cost, however many there
// are (PostgreSQL's GIN reads its posting list whole, which is compact).
Result<std::vector<std::int64_t>> first_matches(Tx& tx, std::string_view kind,
                                                std::string_view normalized_query,
                                                std::int64_t limit) {
  Condition select = match_select(tx.dialect(), kind, normalized_query);
  select.params.emplace_back(limit);
  XZZF_TRY(rows, tx.query(select.sql + " LIMIT ?", select.params));
  std::vector<std::int64_t> ids;
  ids.reserve(rows.size());
  for (const auto& r : rows) ids.push_back(r.i64(0));
  return ids;
}

std::string where_of(const Listing& l, const Condition& match) {
  std::string where = " WHERE ";
  if (!l.filter.empty()) where += "(" + l.filter + ") AND ";
  where += "(" + match.sql;
  if (!l.alternative.empty()) where += " OR " + l.alternative;
  where += ")";
  return where;
}

storage::Params params_of(const Listing& l, const Condition& match) {
  storage::Params params = l.filter_params;
  params.insert(params.end(), match.params.begin(), match.params.end());
  params.insert(params.end(), l.alternative_params.begin(), l.alternative_params.end());
  return params;
}

}  // namespace

Condition condition(Dialect dialect, std::string_view kind, std::string_view id_column,
                    std::string_view normalized_query) {
  require_column(id_column);
  const std::string column(id_column);
  if (normalized_query.empty()) {
    // Every document contains the empty text (matches() agrees).
    return {column + " IN (SELECT doc_id FROM search_docs WHERE kind = ?)", {kind}};
  }
  Condition select = match_select(dialect, kind, normalized_query);
  // OFFSET 0 keeps PostgreSQL's subquery whole: otherwise, for a page ordered
  // by id, it may walk search_docs in id order testing each row (every row
  // when the character is nowhere), on a guessed selectivity.
  if (dialect == Dialect::kPostgres) select.sql += " OFFSET 0";
  return {column + " IN (" + select.sql + ")", std::move(select.params)};
}

Condition row_condition(Dialect dialect, std::string_view kind, std::string_view id_column,
                        std::string_view normalized_query) {
  require_column(id_column, true);
  const std::string column(id_column);
  const std::string text_test =
      "EXISTS (SELECT 1 FROM search_docs AS sd WHERE sd.kind = ? AND "
      "sd.doc_id = " +
      column + " AND " + (dialect == Dialect::kSqlite ? "instr" : "strpos") + "(sd.text, ?) > 0)";
  if (dialect == Dialect::kPostgres) return {text_test, {kind, normalized_query}};
  // SQLite: one key of search_grams costs a fifth of fetching the text. A
  // 1- or 2-character query is that key; a longer one must hold its first
  // bigram, and only the rows that do have their text read.
  const std::string gram_test =
      "EXISTS (SELECT 1 FROM search_grams AS sg WHERE sg.kind = ? AND "
      "sg.gram = ? AND sg.doc_id = " +
      column + ")";
  const auto at = boundaries(normalized_query);
  if (at.size() <= 3) return {gram_test, {kind, normalized_query}};
  return {gram_test + " AND " + text_test,
          {kind, std::string(normalized_query.substr(0, at[2])), kind, normalized_query}};
}

Condition id_set(Dialect dialect, std::string_view id_column,
                 const std::vector<std::int64_t>& ids) {
  require_column(id_column);
  const std::string column(id_column);
  if (dialect == Dialect::kSqlite) {
    return {column + " IN (SELECT value FROM json_each(?))", {json_array(ids)}};
  }
  std::string array = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) array += ',';
    array += std::to_string(ids[i]);
  }
  array += '}';
  return {column + " = ANY(CAST(? AS BIGINT[]))", {array}};
}

Result<Found> find(Tx& tx, const Listing& l, std::string_view normalized_query) {
  require_column(l.id_column, true);
  Found found;
  // How dense is the match? At most total_cap + 1 ids from the index tell.
  XZZF_TRY(first, first_matches(tx, l.kind, normalized_query, l.total_cap + 1));
  const bool dense = static_cast<std::int64_t>(first.size()) > l.total_cap;
  // Few matches: they are all known; count and sort them. Many: walk the
  // caller's order testing each row's text, which meets a page's worth of
  // matches soon.
  const Condition match = dense ? row_condition(tx.dialect(), l.kind, l.id_column, normalized_query)
                                : id_set(tx.dialect(), l.id_column, first);
  const std::string where = where_of(l, match);
  const storage::Params params = params_of(l, match);
  if (l.filter.empty() && l.alternative.empty()) {
    // The documents are the rows: the index's matches are the list's.
    found.total = dense ? l.total_cap : static_cast<std::int64_t>(first.size());
    found.total_capped = dense;
  } else if (dense && l.filter.empty()) {
    // Every match of the index is in the list: more than the cap.
    found.total = l.total_cap;
    found.total_capped = true;
  } else if (dense) {
    storage::Params count_params = params;
    count_params.emplace_back(l.total_cap + 1);
    XZZF_TRY(count, tx.query_one("SELECT COUNT(*) FROM (SELECT 1 FROM " + l.table + where +
                                     " LIMIT ?) AS capped",
                                 count_params));
    const std::int64_t n = count ? count->i64(0) : 0;
    found.total_capped = n > l.total_cap;
    found.total = found.total_capped ? l.total_cap : n;
  } else {
    XZZF_TRY(count, tx.query_one("SELECT COUNT(*) FROM " + l.table + where, params));
    found.total = count ? count->i64(0) : 0;
  }
  storage::Params page_params = params;
  page_params.emplace_back(l.limit);
  page_params.emplace_back(l.offset);
  XZZF_TRY(rows, tx.query("SELECT " + l.id_column + " FROM " + l.table + where + " ORDER BY " +
                              l.order_by + " LIMIT ? OFFSET ?",
                          page_params));
  found.ids.reserve(rows.size());
  for (const auto& r : rows) found.ids.push_back(r.i64(0));
  return found;
}

}  // namespace xzzf::search
