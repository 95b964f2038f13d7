#pragma once

// Real processes for the integration tests in tests/: starting a service binary and waiting until
// it listens, and polling for what running processes do. Unit tests wait on conditions
// (absl::Mutex::AwaitWithTimeout), not on Eventually.

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/testing/subprocess.h"

namespace preflight::testing {

// How long a service binary may take to start listening on a loaded machine.
inline constexpr absl::Duration kProcessStartTimeout = absl::Seconds(30);

// A service binary that has said "listening on HOST:PORT".
struct ServiceProcess {
  Subprocess process;
  // Where a client on this machine reaches it: HOST:PORT as it said, with a wildcard HOST
  // (0.0.0.0, [::]) replaced by 127.0.0.1.
  std::string address;
  int port = 0;
};

// Waits until `process` says "listening on HOST:PORT" (in a plain or a JSON log line) and returns
// HOST:PORT. Fails when the process exits first or `timeout` passes.
absl::StatusOr<std::string> WaitForListening(Subprocess& process,
                                             absl::Duration timeout = kProcessStartTimeout);

// Starts `argv` (a service binary) and waits until it listens.
absl::StatusOr<ServiceProcess> StartProcess(const std::vector<std::string>& argv,
                                            absl::Duration timeout = kProcessStartTimeout);

// A loopback port nobody listens on now (bound, then released): for a peer that is not there, or
// a service to be started on a port chosen in advance.
int UnusedLoopbackPort();

// Polls `done` every `poll` until it holds or `timeout` has passed, and says whether it held:
// waiting for the processes to act, not for time to pass.
bool Eventually(const std::function<bool()>& done, absl::Duration timeout,
                absl::Duration poll = absl::Milliseconds(100));

}  // namespace preflight::testing
