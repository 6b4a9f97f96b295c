#include "live/sqlite_journal.h"

#include "hce/cloud/account_services.h"
#include "live/journal_codec.h"

#include "../hce/cloud/cloud_test_support.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

namespace hcesim::live {
namespace {

using namespace cloud;
using cloud::testing::fen;

std::string temp_db(const char* name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("hcesim_live_" + std::to_string(::getpid()) + "_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return (dir / "journal.db").string();
}

std::vector<JournalRecord> one_of_each() {
  const Time t = Time::from_us(123456789);
  LedgerEntry e{7,
                AccountId(3),
                fen(-250),
                EntryReason::kFare,
                IdempotencyKey::make(KeyScope::kJourney, 1, 2),
                t};
  SettlementTap tap{.record = {ValidatorId(5), 9},
                    .account = AccountId(3),
                    .token = TokenId{11, 12},
                    .tapped_at = t,
                    .counter = 2,
                    .flags = 6,
                    .stop = StopId(44),
                    .kind = hce::TapKind::kExit,
                    .clone_flagged = true};
  hce::TapBatch batch;
  batch.validator = ValidatorId(5);
  batch.batch = 4;
  return {
      AccountOpened{AccountId(3), cloud::testing::cny(), fen(300), true},
      DeviceEnrolled{AccountId(3), DeviceId(99)},
      EntryPosted{e},
      JourneyCharged{e, AccountId(3), JourneyKey{{ValidatorId(5), 9}, true}, 20, 2, 3,
                     Duration::minutes(5)},
      TapReceived{tap, t},
      DeadlinesPassed{t},
      BatchReceived{batch, t},
      CardBound{AccountId(3), BankCardRef{77}},
      TopUpRuleSet{AccountId(3), true, fen(100), fen(5000)},
      TopUpRequested{TopUpId{AccountId(3), 2}, fen(5000), TopUpKind::kManual, BankCardRef{77}, t,
                     555},
      TopUpAnswered{TopUpId{AccountId(3), 2}, 1,
                    BankAnswer{BankOutcome::kDeclined, DeclineReason::kCardBlocked}, t, e},
      DenylistChanged{4, AccountId(3), kDenyDebt | kDenyClone, {TokenId{1, 2}, TokenId{3, 4}}, t},
      CommitPoint{}};
}

TEST(JournalCodec, EveryRecordKindRoundTripsToTheSameBytes) {
  for (const JournalRecord& r : one_of_each()) {
    const std::string bytes = encode_record(r);
    auto back = decode_record(bytes);
    ASSERT_TRUE(back.ok()) << back.error().what;
    EXPECT_EQ(back->index(), r.index());
    EXPECT_EQ(encode_record(*back), bytes);
  }
  const auto d = std::get<DenylistChanged>(*decode_record(encode_record(one_of_each()[11])));
  EXPECT_EQ(d.tokens.size(), 2u);
  EXPECT_EQ(d.tokens[1].lo, 4u);
}

TEST(JournalCodec, NamesTheFieldOfATruncatedRecordAndRefusesUnknownTagsAndTrailingBytes) {
  const std::string bytes = encode_record(one_of_each()[2]);
  auto cut = decode_record(std::string_view(bytes).substr(0, 20));
  ASSERT_FALSE(cut.ok());
  EXPECT_NE(cut.error().what.find("entry.amount: record truncated"), std::string::npos)
      << cut.error().what;
  EXPECT_FALSE(decode_record(std::string(1, '\x40')).ok());
  EXPECT_FALSE(decode_record(bytes + "x").ok());
}

//! The record's bytes with the one field encoded as `from` (a unique big-endian u64) set to `to`;
//! empty when `from` is not there exactly once.
std::string with_field(const std::string& bytes, uint64_t from, uint64_t to) {
  auto be = [](uint64_t v) {
    std::string out(8, '\0');
    for (int k = 7; k >= 0; --k, v >>= 8) {
      out[static_cast<size_t>(k)] = static_cast<char>(v & 0xff);
    }
    return out;
  };
  const size_t at = bytes.find(be(from));
  if (at == std::string::npos || bytes.find(be(from), at + 1) != std::string::npos) {
    return {};
  }
  return std::string(bytes).replace(at, 8, be(to));
}

// The decoder's error for `record`'s bytes with the field holding `from` rewritten to `to` ("" if
// the record decodes as it is not, or the rewritten bytes decode).
std::string refusal_with_field(const JournalRecord& record, uint64_t from, uint64_t to) {
  const std::string bytes = encode_record(record);
  if (!decode_record(bytes).ok()) {
    return "";
  }
  const std::string bad = with_field(bytes, from, to);
  const auto back = bad.empty() ? decode_record(bytes) : decode_record(bad);
  return back.ok() ? "" : back.error().what;
}

TEST(JournalCodec, RefusesATapCounterAboveSixteenBits) {
  auto received = std::get<TapReceived>(one_of_each()[4]);
  received.tap.counter = 0x1234;
  const std::string what = refusal_with_field(received, 0x1234, 70'000);
  EXPECT_NE(what.find("tap.counter: above 65535"), std::string::npos) << what;
}

TEST(JournalCodec, RefusesAJourneysServiceDayOutsideThirtyTwoBits) {
  auto charged = std::get<JourneyCharged>(one_of_each()[3]);
  charged.day = 0x5A5A5;
  const std::string what = refusal_with_field(charged, 0x5A5A5, uint64_t{1} << 40);
  EXPECT_NE(what.find("day: outside the 32-bit range"), std::string::npos) << what;
}

TEST(SqliteJournal, RecordsUpToACommitPointSurviveReopeningAndAnUncommittedTailDoesNot) {
  const std::string path = temp_db("reopen");
  {
    auto j = SqliteJournal::open(path);
    ASSERT_TRUE(j.ok()) << j.error().what;
    for (const JournalRecord& r : one_of_each()) {
      (*j)->append(r); // ends with a commit point
    }
    (*j)->append(DeviceEnrolled{AccountId(8), DeviceId(9)}); // never committed
    EXPECT_EQ((*j)->last_sequence(), 14u);
  } // closed like a crash before the next commit point
  auto j = SqliteJournal::open(path);
  ASSERT_TRUE(j.ok()) << j.error().what;
  EXPECT_EQ((*j)->last_sequence(), 13u);
  std::vector<std::string> seen;
  (*j)->replay(10, [&](const JournalRecord& r) { seen.push_back(encode_record(r)); });
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], encode_record(one_of_each()[10]));
  (*j)->discard_after(12);
  EXPECT_EQ((*j)->last_sequence(), 12u);
  EXPECT_EQ((*j)->append(CommitPoint{}), 13u);
}

TEST(SqliteJournal, GroupedModeCommitsOnlyOnFlush) {
  const std::string path = temp_db("grouped");
  {
    auto j = SqliteJournal::open(path);
    ASSERT_TRUE(j.ok());
    (*j)->set_grouped(true);
    (*j)->append(DeviceEnrolled{AccountId(1), DeviceId(2)});
    (*j)->append(CommitPoint{});
    (*j)->append(DeviceEnrolled{AccountId(1), DeviceId(3)});
    (*j)->append(CommitPoint{});
    EXPECT_EQ((*j)->commits(), 0u);
    (*j)->flush();
    EXPECT_EQ((*j)->commits(), 1u);
    (*j)->append(DeviceEnrolled{AccountId(1), DeviceId(4)});
    (*j)->append(CommitPoint{});
  }
  auto j = SqliteJournal::open(path);
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)->last_sequence(), 4u);
}

