#pragma once
// Per-request authentication of the live service (issue 19): every Envelope carries an AES-CMAC
// under its principal's key over (kind, principal kind, principal, counter, body). Keys are
// diversified from one authentication master key, so the server stores none per device; a
// principal's counter must strictly increase and lie within a window of the server's clock.
#include "base/error.h"
#include "base/time.h"
#include "hce/token/aes_cmac.h"
#include "proto/live.pb.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>

namespace hcesim::live {

using hce::Key128;

//! The principal's request key (given to it at enrolment or installation).
Key128 principal_key(const Key128& auth_master, proto::PrincipalKind kind, uint64_t principal);

//! The bytes the MAC covers: fixed-width fields, then the body.
std::string signed_bytes(const proto::Envelope& envelope);

//! Fills the counter and MAC of `envelope` (kind, principal and body already set).
void sign(proto::Envelope& envelope, uint64_t counter, const Key128& key);

enum class AuthVerdict : uint8_t {
  kAccepted,
  kMalformed,     //!< missing principal kind or a MAC of the wrong length
  kBadMac,        //!< unauthenticated: the MAC does not match the principal's key
  kReplayed,      //!< counter not above the last accepted one of this principal
  kOutsideWindow, //!< counter (µs clock) too far from the server's clock
};
const char* to_string(AuthVerdict verdict);

//! The checks of an envelope that need no shared state: its form, its MAC and its counter's
//! time window. Thread-confined (its own cipher contexts): one per connection or thread, so
//! requests are verified on every core at once.
class RequestVerifier {
public:
  RequestVerifier(const Key128& auth_master, Duration window);
  //! kAccepted when well-formed, authentic and within the window (replays are not checked here).
  AuthVerdict verify(const proto::Envelope& envelope, Time now);

private:
  hce::AesCmac master_;
  hce::AesCmac scratch_;
  Duration window_;
};

//! Each principal's last accepted counter: the replay check, serialized with the service calls.
class ReplayGuard {
public:
  //! Accepts (and remembers) a counter above the principal's last one; else kReplayed.
  AuthVerdict accept(proto::PrincipalKind kind, uint64_t principal, uint64_t counter);
  //! The principal's last accepted counter (0: none).
  uint64_t last(proto::PrincipalKind kind, uint64_t principal) const;
  //! Sets a principal's last counter (restored at start-up).
  void restore(int kind, uint64_t principal, uint64_t counter) {
    last_counter_[{kind, principal}] = counter;
  }
  size_t size() const { return last_counter_.size(); }

private:
  std::map<std::pair<int, uint64_t>, uint64_t> last_counter_;
};

//! The server's whole check of each envelope (verifier + replay guard), single-threaded.
class RequestAuthenticator {
public:
  RequestAuthenticator(const Key128& auth_master, Duration window);
  //! Verifies the MAC, then the counter; only an accepted envelope moves the principal's counter.
  AuthVerdict check(const proto::Envelope& envelope, Time now);

private:
  RequestVerifier verifier_;
  ReplayGuard replay_;
};

} // namespace hcesim::live
