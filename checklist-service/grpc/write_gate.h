#pragma once

// Ending a server stream from another thread while its handler may be blocked in a synchronous
// Write on a client that stopped reading. A write that finishes soon is left alone, so the
// handler can still end the stream with its own status (which a cancel would hide); one still
// blocked after a grace period is abandoned by cancelling the call.

#include <deque>
#include <functional>
#include <memory>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace preflight::checklist {

// The writes of one stream. Thread-safe.
class WriteGate {
 public:
  // `cancel` cancels the call (ServerContext::TryCancel); it is never called after Detach().
  explicit WriteGate(std::function<void()> cancel) : cancel_(std::move(cancel)) {}

  // False once interrupted; otherwise the caller writes and then calls EndWrite().
  bool BeginWrite();
  void EndWrite();
  // Refuses every later write. True when a write is in progress.
  bool Interrupt();
  // Cancels the call if the write in progress at the interrupt has still not returned.
  void CancelIfStillWriting();
  // The handler has returned: the call must not be touched any more.
  void Detach();

 private:
  absl::Mutex mu_;
  std::function<void()> cancel_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool interrupted_ ABSL_GUARDED_BY(mu_) = false;
};

// Calls CancelIfStillWriting on each scheduled gate `grace` after it was scheduled, on a thread
// of its own (started on first use). Thread-safe.
class StalledWriteCanceller {
 public:
  explicit StalledWriteCanceller(absl::Duration grace) : grace_(grace) {}
  // Stops the thread; gates not yet due are dropped.
  ~StalledWriteCanceller();
  StalledWriteCanceller(const StalledWriteCanceller&) = delete;
  StalledWriteCanceller& operator=(const StalledWriteCanceller&) = delete;

  void Schedule(std::shared_ptr<WriteGate> gate);

 private:
  void Run();

  const absl::Duration grace_;
  absl::Mutex mu_;
  // Oldest first; with one grace for all, that is also the order they fall due.
  std::deque<std::pair<absl::Time, std::shared_ptr<WriteGate>>> pending_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_ ABSL_GUARDED_BY(mu_);
};

}  // namespace preflight::checklist
