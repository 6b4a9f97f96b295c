#pragma once
// What passes at the gate: the validator's challenge, the phone's response, and the record the
// validator stores and uploads. Plain values; proto/token.proto carries them on the wire.
#include "hce/token/aes_cmac.h"
#include "hce/token/token_header.h"

#include "base/ids.h"
#include "base/time.h"

#include <cstdint>

namespace hcesim::hce {

enum class TapKind : uint8_t { kEntry = 1, kExit = 2, kFlat = 3 };

//! The validator's challenge: fresh per tap, so a recorded response answers nothing later.
struct TapChallenge {
  ValidatorId validator;
  Time time;                  //!< the validator's clock when the tap began
  uint64_t unpredictable = 0; //!< from the validator's random source
  TapKind kind = TapKind::kFlat;
  bool operator==(const TapChallenge&) const = default;
};

//! The phone's answer: the header, this tap's counter and the two cryptograms over
//! (challenge, counter): one under the validator key, one under the issuer key.
struct TapResponse {
  TokenHeader header;
  uint16_t counter = 0;
  Mac128 validator_cryptogram{};
  Mac128 issuer_cryptogram{};
  bool operator==(const TapResponse&) const = default;
};

//! An accepted tap as the validator stores and uploads it, identified by (validator, sequence).
struct TapRecord {
  ValidatorId validator;
  uint64_t sequence = 0; //!< 1, 2, ... per validator, never reused
  StopId stop;           //!< where the validator stands (a bus validator: its current stop)
  TapChallenge challenge;
  TapResponse response;
  bool operator==(const TapRecord&) const = default;
};

//! Which key a cryptogram is under.
enum class CryptogramRole : uint8_t { kValidator = 1, kIssuer = 2 };

//! Bytes in the canonical cryptogram input.
inline constexpr size_t kCryptogramInputBytes = 1 + 4 + 8 + 8 + 1 + 2;

//! The canonical (role, challenge, counter) encoding the cryptograms are computed over.
std::array<uint8_t, kCryptogramInputBytes>
encode_cryptogram_input(CryptogramRole role, const TapChallenge& challenge, uint16_t counter);

} // namespace hcesim::hce
