#include "common/serial_executor.h"

#include <pthread.h>

#include <utility>

namespace preflight {

SerialExecutor::SerialExecutor(const std::string& name) {
  thread_ = std::thread([this] { Run(); });
  pthread_setname_np(thread_.native_handle(), name.substr(0, 15).c_str());
}

SerialExecutor::~SerialExecutor() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void SerialExecutor::Post(std::function<void()> task) {
  absl::MutexLock lock(&mu_);
  tasks_.push_back(std::move(task));
}

void SerialExecutor::Run() {
  while (true) {
    std::deque<std::function<void()>> batch;
    {
      absl::MutexLock lock(&mu_);
      const auto has_work = [this] { return stopping_ || !tasks_.empty(); };
      mu_.Await(absl::Condition(&has_work));
      if (tasks_.empty()) return;  // stopping, and nothing left
      batch.swap(tasks_);
    }
    // Outside the lock: a task may post more.
    for (std::function<void()>& task : batch) task();
  }
}

}  // namespace preflight
