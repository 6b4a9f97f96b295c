// The service core end to end without a network: every request kind through authentication,
// the hce services and the SQLite journal, and a restart from the same folder.
#include "live/cloud_core.h"

#include "hce/token/validator.h"
#include "hce/token/wallet.h"
#include "hce/token/wire.h"
#include "live/request_signer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <numeric>
#include <thread>
#include <unistd.h>

namespace hcesim::live {
namespace {

const Time kT0 = Time::from_us(1'800'000'000'000'000);

std::string temp_dir(const char* name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("hcesim_core_" + std::to_string(::getpid()) + "_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

hce::Key128 key_of(const std::string& bytes) {
  auto k = key_from_bytes(bytes, "reply");
  EXPECT_TRUE(k.ok()) << k.error().to_string();
  return k.ok() ? *k : hce::Key128{};
}

struct CloudCoreTest : ::testing::Test {
  std::string dir = temp_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  CloudKeys keys = load_or_create_keys(dir).value();
  hce::SeededRandomSource random{5};
  std::unique_ptr<CloudCore> core = open_core();
  RequestSigner op{proto::PRINCIPAL_OPERATOR, 0,
                   principal_key(keys.auth_master, proto::PRINCIPAL_OPERATOR, 0)};
  RequestSigner phone{proto::PRINCIPAL_DEVICE, 31,
                      principal_key(keys.auth_master, proto::PRINCIPAL_DEVICE, 31)};
  RequestSigner gate{proto::PRINCIPAL_VALIDATOR, 5,
                     principal_key(keys.auth_master, proto::PRINCIPAL_VALIDATOR, 5)};
  Time now = kT0;

  std::unique_ptr<CloudCore> open_core() {
    CoreConfig config;
    config.issue.offline_limit = 10;
    config.tariff.metro_fare_rules = HCESIM_SOURCE_DIR "/scenarios/fares/nanchang.txtpb";
    config.tariff.transfer_discount = Money(0, config.currency);
    config.bank.mean_latency = Duration::millis(1);
    config.bank.decline_probability = 0;
    config.bank.timeout_probability = 0;
    auto c = CloudCore::open(dir, keys, config, random);
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().what);
    return std::move(c).value();
  }
  proto::Reply send(RequestSigner& s, proto::RequestKind kind, const std::string& body) {
    now += Duration::seconds(1);
    proto::Reply r = core->handle(s.envelope(kind, body, now), now);
    core->flush();
    return r;
  }
  proto::AccountView open_rider() {
    proto::AccountOpening o;
    o.set_account(21);
    o.set_device(31);
    o.set_debt_limit_minor(300);
    o.set_opening_balance_minor(1000);
    o.set_card(7);
    const proto::Reply r = send(op, proto::REQUEST_OPEN, o.SerializeAsString());
    EXPECT_EQ(r.status(), proto::REPLY_OK) << r.reason();
    proto::AccountView v;
    EXPECT_TRUE(v.ParseFromString(r.body()));
    return v;
  }
  int64_t balance() { return core->services().ledger().balance(AccountId(21)).minor(); }
};

TEST_F(CloudCoreTest, GrantsTokensThatTapAndAnUploadIsChargedOnceEvenAfterARestart) {
  const proto::AccountView opened = open_rider();
  hce::Wallet wallet(AccountId(21), DeviceId(31), key_of(opened.device_key()), hce::RefillPolicy{});

  const proto::Reply grant = send(phone, proto::REQUEST_TOKENS,
                                  hce::encode(hce::TokenRequest{AccountId(21), DeviceId(31), now}));
  ASSERT_EQ(grant.status(), proto::REPLY_OK) << grant.reason();
  auto g = hce::decode_token_grant(hce::as_bytes(grant.body()));
  ASSERT_TRUE(g.ok());
  ASSERT_TRUE(wallet.accept_grant(*g).ok());

  hce::Validator bus(hce::ValidatorConfig{ValidatorId(5), StopId(1)}, keys.denylist);
  ASSERT_TRUE(bus.install_key(1, keys.validator_master).ok());
  hce::SeededRandomSource r2(9);
  const hce::TapChallenge c = bus.challenge(now, hce::TapKind::kFlat, r2);
  auto answer = wallet.answer(c, now);
  ASSERT_TRUE(answer.has_value());
  ASSERT_TRUE(bus.verify(*answer, now).accepted());
  const std::string batch = hce::encode(bus.make_batch(100));

  const proto::Reply ack = send(gate, proto::REQUEST_UPLOAD, batch);
  ASSERT_EQ(ack.status(), proto::REPLY_OK) << ack.reason();
  auto a = hce::decode_batch_ack(hce::as_bytes(ack.body()));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->sequences, std::vector<uint64_t>{1});
  EXPECT_EQ(balance(), 1000 - 200);

  core.reset();
  core = open_core();
  EXPECT_EQ(balance(), 1000 - 200);
  // The validator never saw the ack and uploads again: a duplicate, not a second charge.
  EXPECT_EQ(send(gate, proto::REQUEST_UPLOAD, batch).status(), proto::REPLY_OK);
  EXPECT_EQ(balance(), 1000 - 200);
}

TEST_F(CloudCoreTest, ThePhoneAndValidatorTheOperatorSetsUpWorkWithNoMasterKey) {
  // Everything below comes from the operator's replies (opening, provisioning): no keys.bin.
  const proto::AccountView opened = open_rider();
  RequestSigner own_phone{proto::PRINCIPAL_DEVICE, 31, key_of(opened.auth_key())};
  hce::Wallet wallet(AccountId(21), DeviceId(31), key_of(opened.device_key()), hce::RefillPolicy{});
  proto::ValidatorProvisioning p;
  p.set_validator(44);
  const proto::Reply provisioned = send(op, proto::REQUEST_PROVISION, p.SerializeAsString());
  ASSERT_EQ(provisioned.status(), proto::REPLY_OK) << provisioned.reason();
  proto::ValidatorCredentials creds;
  ASSERT_TRUE(creds.ParseFromString(provisioned.body()));
  RequestSigner own_gate{proto::PRINCIPAL_VALIDATOR, 44, key_of(creds.auth_key())};
  hce::Validator bus(hce::ValidatorConfig{ValidatorId(44), StopId(1)},
                     key_of(creds.denylist_key()));
  ASSERT_TRUE(bus.install_key(creds.key_version(), key_of(creds.validator_key())).ok());

  const proto::Reply grant = send(own_phone, proto::REQUEST_TOKENS,
                                  hce::encode(hce::TokenRequest{AccountId(21), DeviceId(31), now}));
  ASSERT_EQ(grant.status(), proto::REPLY_OK) << grant.reason();
  ASSERT_TRUE(wallet.accept_grant(*hce::decode_token_grant(hce::as_bytes(grant.body()))).ok());
  hce::SeededRandomSource r2(9);
  auto answer = wallet.answer(bus.challenge(now, hce::TapKind::kFlat, r2), now);
  ASSERT_TRUE(answer.has_value());
  ASSERT_TRUE(bus.verify(*answer, now).accepted());
  const proto::Reply ack = send(own_gate, proto::REQUEST_UPLOAD, hce::encode(bus.make_batch(10)));
  ASSERT_EQ(ack.status(), proto::REPLY_OK) << ack.reason();
  EXPECT_EQ(balance(), 1000 - 200);
  proto::DenylistFetch fetch;
  EXPECT_EQ(send(own_gate, proto::REQUEST_DENYLIST, fetch.SerializeAsString()).status(),
            proto::REPLY_OK);
  EXPECT_EQ(key_of(creds.denylist_key()), keys.denylist); // its updates verify at the gate

  // Only the operator provisions, and never validator 0; a phone's key signs for nobody else.
  EXPECT_EQ(send(phone, proto::REQUEST_PROVISION, p.SerializeAsString()).status(),
            proto::REPLY_FORBIDDEN);
  p.set_validator(0);
  EXPECT_EQ(send(op, proto::REQUEST_PROVISION, p.SerializeAsString()).status(),
            proto::REPLY_BAD_REQUEST);
  RequestSigner impostor{proto::PRINCIPAL_DEVICE, 32, key_of(opened.auth_key())};
  EXPECT_EQ(send(impostor, proto::REQUEST_BALANCE, "").status(), proto::REPLY_UNAUTHENTICATED);
}

TEST_F(CloudCoreTest, ALostPhoneReportedToTheOperatorGetsNoMoreTokensEvenAfterARestart) {
  open_rider();
  const std::string request = hce::encode(hce::TokenRequest{AccountId(21), DeviceId(31), now});
  ASSERT_EQ(send(phone, proto::REQUEST_TOKENS, request).status(), proto::REPLY_OK);
  proto::LostReport lost;
  lost.set_account(21);
  // The phone cannot report itself (it is the finder's now); the operator can, twice.
  EXPECT_EQ(send(phone, proto::REQUEST_REPORT_LOST, lost.SerializeAsString()).status(),
            proto::REPLY_FORBIDDEN);
  for (int i = 0; i < 2; ++i) {
    const proto::Reply r = send(op, proto::REQUEST_REPORT_LOST, lost.SerializeAsString());
    ASSERT_EQ(r.status(), proto::REPLY_OK) << r.reason();
    proto::AccountView v;
    ASSERT_TRUE(v.ParseFromString(r.body()));
    EXPECT_TRUE(v.denylisted());
  }
  auto token_request = [&] {
    return send(phone, proto::REQUEST_TOKENS,
                hce::encode(hce::TokenRequest{AccountId(21), DeviceId(31), now}));
  };
  EXPECT_EQ(token_request().status(), proto::REPLY_REFUSED);
  core.reset();
  core = open_core();
  EXPECT_EQ(token_request().status(), proto::REPLY_REFUSED);
  EXPECT_EQ(core->services().denylist().reasons(AccountId(21)), cloud::kDenyLost);
  lost.set_account(999);
  EXPECT_EQ(send(op, proto::REQUEST_REPORT_LOST, lost.SerializeAsString()).status(),
            proto::REPLY_BAD_REQUEST);
}

TEST(OperatorKey, IsWrittenOnceOwnerOnlyAndIsTheOperatorsRequestKey) {
  const std::string dir = temp_dir("operator_key");
  const CloudKeys keys = load_or_create_keys(dir).value();
  ASSERT_TRUE(write_operator_key(dir, keys).ok());
  const auto perms = std::filesystem::status(dir + "/operator.key").permissions();
  EXPECT_EQ(perms & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_EQ(std::filesystem::status(dir + "/keys.bin").permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_EQ(load_operator_key(dir + "/operator.key").value(),
            principal_key(keys.auth_master, proto::PRINCIPAL_OPERATOR, 0));
  // Not rewritten when present; a short or missing file is a clear error.
  std::filesystem::resize_file(dir + "/operator.key", 5);
  ASSERT_TRUE(write_operator_key(dir, keys).ok());
  const auto short_key = load_operator_key(dir + "/operator.key");
  ASSERT_FALSE(short_key.ok());
  EXPECT_NE(short_key.error().what.find("must be 16 bytes, found 5"), std::string::npos);
  EXPECT_FALSE(load_operator_key(dir + "/none.key").ok());
}

TEST_F(CloudCoreTest, ARetriedTopUpIsCreditedOnceAndAnUpToDateValidatorGetsAnEmptyDenylistReply) {
  open_rider();
  proto::TopUpOrder order;
  order.set_account(21);
  order.set_amount_minor(5000);
  order.set_client_ref(77);
  EXPECT_EQ(send(phone, proto::REQUEST_TOP_UP, order.SerializeAsString()).status(),
            proto::REPLY_OK);
  EXPECT_EQ(send(phone, proto::REQUEST_TOP_UP, order.SerializeAsString()).status(),
            proto::REPLY_OK);
  EXPECT_EQ(balance(), 6000);
  proto::DenylistFetch fetch;
  const proto::Reply d = send(gate, proto::REQUEST_DENYLIST, fetch.SerializeAsString());
  ASSERT_EQ(d.status(), proto::REPLY_OK) << d.reason();
  EXPECT_TRUE(d.body().empty()); // nobody listed yet: version 0 is what the validator has
}

TEST_F(CloudCoreTest, AnAccountPastItsDebtLimitReachesValidatorsAsAnAuthenticatedUpdate) {
  proto::AccountOpening o;
  o.set_account(21);
  o.set_device(31);
  o.set_debt_limit_minor(100);
  o.set_opening_balance_minor(0);
  const proto::Reply opened = send(op, proto::REQUEST_OPEN, o.SerializeAsString());
  ASSERT_EQ(opened.status(), proto::REPLY_OK);
  proto::AccountView v;
  ASSERT_TRUE(v.ParseFromString(opened.body()));
  hce::Key128 device_key{};
  std::copy(v.device_key().begin(), v.device_key().end(), device_key.begin());
  hce::Wallet wallet(AccountId(21), DeviceId(31), device_key, hce::RefillPolicy{});
  const proto::Reply grant = send(phone, proto::REQUEST_TOKENS,
                                  hce::encode(hce::TokenRequest{AccountId(21), DeviceId(31), now}));
  ASSERT_EQ(grant.status(), proto::REPLY_OK) << grant.reason();
  ASSERT_TRUE(wallet.accept_grant(*hce::decode_token_grant(hce::as_bytes(grant.body()))).ok());
  hce::Validator bus(hce::ValidatorConfig{ValidatorId(5), StopId(1)}, keys.denylist);
  ASSERT_TRUE(bus.install_key(1, keys.validator_master).ok());
  hce::SeededRandomSource r2(9);
  auto answer = wallet.answer(bus.challenge(now, hce::TapKind::kFlat, r2), now);
  ASSERT_TRUE(answer.has_value());
  ASSERT_TRUE(bus.verify(*answer, now).accepted());
  ASSERT_EQ(send(gate, proto::REQUEST_UPLOAD, hce::encode(bus.make_batch(100))).status(),
            proto::REPLY_OK);
  EXPECT_EQ(balance(), -200); // past the 100 debt limit

  proto::DenylistFetch fetch;
  const proto::Reply d = send(gate, proto::REQUEST_DENYLIST, fetch.SerializeAsString());
  ASSERT_EQ(d.status(), proto::REPLY_OK) << d.reason();
  auto update = hce::decode_denylist_update(hce::as_bytes(d.body()));
  ASSERT_TRUE(update.ok()) << update.error().what;
  EXPECT_EQ(bus.apply_denylist(*update), hce::DenylistApply::kApplied);
  EXPECT_TRUE(bus.denylist().has_account(AccountId(21)));
  // The issuer reads the same ledger: no more tokens.
  const proto::Reply refused =
      send(phone, proto::REQUEST_TOKENS,
           hce::encode(hce::TokenRequest{AccountId(21), DeviceId(31), now}));
  EXPECT_EQ(refused.status(), proto::REPLY_REFUSED);
}

TEST_F(CloudCoreTest, AValidatorFarBehindCatchesUpInStepsNoLargerThanItsFetchAsks) {
  // Three lost reports: three denylist versions. A gate accepting one version a step asks with
  // max_step 1 and must be able to apply every reply until it is up to date.
  for (uint64_t account = 21; account <= 23; ++account) {
    proto::AccountOpening o;
    o.set_account(account);
    o.set_device(account + 10);
    o.set_debt_limit_minor(300);
    o.set_opening_balance_minor(1000);
    ASSERT_EQ(send(op, proto::REQUEST_OPEN, o.SerializeAsString()).status(), proto::REPLY_OK);
    proto::LostReport lost;
    lost.set_account(account);
    ASSERT_EQ(send(op, proto::REQUEST_REPORT_LOST, lost.SerializeAsString()).status(),
              proto::REPLY_OK);
  }
  const uint64_t latest = core->services().denylist().version();
  ASSERT_GE(latest, 3u);
  hce::ValidatorConfig config{ValidatorId(5), StopId(1)};
  config.denylist_max_version_jump = 1;
  hce::Validator bus(config, keys.denylist);
  std::vector<uint64_t> versions;
  for (int fetches = 0; fetches < 10; ++fetches) {
    proto::DenylistFetch fetch;
    fetch.set_have_version(bus.denylist().version());
    fetch.set_max_step(1);
    const proto::Reply d = send(gate, proto::REQUEST_DENYLIST, fetch.SerializeAsString());
    ASSERT_EQ(d.status(), proto::REPLY_OK) << d.reason();
    if (d.body().empty()) {
      break; // up to date
    }
    auto update = hce::decode_denylist_update(hce::as_bytes(d.body()));
    ASSERT_TRUE(update.ok()) << update.error().what;
    ASSERT_EQ(bus.apply_denylist(*update), hce::DenylistApply::kApplied)
        << "version " << update->version << " from " << bus.denylist().version();
    versions.push_back(bus.denylist().version());
  }
  std::vector<uint64_t> one_at_a_time(latest);
  std::iota(one_at_a_time.begin(), one_at_a_time.end(), 1);
  EXPECT_EQ(versions, one_at_a_time);
  for (uint64_t account = 21; account <= 23; ++account) {
    EXPECT_TRUE(bus.denylist().has_account(AccountId(account))) << account;
  }
  // With no max_step a reply is not held to single steps: a new gate gets the latest version at
  // once (the default bound, 10,000 versions, is far above these three).
  hce::Validator fresh(hce::ValidatorConfig{ValidatorId(6), StopId(1)}, keys.denylist);
  const proto::Reply whole =
      send(gate, proto::REQUEST_DENYLIST, proto::DenylistFetch{}.SerializeAsString());
  ASSERT_EQ(whole.status(), proto::REPLY_OK) << whole.reason();
  auto update = hce::decode_denylist_update(hce::as_bytes(whole.body()));
  ASSERT_TRUE(update.ok()) << update.error().what;
  ASSERT_EQ(fresh.apply_denylist(*update), hce::DenylistApply::kApplied);
  EXPECT_EQ(fresh.denylist().version(), latest);
}

TEST_F(CloudCoreTest, UnauthenticatedReplayedAndMisaddressedRequestsChangeNothing) {
  open_rider();
  proto::TopUpOrder order;
  order.set_account(21);
  order.set_amount_minor(5000);
  order.set_client_ref(1);
  // Signed with another device's key, but claiming to be device 31.
  RequestSigner forger{proto::PRINCIPAL_DEVICE, 31,
                       principal_key(keys.auth_master, proto::PRINCIPAL_DEVICE, 32)};
  proto::Reply r = send(forger, proto::REQUEST_TOP_UP, order.SerializeAsString());
  EXPECT_EQ(r.status(), proto::REPLY_UNAUTHENTICATED);
  EXPECT_NE(r.reason().find("MAC does not match"), std::string::npos);
  // A genuine envelope captured and sent again.
  now += Duration::seconds(1);
  const std::string captured =
      phone.envelope(proto::REQUEST_TOP_UP, order.SerializeAsString(), now);
  EXPECT_EQ(core->handle(captured, now).status(), proto::REPLY_OK);
  order.set_client_ref(2);
  EXPECT_EQ(core->handle(captured, now).status(), proto::REPLY_REPLAYED);
  // Device 32 is enrolled nowhere: it may not top up account 21.
  RequestSigner stranger{proto::PRINCIPAL_DEVICE, 32,
                         principal_key(keys.auth_master, proto::PRINCIPAL_DEVICE, 32)};
  EXPECT_EQ(send(stranger, proto::REQUEST_TOP_UP, order.SerializeAsString()).status(),
            proto::REPLY_FORBIDDEN);
  EXPECT_EQ(core->handle("\x08\xff garbage", now).status(), proto::REPLY_BAD_REQUEST);
  EXPECT_EQ(balance(), 6000); // the one genuine top-up only
  EXPECT_EQ(core->counts().ok, 2u);
}

TEST_F(CloudCoreTest, AMalformedTapBatchIsRefusedWithTheFieldNamed) {
  open_rider();
  const proto::Reply r = send(gate, proto::REQUEST_UPLOAD, "\x08\x05\x10");
  EXPECT_EQ(r.status(), proto::REPLY_BAD_REQUEST);
  EXPECT_NE(r.reason().find("TapBatch"), std::string::npos) << r.reason();
}

TEST_F(CloudCoreTest, RequestsPreparedOnSeveralThreadsAreAppliedInOrderAndAReplayIsCaught) {
  open_rider();
  // Two threads verify and decode with their own verifiers; the core applies in arrival order.
  std::vector<std::string> envelopes;
  for (int i = 0; i < 20; ++i) {
    now += Duration::millis(10);
    proto::BalanceQuery q;
    q.set_account(21);
    envelopes.push_back(
        i % 2 == 0
            ? phone.envelope(proto::REQUEST_TOKENS,
                             hce::encode(hce::TokenRequest{AccountId(21), DeviceId(31), now}), now)
            : phone.envelope(proto::REQUEST_BALANCE, q.SerializeAsString(), now));
  }
  envelopes.push_back(envelopes[4]); // a replay of an earlier request
  envelopes.push_back("not an envelope");
  std::vector<PreparedRequest> prepared(envelopes.size());
  auto work = [&](size_t from) {
    RequestVerifier verifier = core->make_verifier();
    for (size_t i = from; i < envelopes.size(); i += 2) {
      prepared[i] = CloudCore::prepare(envelopes[i], verifier, now);
    }
  };
  std::thread a(work, 0);
  std::thread b(work, 1);
  a.join();
  b.join();
  for (size_t i = 0; i < 20; ++i) {
    const proto::Reply r = core->apply(prepared[i], now);
    EXPECT_EQ(r.status(), proto::REPLY_OK) << i << ": " << r.reason();
  }
  EXPECT_EQ(core->apply(prepared[20], now).status(), proto::REPLY_REPLAYED);
  EXPECT_EQ(core->apply(prepared[21], now).status(), proto::REPLY_BAD_REQUEST);
  EXPECT_EQ(core->counts().ok, 21u); // the opening and the 20
  EXPECT_EQ(core->counts().rejected, 2u);
}

TEST_F(CloudCoreTest, AMetroJourneyIsPricedByTheScenariosDistanceBandsAndABusRideFlat) {
  const proto::AccountView opened = open_rider();
  hce::Key128 device_key{};
  std::copy(opened.device_key().begin(), opened.device_key().end(), device_key.begin());
  hce::Wallet wallet(AccountId(21), DeviceId(31), device_key, hce::RefillPolicy{});
  const proto::Reply grant = send(phone, proto::REQUEST_TOKENS,
                                  hce::encode(hce::TokenRequest{AccountId(21), DeviceId(31), now}));
  ASSERT_EQ(grant.status(), proto::REPLY_OK) << grant.reason();
  ASSERT_TRUE(wallet.accept_grant(*hce::decode_token_grant(hce::as_bytes(grant.body()))).ok());
  // Nanchang line 1: station 0 (双港) to station 7 (地铁大厦) is 9.8 km: the 6-12 km band, 3 CNY.
  const auto st0 = core->tariff().engine().find_stop("双港");
  const auto st7 = core->tariff().engine().find_stop("地铁大厦");
  ASSERT_TRUE(st0 && st7);
  hce::SeededRandomSource r2(9);
  auto tap_at = [&](uint32_t validator, uint32_t stop, hce::TapKind kind, Time t) {
    hce::Validator v(hce::ValidatorConfig{ValidatorId(validator), StopId(stop)}, keys.denylist);
    EXPECT_TRUE(v.install_key(1, keys.validator_master).ok());
    auto answer = wallet.answer(v.challenge(t, kind, r2), t);
    EXPECT_TRUE(answer.has_value());
    EXPECT_TRUE(answer && v.verify(*answer, t).accepted());
    hce::TapBatch b = v.make_batch(10);
    b.batch = 1;
    return hce::encode(b);
  };
  const Time entry = now;
  const std::string in = tap_at(6, *st0, hce::TapKind::kEntry, entry);
  const std::string out = tap_at(7, *st7, hce::TapKind::kExit, entry + Duration::minutes(20));
  const std::string bus = tap_at(5, 1, hce::TapKind::kFlat, entry + Duration::hours(3));
  RequestSigner gate6{proto::PRINCIPAL_VALIDATOR, 6,
                      principal_key(keys.auth_master, proto::PRINCIPAL_VALIDATOR, 6)};
  RequestSigner gate7{proto::PRINCIPAL_VALIDATOR, 7,
                      principal_key(keys.auth_master, proto::PRINCIPAL_VALIDATOR, 7)};
  now = entry + Duration::hours(3);
  ASSERT_EQ(send(gate6, proto::REQUEST_UPLOAD, in).status(), proto::REPLY_OK);
  ASSERT_EQ(send(gate7, proto::REQUEST_UPLOAD, out).status(), proto::REPLY_OK);
  EXPECT_EQ(balance(), 1000 - 300);
  ASSERT_EQ(send(gate, proto::REQUEST_UPLOAD, bus).status(), proto::REPLY_OK);
  EXPECT_EQ(balance(), 1000 - 300 - 200);
  // A journey without its exit costs the rules' highest fare: 28.4 km, one 10 km step past the
  // 28 km band: 6 CNY.
  EXPECT_EQ(core->tariff().max_fare(ValidatorId(6)).minor(), 600);
}

TEST_F(CloudCoreTest, ATopUpIsCreditedWhenTheBanksAnswerArrivesNotBefore) {
  open_rider();
  proto::TopUpOrder order;
  order.set_account(21);
  order.set_amount_minor(5000);
  order.set_client_ref(3);
  now += Duration::seconds(1);
  proto::Reply r =
      core->handle(phone.envelope(proto::REQUEST_TOP_UP, order.SerializeAsString(), now), now);
  ASSERT_EQ(r.status(), proto::REPLY_OK) << r.reason();
  EXPECT_EQ(balance(), 1000); // asked, not answered yet
  EXPECT_EQ(core->bank().pending(), 1u);
  core->advance(now + Duration::seconds(1));
  EXPECT_EQ(balance(), 6000);
  EXPECT_EQ(core->bank().pending(), 0u);
}

TEST_F(CloudCoreTest, RequestCountersAndTheHourlyTokenLimitSurviveARestart) {
  open_rider();
  auto token_request = [&] {
    now += Duration::seconds(1);
    return phone.envelope(proto::REQUEST_TOKENS,
                          hce::encode(hce::TokenRequest{AccountId(21), DeviceId(31), now}), now);
  };
  // The fixture's policy allows 20 requests an hour: use 19 of them, then restart.
  std::string earlier;
  for (int i = 0; i < 19; ++i) {
    earlier = token_request();
    ASSERT_EQ(core->handle(earlier, now).status(), proto::REPLY_OK) << i;
  }
  core->flush();
  core.reset();
  core = open_core();
  // The last request sent again after the restart is still a replay.
  EXPECT_EQ(core->handle(earlier, now).status(), proto::REPLY_REPLAYED);
  EXPECT_EQ(core->handle(token_request(), now).status(), proto::REPLY_OK); // the 20th
  const proto::Reply limited = core->handle(token_request(), now);
  EXPECT_EQ(limited.status(), proto::REPLY_REFUSED);
  EXPECT_EQ(limited.reason(), hce::to_string(hce::IssueRefusal::kRateLimited));
  // An hour after the first ones, the device may ask again.
  now += Duration::hours(1);
  EXPECT_EQ(core->handle(token_request(), now).status(), proto::REPLY_OK);
}

} // namespace
} // namespace hcesim::live
