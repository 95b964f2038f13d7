// preflight: the staff command line for the checklist and notifier services. See docs/cli.md.

#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli.h"

int main(int argc, char** argv) {
  // Output piped into `head` or `grep -q` may be closed early: end quietly, not by SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  const std::vector<std::string> args(argv + 1, argv + argc);
  return preflight::cli::RunCli(args, preflight::cli::ProcessCliEnvironment(),
                                preflight::cli::DefaultConnectors(), std::cout, std::cerr);
}
