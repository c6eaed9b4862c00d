#pragma once

// Loading one XML part of an .xlsx file (pugixml) under the limits of
// reader.hpp, and the small queries the reader makes of it. Private to sheets/.

#include <pugixml.hpp>

#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "sheets/internal/zip.hpp"
#include "sheets/reader.hpp"

namespace xzzf::sheets::internal {

// A parsed part. The document points into `text` (parsed in place), so the
// two live and die together and the part is never moved.
struct XmlPart {
  std::string text;
  pugi::xml_document doc;
};

// Checks that `text` may be parsed at all and is well-formed where pugixml
// is lenient: UTF-8 throughout, no NUL, no document type or entity
// declaration, only the five predefined entities and character references
// to XML characters, at most limits.max_xml_tags tags.
// Errors: sheets.bad_xml, sheets.too_complex.
[[nodiscard]] Result<void> check_xml(std::string_view text, std::string_view part,
                                     const Limits& limits);

// Reads entry `name` of `zip` (sheets.missing_part when there is none),
// checks it and parses it.
[[nodiscard]] Result<std::unique_ptr<XmlPart>> load_xml(ZipArchive& zip, const std::string& name,
                                                        const Limits& limits);

// The name of an element or attribute without its namespace prefix.
[[nodiscard]] std::string_view local_name(const char* name);

// The first child element of `node` whose local name is `name`.
[[nodiscard]] pugi::xml_node child_element(pugi::xml_node node, std::string_view name);

// The text of an element: its character data and CDATA children joined.
[[nodiscard]] std::string element_text(pugi::xml_node node);

}  // namespace xzzf::sheets::internal
