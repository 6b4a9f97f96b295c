// The cloud services on the token code's real records: issuer reading the Ledger, validators
// storing taps, settle_batch re-verifying them, denylist updates the validators accept, and a
// restart that keeps the settlement checks' memory.
#include "hce/cloud/account_services.h"

#include "../token/token_world.h"
#include "cloud_test_support.h"

#include <gtest/gtest.h>

namespace hcesim::cloud {
namespace {

using hce::testing::TokenWorld;
using testing::fen;

struct TokenPathTest : ::testing::Test {
  TokenWorld w;
  testing::TestPricer pricer;
  testing::FakeBank bank{1, 0, 0, 0};
  InMemoryJournal journal;
  AccountServicesConfig config{testing::cny(), SettlementPolicy{}, TopUpPolicy{}};
  hce::SettlementChecker checks{w.keys, hce::testing::line_distance};
  std::unique_ptr<AccountServices> services =
      std::make_unique<AccountServices>(journal, pricer, bank, config, nullptr, &checks);
  hce::Issuer issuer{w.keys, w.device_master, services->ledger()};
  const AccountId rider{21};
  const DeviceId phone{31};
  std::unique_ptr<hce::Wallet> wallet;
  Time now = hce::testing::kT0;

  TokenPathTest() {
    EXPECT_TRUE(services->open_account(rider, fen(300), fen(1000), now).ok());
    EXPECT_TRUE(services->enrol_device(rider, phone).ok());
    const hce::Enrolment e = issuer.enrol(rider, phone);
    wallet = std::make_unique<hce::Wallet>(e.account, e.device, e.device_key, hce::RefillPolicy{});
    w.policy.offline_limit = 10;
    const hce::IssueOutcome out = issuer.issue(rider, phone, now, w.policy, w.random);
    EXPECT_TRUE(out.granted()) << hce::to_string(out.refusal);
    EXPECT_TRUE(wallet->accept_grant(out.grant).ok());
  }
  int64_t balance() const { return services->ledger().balance(rider).minor(); }
};

TEST_F(TokenPathTest, UploadedTapsAreCheckedChargedOnceAndReuploadsAreDuplicates) {
  auto bus = w.validator(5, 3);
  ASSERT_TRUE(w.tap(*bus, *wallet, now + Duration::minutes(1)).accepted());
  ASSERT_TRUE(w.tap(*bus, *wallet, now + Duration::hours(2)).accepted());
  const hce::TapBatch batch = bus->make_batch(100);
  const auto first = services->settle_batch(batch, now + Duration::hours(3));
  EXPECT_EQ(first.accepted, 2u);
  EXPECT_EQ(balance(), 1000 - 2 * testing::TestPricer::kFlat);
  const auto again = services->settle_batch(batch, now + Duration::hours(4));
  EXPECT_EQ(again.duplicates, 2u);
  EXPECT_EQ(balance(), 1000 - 2 * testing::TestPricer::kFlat);
}

TEST_F(TokenPathTest, ARecordForgedByACompromisedValidatorIsChargedToNobody) {
  auto bus = w.validator(5, 3);
  ASSERT_TRUE(w.tap(*bus, *wallet, now + Duration::minutes(1)).accepted());
  hce::TapBatch batch = bus->make_batch(100);
  batch.records[0].sequence = 99; // a record the gate invents from a real one
  batch.records[0].challenge.time += Duration::minutes(5);
  const auto receipt = services->settle_batch(batch, now + Duration::hours(1));
  EXPECT_EQ(receipt.not_genuine, 1u);
  EXPECT_EQ(balance(), 1000);
}

TEST_F(TokenPathTest, ACloneAtAnotherValidatorGoesToFraudLossAndTheUpdateReachesValidators) {
  auto bus = w.validator(5, 3);
  auto other = w.validator(6, 4);
  ASSERT_TRUE(w.tap(*bus, *wallet, now + Duration::minutes(1)).accepted()); // counter 1
  // A key holder answers another gate with the same counter, an hour later.
  const hce::GrantedToken stolen = wallet->tokens().front().token;
  const hce::TapChallenge c =
      other->challenge(now + Duration::hours(1), hce::TapKind::kFlat, w.random);
  const std::string bytes = hce::encode(hce::testing::forge_answer(stolen, c, 1));
  ASSERT_TRUE(other->verify(hce::as_bytes(bytes), now + Duration::hours(1)).accepted());
  services->settle_batch(bus->make_batch(100), now + Duration::hours(2));
  const auto receipt = services->settle_batch(other->make_batch(100), now + Duration::hours(2));
  EXPECT_EQ(receipt.flagged, 1u);
  EXPECT_EQ(balance(), 1000 - testing::TestPricer::kFlat);
  EXPECT_EQ(services->figures(now + Duration::hours(2)).fraud_loss,
            fen(testing::TestPricer::kFlat));
  EXPECT_TRUE(services->ledger().is_denylisted(rider));
  // The issuer reads the ledger: no more tokens for this account.
  EXPECT_EQ(issuer.issue(rider, phone, now + Duration::hours(3), w.policy, w.random).refusal,
            hce::IssueRefusal::kAccountDenylisted);
  // Validators take the authenticated update; a tampered one is refused.
  hce::AesCmac key(w.denylist_key);
  hce::DenylistUpdate update = services->denylist().update_for(0, key);
  EXPECT_EQ(update.version, 1u);
  hce::DenylistUpdate forged = update;
  forged.add_accounts.push_back(AccountId(999));
  EXPECT_EQ(bus->apply_denylist(forged), hce::DenylistApply::kForged);
  EXPECT_EQ(bus->apply_denylist(update), hce::DenylistApply::kApplied);
  EXPECT_EQ(w.tap(*bus, *wallet, now + Duration::hours(4)).refusal,
            hce::TapRefusal::kTokenDenylisted); // the token is listed with its account
}

TEST_F(TokenPathTest, AfterARestartTheChecksStillKnowWhichCountersWereUsed) {
  auto bus = w.validator(5, 3);
  auto other = w.validator(6, 4);
  ASSERT_TRUE(w.tap(*bus, *wallet, now + Duration::minutes(1)).accepted());
  services->settle_batch(bus->make_batch(100), now + Duration::hours(1));
  const AccountServicesSnapshot snapshot = services->snapshot();
  ASSERT_TRUE(w.tap(*bus, *wallet, now + Duration::minutes(30)).accepted()); // counter 2
  services->settle_batch(bus->make_batch(100), now + Duration::hours(1));
  // Restart: new checks and services from the snapshot and the journal's tail.
  services.reset();
  hce::SettlementChecker fresh{w.keys, hce::testing::line_distance};
  services = std::make_unique<AccountServices>(journal, pricer, bank, config, &snapshot, &fresh);
  EXPECT_EQ(balance(), 1000 - 2 * testing::TestPricer::kFlat + 100); // second tap a transfer
  const hce::GrantedToken stolen = wallet->tokens().front().token;
  const hce::TapChallenge c =
      other->challenge(now + Duration::hours(2), hce::TapKind::kFlat, w.random);
  const std::string bytes = hce::encode(hce::testing::forge_answer(stolen, c, 2));
  ASSERT_TRUE(other->verify(hce::as_bytes(bytes), now + Duration::hours(2)).accepted());
  const auto receipt = services->settle_batch(other->make_batch(100), now + Duration::hours(3));
  EXPECT_EQ(receipt.flagged, 1u); // counter 2 was used in the tail the restart replayed
  EXPECT_TRUE(services->denylist().listed(rider));
}

} // namespace
} // namespace hcesim::cloud
