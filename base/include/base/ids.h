#pragma once
// Strong ids: dense integers that cannot be mixed up (a RiderId is not an AccountId), hashable
// and ordered so they key maps and index tables.
#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace hcesim {

template <typename Tag, typename Rep = uint32_t> class StrongId {
public:
  using rep_type = Rep;
  constexpr StrongId() = default;
  constexpr explicit StrongId(Rep v) : v_(v) {}
  constexpr Rep value() const { return v_; }
  constexpr auto operator<=>(const StrongId&) const = default;
  std::string to_string() const { return std::to_string(v_); }

private:
  Rep v_ = 0;
};

using RiderId = StrongId<struct RiderTag, uint32_t>;
using AccountId = StrongId<struct AccountTag, uint64_t>;
using DeviceId = StrongId<struct DeviceTag, uint64_t>;
using ValidatorId = StrongId<struct ValidatorTag, uint32_t>;
using StopId = StrongId<struct StopTag, uint32_t>;
using RouteId = StrongId<struct RouteTag, uint32_t>;

//! A token's 128-bit identifier, drawn by the issuer from an injected random source.
struct TokenId {
  uint64_t hi = 0;
  uint64_t lo = 0;
  constexpr auto operator<=>(const TokenId&) const = default;
  //! 32 lowercase hex digits.
  std::string to_string() const;
};

} // namespace hcesim

template <typename Tag, typename Rep> struct std::hash<hcesim::StrongId<Tag, Rep>> {
  size_t operator()(const hcesim::StrongId<Tag, Rep>& id) const noexcept {
    return std::hash<Rep>{}(id.value());
  }
};

template <> struct std::hash<hcesim::TokenId> {
  size_t operator()(const hcesim::TokenId& id) const noexcept {
    // The id is random already; mixing the halves is enough.
    return static_cast<size_t>(id.hi ^ (id.lo * 0x9e3779b97f4a7c15ULL));
  }
};
