#include "checklist-service/storage/postgres_event_follower.h"

#include <algorithm>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/notification>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/logging/log.h"
#include "common/postgres/error_status.h"

namespace preflight::checklist {
namespace {

constexpr char kComponent[] = "checklist-service";
// How often a wait for notifications looks whether Stop was called.
constexpr absl::Duration kStopCheck = absl::Milliseconds(100);

// Notifications only wake the loop; what they say is read from the table.
class Wakeup final : public pqxx::notification_receiver {
 public:
  Wakeup(pqxx::connection_base& connection, const std::string& channel)
      : pqxx::notification_receiver(connection, channel) {}
  void operator()(const std::string& payload, int backend_pid) override {}
};

struct Listener {
  std::unique_ptr<pqxx::connection> connection;
  std::unique_ptr<Wakeup> wakeup;
};

std::unique_ptr<Listener> Listen(const PostgresOptions& database) {
  auto listener = std::make_unique<Listener>();
  listener->connection = std::make_unique<pqxx::connection>(database.url);
  {
    pqxx::nontransaction setup(*listener->connection);
    setup.exec(absl::StrCat("SET search_path TO ", database.schema));
    setup.exec(absl::StrCat("SET application_name TO ",
                            setup.quote(database.application_name + " (event follower)")));
  }
  listener->wakeup = std::make_unique<Wakeup>(*listener->connection, kChecklistEventsChannel);
  return listener;
}

}  // namespace

PostgresEventFollower::PostgresEventFollower(Options options, ChecklistStore* store, EventHub* hub)
    : options_(std::move(options)), store_(store), hub_(hub) {}

PostgresEventFollower::~PostgresEventFollower() { Stop(); }

absl::Status PostgresEventFollower::Start() {
  absl::StatusOr<int64_t> head = store_->LastSequence();
  if (!head.ok()) return head.status();
  {
    absl::MutexLock lock(&mu_);
    published_ = *head;
  }
  thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void PostgresEventFollower::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

int64_t PostgresEventFollower::published() const {
  absl::MutexLock lock(&mu_);
  return published_;
}

bool PostgresEventFollower::CatchUp() {
  while (!stop_.HasBeenNotified()) {
    absl::StatusOr<std::vector<Event>> events = store_->ReadEvents(published(), options_.page_size);
    if (!events.ok()) {
      logging::Warning(kComponent, "cannot read the event log; retrying",
                       {{"error", std::string(events.status().message())}});
      return false;
    }
    if (events->empty()) return true;
    const int64_t last = events->back().sequence;
    hub_->Publish(*events);
    {
      absl::MutexLock lock(&mu_);
      published_ = last;
    }
    if (static_cast<int>(events->size()) < options_.page_size) return true;
  }
  return true;
}

void PostgresEventFollower::Run() {
  std::unique_ptr<Listener> listener;
  bool warned = false;
  while (!stop_.HasBeenNotified()) {
    if (listener == nullptr) {
      try {
        listener = Listen(options_.database);
        if (warned) logging::Info(kComponent, "listening for events again");
        warned = false;
      } catch (const std::exception& e) {
        if (!warned) {
          logging::Warning(
              kComponent, "cannot listen for events; reading the log every poll meanwhile",
              {{"error", std::string(PostgresExceptionToStatus(e, "LISTEN").message())}});
          warned = true;
        }
      }
    }
    // After connecting and after every wake-up, so nothing committed in between is missed.
    if (!CatchUp()) {
      stop_.WaitForNotificationWithTimeout(options_.reconnect_delay);
      continue;
    }
    if (listener == nullptr) {
      stop_.WaitForNotificationWithTimeout(options_.reconnect_delay);
      continue;
    }
    try {
      // In slices, so that Stop never waits out a whole poll.
      const absl::Time next_poll = absl::Now() + options_.poll;
      while (!stop_.HasBeenNotified() && absl::Now() < next_poll) {
        const int64_t micros = absl::ToInt64Microseconds(
            std::min(kStopCheck, std::max(absl::ZeroDuration(), next_poll - absl::Now())));
        if (listener->connection->await_notification(micros / 1000000, micros % 1000000) > 0) {
          break;
        }
      }
    } catch (const std::exception&) {
      listener.reset();  // reconnect; CatchUp reads what the notifications would have said
    }
  }
}

}  // namespace preflight::checklist
