#pragma once

// The xzzf command line: `xzzf serve`, `xzzf migrate`, `xzzf --version`.
// Returns the process exit code; prints errors in Chinese to stderr.

namespace xzzf::app {

[[nodiscard]] int run_cli(int argc, char** argv);

}  // namespace xzzf::app
