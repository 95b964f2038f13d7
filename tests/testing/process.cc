#include "tests/testing/process.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace preflight::testing {

absl::StatusOr<std::string> WaitForListening(Subprocess& process, absl::Duration timeout) {
  const std::string kListening = "listening on ";
  absl::StatusOr<std::string> line = process.WaitForLine(kListening, timeout);
  if (!line.ok()) return line.status();
  // HOST:PORT runs to the first character that cannot be part of it (a JSON log line goes on).
  const size_t start = line->find(kListening) + kListening.size();
  size_t end = start;
  while (end < line->size() &&
         (absl::ascii_isalnum((*line)[end]) || absl::StrContains(".:-[]", (*line)[end]))) {
    ++end;
  }
  return line->substr(start, end - start);
}

absl::StatusOr<ServiceProcess> StartProcess(const std::vector<std::string>& argv,
                                            absl::Duration timeout) {
  absl::StatusOr<Subprocess> process = Subprocess::Start(argv);
  if (!process.ok()) return process.status();
  absl::StatusOr<std::string> listening = WaitForListening(*process, timeout);
  if (!listening.ok()) return listening.status();
  const size_t colon = listening->rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(listening->substr(colon + 1), &port)) {
    return absl::InternalError(absl::StrCat("no port in \"listening on ", *listening, "\""));
  }
  std::string host = listening->substr(0, colon);
  if (host == "0.0.0.0" || host == "[::]") host = "127.0.0.1";
  return ServiceProcess{*std::move(process), absl::StrCat(host, ":", port), port};
}

int UnusedLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  const bool bound = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                     getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  close(fd);
  return bound ? ntohs(address.sin_port) : -1;
}

bool Eventually(const std::function<bool()>& done, absl::Duration timeout, absl::Duration poll) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (done()) return true;
    absl::SleepFor(poll);
  }
  return done();
}

}  // namespace preflight::testing
