#include "live/request_signer.h"

#include <algorithm>

namespace hcesim::live {

std::string RequestSigner::envelope(proto::RequestKind kind, const std::string& body, Time now) {
  proto::Envelope e;
  e.set_kind(kind);
  e.set_principal_kind(kind_);
  e.set_principal(principal_);
  e.set_body(body);
  last_ = std::max(last_ + 1, static_cast<uint64_t>(std::max<int64_t>(now.us(), 0)));
  sign(e, last_, key_);
  return e.SerializeAsString();
}

} // namespace hcesim::live
