// preflight: the staff command line for the checklist and notifier services. See docs/cli.md.

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  const char* user = std::getenv("USER");
  return preflight::cli::RunCli(args, user != nullptr ? user : "",
                                preflight::cli::DefaultConnectors(), std::cout, std::cerr);
}
