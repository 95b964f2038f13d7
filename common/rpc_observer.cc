#include "common/rpc_observer.h"

#include <optional>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/logging/log.h"
#include "google/protobuf/descriptor.h"

namespace preflight {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::ServerRpcInfo;

constexpr size_t kMaxLoggedText = 200;

absl::string_view CodeName(grpc::StatusCode code) {
  static constexpr absl::string_view kNames[] = {"OK",
                                                 "CANCELLED",
                                                 "UNKNOWN",
                                                 "INVALID_ARGUMENT",
                                                 "DEADLINE_EXCEEDED",
                                                 "NOT_FOUND",
                                                 "ALREADY_EXISTS",
                                                 "PERMISSION_DENIED",
                                                 "RESOURCE_EXHAUSTED",
                                                 "FAILED_PRECONDITION",
                                                 "ABORTED",
                                                 "OUT_OF_RANGE",
                                                 "UNIMPLEMENTED",
                                                 "INTERNAL",
                                                 "UNAVAILABLE",
                                                 "DATA_LOSS",
                                                 "UNAUTHENTICATED"};
  const int index = static_cast<int>(code);
  if (index < 0 || index >= static_cast<int>(std::size(kNames))) return "UNKNOWN";
  return kNames[index];
}

absl::string_view TypeName(ServerRpcInfo::Type type) {
  switch (type) {
    case ServerRpcInfo::Type::UNARY:
      return "unary";
    case ServerRpcInfo::Type::CLIENT_STREAMING:
      return "client_stream";
    case ServerRpcInfo::Type::SERVER_STREAMING:
      return "server_stream";
    case ServerRpcInfo::Type::BIDI_STREAMING:
      return "bidi_stream";
  }
  return "unary";
}

// Cut to a bounded length on a UTF-8 boundary, for log fields taken from the peer.
std::string Bounded(absl::string_view text) {
  if (text.size() <= kMaxLoggedText) return std::string(text);
  size_t end = kMaxLoggedText;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return absl::StrCat(text.substr(0, end), "…");
}

struct Caller {
  std::string tenant;
  std::string actor;
};

// The callers noted for RPCs in flight, by their ServerContext.
class CallerBook {
 public:
  void Open(const void* context) {
    absl::MutexLock lock(&mu_);
    callers_[context] = std::nullopt;
  }
  void Note(const void* context, Caller caller) {
    absl::MutexLock lock(&mu_);
    auto it = callers_.find(context);
    if (it != callers_.end()) it->second = std::move(caller);
  }
  std::optional<Caller> Close(const void* context) {
    absl::MutexLock lock(&mu_);
    auto it = callers_.find(context);
    if (it == callers_.end()) return std::nullopt;
    std::optional<Caller> caller = std::move(it->second);
    callers_.erase(it);
    return caller;
  }

 private:
  absl::Mutex mu_;
  absl::flat_hash_map<const void*, std::optional<Caller>> callers_ ABSL_GUARDED_BY(mu_);
};

CallerBook& Callers() {
  static auto* book = new CallerBook();
  return *book;
}

struct RpcMetrics {
  explicit RpcMetrics(metrics::Registry& registry)
      : started(registry.AddCounter("grpc_server_started_total", "RPCs started on the server.",
                                    {"grpc_service", "grpc_method", "grpc_type"})),
        handled(registry.AddCounter("grpc_server_handled_total",
                                    "RPCs completed on the server, by status code.",
                                    {"grpc_service", "grpc_method", "grpc_type", "grpc_code"})),
        seconds(
            registry.AddHistogram("grpc_server_handling_seconds",
                                  "Time from the start of an RPC to its status, by status code.",
                                  {"grpc_service", "grpc_method", "grpc_type", "grpc_code"})) {}

  metrics::Family<metrics::Counter>& started;
  metrics::Family<metrics::Counter>& handled;
  metrics::Family<metrics::Histogram>& seconds;
};

// "/pkg.Service/Method" → ("pkg.Service", "Method").
std::pair<std::string, std::string> SplitMethod(absl::string_view full) {
  if (!full.empty() && full.front() == '/') full.remove_prefix(1);
  const size_t slash = full.find('/');
  if (slash == absl::string_view::npos) return {std::string(full), ""};
  return {std::string(full.substr(0, slash)), std::string(full.substr(slash + 1))};
}

// The request message's type, for the message of an undecodable request.
std::string RequestTypeOf(const std::string& service, const std::string& method) {
  const google::protobuf::MethodDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          absl::StrCat(service, ".", method));
  return descriptor != nullptr ? descriptor->input_type()->full_name() : "request";
}

