// Attackers in a small city, each written by capability (DESIGN §4): what the attacker has, what
// he does, what must happen. The real hce/ wallet, validators, issuer and settlement checks
// decide; the tests read the run's attack KPIs, ledger, denylist and journal.
#include "../run/small_run.h"
#include "models/attack/adversaries.h"
#include "models/run/city_run.h"
#include "models/run/kpi_rows.h"
#include "models/scenario/scenario_loader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

namespace hcesim::models {
namespace {

ScenarioConfig small_city(const std::string& attackers, std::vector<std::string> more = {}) {
  return run_test::small_run("attackers { " + attackers + " }", std::move(more));
}

struct Ran {
  explicit Ran(const ScenarioConfig& cfg) : world(build_world(cfg)) {}
  Result<World> world;
  std::unique_ptr<CityRun> run;
  std::vector<cloud::JournalRecord> taps; //!< TapReceived and TopUpAnswered records
  const AttackKpis& attack() const { return *run->kpis().attack; }
  const AttackerKindKpis& of(AttackerKind k) const { return attack().of(k); }
};

std::unique_ptr<Ran> run_city(const ScenarioConfig& cfg) {
  auto out = std::make_unique<Ran>(cfg);
  EXPECT_TRUE(out->world.ok());
  out->run = std::make_unique<CityRun>(cfg, *out->world);
  Ran* r = out.get();
  out->run->observe_journal([r](const cloud::JournalRecord& rec) {
    if (std::holds_alternative<cloud::TapReceived>(rec) ||
        std::holds_alternative<cloud::TopUpAnswered>(rec)) {
      r->taps.push_back(rec);
    }
  });
  out->run->run();
  EXPECT_TRUE(out->run->kpis().attack.has_value());
  return out;
}

TEST(Attackers, KeyHolderClonesAreAcceptedFlaggedAtSettlementThenRefusedAsDenylisted) {
  // Has: his own wallet's token keys, copied to three accomplice phones. Does: taps at random
  // gates and buses, reusing each counter on every phone. Must: clones flagged, his account
  // denylisted, his phones refused, the loss booked.
  const auto r = run_city(small_city("key_holders { count: 10 }"));
  const AttackerKindKpis& k = r->of(AttackerKind::kKeyHolder);
  EXPECT_EQ(k.attackers, 10U);
  EXPECT_GT(k.taps_accepted, 0U);
  EXPECT_GT(k.clone_flags, 0U);
  EXPECT_GT(k.detected, 0U);
  EXPECT_GT(k.taps_refused_denylisted, 0U);
  ASSERT_FALSE(k.detection_delay_s.empty());
  for (double d : k.detection_delay_s) {
    EXPECT_GT(d, 0.0);
  }
  EXPECT_GT(r->run->kpis().cloud.fraud_loss.minor(), 0);
  EXPECT_GE(k.loss.minor(), r->run->kpis().cloud.fraud_loss.minor());
  EXPECT_LE(k.taps_accepted_before_detection, k.taps_accepted);
  // No honest rider is denylisted as a clone.
  for (const auto& [account, listing] : r->run->services().denylist().state().listed) {
    if (account.value() <= 400) {
      EXPECT_EQ(listing.reasons & cloud::kDenyClone, 0) << account.value();
    }
  }
}

TEST(Attackers, KeyHolderSplittingTheCounterRangeIsNeverAClone) {
  // Has: the keys, on two phones that split every token's counters (lower half, upper half).
  // Does: taps far apart. Must: no counter repeats, so no clone flag; only travel can show it.
  const auto r = run_city(small_city("key_holders { count: 10 } phones_per_key_holder: 2 "
                                     "split_counters: true",
                                     {"token_policy.offline_limit=4"}));
  const AttackerKindKpis& k = r->of(AttackerKind::kKeyHolder);
  EXPECT_GT(k.records_settled, 0U);
  EXPECT_EQ(k.clone_flags, 0U);
  EXPECT_EQ(r->run->kpis().cloud.fraud_loss.minor(), 0);
}

TEST(Attackers, BrokeRidersOverspendAtMostTokensTimesLimitTimesHighestFare) {
  // Has: a real wallet and a card the bank always declines. Does: rides his usual trips offline.
  // Must: no top-up of his is ever credited, and his debt ≤ distinct tokens tapped × offline
  // limit × highest fare.
  const auto r = run_city(
      small_city("broke_riders { count: 40 }", {"days=2", "population.initial_balance=4.00"}));
  const AttackerKindKpis& k = r->of(AttackerKind::kBroke);
  EXPECT_EQ(k.attackers, 40U);
  EXPECT_GT(k.taps_accepted, 0U);
  EXPECT_GT(k.loss.minor(), 0);
  const Adversaries& adv = *r->run->adversaries();
  const auto& ledger = r->run->services().ledger();
  const int64_t max_fare = r->run->fares().max_fare().minor();
  int broke = 0;
  int in_debt = 0;
  for (uint32_t rider = 0; rider < 400; ++rider) {
    if (!adv.broke(rider)) {
      continue;
    }
    ++broke;
    const int64_t balance = ledger.balance(AccountId(rider + 1)).minor();
    const int64_t debt = balance < 0 ? -balance : 0;
    in_debt += debt > 0 ? 1 : 0;
    EXPECT_LE(debt, int64_t{adv.broke_tokens(rider)} * 3 * max_fare) << "rider " << rider;
  }
  EXPECT_EQ(broke, 40);
  EXPECT_GT(in_debt, 0);
  EXPECT_EQ(r->attack().broke_over_bound, 0U);
  for (const auto& rec : r->taps) {
    if (const auto* a = std::get_if<cloud::TopUpAnswered>(&rec)) {
      const uint64_t account = a->id.account.value();
      if (account >= 1 && account <= 400 && adv.broke(static_cast<uint32_t>(account - 1))) {
        EXPECT_FALSE(a->credit.has_value()) << "a broke rider's top-up was credited";
      }
    }
  }
}

TEST(Attackers, ForgingValidatorsRecordsAreAcceptedAtTheGateButNeverSettle) {
  // Has: a validator's SAM key and the headers of taps it saw. Does: forges records over them.
  // Must: none settles, each is counted not genuine, and no victim is framed as a clone.
  const auto r = run_city(small_city("forging_validators { count: 30 } forgeries_per_hour: 6"));
  const AttackerKindKpis& k = r->of(AttackerKind::kForgingValidator);
  EXPECT_GT(k.taps_accepted, 0U);
  EXPECT_EQ(k.records_settled, 0U);
  EXPECT_EQ(r->run->adversaries()->forged_settled(), 0U);
  EXPECT_EQ(static_cast<uint64_t>(r->run->kpis().records_not_genuine.value()), k.taps_accepted);
  for (const auto& [account, listing] : r->run->services().denylist().state().listed) {
    EXPECT_EQ(listing.reasons & cloud::kDenyClone, 0) << account.value();
  }
}

TEST(Attackers, ARelayIsCaughtOnlyByImpossibleTravelAndHonestFalseFlagsAreReported) {
  // Has: a live link to a victim's phone with its screen on. Does: taps far away with it.
  // Must: every cryptogram genuine and no counter repeated (no clone, never denylisted), some
  // taps flagged impossible travel, and the honest riders' false-flag rate reported.
  // Victims with money: a debt listing (they pay for the relayed rides) would be no catch.
  const auto r =
      run_city(small_city("relays { count: 20 } taps_per_hour: 6",
                          {"population.hce_share=1", "population.initial_balance=1000"}));
  const AttackerKindKpis& k = r->of(AttackerKind::kRelay);
  EXPECT_GT(k.taps_accepted, 0U);
  EXPECT_GT(k.records_settled, 0U);
  EXPECT_GT(k.impossible_travel_flags, 0U);
  EXPECT_EQ(k.clone_flags, 0U);
  EXPECT_EQ(k.detected, 0U);
  EXPECT_EQ(k.taps_refused_denylisted, 0U);
  EXPECT_GT(r->attack().honest_taps_settled, 0U);
  EXPECT_LE(r->attack().honest_false_flags, r->attack().honest_taps_settled);
  bool rate_reported = false;
  for (const KpiRow& row : kpi_rows(r->run->kpis(), r->run->fares().max_fare().currency())) {
    if (row.kpi == "honest_false_flag_rate" && row.segment == "all") {
      rate_reported = std::isfinite(row.value);
    }
  }
  EXPECT_TRUE(rate_reported);
}

TEST(Attackers, AFlooderIsRateLimitedPerDevice) {
  // Has: throwaway accounts, one device each. Does: floods the issuing queue with token requests.
  // Must: the issuer grants each device at most requests_per_device_per_hour in any hour, so over
  // the 17 active hours at most accounts × limit × 18 (a window straddles hours).
  const auto r = run_city(
      small_city("flooders { count: 2 } flood_requests_per_hour: 1200 accounts_per_flooder: 3",
                 {"token_policy.requests_per_device_per_hour=10"}));
  const AttackerKindKpis& k = r->of(AttackerKind::kFlooder);
  EXPECT_GT(k.token_requests, 10'000U);
  EXPECT_GT(k.token_requests_rate_limited, 0U);
  const uint64_t granted = k.token_requests - k.token_requests_refused;
  EXPECT_GT(granted, 0U);
  EXPECT_LE(granted, 2U * 3U * 10U * 18U);
}

TEST(Attackers, ALostPhonesFinderIsStoppedByTheReportAndTheOperatorPaysOnlyAfterIt) {
  // Has: an owner's phone with the tokens on it, no way to refill it. Does: taps at random gates
  // and buses. Must: the owner's report lists the account (with cause: the owner stays honest for
  // the invariants), validators refuse the finder once they sync, the finder's taps after the
  // report are booked to the fraud-loss account (the lost-phone loss) and those before are the
  // owner's, and the owner rides by physical card from the loss on.
  const std::string lost = "lost_phones { count: 20 } taps_per_hour: 6 lost_report_delay: \"1h\"";
  const std::vector<std::string> more = {
      "population.hce_share=1", "population.initial_balance=1000", "token_policy.offline_limit=10"};
  const auto r = run_city(small_city(lost, more));
  const AttackerKindKpis& k = r->of(AttackerKind::kLostPhone);
  EXPECT_EQ(k.attackers, 20U);
  EXPECT_GT(k.taps_accepted, 0U);
  EXPECT_GT(k.detected, 0U);
  EXPECT_EQ(k.detection_delay_s.size(), k.detected);
  EXPECT_GT(k.loss.minor(), 0) << "taps after the report, before the validators heard of it";
  EXPECT_FALSE(r->run->invariant_violation());
  const auto& services = r->run->services();
  EXPECT_EQ(services.settlement().figures().fraud_loss_minor, k.loss.minor())
      << "no other attacker books fraud loss here";
  EXPECT_EQ(r->of(AttackerKind::kKeyHolder).loss.minor(), 0);
  size_t listed = 0;
  for (uint32_t rider = 0; rider < 400; ++rider) {
    if ((services.denylist().reasons(AccountId(rider + 1)) & cloud::kDenyLost) != 0) {
      ++listed;
      EXPECT_EQ(r->run->wallet(rider), nullptr) << "an owner has no HCE phone after the loss";
    }
  }
  EXPECT_EQ(listed, 20U);
  EXPECT_GT(r->run->kpis().card_taps.value(), 0);
  // A report at once leaves the finder less time than one after 12 h (common random numbers).
  const auto late = run_city(
      small_city("lost_phones { count: 20 } taps_per_hour: 6 lost_report_delay: \"12h\"", more));
  const AttackerKindKpis& kl = late->of(AttackerKind::kLostPhone);
  EXPECT_LE(k.taps_accepted, kl.taps_accepted);
  EXPECT_FALSE(late->run->invariant_violation());
}

TEST(Attackers, EveryKindTogetherIsDeterministicAndEveryAcceptedRecordIsAccountedFor) {
  const ScenarioConfig cfg = small_city(
      "key_holders { count: 4 } broke_riders { count: 10 } forging_validators { count: 10 } "
      "relays { count: 4 } flooders { count: 1 } flood_requests_per_hour: 200 "
      "forgeries_per_hour: 6 lost_phones { count: 3 }");
  const auto a = run_city(cfg);
  const auto b = run_city(cfg);
  EXPECT_EQ(a->run->fingerprint(), b->run->fingerprint());
  const auto rows_a = kpi_rows(a->run->kpis(), cfg.city.currency);
  const auto rows_b = kpi_rows(b->run->kpis(), cfg.city.currency);
  ASSERT_EQ(rows_a.size(), rows_b.size());
  for (size_t i = 0; i < rows_a.size(); ++i) {
    EXPECT_EQ(rows_a[i].text, rows_b[i].text) << rows_a[i].kpi << " " << rows_a[i].segment;
  }
  // After the drain every accepted record reached the cloud once: settled, or (the forged ones)
  // refused as not genuine. None is left as money not yet uploaded.
  const CityRun& run = *a->run;
  EXPECT_EQ(run.records_held_total(), 0U);
  EXPECT_EQ(run.records_received_total(), run.taps_accepted_total());
  EXPECT_GT(a->of(AttackerKind::kForgingValidator).taps_accepted, 0U);
  EXPECT_EQ(run.kpis().fares_unsent.minor(), 0);
  // Money: the attackers' accounts are accounts like any other; the fraud-loss account holds
  // only what clones cost.
  const auto& ledger = run.services().ledger();
  const AccountId fraud = run.services().fraud_loss_account();
  int64_t balances = 0;
  for (const auto& acc : ledger.state().accounts) {
    EXPECT_EQ(ledger.sum_of_entries(acc.id).minor(), acc.balance_minor);
    if (acc.id != fraud) {
      balances += acc.balance_minor;
    }
  }
  EXPECT_EQ(balances, run.opening_balances().minor() + run.journal().top_ups_minor() -
                          run.kpis().fares_settled.minor());
  EXPECT_EQ(-ledger.balance(fraud).minor(), run.kpis().cloud.fraud_loss.minor());
}

TEST(Attackers, ARunWithoutAttackersHasNoAttackRows) {
  const LoadedScenario loaded =
      load_scenario_text("", HCESIM_SOURCE_DIR "/scenarios/small.txtpb", false, {});
  ASSERT_TRUE(loaded.ok());
  EXPECT_FALSE(loaded.config.attackers.any());
  const RunKpis empty(Time::epoch());
  for (const KpiRow& row : kpi_rows(empty, Currency::from_code("CNY").value())) {
    EXPECT_EQ(row.segment.rfind("attacker:", 0), std::string::npos);
    EXPECT_NE(row.kpi, "fraudulent_taps_accepted");
  }
}

TEST(Attackers, EveryAttackKpiIsInResultsDoc) {
  std::ifstream in(HCESIM_SOURCE_DIR "/docs/results.md");
  std::stringstream doc;
  doc << in.rdbuf();
  RunKpis k(Time::epoch());
  k.attack = AttackKpis{};
  int attack_rows = 0;
  for (const KpiRow& row : kpi_rows(k, Currency::from_code("CNY").value())) {
    if (row.segment.rfind("attacker:", 0) == 0) {
      ++attack_rows;
      EXPECT_NE(doc.str().find("`" + row.kpi + "`"), std::string::npos) << row.kpi;
    }
  }
  EXPECT_EQ(attack_rows, kAttackerKinds * 17);
}

} // namespace
} // namespace hcesim::models
