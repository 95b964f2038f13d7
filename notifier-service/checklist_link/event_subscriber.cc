#include "notifier-service/checklist_link/event_subscriber.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/api/metadata_keys.h"
#include "common/logging/log.h"
#include "notifier-service/checklist_link/checklist_channel.h"
#include "notifier-service/checklist_link/event_translation.h"

namespace preflight::notifier {
namespace {

// What the operator must do when the checklist refuses the cursor (docs/operations.md).
constexpr char kRefusedAdvice[] =
    "the checklist's event log no longer holds the events this notifier applied (it was "
    "restored from a backup): restore this notifier's data folder from the same backup "
    "(notifier-service --data_dir=DIR --restore_from=BACKUP/notifier), or start it once with "
    "--resync_event_log to read the log again from sequence 0 (reminders already in its ledger "
    "are not sent again)";

constexpr char kComponent[] = "event subscriber";

absl::Status FromGrpc(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

}  // namespace

EventSubscriber::EventSubscriber(EventSink* sink, SubscriberOptions options)
    : sink_(sink), options_(std::move(options)) {}

EventSubscriber::~EventSubscriber() { Stop(); }

absl::Status EventSubscriber::Start() {
  if (sink_ == nullptr) return absl::InvalidArgumentError("event subscriber: no sink");
  if (options_.checklist_address.empty()) {
    return absl::InvalidArgumentError("event subscriber: checklist_address is required");
  }
  if (options_.max_batch < 1) {
    return absl::InvalidArgumentError("event subscriber: max_batch must be at least 1");
  }
  absl::MutexLock lock(&mu_);
  if (started_) return absl::FailedPreconditionError("event subscriber: already started");
  started_ = true;
  thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void EventSubscriber::Stop() {
  std::thread thread;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    if (active_context_ != nullptr) active_context_->TryCancel();
    thread = std::move(thread_);
  }
  if (thread.joinable()) thread.join();
}

SubscriberStatus EventSubscriber::Status() const {
  absl::MutexLock lock(&mu_);
  return status_;
}

bool EventSubscriber::WaitForSequence(int64_t sequence, absl::Duration timeout) const {
  return WaitForStatus(
      [sequence](const SubscriberStatus& status) { return status.applied_sequence >= sequence; },
      timeout);
}

bool EventSubscriber::WaitForStatus(const std::function<bool(const SubscriberStatus&)>& condition,
                                    absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  const auto holds = [&] { return condition(status_); };
  return mu_.AwaitWithTimeout(absl::Condition(&holds), timeout);
}

std::shared_ptr<grpc::Channel> EventSubscriber::NewChannel() const {
  ChecklistChannelOptions channel;
  channel.address = options_.checklist_address;
  channel.credentials = options_.credentials;
  channel.tls_server_name = options_.tls_server_name;
  channel.keepalive_time = options_.keepalive_time;
  channel.keepalive_timeout = options_.keepalive_timeout;
  // A channel of its own per attempt: the backoff here decides when to retry.
  channel.own_subchannel = true;
  return MakeChecklistChannel(channel);
}

void EventSubscriber::Run() {
  BackoffOptions backoff_options;
  backoff_options.initial = options_.initial_backoff;
  backoff_options.max = options_.max_backoff;
  backoff_options.jitter = options_.jitter;
  Backoff backoff(backoff_options, options_.random);
  bool first = true;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      if (!first) ++status_.reconnects;
    }
    first = false;
    bool progressed = false;
    bool refused = false;
    const absl::Status ended = FollowOnce(progressed, refused);
    bool was_connected = false;
    {
      absl::MutexLock lock(&mu_);
      was_connected = status_.connected;
      status_.connected = false;
      status_.cursor_refused = refused;
      if (stopping_) return;
      status_.last_error = ended.ToString();
    }
    if (progressed) backoff.Reset();
    // Nothing changes until the operator acts: ask (and say so) at the slowest pace.
    const absl::Duration delay = refused ? options_.max_backoff : backoff.Next();
    if (refused) {
      logging::Error(
          kComponent, kRefusedAdvice,
          {{"checklist", options_.checklist_address},
           {"error", ended.ToString()},
           {"retrying_in", absl::FormatDuration(absl::Trunc(delay, absl::Milliseconds(1)))}});
      if (!WaitUnlessStopped(delay)) return;
      continue;
    }
    logging::Warning(
        kComponent,
        absl::StrCat(was_connected ? "disconnected" : "cannot follow the stream", "; retrying in ",
                     absl::FormatDuration(absl::Trunc(delay, absl::Milliseconds(1)))),
        {{"checklist", options_.checklist_address}, {"error", ended.ToString()}});
    if (!WaitUnlessStopped(delay)) return;
  }
}

bool EventSubscriber::WaitUnlessStopped(absl::Duration delay) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(&stopping_), delay);
  return !stopping_;
}

