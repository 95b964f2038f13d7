#include "checklist-service/metrics/checklist_metrics.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/time/clock.h"
#include "common/cached_value.h"

namespace preflight::checklist {
namespace {

using metrics::Sample;

class InstrumentedStore final : public ChecklistStore {
 public:
  InstrumentedStore(ChecklistStore* inner, metrics::Registry& registry)
      : inner_(inner),
        commits_(registry.AddHistogram(
            "preflight_checklist_commit_seconds",
            "Time to commit one change and its events durably, by result (ok, aborted: a "
            "version conflict, error).",
            {"result"})),
        ok_(commits_.WithLabels({"ok"})),
        aborted_(commits_.WithLabels({"aborted"})),
        failed_(commits_.WithLabels({"error"})),
        batch_sizes_(registry
                         .AddHistogram("preflight_checklist_commit_batch_size",
                                       "Change sets per store transaction (group commit).", {},
                                       {1, 2, 4, 8, 16, 32, 64})
                         .WithLabels({})) {}

  absl::StatusOr<std::vector<Event>> Commit(const ChangeSet& changes) override {
    const absl::Time start = absl::Now();
    absl::StatusOr<std::vector<Event>> committed = inner_->Commit(changes);
    Observe(committed, absl::Now() - start);
    return committed;
  }

  // Every change set of a group commit waited for the same transaction.
  std::vector<absl::StatusOr<std::vector<Event>>> CommitBatch(
      const std::vector<const ChangeSet*>& batch) override {
    const absl::Time start = absl::Now();
    std::vector<absl::StatusOr<std::vector<Event>>> results = inner_->CommitBatch(batch);
    const absl::Duration elapsed = absl::Now() - start;
    batch_sizes_.Observe(static_cast<double>(batch.size()));
    for (const absl::StatusOr<std::vector<Event>>& committed : results) {
      Observe(committed, elapsed);
    }
    return results;
  }

  absl::StatusOr<LaunchState> LoadLaunch(absl::string_view launch_id) override {
    return inner_->LoadLaunch(launch_id);
  }
  absl::StatusOr<LaunchRead> ReadLaunch(absl::string_view launch_id, bool with_items) override {
    return inner_->ReadLaunch(launch_id, with_items);
  }
  absl::StatusOr<ItemRead> ReadItem(absl::string_view launch_id, absl::string_view code) override {
    return inner_->ReadItem(launch_id, code);
  }
  absl::StatusOr<std::optional<std::string>> FindLaunchByRequestId(
      absl::string_view tenant, absl::string_view request_id) override {
    return inner_->FindLaunchByRequestId(tenant, request_id);
  }
  absl::StatusOr<std::vector<LaunchState>> ListLaunches(const LaunchFilter& filter,
                                                        absl::string_view after_id,
                                                        int limit) override {
    return inner_->ListLaunches(filter, after_id, limit);
  }
  absl::StatusOr<int64_t> CountLaunches(absl::string_view tenant) override {
    return inner_->CountLaunches(tenant);
  }
  absl::StatusOr<std::vector<ItemKey>> ListItemKeys(const ItemFilter& filter,
                                                    const std::optional<ItemKey>& after,
                                                    int limit) override {
    return inner_->ListItemKeys(filter, after, limit);
  }
  absl::StatusOr<std::vector<Event>> ListLaunchEvents(absl::string_view launch_id,
                                                      int64_t after_sequence, int limit) override {
    return inner_->ListLaunchEvents(launch_id, after_sequence, limit);
  }
  absl::StatusOr<std::vector<Event>> ReadEvents(int64_t after_sequence, int limit) override {
    return inner_->ReadEvents(after_sequence, limit);
  }
  absl::StatusOr<int64_t> LastSequence() override { return inner_->LastSequence(); }
  absl::StatusOr<std::vector<LogEpoch>> LogEpochs() override { return inner_->LogEpochs(); }
  absl::StatusOr<std::string> GetOrCreateSecret(absl::string_view name) override {
    return inner_->GetOrCreateSecret(name);
  }

 private:
  void Observe(const absl::StatusOr<std::vector<Event>>& committed, absl::Duration elapsed) {
    metrics::Histogram& outcome = committed.ok() ? ok_
                                  : committed.status().code() == absl::StatusCode::kAborted
                                      ? aborted_
                                      : failed_;
    outcome.ObserveDuration(elapsed);
  }

  ChecklistStore* const inner_;
  metrics::Family<metrics::Histogram>& commits_;
  metrics::Histogram& ok_;
  metrics::Histogram& aborted_;
  metrics::Histogram& failed_;
  metrics::Histogram& batch_sizes_;
};

std::string Lower(absl::string_view name) { return absl::AsciiStrToLower(name); }

}  // namespace

std::unique_ptr<ChecklistStore> InstrumentStore(ChecklistStore* inner,
                                                metrics::Registry& registry) {
  return std::make_unique<InstrumentedStore>(inner, registry);
}

void RegisterChecklistMetrics(metrics::Registry& registry, const LaunchService* service,
                              ChecklistStore* store, const EventHub* hub, const Clock* clock,
                              absl::Duration summary_ttl) {
  registry.AddCallbackGauge(
      "preflight_checklist_event_sequence",
      "Sequence number of the last committed event (the head of the event log).", {}, [store] {
        absl::StatusOr<int64_t> head = store->LastSequence();
        if (!head.ok()) return std::vector<Sample>{};
        return std::vector<Sample>{{{}, static_cast<double>(*head)}};
      });
  registry.AddCallbackGauge("preflight_checklist_watchers", "Open WatchEvents streams.", {}, [hub] {
    return std::vector<Sample>{{{}, static_cast<double>(hub->subscriber_count())}};
  });

  auto summary = std::make_shared<CachedValue<LaunchSummary>>(
      clock, summary_ttl, [service] { return service->Summarize(); });
  registry.AddCallbackGauge(
      "preflight_checklist_launches",
      "Launches by state: planning (not yet live) or live. Recomputed at most every 30 s.",
      {"state"}, [summary] {
        std::optional<LaunchSummary> now = summary->Get();
        if (!now.has_value()) return std::vector<Sample>{};
        return std::vector<Sample>{
            {{"planning"}, static_cast<double>(now->launches - now->launches_live)},
            {{"live"}, static_cast<double>(now->launches_live)}};
      });
  registry.AddCallbackGauge(
      "preflight_checklist_launches_at_risk",
      "Launches not yet live whose projected launch date is after their target, as of today.", {},
      [summary] {
        std::optional<LaunchSummary> now = summary->Get();
        if (!now.has_value()) return std::vector<Sample>{};
        return std::vector<Sample>{{{}, static_cast<double>(now->launches_at_risk)}};
      });
  registry.AddCallbackGauge(
      "preflight_checklist_items", "Items of every launch by status.", {"status"}, [summary] {
        std::optional<LaunchSummary> now = summary->Get();
        std::vector<Sample> samples;
        if (!now.has_value()) return samples;
        for (ItemStatus status :
             {ItemStatus::kNotStarted, ItemStatus::kInProgress, ItemStatus::kSubmitted,
              ItemStatus::kReturned, ItemStatus::kApproved, ItemStatus::kRejected,
              ItemStatus::kWaived, ItemStatus::kNotApplicable}) {
          auto it = now->items_by_status.find(status);
          samples.push_back(
              {{Lower(ItemStatusName(status))},
               it == now->items_by_status.end() ? 0.0 : static_cast<double>(it->second)});
        }
        return samples;
      });
}

}  // namespace preflight::checklist
