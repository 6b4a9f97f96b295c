#pragma once
// The client side of request authentication: builds signed Envelope bytes for one principal with
// a strictly increasing counter (its clock in µs, bumped past the last one sent).
#include "live/request_auth.h"

#include <string>

namespace hcesim::live {

class RequestSigner {
public:
  RequestSigner(proto::PrincipalKind kind, uint64_t principal, const Key128& key)
      : kind_(kind), principal_(principal), key_(key) {}

  //! The envelope's bytes for `body`, countered at max(now, last + 1).
  std::string envelope(proto::RequestKind kind, const std::string& body, Time now);
  uint64_t last_counter() const { return last_; }

private:
  proto::PrincipalKind kind_;
  uint64_t principal_;
  Key128 key_;
  uint64_t last_ = 0;
};

} // namespace hcesim::live
