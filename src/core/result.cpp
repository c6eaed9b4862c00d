#include "core/result.hpp"

#include <fmt/format.h>

namespace xzzf::internal {

std::string render_message(std::string_view tmpl,
                           fmt::dynamic_format_arg_store<fmt::format_context>& args) {
  try {
    return fmt::vformat(tmpl, args);
  } catch (const fmt::format_error&) {
    // A template whose field was not supplied: show the template rather than
    // lose the error that was being reported.
    return std::string(tmpl);
  }
}

}  // namespace xzzf::internal
