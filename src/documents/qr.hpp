#pragma once

// QR codes (libqrencode) for documents and cards: the printable certificate
// card and, later, 文书 carry one that leads to the portal's check of them.

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace xzzf::documents {

// `text` as a QR code (error correction level M, 8-bit mode) in an SVG
// document: black modules on white with the standard four-module quiet zone,
// `module_px` user units per module. Fails only for text too long for a
// QR code (about 2,300 bytes at level M).
[[nodiscard]] Result<std::string> qr_svg(std::string_view text, int module_px = 4);

}  // namespace xzzf::documents
