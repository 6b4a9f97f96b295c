#pragma once
// The live service's core: the unchanged hce issuing, settlement, ledger, top-up and denylist
// services over the SQLite journal, behind request authentication. Sans-IO and single-threaded:
// the server hands it each request's bytes with its clock's `now`, and sends the replies only
// after flush() made every change they acknowledge durable (group commit).
#include "hce/cloud/account_services.h"
#include "hce/random_source.h"
#include "hce/token/issuer.h"
#include "hce/token/tap_batch.h"
#include "hce/token/wire.h"
#include "live/cloud_keys.h"
#include "live/live_tariff.h"
#include "live/request_auth.h"
#include "live/simulated_bank.h"
#include "live/sqlite_journal.h"
#include "proto/live.pb.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <variant>

namespace hcesim::live {

struct CoreConfig {
  Currency currency = Currency::from_code("CNY").value();
  TariffConfig tariff;       //!< the scenario's fare product (metro_fare_rules is required)
  BankConfig bank;           //!< the scenario's bank
  cloud::TopUpPolicy top_up; //!< retries of a top-up the bank has not answered
  hce::IssuePolicy issue;
  Duration auth_window = Duration::minutes(2);
  //! Longest a request counter or token request time waits to be stored when nothing else is.
  Duration principal_interval = Duration::millis(100);
};

//! Per-kind request counts (for the server's log at shutdown).
struct CoreCounts {
  uint64_t ok = 0;
  uint64_t refused = 0;
  uint64_t rejected = 0; //!< unauthenticated, replayed, malformed or forbidden
};

//! A request after the checks that need no service state: envelope parsed, MAC and time window
//! verified, body decoded. Made on any thread (CloudCore::prepare); applied in order on the
//! core's one thread (CloudCore::apply), where the replay check and the service call happen.
struct PreparedRequest {
  proto::Envelope envelope;
  std::optional<proto::Reply> answer; //!< already answered: rejected before any state is read
  std::variant<std::monostate, hce::TokenRequest, hce::TapBatch> body; //!< decoded, when big
  std::optional<Error> body_error; //!< the body did not decode (answered after the replay check)
};

class CloudCore {
public:
  //! Opens DIR/journal.db and restores the services from it (load + replay).
  static Result<std::unique_ptr<CloudCore>> open(const std::string& dir, const CloudKeys& keys,
                                                 CoreConfig config, hce::RandomSource& random);
  ~CloudCore();
  CloudCore(const CloudCore&) = delete;
  CloudCore& operator=(const CloudCore&) = delete;

  //! Handles one Envelope's bytes; the reply may acknowledge journaled changes: send it only
  //! after flush(). An unauthenticated or replayed request changes nothing. Same as
  //! apply(prepare(...)).
  proto::Reply handle(const std::string& envelope_bytes, Time now);
  //! The stateless part of handle(): thread-safe with one `verifier` per thread.
  static PreparedRequest prepare(const std::string& envelope_bytes, RequestVerifier& verifier,
                                 Time now);
  //! The stateful part, on the core's thread in arrival order: replay check, then the service.
  proto::Reply apply(PreparedRequest& request, Time now);
  //! A verifier for one more thread or connection (same master key and window as the core's).
  RequestVerifier make_verifier() const;
  //! Settles journeys whose exit window ran out and retries due top-ups (the server's timer).
  void advance(Time now);
  //! Makes everything handled so far durable (one commit).
  void flush() { journal_->write(seal()); }
  //! Pipelined group commit: seal() on the core's thread hands over what was handled since the
  //! last seal; write() (one committing thread, groups in seal order) makes it durable, while
  //! the core goes on with the next requests. Replies of a group wait for its write().
  //! The group carries the journal's records and the principals' rows (request counters, token
  //! request times) changed since they were last sealed: with every group that has records (so an
  //! acknowledged change's counter is durable with it), else at most every
  //! config.principal_interval (a crash forgets at most that much of the token requests' state).
  SqliteJournal::Group seal(Time now = Time::max());
  void write(const SqliteJournal::Group& group) { journal_->write(group); }

  const cloud::AccountServices& services() const { return *services_; }
  const LiveTariff& tariff() const { return *pricer_; }
  const SimulatedBank& bank() const { return *bank_; }
  const CoreCounts& counts() const { return counts_; }
  uint64_t commits() const { return journal_->commits(); }

private:
  CloudCore(std::unique_ptr<SqliteJournal> journal, std::unique_ptr<LiveTariff> tariff,
            const CloudKeys& keys, CoreConfig config, hce::RandomSource& random);
  //! Hands the bank's answers due by `now` to the top-up service.
  void deliver_bank_answers(Time now);
  //! Restores the request counters and the issuer's rate-limit memory from the principal rows.
  void restore_principals();
  proto::Reply dispatch(PreparedRequest& request, Time now);

  std::unique_ptr<SqliteJournal> journal_;
  CoreConfig config_;
  hce::RandomSource* random_;
  std::unique_ptr<LiveTariff> pricer_;
  std::unique_ptr<SimulatedBank> bank_;
  hce::IssuerKeyring keyring_;
  std::unique_ptr<hce::SettlementChecker> checks_;
  std::unique_ptr<cloud::AccountServices> services_;
  std::unique_ptr<hce::Issuer> issuer_;
  hce::AesCmac denylist_key_;
  CloudKeys keys_; //!< request keys derive from it; provisioned validators get their share
  RequestVerifier verifier_; //!< handle()'s own
  ReplayGuard replay_;
  using PrincipalKey = std::pair<int, uint64_t>;
  std::map<PrincipalKey, SqliteJournal::PrincipalRow> principals_; //!< as stored, plus changes
  std::set<PrincipalKey> touched_;                                 //!< changed since the last seal
  Time principals_sealed_ = Time::epoch();
  CoreCounts counts_;
};

} // namespace hcesim::live