TEST(SqliteJournal, PipelinedModeStoresASealedGroupOnlyWhenWrittenAndKeepsSequencesRunning) {
  const std::string path = temp_db("pipelined");
  {
    auto j = SqliteJournal::open(path);
    ASSERT_TRUE(j.ok());
    (*j)->set_pipelined(true);
    EXPECT_EQ((*j)->append(DeviceEnrolled{AccountId(1), DeviceId(2)}), 1u);
    EXPECT_EQ((*j)->append(CommitPoint{}), 2u);
    const SqliteJournal::Group first = (*j)->seal();
    EXPECT_EQ((*j)->append(DeviceEnrolled{AccountId(1), DeviceId(3)}), 3u);
    EXPECT_EQ((*j)->append(CommitPoint{}), 4u);
    const SqliteJournal::Group second = (*j)->seal();
    EXPECT_EQ(first.first, 1u);
    EXPECT_EQ(second.first, 3u);
    EXPECT_EQ(second.records.size(), 2u);
    EXPECT_EQ((*j)->commits(), 0u);
    (*j)->write(first);
    EXPECT_EQ((*j)->commits(), 1u);
    // `second` is never written: a crash before its commit.
  }
  auto j = SqliteJournal::open(path);
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)->last_sequence(), 2u);
  std::vector<std::string> seen;
  (*j)->replay(0, [&](const JournalRecord& r) { seen.push_back(encode_record(r)); });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], encode_record(DeviceEnrolled{AccountId(1), DeviceId(2)}));
}

