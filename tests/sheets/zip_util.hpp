#pragma once

// Building .xlsx files by hand for the tests (libzip, in memory): the
// well-formed minimum around a given sheet, zip bombs streamed from a
// generator (never held in memory), and patched central directories.

#include <zip.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace xzzf::sheets::testing {

inline constexpr std::string_view kMainNs =
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
inline constexpr std::string_view kRelNs =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

struct Entry {
  std::string name;
  std::string content;
  bool stored = false;     // ZIP_CM_STORE instead of deflate
  bool encrypted = false;  // AES-256 with the password "secret"
};

// A generated entry: `size` bytes, `head` then `fill` repeated then `tail`.
struct GeneratedEntry {
  std::string name;
  std::uint64_t size = 0;
  std::string head;
  char fill = ' ';
  std::string tail;
};

namespace detail {

struct Generator {
  GeneratedEntry spec;
  std::uint64_t pos = 0;
  zip_error_t error{};
};

inline zip_int64_t generate(void* user, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
  auto* g = static_cast<Generator*>(user);
  switch (cmd) {
    case ZIP_SOURCE_OPEN:
      g->pos = 0;
      return 0;
    case ZIP_SOURCE_READ: {
      const std::uint64_t n = std::min<std::uint64_t>(len, g->spec.size - g->pos);
      auto* out = static_cast<char*>(data);
      const std::uint64_t tail_start = g->spec.size - g->spec.tail.size();
      for (std::uint64_t i = 0; i < n; ++i) {
        const std::uint64_t at = g->pos + i;
        if (at < g->spec.head.size()) {
          out[i] = g->spec.head[at];
        } else if (at >= tail_start) {
          out[i] = g->spec.tail[at - tail_start];
        } else {
          out[i] = g->spec.fill;
        }
      }
      g->pos += n;
      return static_cast<zip_int64_t>(n);
    }
    case ZIP_SOURCE_CLOSE:
      return 0;
    case ZIP_SOURCE_STAT: {
      auto* st = static_cast<zip_stat_t*>(data);
      zip_stat_init(st);
      st->size = g->spec.size;
      st->mtime = 0;
      st->valid |= ZIP_STAT_SIZE | ZIP_STAT_MTIME;
      return sizeof(*st);
    }
    case ZIP_SOURCE_ERROR:
      return zip_error_to_data(&g->error, data, len);
    case ZIP_SOURCE_FREE:
      delete g;
      return 0;
    case ZIP_SOURCE_SUPPORTS:
      return ZIP_SOURCE_SUPPORTS_READABLE;
    default:
      return -1;
  }
}

inline void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(what);
}

}  // namespace detail

// The bytes of a zip archive holding `entries` and `generated`.
inline std::string make_zip(const std::vector<Entry>& entries,
                            const std::vector<GeneratedEntry>& generated = {}) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  detail::check(buffer != nullptr, "zip_source_buffer_create");
  zip_source_keep(buffer);
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  detail::check(archive != nullptr, "zip_open_from_source");
  for (const auto& e : entries) {
    zip_source_t* s = zip_source_buffer(archive, e.content.data(), e.content.size(), 0);
    const zip_int64_t index = zip_file_add(archive, e.name.c_str(), s, ZIP_FL_ENC_UTF_8);
    detail::check(index >= 0, "zip_file_add");
    if (e.stored) {
      zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
    }
    if (e.encrypted) {
      detail::check(zip_file_set_encryption(archive, static_cast<zip_uint64_t>(index),
                                            ZIP_EM_AES_256, "secret") == 0,
                    "zip_file_set_encryption");
    }
  }
  for (const auto& g : generated) {
    zip_source_t* s =
        zip_source_function(archive, detail::generate, new detail::Generator{g, 0, {}});
    detail::check(s != nullptr, "zip_source_function");
    const zip_int64_t index = zip_file_add(archive, g.name.c_str(), s, ZIP_FL_ENC_UTF_8);
    detail::check(index >= 0, "zip_file_add");
    zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_DEFLATE, 9);
  }
  detail::check(zip_close(archive) == 0, "zip_close");
  detail::check(zip_source_open(buffer) == 0, "zip_source_open");
  zip_source_seek(buffer, 0, SEEK_END);
  const zip_int64_t size = zip_source_tell(buffer);
  zip_source_seek(buffer, 0, SEEK_SET);
  std::string out(static_cast<std::size_t>(size), '\0');
  detail::check(zip_source_read(buffer, out.data(), out.size()) == size, "zip_source_read");
  zip_source_close(buffer);
  zip_source_free(buffer);
  return out;
}

