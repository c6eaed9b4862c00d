#include "app/cli.hpp"

int main(int argc, char** argv) {
  return xzzf::app::run_cli(argc, argv);
}
