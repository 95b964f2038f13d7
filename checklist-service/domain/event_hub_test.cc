#include "checklist-service/domain/event_hub.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace preflight::checklist {
namespace {

using State = EventSubscription::State;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

Event MakeEvent(int64_t sequence, const std::string& tenant = "acme",
                const std::string& launch_id = "l1") {
  Event event;
  event.sequence = sequence;
  event.tenant = tenant;
  event.launch_id = launch_id;
  return event;
}

std::vector<Event> Range(int64_t first, int64_t last, const std::string& tenant = "acme",
                         const std::string& launch_id = "l1") {
  std::vector<Event> events;
  for (int64_t s = first; s <= last; ++s) events.push_back(MakeEvent(s, tenant, launch_id));
  return events;
}

std::vector<int64_t> Sequences(const EventSubscription::Batch& batch) {
  std::vector<int64_t> sequences;
  for (const auto& event : batch.events) sequences.push_back(event->sequence);
  return sequences;
}

std::unique_ptr<EventSubscription> MustSubscribe(EventHub& hub,
                                                 EventHub::SubscribeOptions options = {}) {
  absl::StatusOr<std::unique_ptr<EventSubscription>> subscription =
      hub.Subscribe(std::move(options));
  EXPECT_TRUE(subscription.ok()) << subscription.status();
  return subscription.ok() ? *std::move(subscription) : nullptr;
}

EventHub::SubscribeOptions Filtered(EventFilter filter) {
  EventHub::SubscribeOptions options;
  options.filter = std::move(filter);
  return options;
}

TEST(EventFilterTest, EmptyFieldsMatchEverythingSetFieldsMustAllMatch) {
  EXPECT_TRUE(EventFilter{}.Matches(MakeEvent(1, "acme", "l1")));
  EXPECT_TRUE((EventFilter{"acme", ""}).Matches(MakeEvent(1, "acme", "l1")));
  EXPECT_FALSE((EventFilter{"globex", ""}).Matches(MakeEvent(1, "acme", "l1")));
  EXPECT_TRUE((EventFilter{"", "l1"}).Matches(MakeEvent(1, "acme", "l1")));
  EXPECT_FALSE((EventFilter{"", "l2"}).Matches(MakeEvent(1, "acme", "l1")));
  EXPECT_FALSE((EventFilter{"globex", "l1"}).Matches(MakeEvent(1, "acme", "l1")));
}

TEST(EventHubTest, DeliversPublishedEventsInOrder) {
  EventHub hub;
  std::unique_ptr<EventSubscription> subscription = MustSubscribe(hub);
  hub.Publish(Range(1, 3));
  hub.Publish(Range(4, 5));
  EventSubscription::Batch batch = subscription->Take();
  EXPECT_EQ(batch.state, State::kOpen);
  EXPECT_THAT(Sequences(batch), ElementsAre(1, 2, 3, 4, 5));
  EXPECT_EQ(hub.last_published_sequence(), 5);
  // Drained: the next take is empty.
  batch = subscription->Take();
  EXPECT_EQ(batch.state, State::kOpen);
  EXPECT_THAT(batch.events, IsEmpty());
}

TEST(EventHubTest, OnlyEventsPublishedAfterSubscribingArrive) {
  EventHub hub;
  hub.Publish(Range(1, 2));
  std::unique_ptr<EventSubscription> subscription = MustSubscribe(hub);
  hub.Publish(Range(3, 3));
  EXPECT_THAT(Sequences(subscription->Take()), ElementsAre(3));
}

TEST(EventHubTest, FiltersByTenantAndLaunchAndSharesEventsBetweenWatchers) {
  EventHub hub;
  std::unique_ptr<EventSubscription> all = MustSubscribe(hub);
  std::unique_ptr<EventSubscription> acme = MustSubscribe(hub, Filtered({"acme", ""}));
  std::unique_ptr<EventSubscription> l2 = MustSubscribe(hub, Filtered({"", "l2"}));
  hub.Publish(
      {MakeEvent(1, "acme", "l1"), MakeEvent(2, "globex", "l2"), MakeEvent(3, "acme", "l3")});
  EventSubscription::Batch all_batch = all->Take();
  EventSubscription::Batch acme_batch = acme->Take();
  EXPECT_THAT(Sequences(all_batch), ElementsAre(1, 2, 3));
  EXPECT_THAT(Sequences(acme_batch), ElementsAre(1, 3));
  EXPECT_THAT(Sequences(l2->Take()), ElementsAre(2));
  // One copy per event, whoever receives it.
  EXPECT_EQ(all_batch.events[0].get(), acme_batch.events[0].get());
}

TEST(EventHubTest, FullQueueOverflowsFreesItsEventsAndNotifies) {
  EventHub hub;
  std::vector<State> interrupts;
  EventHub::SubscribeOptions options;
  options.capacity = 3;
  options.notify = [&](State state) { interrupts.push_back(state); };
  std::unique_ptr<EventSubscription> small = MustSubscribe(hub, options);
  std::unique_ptr<EventSubscription> large = MustSubscribe(hub);

  hub.Publish(Range(1, 3));
  EXPECT_EQ(small->state(), State::kOpen);
  EXPECT_THAT(interrupts, IsEmpty());
  hub.Publish(Range(4, 5));
  EXPECT_EQ(small->state(), State::kOverflowed);
  EXPECT_EQ(small->overflow_sequence(), 4);
  EXPECT_THAT(interrupts, ElementsAre(State::kOverflowed));

  // Later events are ignored, and a take answers without events.
  hub.Publish(Range(6, 6));
  EventSubscription::Batch batch = small->Take();
  EXPECT_EQ(batch.state, State::kOverflowed);
  EXPECT_THAT(batch.events, IsEmpty());
  EXPECT_THAT(interrupts, ElementsAre(State::kOverflowed));
  // Other watchers are unaffected.
  EXPECT_THAT(Sequences(large->Take()), ElementsAre(1, 2, 3, 4, 5, 6));
}

TEST(EventHubTest, ADrainedQueueMakesRoomAgain) {
  EventHub hub;
  EventHub::SubscribeOptions options;
  options.capacity = 2;
  std::unique_ptr<EventSubscription> subscription = MustSubscribe(hub, options);
  for (int64_t s = 1; s <= 10; s += 2) {
    hub.Publish(Range(s, s + 1));
    EXPECT_THAT(Sequences(subscription->Take()), ElementsAre(s, s + 1));
  }
  EXPECT_EQ(subscription->state(), State::kOpen);
}

TEST(EventHubTest, FilteredOutEventsDoNotUseCapacity) {
  EventHub hub;
  EventHub::SubscribeOptions options;
  options.filter.tenant = "acme";
  options.capacity = 1;
  std::unique_ptr<EventSubscription> subscription = MustSubscribe(hub, options);
  hub.Publish({MakeEvent(1, "globex"), MakeEvent(2, "globex"), MakeEvent(3, "acme")});
  EXPECT_EQ(subscription->state(), State::kOpen);
  EXPECT_THAT(Sequences(subscription->Take()), ElementsAre(3));
}

TEST(EventHubTest, CloseWakesWatchersAndRefusesNewOnes) {
  EventHub hub;
  std::vector<State> interrupts;
  EventHub::SubscribeOptions options;
  options.notify = [&](State state) { interrupts.push_back(state); };
  std::unique_ptr<EventSubscription> subscription = MustSubscribe(hub, options);
  hub.Publish(Range(1, 2));

  // Drain the two queued events, then wait (armed) for Close.
  EXPECT_THAT(Sequences(subscription->Take()), ElementsAre(1, 2));
  EXPECT_THAT(subscription->Take().events, IsEmpty());
  hub.Close();
  EventSubscription::Batch batch = subscription->Take();
  EXPECT_EQ(batch.state, State::kClosed);
  EXPECT_THAT(batch.events, IsEmpty());
  EXPECT_THAT(interrupts, ElementsAre(State::kClosed));
  EXPECT_TRUE(hub.closed());

  absl::StatusOr<std::unique_ptr<EventSubscription>> late = hub.Subscribe({});
  EXPECT_EQ(late.status().code(), absl::StatusCode::kUnavailable);
  hub.Publish(Range(3, 3));
  EXPECT_EQ(hub.last_published_sequence(), 2);
  hub.Close();  // idempotent
  EXPECT_THAT(interrupts, ElementsAre(State::kClosed));
}

TEST(EventHubTest, AnArmedSubscriptionIsNotifiedOnceWhenEventsArrive) {
  EventHub hub;
  std::vector<State> notified;
  EventHub::SubscribeOptions options;
  options.notify = [&](State state) { notified.push_back(state); };
  std::unique_ptr<EventSubscription> subscription = MustSubscribe(hub, options);
  // Not armed yet: nobody asked.
  hub.Publish(Range(1, 1));
  EXPECT_THAT(notified, IsEmpty());
  // Events were there, so the take does not arm.
  EXPECT_THAT(Sequences(subscription->Take()), ElementsAre(1));
  hub.Publish(Range(2, 2));
  EXPECT_THAT(notified, IsEmpty());
  EXPECT_THAT(Sequences(subscription->Take()), ElementsAre(2));
  // An empty take arms: one notification for the next commit, however many events it has,
  // and none for the commits after it until the next empty take.
  EXPECT_THAT(subscription->Take().events, IsEmpty());
  hub.Publish(Range(3, 5));
  hub.Publish(Range(6, 6));
  EXPECT_THAT(notified, ElementsAre(State::kOpen));
  EXPECT_THAT(Sequences(subscription->Take()), ElementsAre(3, 4, 5, 6));
  EXPECT_THAT(subscription->Take().events, IsEmpty());
  hub.Publish({MakeEvent(7, "globex")});
  hub.Publish(Range(8, 8));
  EXPECT_THAT(notified, ElementsAre(State::kOpen, State::kOpen));
}

TEST(EventHubTest, DestroyingASubscriptionUnsubscribes) {
  EventHub hub;
  std::unique_ptr<EventSubscription> first = MustSubscribe(hub);
  std::unique_ptr<EventSubscription> second = MustSubscribe(hub);
  EXPECT_EQ(hub.subscriber_count(), 2u);
  first.reset();
  EXPECT_EQ(hub.subscriber_count(), 1u);
  hub.Publish(Range(1, 1));
  EXPECT_THAT(Sequences(second->Take()), ElementsAre(1));
}

TEST(EventHubTest, RejectsZeroCapacity) {
  EventHub hub;
  EventHub::SubscribeOptions options;
  options.capacity = 0;
  EXPECT_EQ(hub.Subscribe(options).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(EventHubTest, ConcurrentPublisherAndWatcherSeeEveryEventOnceInOrder) {
  constexpr int64_t kLast = 20000;
  EventHub hub;
  absl::Mutex mu;
  bool woken = false;
  EventHub::SubscribeOptions options;
  options.capacity = kLast;  // room for everything: this test is about ordering, not overflow
  options.notify = [&](State) {
    absl::MutexLock lock(&mu);
    woken = true;
  };
  std::unique_ptr<EventSubscription> subscription = MustSubscribe(hub, options);
  std::thread publisher([&] {
    for (int64_t s = 1; s <= kLast; s += 4) hub.Publish(Range(s, s + 3));
  });
  std::vector<int64_t> received;
  while (received.size() < static_cast<size_t>(kLast)) {
    EventSubscription::Batch batch = subscription->Take();
    ASSERT_EQ(batch.state, State::kOpen);
    if (batch.events.empty()) {
      // Armed: the publisher's next event wakes us; no event can slip by unnoticed.
      absl::MutexLock lock(&mu);
      ASSERT_TRUE(mu.AwaitWithTimeout(absl::Condition(&woken), absl::Seconds(10)))
          << "no event within 10 s after " << received.size();
      woken = false;
      continue;
    }
    for (const auto& event : batch.events) received.push_back(event->sequence);
  }
  publisher.join();
  for (size_t i = 0; i < received.size(); ++i) {
    ASSERT_EQ(received[i], static_cast<int64_t>(i) + 1);
  }
}

}  // namespace
}  // namespace preflight::checklist
