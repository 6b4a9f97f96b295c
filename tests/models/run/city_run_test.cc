// The whole city run on a small city: determinism, conservation after a drain, common random
// numbers across token policies, and refusals when tokens are scarce and phones mostly offline.
#include "models/run/city_run.h"

#include "models/scenario/scenario_loader.h"
#include "small_run.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace hcesim::models {
namespace {

ScenarioConfig small_run(std::vector<std::string> more = {}) {
  return run_test::small_run("", std::move(more));
}

// Phones always online (a second offline at most, none underground, none with data off).
std::vector<std::string> always_online(std::vector<std::string> more) {
  more.insert(more.end(), {"network.mean_offline=1s", "network.offline_underground=false",
                           "network.data_off_share=0"});
  return more;
}

// Runs `cfg` on a world of its own and hands the finished run to `look` (the run needs the world).
template <class F> void run_city(const ScenarioConfig& cfg, F&& look) {
  auto world = build_world(cfg);
  ASSERT_TRUE(world.ok());
  CityRun run(cfg, *world);
  run.run();
  look(run);
}

// Σ over the hours [from, to) of one hour segment's count.
int64_t over_hours(const SegmentKpis& s, size_t from, size_t to, int64_t HourCounts::*count) {
  int64_t n = 0;
  for (size_t h = from; h < to; ++h) {
    n += s.by_hour(h).*count;
  }
  return n;
}

struct Outcome {
  uint64_t fingerprint = 0;
  uint64_t trip_hash = 0;
  int64_t accepted = 0;
  int64_t refused = 0;
  int64_t settled_minor = 0;
};

Outcome run_once(const ScenarioConfig& cfg) {
  auto world = build_world(cfg);
  EXPECT_TRUE(world.ok());
  CityRun run(cfg, *world);
  run.run();
  Outcome o;
  o.fingerprint = run.fingerprint();
  o.trip_hash = run.trip_hash();
  o.accepted = run.kpis().taps_accepted.value();
  for (const auto& c : run.kpis().taps_refused) {
    o.refused += c.value();
  }
  o.settled_minor = run.kpis().fares_settled.minor();
  return o;
}

TEST(CityRun, TheSameSeedGivesTheSameFingerprintAndKpis) {
  const ScenarioConfig cfg = small_run();
  const Outcome a = run_once(cfg);
  const Outcome b = run_once(cfg);
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_EQ(a.accepted, b.accepted);
  EXPECT_EQ(a.refused, b.refused);
  EXPECT_EQ(a.settled_minor, b.settled_minor);
  EXPECT_GT(a.accepted, 0);
  EXPECT_EQ(a.fingerprint, 10603859445452965906ULL) << "pinned fingerprint changed";
}

TEST(CityRun, AfterTheDrainEveryAcceptedTapIsSettledOnceAndMoneyBalances) {
  const ScenarioConfig cfg = small_run();
  auto world = build_world(cfg);
  ASSERT_TRUE(world.ok());
  CityRun run(cfg, *world);
  run.run();
  EXPECT_GT(run.taps_accepted_total(), 0u);
  EXPECT_EQ(run.records_held_total(), 0u);
  EXPECT_EQ(run.records_received_total(), run.taps_accepted_total());
  // Money: every rider's balance is its opening balance plus its top-ups minus its fares, and
  // the ledger's balances agree with its entries.
  const auto& ledger = run.services().ledger();
  const AccountId fraud = run.services().fraud_loss_account();
  // Top-ups as the journal streamed them (the ledger archives entries as the run goes).
  const int64_t top_ups = run.journal().top_ups_minor();
  int64_t balances = 0;
  for (const auto& a : ledger.state().accounts) {
    EXPECT_EQ(ledger.sum_of_entries(a.id).minor(), a.balance_minor);
    if (a.id != fraud) {
      balances += a.balance_minor;
    }
  }
  EXPECT_EQ(balances, run.opening_balances().minor() + top_ups - run.kpis().fares_settled.minor());
  EXPECT_GT(run.kpis().fares_settled.minor(), 0);
  EXPECT_EQ(run.kpis().cloud.pending_taps, 0u);
  EXPECT_EQ(run.kpis().fares_unsent.minor(), 0); // every tap's fare at risk given back once
}

TEST(CityRun, FaresUnsentAreGivenBackOnceThoughUploadsTimeOutAndArriveTwice) {
  // A cloud outage makes uploads time out; sent again, their records reach the cloud twice.
  ScenarioConfig cfg = small_run({"validators.station_upload_interval=5min"});
  cfg.cloud.outages.push_back(OutageConfig{Time::epoch() + Duration::hours(7), Duration::hours(3)});
  run_city(cfg, [](const CityRun& run) {
    EXPECT_GT(run.kpis().records_duplicate.value(), 0);
    EXPECT_EQ(run.records_held_total(), 0u);
    EXPECT_EQ(run.kpis().fares_unsent.minor(), 0);
    EXPECT_GT(run.kpis().peak_credit_exposure.minor(), 0);
  });
}

TEST(CityRun, TwoOfflineLimitsPlanTheSameTrips) {
  const Outcome three = run_once(small_run({"token_policy.offline_limit=3"}));
  const Outcome ten = run_once(small_run({"token_policy.offline_limit=10"}));
  EXPECT_EQ(three.trip_hash, ten.trip_hash);
  EXPECT_NE(three.fingerprint, ten.fingerprint); // the policy did change what happened
}

TEST(CityRun, ScarceTokensAndPhonesMostlyOfflineMeetRefusals) {
  const ScenarioConfig cfg =
      small_run({"token_policy.offline_limit=1", "token_policy.wallet_size=1",
                 "network.mean_online=5min", "network.mean_offline=10h"});
  auto world = build_world(cfg);
  ASSERT_TRUE(world.ok());
  CityRun run(cfg, *world);
  run.run();
  const RunKpis& k = run.kpis();
  EXPECT_GT(k.taps_refused[kNoTokenRefusal].value(), 0);
  EXPECT_GT(k.riders_refused, 0u);
  EXPECT_GT(k.fallbacks.value() + k.gave_up.value(), 0);
  // With plenty of coverage and tokens the same riders meet (almost) none.
  const Outcome good = run_once(small_run());
  EXPECT_LT(good.refused * 10, k.taps_refused[kNoTokenRefusal].value());
}

TEST(CityRun, AMetroExitRefusedAfterAnHceEntryIsCountedAsTheMaximumFareTheCloudCharges) {
  // Scarce tokens: some riders enter with their last tap and are refused at the exit, which they
  // make by card. The cloud never gets that exit: it charges the entry the maximum fare.
  const ScenarioConfig cfg =
      small_run({"token_policy.offline_limit=1", "token_policy.wallet_size=1",
                 "network.mean_online=5min", "network.mean_offline=10h"});
  auto world = build_world(cfg);
  ASSERT_TRUE(world.ok());
  CityRun run(cfg, *world);
  // Each journey's charge as finally posted, and its taps: one tap charged the maximum fare is
  // an entry whose exit never came (a bus fare is lower; clones go to the fraud-loss account).
  std::map<cloud::JourneyKey, std::pair<int64_t, uint32_t>> journeys;
  run.observe_journal([&](const cloud::JournalRecord& rec) {
    if (const auto* c = std::get_if<cloud::JourneyCharged>(&rec)) {
      auto& [charged, taps] = journeys[c->journey];
      charged -= c->entry.amount.minor();
      taps = c->taps;
    }
  });
  run.run();
  const int64_t max_fare = run.fares().max_fare().minor();
  uint64_t unfinished = 0;
  for (const auto& [key, charge] : journeys) {
    unfinished += (!key.fraud && charge.first == max_fare && charge.second == 1) ? 1U : 0U;
  }
  const RunKpis& k = run.kpis();
  EXPECT_GT(k.journeys_unfinished.value(), 0);
  EXPECT_EQ(static_cast<uint64_t>(k.journeys_unfinished.value()), unfinished);
  EXPECT_EQ(k.fares_unfinished.minor(), max_fare * k.journeys_unfinished.value());
}

TEST(CityRun, UnderBeforeExpiryAPhoneRefreshesItsTokensInTheBackground) {
  // Tokens live 6 h and phones are always online: a phone asks before its tokens expire whether
  // or not its rider taps then, so no tap finds the wallet empty. (Looked at only at taps, a
  // quarter of the taps were refused: the tokens had expired since the last trip.)
  run_city(small_run(always_online({"days=2", "refill.trigger=BEFORE_EXPIRY",
                                    "token_policy.lifetime=6h", "refill.before_expiry=1h"})),
           [](const CityRun& run) {
             const RunKpis& k = run.kpis();
             EXPECT_GT(k.taps_accepted.value(), 1000);
             EXPECT_LT(k.taps_refused[kNoTokenRefusal].value() * 100, k.taps_accepted.value());
             // Refreshed between trips, not per tap.
             EXPECT_GT(k.grants.value(), k.taps_accepted.value());
             // Wallets filled together at the start do not all ask together: each phone's check
             // has its own jitter of up to half an hour, so no second sees more than a few of the
             // 400 riders' requests.
             EXPECT_LE(k.token_requests.peak_per_second(), 1.0);
           });
}

TEST(CityRun, APhoneRefreshesExpiredTokensInTheBackgroundUnderEveryRule) {
  // Tokens live 6 h and phones are always online, so a rider's tokens expire between trips. In the
  // background (the default) each phone asks within a minute of an expiry and no tap finds the
  // wallet empty; looked at only at taps, a tenth of the taps are refused.
  std::vector<std::string> sets =
      always_online({"days=2", "token_policy.lifetime=6h", "refill.background_spread=1min"});
  for (const char* rule : {"AFTER_EVERY_USE", "BELOW_TAPS"}) {
    sets.push_back(std::string("refill.trigger=") + rule);
    const Outcome background = run_once(small_run(sets));
    sets.push_back("refill.background=false");
    const Outcome at_taps = run_once(small_run(sets));
    sets.resize(sets.size() - 2);
    EXPECT_GT(background.accepted, 1000) << rule;
    EXPECT_LT(background.refused * 100, background.accepted) << rule;
    EXPECT_GT(at_taps.refused * 10, at_taps.accepted) << rule;
    EXPECT_EQ(background.trip_hash, at_taps.trip_hash) << rule; // the same trips planned
  }
}

TEST(CityRun, TheFirstFillsTokensDoNotAllExpireTogether) {
  // Every wallet is filled at the start, but as if at its rider's trips the day before: its
  // tokens expire spread over the first day, so the measured day's first hour sees no wave of
  // refreshes. (Filled with one expiry, all 24:00, every idle phone asked within the hour.)
  run_city(small_run({"warmup=24h", "refill.background_spread=1min"}), [](const CityRun& run) {
    const SegmentKpis& s = run.kpis().segments;
    const int64_t midnight = over_hours(s, 0, 1, &HourCounts::token_requests_sent);
    const int64_t day = over_hours(s, 0, 24, &HourCounts::token_requests_sent);
    EXPECT_GT(day, 500);
    EXPECT_LT(midnight * 20, day) << "00:00-01:00: " << midnight << " of " << day;
  });
}

TEST(CityRun, SettlementLagAndFraudLossCountFromTheWarmUpsEndAsEveryOtherFlow) {
  // A cloud outage inside the warm-up day leaves its journeys charged hours late. The measured
  // day's lag must be its own journeys' (charged from the warm-up's end), not the run's.
  ScenarioConfig cfg = small_run({"warmup=24h"});
  cfg.cloud.outages.push_back(OutageConfig{Time::epoch() + Duration::hours(8), Duration::hours(8)});
  auto world = build_world(cfg);
  ASSERT_TRUE(world.ok());
  CityRun run(cfg, *world);
  const Time measured_from = Time::epoch() + Duration::hours(24);
  uint64_t journeys = 0;
  Duration lag_max;
  int64_t lag_sum_us = 0;
  run.observe_journal([&](const cloud::JournalRecord& r) {
    const auto* c = std::get_if<cloud::JourneyCharged>(&r);
    if (c != nullptr && c->revision == 0 && c->entry.at >= measured_from) {
      ++journeys;
      lag_sum_us += c->lag.us();
      lag_max = std::max(lag_max, c->lag);
    }
  });
  run.run();
  const cloud::CloudFigures& k = run.kpis().cloud;
  ASSERT_GT(journeys, 100u);
  EXPECT_EQ(k.journeys_charged, journeys);
  EXPECT_EQ(k.max_lag, lag_max);
  EXPECT_EQ(k.mean_lag, Duration::micros(lag_sum_us / static_cast<int64_t>(journeys)));
  // Settlement's own figure, over the whole run, holds the outage's backlog.
  const cloud::CloudFigures whole = run.services().figures(run.end_time());
  EXPECT_GT(whole.max_lag, k.max_lag + Duration::hours(2));
  EXPECT_GT(whole.journeys_charged, k.journeys_charged);
  // (fraud_loss is gated the same way, but only attackers make it, and they act in measured days.)
}

TEST(CityRun, ATopUpTheBankNeverAnswersIsTriedOnceAndThenRetriesTimes) {
  // top_up.retries counts retries: the first try and that many more reach the bank.
  for (const uint32_t retries : {0u, 2u}) {
    run_city(small_run({"bank.decline_probability=0", "bank.timeout_probability=1",
                        "top_up.retries=" + std::to_string(retries), "top_up.retry_interval=1min"}),
             [retries](const CityRun& run) {
               const RunKpis& k = run.kpis();
               EXPECT_EQ(k.top_ups_approved.value(), 0);
               size_t gave_up = 0;
               for (const auto& [id, request] : run.services().top_ups().state().requests) {
                 if (request.status == cloud::TopUp::Status::kGaveUp) {
                   ++gave_up;
                   EXPECT_EQ(request.attempts, retries + 1) << retries;
                 }
               }
               EXPECT_GT(gave_up, 10u) << retries;
               // Every attempt is a charge sent to the bank and left unanswered.
               EXPECT_EQ(k.top_ups.sent.value(), k.top_ups_unanswered.value());
             });
  }
}

TEST(CityRun, TheChecksKeepSightingsForTwiceTheLongestUploadInterval) {
  // Bus records may arrive 12 h (24 h with a missed upload) after their taps: the impossible-
  // travel memory must still hold the taps they could contradict. (It forgot after 6 h.)
  run_city(small_run({"validators.bus_upload_interval=12h"}), [](const CityRun& run) {
    const hce::SettlementState checks = run.services().snapshot().checks;
    Time earliest = Time::max();
    for (const auto& [account, sightings] : checks.travel) {
      for (const auto& s : sightings) {
        earliest = std::min(earliest, s.time);
      }
    }
    ASSERT_NE(earliest, Time::max());
    EXPECT_LT(earliest, run.end_time() - Duration::hours(12));
  });
}

TEST(CityRun, TokensExpiredUnusedAreTheMeasuredDaysNotTheDrains) {
  // The drain has no trips, so every token held then would "expire unused": a longer drain must
  // not add to the waste of the day measured (the 24 h more added half again).
  int64_t wasted[2] = {0, 0};
  int64_t taps[2] = {0, 0};
  for (int i = 0; i < 2; ++i) {
    run_city(small_run({"warmup=24h", i == 0 ? "drain=12h" : "drain=36h"}),
             [&](const CityRun& run) {
               wasted[i] = run.kpis().tokens_expired_unused.value();
               taps[i] = run.kpis().taps_accepted.value();
             });
  }
  EXPECT_EQ(taps[0], taps[1]);
  EXPECT_GT(wasted[0], 50);
  EXPECT_EQ(wasted[0], wasted[1]);
}

TEST(CityRun, APhoneGivesUpAtItsOwnRequestTimeoutWhenThatComesFirst) {
  // One slow issuing server (answers take seconds): a wallet waiting 200 ms gives up on most
  // requests, one waiting the service's 10 s on few. (refill.request_timeout was read and unused.)
  int64_t timed_out[2] = {0, 0};
  int i = 0;
  for (const char* wait : {"refill.request_timeout=200ms", "refill.request_timeout=5min"}) {
    ScenarioConfig cfg = small_run({wait});
    cfg.cloud.issuing.servers = 1;
    cfg.cloud.issuing.mean_service_time = Duration::millis(300);
    run_city(cfg, [&](const CityRun& run) {
      timed_out[i] = run.kpis().token_requests.timed_out.value();
      EXPECT_GT(run.kpis().token_requests.sent.value(), 100);
    });
    ++i;
  }
  EXPECT_GT(timed_out[0], 2 * timed_out[1] + 10) << timed_out[0] << " vs " << timed_out[1];
}

TEST(CityRun, AValidatorWithNothingToUploadStillLearnsTheDenylistAtItsCheckIn) {
  // Empty accounts and no top-ups: debts pass the limit and accounts are listed, many while the
  // last taps settle. In the tripless drain every store is empty; the gates and buses still check
  // in on schedule and must end with the cloud's list (they kept the list of their last upload).
  run_city(small_run({"population.hce_share=1", "population.initial_balance=0.00",
                      "top_up.auto_share=0", "top_up.manual_share=0", "top_up.debt_limit=2.00"}),
           [](const CityRun& run) {
             const uint64_t version = run.services().denylist().version();
             ASSERT_GT(version, 5u);
             uint32_t stale = 0;
             for (uint32_t v = 0; v < run.validator_count(); ++v) {
               stale += run.validator(v).denylist().version() != version ? 1U : 0U;
             }
             EXPECT_EQ(stale, 0u) << "of " << run.validator_count() << " validators";
           });
}

TEST(CityRun, UnderDailyBoundaryABackgroundLookWaitsForTheBoundary) {
  // Tokens expire at 04:00 and phones ask 2 h before: a grant before 04:00 would expire at 04:00
  // too, so the background look waits until just after it. (Asking in the window, every phone
  // asked twice a night and its first grant expired unused.)
  run_city(small_run(always_online({"days=2", "refill.trigger=BEFORE_EXPIRY",
                                    "token_policy.alignment=DAILY_BOUNDARY"})),
           [](const CityRun& run) {
             const SegmentKpis& s = run.kpis().segments;
             const int64_t night = over_hours(s, 2, 4, &HourCounts::token_requests_sent);
             const int64_t after = over_hours(s, 4, 5, &HourCounts::token_requests_sent);
             EXPECT_GT(after, 100);
             EXPECT_LT(night * 10, after) << "02:00-04:00: " << night << ", 04:00-05:00: " << after;
           });
}

TEST(CityRun, APhoneWhoseTokenRequestFailedAsksAgainWhenItsBackOffEnds) {
  // One token of one tap a wallet, the cloud down 07:00-09:00 and phones always online: every
  // request then fails, and each phone keeps asking after its back-off (at most 2 min here) by
  // itself, so by 09:10 every wallet holds a token again whether or not its rider tapped since.
  // (Before, a phone gave up after its second failure until its rider's next tap, which then
  // found the wallet empty.)
  // Everyone starts with the same money (no rider runs low in the day and is refused for it).
  ScenarioConfig cfg =
      small_run(always_online({"token_policy.offline_limit=1", "token_policy.wallet_size=1",
                               "refill.max_backoff=2min", "population.start_balances=FIXED"}));
  cfg.cloud.outages.push_back(OutageConfig{Time::epoch() + Duration::hours(7), Duration::hours(2)});
  run_city(cfg, [](const CityRun& run) {
    const RunKpis& k = run.kpis();
    EXPECT_GT(k.token_requests.timed_out.value() + k.token_requests.queue_refused.value(), 100);
    const int64_t accepted = over_hours(k.segments, 10, 24, &HourCounts::taps_accepted);
    const int64_t refused = over_hours(k.segments, 10, 24, &HourCounts::taps_refused);
    EXPECT_GT(accepted, 300);
    EXPECT_EQ(refused, 0) << "taps accepted from 10:00: " << accepted;
  });
}

// What a run with riders who never top up automatically did about money (manual top-ups).
struct TopUpFigures {
  int64_t low_balance = 0; //!< token requests refused for a low balance
  int64_t manual = 0;
  int64_t sent = 0;
  int64_t refused = 0; //!< taps refused for want of a token
  int64_t hce_riders = 0;
  uint64_t trip_hash = 0;
};

TopUpFigures top_up_figures(std::vector<std::string> sets) {
  sets.insert(sets.end(), {"top_up.auto_share=0", "top_up.manual_delay=30min"});
  TopUpFigures f;
  run_city(small_run(sets), [&](const CityRun& run) {
    const RunKpis& k = run.kpis();
    const auto low = static_cast<size_t>(hce::IssueRefusal::kBalanceTooLow);
    f.low_balance = k.issue_refusals[low].value();
    f.manual = k.top_ups_manual.value();
    f.sent = k.top_ups.sent.value();
    f.refused = k.taps_refused[kNoTokenRefusal].value();
    f.hce_riders = k.segments.total().hce_riders;
    f.trip_hash = run.trip_hash();
    // The refusals by rider class add up to the run's (kpis.csv's class:* rows).
    int64_t by_class = 0;
    for (size_t c = 0; c < k.segments.class_names().size(); ++c) {
      by_class += k.segments.by_class(c).token_requests_refused[low];
    }
    EXPECT_EQ(by_class, f.low_balance);
    // Manual top-ups keep the run's money whole: every accepted tap settles, balances add up.
    EXPECT_EQ(run.records_received_total(), run.taps_accepted_total());
    int64_t balances = 0;
    for (const auto& a : run.services().ledger().state().accounts) {
      if (a.id != run.services().fraud_loss_account()) {
        balances += a.balance_minor;
      }
    }
    EXPECT_EQ(balances, run.opening_balances().minor() + run.journal().top_ups_minor() -
                            k.fares_settled.minor());
  });
  return f;
}

TEST(CityRun, RidersWithoutAutomaticTopUpTopUpByHandWhenRefusedForALowBalance) {
  // Balances start near zero: the issuer soon refuses tokens.
  const std::vector<std::string> broke = {"population.initial_balance=2.00", "days=2"};
  auto with = [&](std::string share) {
    std::vector<std::string> sets = broke;
    sets.push_back("top_up.manual_share=" + std::move(share));
    return top_up_figures(sets);
  };
  const TopUpFigures never = with("0");
  const TopUpFigures by_hand = with("1");
  EXPECT_GT(never.low_balance, 0);
  EXPECT_EQ(never.manual, 0);
  EXPECT_EQ(never.sent, 0); // nobody tops up at all
  EXPECT_GT(by_hand.manual, 0);
  EXPECT_GE(by_hand.sent, by_hand.manual); // each goes to the bank (retries add more)
  EXPECT_LT(by_hand.refused * 2, never.refused) << "topping up by hand brings the tokens back";
  EXPECT_EQ(never.trip_hash, by_hand.trip_hash); // the same planned trips
}

TEST(CityRun, ARiderTopsUpByHandAgainEachTimeTheMoneyRunsOut) {
  // Top-ups of one fare or so: every rider needs several over three days.
  const TopUpFigures f = top_up_figures(
      {"population.initial_balance=2.00", "days=3", "top_up.amount=4.00", "top_up.threshold=0.00"});
  EXPECT_GT(f.manual, 2 * f.hce_riders);
}

TEST(CityRun, ManualTopUpsReachTheIssuingMinimumAndClearADebtTheAccountIsBlockedFor) {
  // The issuer asks for more than the rider's threshold: a top-up is due until both are met.
  const std::vector<std::string> minimum = {"token_policy.issuing_minimum_balance=20.00",
                                            "population.initial_balance=25.00", "days=2"};
  // Any debt lists the account, so the issuer refuses it as denylisted, not for its balance.
  const std::vector<std::string> debt = {"top_up.debt_limit=0.00",
                                         "population.initial_balance=2.00", "days=2"};
  for (const auto& base : {minimum, debt}) {
    std::vector<std::string> off = base;
    off.push_back("top_up.manual_share=0");
    const TopUpFigures never = top_up_figures(off);
    const TopUpFigures by_hand = top_up_figures(base);
    EXPECT_GT(by_hand.manual, by_hand.hce_riders / 2) << base.front();
    EXPECT_LT(by_hand.refused * 2, never.refused) << base.front();
  }
}

} // namespace
} // namespace hcesim::models

namespace hcesim::models {
namespace {

TEST(CityRun, APhoneStartsWithTheGrantsItsIssuingPolicyAllows) {
  // One request an hour, a wallet of two one-token grants: the start's second grant is refused
  // (rate limited). The run used to end in std::terminate; now each phone starts with one token.
  const ScenarioConfig cfg =
      small_run({"token_policy.requests_per_device_per_hour=1", "token_policy.wallet_size=2",
                 "token_policy.tokens_per_grant=1"});
  auto world = build_world(cfg);
  ASSERT_TRUE(world.ok());
  CityRun run(cfg, *world);
  uint32_t checked = 0;
  for (uint32_t r = 0; r < world->population.size(); ++r) {
    if (const hce::Wallet* w = run.wallet(r)) {
      EXPECT_EQ(w->token_count(), 1u) << "rider " << r;
      ++checked;
    }
  }
  ASSERT_GT(checked, 0u);
  run.run();
  EXPECT_GT(run.taps_accepted_total(), 0u);
}

} // namespace
} // namespace hcesim::models
