#pragma once

// Checks on a Template shared by the reader and the writer. Private to sheets/.

#include "sheets/table.hpp"

namespace xzzf::sheets::internal {

// Aborts when `tmpl` has no column, an empty or repeated key or header: a
// template is written by a programmer, never taken from a user.
void require_valid_template(const Template& tmpl);

}  // namespace xzzf::sheets::internal