absl::Status EventSubscriber::FollowOnce(bool& progressed, bool& refused) {
  absl::StatusOr<int64_t> applied = sink_->AppliedSequence();
  if (!applied.ok()) {
    return absl::Status(applied.status().code(),
                        absl::StrCat("reading the applied sequence: ", applied.status().message()));
  }
  absl::StatusOr<std::string> epoch = sink_->LogEpoch();
  if (!epoch.ok()) {
    return absl::Status(epoch.status().code(),
                        absl::StrCat("reading the log epoch: ", epoch.status().message()));
  }
  {
    absl::MutexLock lock(&mu_);
    status_.applied_sequence = *applied;
  }

  std::unique_ptr<v1::ChecklistService::Stub> stub = v1::ChecklistService::NewStub(NewChannel());
  grpc::ClientContext context;
  for (const auto& [key, value] : options_.metadata) context.AddMetadata(key, value);
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return absl::CancelledError("stopped");
    active_context_ = &context;
  }
  v1::WatchEventsRequest request;
  request.set_after_sequence(*applied);
  request.set_log_epoch(*epoch);
  std::unique_ptr<grpc::ClientReader<v1::Event>> reader = stub->WatchEvents(&context, request);

  // The server sends its headers once it has accepted the watch, before any event.
  reader->WaitForInitialMetadata();
  const auto& headers = context.GetServerInitialMetadata();
  if (auto it = headers.find(api::kLastSequenceMetadataKey); it != headers.end()) {
    int64_t head = 0;
    (void)absl::SimpleAtoi(absl::string_view(it->second.data(), it->second.size()), &head);
    // The checklist accepted the cursor in this epoch: remember it for the next stream.
    if (auto named = headers.find(api::kLogEpochMetadataKey); named != headers.end()) {
      const std::string current(named->second.data(), named->second.size());
      if (current != *epoch) {
        if (absl::Status s = sink_->SetLogEpoch(current); !s.ok()) {
          context.TryCancel();
          (void)reader->Finish();
          absl::MutexLock lock(&mu_);
          active_context_ = nullptr;
          return absl::Status(s.code(), absl::StrCat("recording the log epoch: ", s.message()));
        }
      }
    }
    {
      absl::MutexLock lock(&mu_);
      status_.connected = true;
      status_.cursor_refused = false;
      status_.checklist_head = head;
    }
    logging::Info(kComponent, "connected",
                  {{"checklist", options_.checklist_address},
                   {"resuming_after", *applied},
                   {"checklist_head", head}});
  }

  const int64_t resumed_after = *applied;
  absl::Status outcome;
  PendingBatch batch;
  v1::Event event;
  while (reader->Read(&event)) {
    {
      absl::MutexLock lock(&mu_);
      status_.checklist_head = std::max(status_.checklist_head, event.sequence());
    }
    outcome = Take(event, *applied, batch);
    if (!outcome.ok()) {
      // Drop the stream; the next one resumes from the sink's committed cursor.
      context.TryCancel();
      break;
    }
  }
  // What arrived before the stream ended is as good as the rest.
  if (outcome.ok()) outcome = Flush(batch, *applied);
  progressed = *applied > resumed_after;
  const grpc::Status finished = reader->Finish();
  {
    absl::MutexLock lock(&mu_);
    active_context_ = nullptr;
  }
  if (!outcome.ok()) return outcome;
  if (finished.ok()) return absl::UnavailableError("the checklist service ended the stream");
  refused = finished.error_code() == grpc::StatusCode::OUT_OF_RANGE ||
            finished.error_code() == grpc::StatusCode::FAILED_PRECONDITION;
  return FromGrpc(finished);
}

absl::Status EventSubscriber::Take(const v1::Event& event, int64_t& applied, PendingBatch& batch) {
  // Already committed (a replay after a reconnect): applying it again would duplicate effects.
  if (event.sequence() <= applied) return absl::OkStatus();
  bool at_head = false;
  {
    absl::MutexLock lock(&mu_);
    at_head = event.sequence() >= status_.checklist_head;
  }
  absl::StatusOr<ChecklistEvent> translated = TranslateEvent(event);
  if (!translated.ok()) {
    if (absl::Status flushed = Flush(batch, applied); !flushed.ok()) return flushed;
    return absl::Status(
        translated.status().code(),
        absl::StrCat("applying event ", event.sequence(), ": ", translated.status().message()));
  }
  translated->catching_up = !at_head;
  batch.events.push_back(*std::move(translated));
  batch.last_event_time = FromTimestamp(event.time());
  if (at_head || static_cast<int>(batch.events.size()) >= options_.max_batch) {
    return Flush(batch, applied);
  }
  return absl::OkStatus();
}

absl::Status EventSubscriber::Flush(PendingBatch& batch, int64_t& applied) {
  if (batch.events.empty()) return absl::OkStatus();
  const int64_t first = batch.events.front().sequence;
  const int64_t last = batch.events.back().sequence;
  absl::Status status = sink_->ApplyBatch(batch.events);
  batch.events.clear();
  if (!status.ok()) {
    return absl::Status(
        status.code(), first == last ? absl::StrCat("applying event ", last, ": ", status.message())
                                     : absl::StrCat("applying events ", first, " to ", last, ": ",
                                                    status.message()));
  }
  applied = last;
  absl::MutexLock lock(&mu_);
  status_.applied_sequence = applied;
  status_.last_event_time = batch.last_event_time;
  return absl::OkStatus();
}

}  // namespace preflight::notifier