// The inflated content of entry `name` of a zip archive, or nullopt.
inline std::optional<std::string> zip_entry(const std::string& bytes, const std::string& name) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (archive == nullptr) {
    zip_source_free(source);
    return std::nullopt;
  }
  std::optional<std::string> out;
  zip_stat_t st;
  if (zip_stat(archive, name.c_str(), 0, &st) == 0) {
    zip_file_t* f = zip_fopen(archive, name.c_str(), 0);
    std::string content(static_cast<std::size_t>(st.size), '\0');
    if (f != nullptr &&
        zip_fread(f, content.data(), content.size()) == static_cast<zip_int64_t>(st.size)) {
      out = std::move(content);
    }
    if (f != nullptr) zip_fclose(f);
  }
  zip_discard(archive);
  return out;
}

// Rewrites the uncompressed size that the local header and the central
// directory declare for entry `name`: the file then lies about its size.
inline void patch_declared_size(std::string& bytes, std::string_view name, std::uint32_t size) {
  const auto put32 = [&](std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
      bytes[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xFF);
  };
  const auto get16 = [&](std::size_t at) {
    return static_cast<std::size_t>(static_cast<unsigned char>(bytes[at])) |
           (static_cast<std::size_t>(static_cast<unsigned char>(bytes[at + 1])) << 8);
  };
  int patched = 0;
  // Local file header: signature PK\3\4, size at 22, name length at 26, name at 30.
  // Central directory header: PK\1\2, size at 24, name length at 28, name at 46.
  for (const auto& [signature, size_at, length_at, name_at] :
       {std::tuple<std::string_view, std::size_t, std::size_t, std::size_t>{"PK\x03\x04", 22, 26,
                                                                            30},
        {"PK\x01\x02", 24, 28, 46}}) {
    for (std::size_t at = bytes.find(signature); at != std::string::npos;
         at = bytes.find(signature, at + 1)) {
      if (at + name_at + name.size() > bytes.size()) break;
      if (get16(at + length_at) == name.size() &&
          bytes.compare(at + name_at, name.size(), name) == 0) {
        put32(at + size_at, size);
        ++patched;
      }
    }
  }
  detail::check(patched == 2, "patch_declared_size: entry not found");
}

// The parts around a worksheet that make a minimal, well-formed .xlsx.
struct XlsxParts {
  std::string sheet_xml;                      // xl/worksheets/sheet1.xml
  std::optional<std::string> shared_strings;  // xl/sharedStrings.xml, related when present
  std::string sheet_name = "表1";
};

inline std::string package_rels(std::string_view workbook = "xl/workbook.xml") {
  return std::string(
             R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
             R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
             R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target=")") +
         std::string(workbook) + R"("/></Relationships>)";
}

inline std::string workbook_xml(std::string_view sheets) {
  return std::string(
             R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns=")") +
         std::string(kMainNs) + R"(" xmlns:r=")" + std::string(kRelNs) + R"("><sheets>)" +
         std::string(sheets) + "</sheets></workbook>";
}

inline std::string relationship(std::string_view id, std::string_view type,
                                std::string_view target) {
  return "<Relationship Id=\"" + std::string(id) + "\" Type=\"" + std::string(kRelNs) + "/" +
         std::string(type) + "\" Target=\"" + std::string(target) + "\"/>";
}

inline std::string workbook_rels(std::string_view relationships) {
  return std::string(
             R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
             R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)") +
         std::string(relationships) + "</Relationships>";
}

// A worksheet part around `sheet_data` (the <row> elements).
inline std::string worksheet(std::string_view sheet_data) {
  return std::string(
             R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns=")") +
         std::string(kMainNs) + R"("><sheetData>)" + std::string(sheet_data) +
         "</sheetData></worksheet>";
}

// A shared strings part of plain <si><t> items (the texts must be XML-escaped).
inline std::string shared_strings(const std::vector<std::string>& items) {
  std::string out =
      std::string(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns=")") +
      std::string(kMainNs) + R"(">)";
  for (const auto& s : items) out += "<si><t>" + s + "</t></si>";
  return out + "</sst>";
}

inline std::vector<Entry> xlsx_entries(const XlsxParts& parts) {
  std::string rels = relationship("rId1", "worksheet", "worksheets/sheet1.xml");
  if (parts.shared_strings) rels += relationship("rId2", "sharedStrings", "sharedStrings.xml");
  std::vector<Entry> entries = {
      {"[Content_Types].xml", "<Types/>"},
      {"_rels/.rels", package_rels()},
      {"xl/workbook.xml",
       workbook_xml("<sheet name=\"" + parts.sheet_name + "\" sheetId=\"1\" r:id=\"rId1\"/>")},
      {"xl/_rels/workbook.xml.rels", workbook_rels(rels)},
      {"xl/worksheets/sheet1.xml", parts.sheet_xml},
  };
  if (parts.shared_strings) entries.push_back({"xl/sharedStrings.xml", *parts.shared_strings});
  return entries;
}

inline std::string make_xlsx(const XlsxParts& parts) {
  return make_zip(xlsx_entries(parts));
}

}  // namespace xzzf::sheets::testing
