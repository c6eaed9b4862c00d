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

Condition condition(Dialect dialect, std::string_view kind, std::string_view id_column,
                    std::string_view normalized_query) {
  if (!is_column_reference(id_column)) {
    std::fprintf(stderr, "xzzf: search::condition: \"%.*s\" is not a column\n",
                 static_cast<int>(id_column.size()), id_column.data());
    std::abort();
  }
  const std::string column(id_column);
  const std::size_t length = code_points(normalized_query);
  if (length == 0) {
    // Every document contains the empty text (matches() agrees).
    return {column + " IN (SELECT doc_id FROM search_docs WHERE kind = ?)", {kind}};
  }
  if (length <= 2) {
    if (dialect == Dialect::kSqlite) {
      return {column + " IN (SELECT doc_id FROM search_grams WHERE kind = ? AND gram = ?)",
              {kind, normalized_query}};
    }
    // OFFSET 0 keeps the subquery whole: otherwise, for a page ordered by
    // id, PostgreSQL may walk search_docs in id order testing each row
    // (every row when the character is nowhere), on a guessed selectivity.
    const auto at = boundaries(normalized_query);
    if (length == 1) {
      return {column +
                  " IN (SELECT doc_id FROM search_docs WHERE kind = ? "
                  "AND chars @> ARRAY[CAST(? AS INTEGER)] OFFSET 0)",
              {kind, code_point_at(normalized_query, 0)}};
    }
    return {column +
                " IN (SELECT doc_id FROM search_docs WHERE kind = ? "
                "AND chars @> ARRAY[CAST(? AS INTEGER), CAST(? AS INTEGER)] "
                "AND text LIKE ? ESCAPE '\\' OFFSET 0)",
            {kind, code_point_at(normalized_query, 0), code_point_at(normalized_query, at[1]),
             storage::like_contains(normalized_query)}};
  }
  if (dialect == Dialect::kSqlite) {
    // CROSS JOIN keeps the FTS table outside: SQLite's planner would
    // otherwise walk every document of the kind and run the MATCH for each.
    return {column +
                " IN (SELECT d.doc_id FROM search_fts CROSS JOIN search_docs AS d "
                "ON d.id = search_fts.rowid WHERE search_fts MATCH ? AND d.kind = ? "
                "AND instr(d.text, ?) > 0)",
            {trigram_match(normalized_query), kind, normalized_query}};
  }
  return {column +
              " IN (SELECT doc_id FROM search_docs WHERE kind = ? AND text LIKE ? ESCAPE '\\' "
              "OFFSET 0)",
          {kind, storage::like_contains(normalized_query)}};
}

}  // namespace xzzf::search
