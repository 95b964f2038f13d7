#include "checklist-service/grpc/write_gate.h"

#include <vector>

#include "absl/time/clock.h"

namespace preflight::checklist {

bool WriteGate::BeginWrite() {
  absl::MutexLock lock(&mu_);
  if (interrupted_) return false;
  writing_ = true;
  return true;
}

void WriteGate::EndWrite() {
  absl::MutexLock lock(&mu_);
  writing_ = false;
}

bool WriteGate::Interrupt() {
  absl::MutexLock lock(&mu_);
  interrupted_ = true;
  return writing_;
}

void WriteGate::CancelIfStillWriting() {
  absl::MutexLock lock(&mu_);
  // Writes are refused after the interrupt, so a write in progress now is the same one.
  if (writing_ && cancel_) cancel_();
}

void WriteGate::Detach() {
  absl::MutexLock lock(&mu_);
  cancel_ = nullptr;
}

StalledWriteCanceller::~StalledWriteCanceller() {
  std::thread thread;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    thread = std::move(thread_);
  }
  if (thread.joinable()) thread.join();
}

void StalledWriteCanceller::Schedule(std::shared_ptr<WriteGate> gate) {
  absl::MutexLock lock(&mu_);
  if (stopping_) return;
  pending_.emplace_back(absl::Now() + grace_, std::move(gate));
  if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
}

void StalledWriteCanceller::Run() {
  while (true) {
    std::vector<std::shared_ptr<WriteGate>> due;
    {
      absl::MutexLock lock(&mu_);
      const auto has_work = [this] { return stopping_ || !pending_.empty(); };
      mu_.Await(absl::Condition(&has_work));
      if (stopping_) return;
      const absl::Time deadline = pending_.front().first;
      mu_.AwaitWithDeadline(absl::Condition(&stopping_), deadline);
      if (stopping_) return;
      const absl::Time now = absl::Now();
      while (!pending_.empty() && pending_.front().first <= now) {
        due.push_back(std::move(pending_.front().second));
        pending_.pop_front();
      }
    }
    // Outside the lock: a cancel may take gRPC's locks.
    for (const std::shared_ptr<WriteGate>& gate : due) gate->CancelIfStillWriting();
  }
}

}  // namespace preflight::checklist
