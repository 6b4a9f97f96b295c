// The end-of-run invariants: they hold on normal runs, and each one catches a deliberate breach
// injected into the witness after a real run (the records the cloud's journal would carry).
#include "models/run/city_run.h"
#include "small_run.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <variant>

namespace hcesim::models {
namespace {

using run_test::small_run;

// One small run (each test its own: the witness keeps what a test injects).
struct SmallRun {
  ScenarioConfig cfg;
  Result<World> world;
  std::unique_ptr<CityRun> run;
  std::optional<cloud::TapReceived> first_settled;
  std::optional<cloud::TopUpAnswered> first_credit;

  explicit SmallRun(std::vector<std::string> more = {})
      : cfg(small_run("", std::move(more))), world(build_world(cfg)) {
    run = std::make_unique<CityRun>(cfg, *world);
    run->observe_journal([this](const cloud::JournalRecord& r) {
      if (const auto* t = std::get_if<cloud::TapReceived>(&r); t != nullptr && !first_settled) {
        first_settled = *t;
      }
      if (const auto* a = std::get_if<cloud::TopUpAnswered>(&r);
          a != nullptr && a->credit && !first_credit) {
        first_credit = *a;
      }
    });
    run->run();
  }
};

TEST(Invariants, HoldOnANormalRunAndEveryAcceptedTapIsSettledOrHeld) {
  SmallRun s;
  EXPECT_FALSE(s.run->invariant_violation()) << s.run->invariant_violation()->to_string();
  const RecordTally& t = s.run->invariants().records();
  EXPECT_EQ(t.accepted, s.run->taps_accepted_total());
  EXPECT_GT(t.accepted, 0U);
  EXPECT_EQ(t.settled + t.held, t.accepted);
  EXPECT_EQ(t.settled, s.run->records_received_total());
}

TEST(Invariants, ARecordStillInItsValidatorAtTheEndIsHeldNotLost) {
  // No drain and hourly bus uploads: records are left in the validators.
  SmallRun s({"drain=0s", "validators.bus_upload_interval=6h"});
  EXPECT_FALSE(s.run->invariant_violation()) << s.run->invariant_violation()->to_string();
  const RecordTally& t = s.run->invariants().records();
  EXPECT_GT(t.held, 0U);
  EXPECT_EQ(t.settled + t.held, t.accepted);
}

TEST(Invariants, ATopUpCreditedTwiceBreaksTopUpAppliedOnce) {
  SmallRun s({"top_up.threshold=100.00", "population.initial_balance=5.00"});
  ASSERT_FALSE(s.run->invariant_violation());
  ASSERT_TRUE(s.first_credit) << "the run made no top-up";
  s.run->invariants().journal(*s.first_credit); // the same approval credited again
  const auto v = s.run->check_invariants();
  ASSERT_TRUE(v);
  EXPECT_EQ(v->invariant, "top_up_applied_once");
  EXPECT_EQ(v->entity, "account " + s.first_credit->credit->account.to_string());
}

TEST(Invariants, AnEntryTheLedgerNeverPostedBreaksMoneyConserved) {
  SmallRun s;
  ASSERT_FALSE(s.run->invariant_violation());
  cloud::LedgerEntry e;
  e.account = AccountId(3);
  e.amount = Money(-200, s.cfg.city.currency);
  e.reason = cloud::EntryReason::kFare;
  s.run->invariants().journal(cloud::EntryPosted{e});
  const auto v = s.run->check_invariants();
  ASSERT_TRUE(v);
  EXPECT_EQ(v->invariant, "money_conserved");
  EXPECT_EQ(v->entity, "account 3");
}

TEST(Invariants, ARidersFareOnTheFraudLossAccountBreaksMoneyConserved) {
  SmallRun s;
  cloud::JourneyCharged c;
  c.entry.account = cloud::SettlementPolicy{}.fraud_loss_account;
  c.entry.amount = Money(-200, s.cfg.city.currency);
  c.entry.reason = cloud::EntryReason::kFare;
  c.rider = AccountId(3);
  s.run->invariants().journal(c);
  const auto v = s.run->check_invariants();
  ASSERT_TRUE(v);
  EXPECT_EQ(v->invariant, "money_conserved");
  EXPECT_NE(v->detail.find("only fraud losses"), std::string::npos) << v->detail;
}

TEST(Invariants, ARecordSettledTwiceBreaksTapSettledOnce) {
  SmallRun s;
  ASSERT_TRUE(s.first_settled);
  s.run->invariants().journal(*s.first_settled);
  const auto v = s.run->check_invariants();
  ASSERT_TRUE(v);
  EXPECT_EQ(v->invariant, "tap_settled_once");
  EXPECT_NE(v->detail.find("settled 2 times"), std::string::npos) << v->detail;
}

TEST(Invariants, ARecordNoValidatorStoredMustNotSettle) {
  SmallRun s;
  ASSERT_TRUE(s.first_settled);
  cloud::TapReceived made_up = *s.first_settled;
  made_up.tap.record.sequence += 1'000'000;
  s.run->invariants().journal(made_up);
  const auto v = s.run->check_invariants();
  ASSERT_TRUE(v);
  EXPECT_EQ(v->invariant, "tap_settled_once");
  EXPECT_EQ(v->detail, "settled, but no validator stored it");
}

TEST(Invariants, AForgedRecordThatSettlesIsCaught) {
  SmallRun s;
  const uint32_t v0 = 0;
  s.run->invariants().record_forged(v0, 5'000'000);
  cloud::TapReceived forged;
  forged.tap.record = cloud::TapRecordId{ValidatorId(v0 + 1), 5'000'000};
  s.run->invariants().journal(forged);
  const auto v = s.run->check_invariants();
  ASSERT_TRUE(v);
  EXPECT_EQ(v->invariant, "tap_settled_once");
  EXPECT_EQ(v->detail, "a forged record settled");
}

TEST(Invariants, AnAcceptedRecordNeitherSettledNorHeldIsLost) {
  SmallRun s;
  s.run->invariants().tap_accepted(0, 7'000'000); // the validator never kept it
  const auto v = s.run->check_invariants();
  ASSERT_TRUE(v);
  EXPECT_EQ(v->invariant, "tap_settled_once");
  EXPECT_EQ(v->entity, "record 1/7000000");
}

TEST(Invariants, AnHonestRiderDenylistedAsACloneBreaksTheDenylistInvariant) {
  SmallRun s;
  s.run->invariants().journal(
      cloud::DenylistChanged{1000, AccountId(4), cloud::kDenyClone, {}, Time::epoch()});
  const auto v = s.run->check_invariants();
  ASSERT_TRUE(v);
  EXPECT_EQ(v->invariant, "honest_rider_not_denylisted");
  EXPECT_EQ(v->entity, "account 4");
}

TEST(Invariants, AnAttackersAccountMayBeDenylistedAsAClone) {
  SmallRun s;
  s.run->invariants().set_not_honest(AccountId(4));
  s.run->invariants().journal(
      cloud::DenylistChanged{1000, AccountId(4), cloud::kDenyClone, {}, Time::epoch()});
  EXPECT_FALSE(s.run->check_invariants());
}

TEST(Invariants, DenylistedForDebtWithAPositiveBalanceBreaksTheDenylistInvariant) {
  SmallRun s({"population.initial_balance=50.00"});
  ASSERT_FALSE(s.run->invariant_violation());
  // Rider 0 may have no HCE: find an account that is open and in credit.
  AccountId rich;
  for (uint64_t a = 1; a <= s.cfg.population.riders; ++a) {
    if (s.run->services().ledger().has_account(AccountId(a)) &&
        s.run->services().ledger().balance(AccountId(a)).minor() > 0) {
      rich = AccountId(a);
      break;
    }
  }
  ASSERT_NE(rich.value(), 0U);
  s.run->invariants().journal(
      cloud::DenylistChanged{1000, rich, cloud::kDenyDebt, {}, Time::epoch()});
  const auto v = s.run->check_invariants();
  ASSERT_TRUE(v);
  EXPECT_EQ(v->invariant, "honest_rider_not_denylisted");
  EXPECT_EQ(v->entity, "account " + rich.to_string());
}

} // namespace
} // namespace hcesim::models