class RpcObserver final : public grpc::experimental::Interceptor {
 public:
  RpcObserver(ServerRpcInfo* info, RpcMetrics* metrics)
      : metrics_(metrics),
        context_(info->server_context()),
        full_method_(info->method() != nullptr ? info->method() : ""),
        type_(TypeName(info->type())),
        start_(absl::Now()) {
    std::tie(service_, method_) = SplitMethod(full_method_);
    Callers().Open(context_);
    if (metrics_ != nullptr) metrics_->started.WithLabels({service_, method_, type_}).Increment();
  }

  ~RpcObserver() override {
    std::optional<Caller> caller = Callers().Close(context_);
    // A call that ends without a status was cancelled (the client went away, or shutdown).
    const grpc::StatusCode code = code_.value_or(grpc::StatusCode::CANCELLED);
    const absl::Duration duration = (end_.has_value() ? *end_ : absl::Now()) - start_;
    const std::string code_name(CodeName(code));
    if (metrics_ != nullptr) {
      metrics_->handled.WithLabels({service_, method_, type_, code_name}).Increment();
      metrics_->seconds.WithLabels({service_, method_, type_, code_name}).ObserveDuration(duration);
    }
    Log(code, code_name, duration, caller);
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr) {
      undecodable_ = true;
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status status = methods->GetSendStatus();
      if (undecodable_ && (status.error_code() == grpc::StatusCode::INTERNAL ||
                           status.error_code() == grpc::StatusCode::UNIMPLEMENTED)) {
        status = grpc::Status(
            grpc::StatusCode::INVALID_ARGUMENT,
            absl::StrCat("the request is not a valid ", RequestTypeOf(service_, method_),
                         " message (malformed protobuf, or a string field that is not UTF-8)"));
        methods->ModifySendStatus(status);
      }
      code_ = status.error_code();
      if (!status.ok()) error_ = Bounded(status.error_message());
      end_ = absl::Now();
    }
    methods->Proceed();
  }

 private:
  void Log(grpc::StatusCode code, const std::string& code_name, absl::Duration duration,
           const std::optional<Caller>& caller) const {
    logging::Level level = logging::Level::kInfo;
    if (code == grpc::StatusCode::INTERNAL || code == grpc::StatusCode::UNKNOWN ||
        code == grpc::StatusCode::DATA_LOSS) {
      level = logging::Level::kError;
    } else if (service_ == "grpc.health.v1.Health") {
      // Probes every few seconds would drown everything else.
      level = logging::Level::kDebug;
    }
    if (!logging::Enabled(level)) return;
    const std::string peer = Bounded(context_->peer());
    const std::string tenant = caller.has_value() ? Bounded(caller->tenant) : "";
    const std::string actor = caller.has_value() ? Bounded(caller->actor) : "";
    if (code == grpc::StatusCode::OK) {
      logging::Log(level, "rpc", full_method_,
                   {{"code", code_name},
                    logging::Field::Millis("duration_ms", duration),
                    {"tenant", tenant},
                    {"actor", actor},
                    {"peer", peer}});
    } else {
      logging::Log(level, "rpc", full_method_,
                   {{"code", code_name},
                    logging::Field::Millis("duration_ms", duration),
                    {"tenant", tenant},
                    {"actor", actor},
                    {"peer", peer},
                    {"error", error_}});
    }
  }

  RpcMetrics* const metrics_;
  grpc::ServerContextBase* const context_;
  const std::string full_method_;
  std::string service_;
  std::string method_;
  const std::string type_;
  const absl::Time start_;
  bool undecodable_ = false;
  std::optional<grpc::StatusCode> code_;
  std::optional<absl::Time> end_;
  std::string error_;
};

class RpcObserverFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit RpcObserverFactory(const RpcObserverOptions& options) {
    if (options.metrics != nullptr) metrics_ = std::make_unique<RpcMetrics>(*options.metrics);
  }
  grpc::experimental::Interceptor* CreateServerInterceptor(ServerRpcInfo* info) override {
    return new RpcObserver(info, metrics_.get());
  }

 private:
  std::unique_ptr<RpcMetrics> metrics_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> MakeRpcObserver(
    const RpcObserverOptions& options) {
  return std::make_unique<RpcObserverFactory>(options);
}

void NoteCaller(const grpc::ServerContextBase& context, absl::string_view tenant,
                absl::string_view actor) {
  Callers().Note(&context, Caller{std::string(tenant), std::string(actor)});
}

}  // namespace preflight
