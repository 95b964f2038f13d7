#pragma once

// Runs closures one at a time, in the order they were posted, on one thread of its own. For work
// that must not run on a thread that may never block (gRPC's callback threads, a publisher
// holding a lock), and for state that is simplest confined to a single thread.

#include <deque>
#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace preflight {

// Thread-safe.
class SerialExecutor {
 public:
  // `name` names the thread (at most 15 bytes show in /proc and debuggers).
  explicit SerialExecutor(const std::string& name);
  // Runs everything posted so far, including what those tasks post, then stops the thread.
  ~SerialExecutor();
  SerialExecutor(const SerialExecutor&) = delete;
  SerialExecutor& operator=(const SerialExecutor&) = delete;

  // Quick (it only queues), so it may be called with locks held. Must not be called once the
  // destructor has returned.
  void Post(std::function<void()> task);

 private:
  void Run();

  absl::Mutex mu_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace preflight
