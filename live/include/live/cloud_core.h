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
#include "live/request_auth.h"
#include "live/sqlite_journal.h"
#include "proto/live.pb.h"

#include <memory>
#include <optional>
#include <string>
#include <variant>

namespace hcesim::live {

struct CoreConfig {
  Currency currency = Currency::from_code("CNY").value();
  int64_t flat_fare_minor = 200; //!< every journey (the live service has no fare tables yet)
  int64_t max_fare_minor = 600;  //!< an unpaired metro tap
  hce::IssuePolicy issue;
  Duration auth_window = Duration::minutes(2);
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
  void flush() { journal_->flush(); }
  //! Pipelined group commit: seal() on the core's thread hands over what was handled since the
  //! last seal; write() (one committing thread, groups in seal order) makes it durable, while
  //! the core goes on with the next requests. Replies of a group wait for its write().
  SqliteJournal::Group seal() { return journal_->seal(); }
  void write(const SqliteJournal::Group& group) { journal_->write(group); }

  const cloud::AccountServices& services() const { return *services_; }
  const CoreCounts& counts() const { return counts_; }
  uint64_t commits() const { return journal_->commits(); }

private:
  CloudCore(std::unique_ptr<SqliteJournal> journal, const CloudKeys& keys, CoreConfig config,
            hce::RandomSource& random);
  proto::Reply dispatch(PreparedRequest& request, Time now);

  class FlatPricer;
  class ApprovingBank;

  std::unique_ptr<SqliteJournal> journal_;
  CoreConfig config_;
  hce::RandomSource* random_;
  std::unique_ptr<FlatPricer> pricer_;
  std::unique_ptr<ApprovingBank> bank_;
  hce::IssuerKeyring keyring_;
  std::unique_ptr<hce::SettlementChecker> checks_;
  std::unique_ptr<cloud::AccountServices> services_;
  std::unique_ptr<hce::Issuer> issuer_;
  hce::AesCmac denylist_key_;
  hce::Key128 auth_master_;
  RequestVerifier verifier_; //!< handle()'s own
  ReplayGuard replay_;
  CoreCounts counts_;
};

} // namespace hcesim::live
