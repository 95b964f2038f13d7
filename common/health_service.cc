#include "common/health_service.h"

#include <atomic>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"

namespace preflight {
namespace {

using grpc::health::v1::HealthCheckResponse;

// As gRPC's built-in service: a longer name is refused before anything is looked up or kept.
constexpr size_t kMaxServiceName = 200;

grpc::Status NameTooLong() {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "service: longer than 200 bytes");
}

}  // namespace

// One open Watch. Sends the latest status whenever it changes, one write at a time; finishes
// after Shutdown's NOT_SERVING, or when the client cancels. gRPC calls are made with no lock
// held (a reaction may run inline). Reference-counted: the owner holds a reference while it
// updates a watch, the call holds one until OnDone.
class HealthService::WatchReactor final : public grpc::ServerWriteReactor<HealthCheckResponse> {
 public:
  WatchReactor(HealthService* owner, std::string service)
      : owner_(owner), service_(std::move(service)) {}

  const std::string& service() const { return service_; }

  void Ref() { refs_.fetch_add(1, std::memory_order_relaxed); }
  void Unref() {
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }

  void Update(ServingStatus status, bool final) {
    Action action;
    {
      absl::MutexLock lock(&mu_);
      if (done_writing_) return;
      pending_ = status;
      finish_after_ = finish_after_ || final;
      if (write_in_flight_) return;
      action = NextLocked();
    }
    Perform(action);
  }

  void OnWriteDone(bool ok) override {
    Action action;
    {
      absl::MutexLock lock(&mu_);
      write_in_flight_ = false;
      if (!ok) cancelled_ = true;
      action = NextLocked();
    }
    Perform(action);
  }

  void OnCancel() override {
    Action action;
    {
      absl::MutexLock lock(&mu_);
      cancelled_ = true;
      if (write_in_flight_) return;  // OnWriteDone finishes
      action = NextLocked();
    }
    Perform(action);
  }

  void OnDone() override {
    owner_->Forget(this);
    Unref();
  }

 private:
  enum class Action { kNone, kWrite, kFinishOk, kFinishCancelled };

  Action NextLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (done_writing_) return Action::kNone;
    if (cancelled_) {
      done_writing_ = true;
      return Action::kFinishCancelled;
    }
    if (pending_.has_value() && (!sent_.has_value() || *pending_ != *sent_)) {
      response_.set_status(*pending_);
      sent_ = pending_;
      pending_.reset();
      write_in_flight_ = true;
      return Action::kWrite;
    }
    pending_.reset();
    if (finish_after_) {
      done_writing_ = true;
      return Action::kFinishOk;
    }
    return Action::kNone;
  }

  void Perform(Action action) {
    switch (action) {
      case Action::kNone:
        return;
      case Action::kWrite:
        // response_ is not touched again until OnWriteDone.
        StartWrite(&response_);
        return;
      case Action::kFinishOk:
        Finish(grpc::Status::OK);
        return;
      case Action::kFinishCancelled:
        Finish(grpc::Status::CANCELLED);
        return;
    }
  }

  HealthService* const owner_;
  const std::string service_;
  std::atomic<int> refs_{1};
  absl::Mutex mu_;
  HealthCheckResponse response_;
  std::optional<ServingStatus> pending_ ABSL_GUARDED_BY(mu_);
  std::optional<ServingStatus> sent_ ABSL_GUARDED_BY(mu_);
  bool write_in_flight_ ABSL_GUARDED_BY(mu_) = false;
  bool finish_after_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool done_writing_ ABSL_GUARDED_BY(mu_) = false;
};

// A Watch answered with an error at once.
class HealthService::RefusedWatch final : public grpc::ServerWriteReactor<HealthCheckResponse> {
 public:
  void OnDone() override { delete this; }
};

HealthService::HealthService() {
  absl::MutexLock lock(&mu_);
  serving_[""] = true;
}

HealthService::~HealthService() {
  Shutdown();
  // Reactors call back into this object until their OnDone.
  absl::MutexLock lock(&mu_);
  while (!watches_.empty()) no_watches_.Wait(&mu_);
}

HealthService::ServingStatus HealthService::StatusOf(const std::string& service) const {
  auto it = serving_.find(service);
  if (it == serving_.end()) return HealthCheckResponse::SERVICE_UNKNOWN;
  return it->second && !shut_down_ ? HealthCheckResponse::SERVING
                                   : HealthCheckResponse::NOT_SERVING;
}

void HealthService::SetServingStatus(absl::string_view service, bool serving) {
  const std::string name(service);
  ServingStatus status;
  std::vector<WatchReactor*> watching;
  {
    absl::MutexLock lock(&mu_);
    if (shut_down_) return;
    serving_[name] = serving;
    status = StatusOf(name);
    for (WatchReactor* watch : watches_) {
      if (watch->service() != name) continue;
      watch->Ref();
      watching.push_back(watch);
    }
  }
  for (WatchReactor* watch : watching) {
    watch->Update(status, /*final=*/false);
    watch->Unref();
  }
}

void HealthService::Shutdown() {
  std::vector<WatchReactor*> watching;
  {
    absl::MutexLock lock(&mu_);
    shut_down_ = true;
    for (WatchReactor* watch : watches_) {
      watch->Ref();
      watching.push_back(watch);
    }
  }
  for (WatchReactor* watch : watching) {
    watch->Update(HealthCheckResponse::NOT_SERVING, /*final=*/true);
    watch->Unref();
  }
}

void HealthService::Forget(WatchReactor* watch) {
  absl::MutexLock lock(&mu_);
  watches_.erase(watch);
  if (watches_.empty()) no_watches_.SignalAll();
}

grpc::ServerUnaryReactor* HealthService::Check(grpc::CallbackServerContext* context,
                                               const grpc::health::v1::HealthCheckRequest* request,
                                               grpc::health::v1::HealthCheckResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (request->service().size() > kMaxServiceName) {
    reactor->Finish(NameTooLong());
    return reactor;
  }
  ServingStatus status;
  {
    absl::ReaderMutexLock lock(&mu_);
    status = StatusOf(request->service());
  }
  if (status == HealthCheckResponse::SERVICE_UNKNOWN) {
    reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown service"));
    return reactor;
  }
  response->set_status(status);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerWriteReactor<grpc::health::v1::HealthCheckResponse>* HealthService::Watch(
    grpc::CallbackServerContext* context, const grpc::health::v1::HealthCheckRequest* request) {
  if (request->service().size() > kMaxServiceName) {
    auto* refused = new RefusedWatch();
    refused->Finish(NameTooLong());
    return refused;
  }
  const std::string& service = request->service();
  auto* watch = new WatchReactor(this, service);
  absl::MutexLock lock(&mu_);
  watches_.insert(watch);
  // Under the lock, so no later change can be overtaken by this first status. The reactor is not
  // bound to the call yet: gRPC keeps the write until it is, and runs no reaction meanwhile.
  watch->Update(StatusOf(service), /*final=*/shut_down_);
  return watch;
}

}  // namespace preflight