TEST(SqliteJournal, RefusesAFileThatIsNotAJournalDatabase) {
  const std::string path = temp_db("garbage");
  FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  std::fputs("this is not sqlite at all, just some bytes that go on for a while......", f);
  std::fclose(f);
  auto j = SqliteJournal::open(path);
  ASSERT_FALSE(j.ok());
  EXPECT_NE(j.error().what.find("not a journal database"), std::string::npos) << j.error().what;
}

TEST(SqliteJournal, AccountServicesRestartedOverTheDatabaseHaveTheSameLedger) {
  const std::string path = temp_db("services");
  cloud::testing::TestPricer pricer;
  cloud::testing::FakeBank bank(1, 0, 0, 0);
  const AccountServicesConfig config{cloud::testing::cny(), SettlementPolicy{}, TopUpPolicy{}};
  const Time t = Time::from_us(0) + Duration::days(1) + Duration::hours(8);
  int64_t balance = 0;
  {
    auto j = SqliteJournal::open(path);
    ASSERT_TRUE(j.ok());
    AccountServices s(**j, pricer, bank, config);
    ASSERT_TRUE(s.open_account(AccountId(5), fen(300), fen(1000), t).ok());
    ASSERT_TRUE(s.bind_card(AccountId(5), BankCardRef{1}).ok());
    ASSERT_TRUE(s.top_up(AccountId(5), fen(2000), t, 42).ok());
    const SettlementTap tap{.record = {ValidatorId(3), 1},
                            .account = AccountId(5),
                            .token = TokenId{1, 1},
                            .tapped_at = t + Duration::minutes(1),
                            .counter = 1,
                            .flags = 0,
                            .stop = StopId(1),
                            .kind = hce::TapKind::kFlat,
                            .clone_flagged = false};
    s.settle(std::span(&tap, 1), t + Duration::minutes(2));
    balance = s.ledger().balance(AccountId(5)).minor();
    EXPECT_EQ(balance, 1000 + 2000 - cloud::testing::TestPricer::kFlat);
  }
  auto j = SqliteJournal::open(path);
  ASSERT_TRUE(j.ok());
  AccountServices s(**j, pricer, bank, config);
  EXPECT_EQ(s.ledger().balance(AccountId(5)).minor(), balance);
  // The retried top-up (same client reference) is applied once.
  ASSERT_TRUE(s.top_up(AccountId(5), fen(2000), t + Duration::minutes(3), 42).ok());
  EXPECT_EQ(s.ledger().balance(AccountId(5)).minor(), balance);
}

} // namespace
} // namespace hcesim::live
