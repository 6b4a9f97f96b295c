#include "live/cloud_core.h"

#include "hce/token/validator.h"
#include "hce/token/wire.h"

#include <cassert>
#include <filesystem>

namespace hcesim::live {
namespace {

proto::Reply reply(proto::ReplyStatus status, std::string reason, std::string body = {}) {
  proto::Reply r;
  r.set_status(status);
  r.set_reason(std::move(reason));
  r.set_body(std::move(body));
  return r;
}

hce::Bytes body_of(const proto::Envelope& e) {
  return hce::as_bytes(e.body());
}

std::string error_text(const Error& e) {
  return e.where.empty() ? e.what : e.where + ": " + e.what;
}

} // namespace

CloudCore::CloudCore(std::unique_ptr<SqliteJournal> journal, std::unique_ptr<LiveTariff> tariff,
                     const CloudKeys& keys, CoreConfig config, hce::RandomSource& random)
    : journal_(std::move(journal)), config_(config), random_(&random), pricer_(std::move(tariff)),
      bank_(std::make_unique<SimulatedBank>(config.bank)), denylist_key_(keys.denylist),
      keys_(keys), verifier_(keys.auth_master, config.auth_window) {
  const auto added = keyring_.add(hce::MasterKeys{1, keys.validator_master, keys.issuer_master});
  assert(added.ok());
  (void)added;
  // No stop geography in the live service yet: distance 0 never flags impossible travel.
  checks_ = std::make_unique<hce::SettlementChecker>(keyring_,
                                                     [](StopId, StopId) { return uint64_t{0}; });
  // Restart = load + replay: the services rebuild their state from the whole journal.
  services_ = std::make_unique<cloud::AccountServices>(
      *journal_, *pricer_, *bank_,
      cloud::AccountServicesConfig{config.currency, cloud::SettlementPolicy{}, config.top_up},
      nullptr, checks_.get());
  journal_->flush();
  journal_->set_grouped(true);
  journal_->set_pipelined(true);
  issuer_ = std::make_unique<hce::Issuer>(keyring_, keys.device_master, services_->ledger());
  restore_principals();
}

namespace {
// Token request times kept per device: the issuer's limit looks at most this many back.
constexpr size_t kMaxRememberedRequests = 100;
} // namespace

void CloudCore::restore_principals() {
  // The issuer's memory is rebuilt by asking it again at each remembered time (tokens thrown
  // away): only the time is recorded, and it refuses nothing under this lenient policy.
  hce::IssuePolicy lenient = config_.issue;
  lenient.requests_per_device_per_hour = UINT32_MAX;
  lenient.issuing_minimum.reset();
  lenient.tokens_per_grant = 1;
  hce::SeededRandomSource scratch(1);
  for (SqliteJournal::PrincipalRow& row : journal_->load_principals()) {
    replay_.restore(row.kind, row.principal, row.counter);
    if (row.kind == proto::PRINCIPAL_DEVICE) {
      for (const Time t : row.requests) {
        (void)issuer_->issue(AccountId(row.account), DeviceId(row.principal), t, lenient, scratch);
      }
    }
    principals_[{row.kind, row.principal}] = std::move(row);
  }
}

SqliteJournal::Group CloudCore::seal(Time now) {
  SqliteJournal::Group group = journal_->seal();
  if (touched_.empty() ||
      (group.records.empty() && now - principals_sealed_ < config_.principal_interval)) {
    return group;
  }
  if (now != Time::max()) {
    principals_sealed_ = now;
  }
  group.principals.reserve(touched_.size());
  for (const PrincipalKey& key : touched_) {
    group.principals.push_back(principals_[key]);
  }
  touched_.clear();
  return group;
}

CloudCore::~CloudCore() = default;

Result<std::unique_ptr<CloudCore>> CloudCore::open(const std::string& dir, const CloudKeys& keys,
                                                   CoreConfig config, hce::RandomSource& random) {
  if (auto v = config.issue.validate(); !v.ok()) {
    return v.error();
  }
  auto tariff = LiveTariff::load(config.tariff);
  if (!tariff.ok()) {
    return tariff.error();
  }
  auto journal = SqliteJournal::open((std::filesystem::path(dir) / "journal.db").string());
  if (!journal.ok()) {
    return journal.error();
  }
  return std::unique_ptr<CloudCore>(
      new CloudCore(std::move(journal).value(), std::move(tariff).value(), keys, config, random));
}

void CloudCore::deliver_bank_answers(Time now) {
  if (!bank_->has_due(now)) {
    return;
  }
  for (const auto& [id, answer] : bank_->take_due(now)) {
    // An answer to a request the service no longer waits for (answered already) changes nothing.
    (void)services_->bank_notice(id, answer, now);
  }
}

void CloudCore::advance(Time now) {
  deliver_bank_answers(now);
  services_->advance(now);
}

RequestVerifier CloudCore::make_verifier() const {
  return RequestVerifier(keys_.auth_master, config_.auth_window);
}

proto::Reply CloudCore::handle(const std::string& envelope_bytes, Time now) {
  PreparedRequest p = prepare(envelope_bytes, verifier_, now);
  return apply(p, now);
}

PreparedRequest CloudCore::prepare(const std::string& envelope_bytes, RequestVerifier& verifier,
                                   Time now) {
  PreparedRequest p;
  if (!p.envelope.ParseFromString(envelope_bytes)) {
    p.answer = reply(proto::REPLY_BAD_REQUEST, "envelope: not a valid Envelope message");
    return p;
  }
  const AuthVerdict verdict = verifier.verify(p.envelope, now);
  if (verdict != AuthVerdict::kAccepted) {
    p.answer = reply(verdict == AuthVerdict::kMalformed ? proto::REPLY_BAD_REQUEST
                                                        : proto::REPLY_UNAUTHENTICATED,
                     to_string(verdict));
    p.answer->set_counter(p.envelope.counter());
    return p;
  }
  // The bodies worth decoding off the core's thread: token requests and tap batches.
  if (p.envelope.kind() == proto::REQUEST_TOKENS) {
    auto req = hce::decode_token_request(body_of(p.envelope));
    if (req.ok()) {
      p.body = *req;
    } else {
      p.body_error = req.error();
    }
  } else if (p.envelope.kind() == proto::REQUEST_UPLOAD) {
    auto batch = hce::decode_tap_batch(body_of(p.envelope));
    if (batch.ok()) {
      p.body = std::move(batch).value();
    } else {
      p.body_error = batch.error();
    }
  }
  return p;
}

proto::Reply CloudCore::apply(PreparedRequest& p, Time now) {
  if (p.answer) {
    ++counts_.rejected;
    return std::move(*p.answer);
  }
  const proto::Envelope& e = p.envelope;
  deliver_bank_answers(now);
  if (replay_.accept(e.principal_kind(), e.principal(), e.counter()) != AuthVerdict::kAccepted) {
    ++counts_.rejected;
    proto::Reply r = reply(proto::REPLY_REPLAYED, to_string(AuthVerdict::kReplayed));
    r.set_counter(e.counter());
    return r;
  }
  const PrincipalKey key{static_cast<int>(e.principal_kind()), e.principal()};
  SqliteJournal::PrincipalRow& row = principals_[key];
  row.kind = key.first;
  row.principal = key.second;
  row.counter = e.counter();
  touched_.insert(key);
  proto::Reply r =
      p.body_error ? reply(proto::REPLY_BAD_REQUEST, error_text(*p.body_error)) : dispatch(p, now);
  r.set_counter(e.counter());
  if (r.status() == proto::REPLY_OK) {
    ++counts_.ok;
  } else if (r.status() == proto::REPLY_REFUSED) {
    ++counts_.refused;
  } else {
    ++counts_.rejected;
  }
  return r;
}

proto::Reply CloudCore::dispatch(PreparedRequest& p, Time now) {
  const proto::Envelope& e = p.envelope;
  const auto who = e.principal_kind();
  const uint64_t id = e.principal();
  auto expect = [&](proto::PrincipalKind kind) { return who == kind; };
  auto device_owns = [&](AccountId account) {
    return services_->ledger().is_known_device(account, DeviceId(id));
  };
  auto view = [&](AccountId account) {
    proto::AccountView v;
    v.set_account(account.value());
    v.set_balance_minor(services_->ledger().balance(account).minor());
    v.set_denylisted(services_->ledger().is_denylisted(account));
    return v;
  };
  switch (e.kind()) {
  case proto::REQUEST_TOKENS: {
    if (!expect(proto::PRINCIPAL_DEVICE)) {
      return reply(proto::REPLY_FORBIDDEN, "token requests come from devices");
    }
    const auto* req = std::get_if<hce::TokenRequest>(&p.body);
    if (req == nullptr) { // prepare() decodes it (or sets body_error): not reached
      return reply(proto::REPLY_BAD_REQUEST, "TokenRequest: not decoded");
    }
    if (req->device.value() != id) {
      return reply(proto::REPLY_FORBIDDEN, "TokenRequest.device is not the signing device");
    }
    const hce::IssueOutcome out =
        issuer_->issue(req->account, req->device, now, config_.issue, *random_);
    if (out.granted() || out.refusal == hce::IssueRefusal::kBalanceTooLow) {
      // The issuer counted this request against the device's hour: remember it across restarts.
      SqliteJournal::PrincipalRow& row = principals_[{proto::PRINCIPAL_DEVICE, id}];
      row.account = req->account.value();
      row.requests.push_back(now);
      const size_t keep =
          std::min<size_t>(kMaxRememberedRequests, config_.issue.requests_per_device_per_hour);
      while (!row.requests.empty() &&
             (now - row.requests.front() >= Duration::hours(1) || row.requests.size() > keep)) {
        row.requests.erase(row.requests.begin());
      }
    }
    if (!out.granted()) {
      return reply(proto::REPLY_REFUSED, hce::to_string(out.refusal));
    }
    return reply(proto::REPLY_OK, "", hce::encode(out.grant));
  }
  case proto::REQUEST_UPLOAD: {
    if (!expect(proto::PRINCIPAL_VALIDATOR)) {
      return reply(proto::REPLY_FORBIDDEN, "uploads come from validators");
    }
    const auto* batch = std::get_if<hce::TapBatch>(&p.body);
    if (batch == nullptr) {
      return reply(proto::REPLY_BAD_REQUEST, "TapBatch: not decoded");
    }
    if (batch->validator.value() != id) {
      return reply(proto::REPLY_FORBIDDEN, "TapBatch.validator is not the signing validator");
    }
    services_->settle_batch(*batch, now);
    hce::BatchAck ack{batch->validator, batch->batch, {}};
    ack.sequences.reserve(batch->records.size());
    for (const hce::TapRecord& rec : batch->records) {
      ack.sequences.push_back(rec.sequence);
    }
    return reply(proto::REPLY_OK, "", hce::encode(ack));
  }
  case proto::REQUEST_DENYLIST: {
    if (!expect(proto::PRINCIPAL_VALIDATOR)) {
      return reply(proto::REPLY_FORBIDDEN, "denylist fetches come from validators");
    }
    proto::DenylistFetch fetch;
    if (!fetch.ParseFromString(e.body())) {
      return reply(proto::REPLY_BAD_REQUEST, "DenylistFetch: not a valid message");
    }
    if (services_->denylist().version() <= fetch.have_version()) {
      return reply(proto::REPLY_OK, "up to date"); // empty body: nothing newer to apply
    }
    return reply(proto::REPLY_OK, "",
                 hce::encode(services_->denylist().update_for(
                     fetch.have_version(), denylist_key_,
                     fetch.max_step() != 0 ? fetch.max_step()
                                           : hce::ValidatorConfig{}.denylist_max_version_jump)));
  }
  case proto::REQUEST_TOP_UP: {
    if (!expect(proto::PRINCIPAL_DEVICE)) {
      return reply(proto::REPLY_FORBIDDEN, "top-ups come from devices");
    }
    proto::TopUpOrder order;
    if (!order.ParseFromString(e.body()) || order.amount_minor() <= 0) {
      return reply(proto::REPLY_BAD_REQUEST, "TopUpOrder: not a valid message or amount <= 0");
    }
    const AccountId account(order.account());
    if (!device_owns(account)) {
      return reply(proto::REPLY_FORBIDDEN, "device not enrolled for this account");
    }
    auto id_or = services_->top_up(account, Money(order.amount_minor(), config_.currency), now,
                                   order.client_ref());
    if (!id_or.ok()) {
      return reply(proto::REPLY_REFUSED, error_text(id_or.error()));
    }
    proto::AccountView v = view(account);
    v.set_top_up_serial(id_or->serial);
    return reply(proto::REPLY_OK, "", v.SerializeAsString());
  }
  case proto::REQUEST_BALANCE: {
    proto::BalanceQuery q;
    if (!expect(proto::PRINCIPAL_DEVICE)) {
      return reply(proto::REPLY_FORBIDDEN, "balance queries come from devices");
    }
    if (!q.ParseFromString(e.body())) {
      return reply(proto::REPLY_BAD_REQUEST, "BalanceQuery: not a valid message");
    }
    if (!device_owns(AccountId(q.account()))) {
      return reply(proto::REPLY_FORBIDDEN, "device not enrolled for this account");
    }
    return reply(proto::REPLY_OK, "", view(AccountId(q.account())).SerializeAsString());
  }
  case proto::REQUEST_OPEN: {
    if (!expect(proto::PRINCIPAL_OPERATOR) || id != 0) {
      return reply(proto::REPLY_FORBIDDEN, "accounts are opened by the operator");
    }
    proto::AccountOpening o;
    if (!o.ParseFromString(e.body()) || o.device() == 0) {
      return reply(proto::REPLY_BAD_REQUEST, "AccountOpening: not a valid message or no device");
    }
    const AccountId account(o.account());
    const DeviceId device(o.device());
    if (!services_->ledger().has_account(account)) {
      auto opened =
          services_->open_account(account, Money(o.debt_limit_minor(), config_.currency),
                                  Money(o.opening_balance_minor(), config_.currency), now);
      if (!opened.ok()) {
        return reply(proto::REPLY_BAD_REQUEST, error_text(opened.error()));
      }
    }
    if (!services_->ledger().is_known_device(account, device)) {
      if (auto r = services_->enrol_device(account, device); !r.ok()) {
        return reply(proto::REPLY_BAD_REQUEST, error_text(r.error()));
      }
    }
    if (o.card() != 0) {
      if (auto r = services_->bind_card(account, cloud::BankCardRef{o.card()}); !r.ok()) {
        return reply(proto::REPLY_BAD_REQUEST, error_text(r.error()));
      }
    }
    const hce::Enrolment enrolment = issuer_->enrol(account, device);
    proto::AccountView v = view(account);
    v.set_device_key(key_bytes(enrolment.device_key));
    v.set_auth_key(
        key_bytes(principal_key(keys_.auth_master, proto::PRINCIPAL_DEVICE, device.value())));
    return reply(proto::REPLY_OK, "", v.SerializeAsString());
  }
  case proto::REQUEST_PROVISION: {
    if (!expect(proto::PRINCIPAL_OPERATOR) || id != 0) {
      return reply(proto::REPLY_FORBIDDEN, "validators are provisioned by the operator");
    }
    proto::ValidatorProvisioning v;
    if (!v.ParseFromString(e.body()) || v.validator() == 0) {
      return reply(proto::REPLY_BAD_REQUEST,
                   "ValidatorProvisioning: not a valid message or validator 0");
    }
    proto::ValidatorCredentials c;
    c.set_auth_key(
        key_bytes(principal_key(keys_.auth_master, proto::PRINCIPAL_VALIDATOR, v.validator())));
    c.set_key_version(1);
    c.set_validator_key(key_bytes(keys_.validator_master));
    c.set_denylist_key(key_bytes(keys_.denylist));
    return reply(proto::REPLY_OK, "", c.SerializeAsString());
  }
  case proto::REQUEST_REPORT_LOST: {
    if (!expect(proto::PRINCIPAL_OPERATOR) || id != 0) {
      return reply(proto::REPLY_FORBIDDEN, "a lost phone is reported to the operator");
    }
    proto::LostReport l;
    if (!l.ParseFromString(e.body())) {
      return reply(proto::REPLY_BAD_REQUEST, "LostReport: not a valid message");
    }
    if (auto r = services_->report_lost(AccountId(l.account()), now); !r.ok()) {
      return reply(proto::REPLY_BAD_REQUEST, error_text(r.error()));
    }
    return reply(proto::REPLY_OK, "", view(AccountId(l.account())).SerializeAsString());
  }
  case proto::REQUEST_ADVANCE:
    if (!expect(proto::PRINCIPAL_OPERATOR) || id != 0) {
      return reply(proto::REPLY_FORBIDDEN, "only the operator advances settlement");
    }
    services_->advance(now);
    return reply(proto::REPLY_OK, "");
  default:
    return reply(proto::REPLY_BAD_REQUEST,
                 "Envelope.kind: unknown request kind " + std::to_string(e.kind()));
  }
}

} // namespace hcesim::live
