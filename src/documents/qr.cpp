#include "documents/qr.hpp"

#include <qrencode.h>

#include <fmt/format.h>

#include <memory>

namespace xzzf::documents {

Result<std::string> qr_svg(std::string_view text, int module_px) {
  const std::string data(text);
  // Version 0: the smallest that holds the data.
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeData(static_cast<int>(data.size()),
                        reinterpret_cast<const unsigned char*>(data.data()), 0, QR_ECLEVEL_M),
      &QRcode_free);
  if (!code) {
    return fail(ErrorCode::kDocumentsQrTooLong, field("size", data.size()));
  }
  constexpr int kQuiet = 4;
  const int width = code->width;
  const int side = (width + 2 * kQuiet) * module_px;
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {0}\" width=\"{0}\" "
      "height=\"{0}\" shape-rendering=\"crispEdges\"><rect width=\"{0}\" height=\"{0}\" "
      "fill=\"#fff\"/><path fill=\"#000\" d=\"",
      side);
  // One path: each run of dark modules in a row is one rectangle.
  for (int y = 0; y < width; ++y) {
    int x = 0;
    while (x < width) {
      if ((code->data[y * width + x] & 1) == 0) {
        ++x;
        continue;
      }
      const int start = x;
      while (x < width && (code->data[y * width + x] & 1) != 0) ++x;
      svg +=
          fmt::format("M{} {}h{}v{}h-{}z", (start + kQuiet) * module_px, (y + kQuiet) * module_px,
                      (x - start) * module_px, module_px, (x - start) * module_px);
    }
  }
  svg += "\"/></svg>";
  return svg;
}

}  // namespace xzzf::documents
