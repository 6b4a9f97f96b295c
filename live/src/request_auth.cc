#include "live/request_auth.h"

#include <algorithm>
#include <cstring>
#include <span>

namespace hcesim::live {
namespace {

void put64(std::string& out, uint64_t v) {
  for (int i = 7; i >= 0; --i) {
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
}

std::span<const uint8_t> view(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

Key128 diversify(hce::AesCmac& master, int kind, uint64_t principal) {
  std::string label = "hcesim-live-req";
  label.push_back(static_cast<char>(kind));
  put64(label, principal);
  const hce::Mac128 mac = master.mac(view(label));
  Key128 key{};
  std::copy(mac.begin(), mac.end(), key.begin());
  return key;
}

} // namespace

Key128 principal_key(const Key128& auth_master, proto::PrincipalKind kind, uint64_t principal) {
  hce::AesCmac cmac(auth_master);
  return diversify(cmac, kind, principal);
}

std::string signed_bytes(const proto::Envelope& envelope) {
  std::string out;
  out.reserve(32 + envelope.body().size());
  put64(out, static_cast<uint64_t>(envelope.kind()));
  put64(out, static_cast<uint64_t>(envelope.principal_kind()));
  put64(out, envelope.principal());
  put64(out, envelope.counter());
  out += envelope.body();
  return out;
}

void sign(proto::Envelope& envelope, uint64_t counter, const Key128& key) {
  envelope.set_counter(counter);
  hce::AesCmac cmac(key);
  const hce::Mac128 mac = cmac.mac(view(signed_bytes(envelope)));
  envelope.set_mac(std::string(reinterpret_cast<const char*>(mac.data()), mac.size()));
}

const char* to_string(AuthVerdict verdict) {
  switch (verdict) {
  case AuthVerdict::kAccepted:
    return "accepted";
  case AuthVerdict::kMalformed:
    return "malformed envelope (principal kind missing or MAC not 16 bytes)";
  case AuthVerdict::kBadMac:
    return "unauthenticated: MAC does not match the principal's key";
  case AuthVerdict::kReplayed:
    return "replayed: counter not above the principal's last accepted counter";
  case AuthVerdict::kOutsideWindow:
    return "counter outside the server's time window";
  }
  return "?";
}

RequestVerifier::RequestVerifier(const Key128& auth_master, Duration window)
    : master_(auth_master), scratch_(Key128{}), window_(window) {}

AuthVerdict RequestVerifier::verify(const proto::Envelope& envelope, Time now) {
  if (envelope.principal_kind() == proto::PRINCIPAL_UNSPECIFIED ||
      !proto::PrincipalKind_IsValid(envelope.principal_kind()) || envelope.mac().size() != 16) {
    return AuthVerdict::kMalformed;
  }
  // Key diversification with the held master context, then the MAC with the scratch one.
  scratch_.rekey(diversify(master_, envelope.principal_kind(), envelope.principal()));
  const hce::Mac128 mac = scratch_.mac(view(signed_bytes(envelope)));
  // Constant-time comparison: the MAC check must not leak how many bytes matched.
  uint8_t diff = 0;
  for (size_t i = 0; i < mac.size(); ++i) {
    diff = static_cast<uint8_t>(diff | (mac[i] ^ static_cast<uint8_t>(envelope.mac()[i])));
  }
  if (diff != 0) {
    return AuthVerdict::kBadMac;
  }
  const auto counter = static_cast<int64_t>(envelope.counter());
  if (envelope.counter() > static_cast<uint64_t>(INT64_MAX) || counter < now.us() - window_.us() ||
      counter > now.us() + window_.us()) {
    return AuthVerdict::kOutsideWindow;
  }
  return AuthVerdict::kAccepted;
}

AuthVerdict ReplayGuard::accept(proto::PrincipalKind kind, uint64_t principal, uint64_t counter) {
  uint64_t& last = last_counter_[{static_cast<int>(kind), principal}];
  if (counter <= last) {
    return AuthVerdict::kReplayed;
  }
  last = counter;
  return AuthVerdict::kAccepted;
}

uint64_t ReplayGuard::last(proto::PrincipalKind kind, uint64_t principal) const {
  auto it = last_counter_.find({static_cast<int>(kind), principal});
  return it == last_counter_.end() ? 0 : it->second;
}

RequestAuthenticator::RequestAuthenticator(const Key128& auth_master, Duration window)
    : verifier_(auth_master, window) {}

AuthVerdict RequestAuthenticator::check(const proto::Envelope& envelope, Time now) {
  const AuthVerdict v = verifier_.verify(envelope, now);
  if (v != AuthVerdict::kAccepted) {
    return v;
  }
  return replay_.accept(envelope.principal_kind(), envelope.principal(), envelope.counter());
}

} // namespace hcesim::live
