#pragma once
// FlatFares: the fares a distance rule file gives the networks its distance fare does not cover
// (a city's buses: one fare per boarding), and its transfer discount (a leg started within a window
// of the account's previous leg costs less). Extensions of proto/fare_rules.proto: FlatFare,
// TransferDiscount.
#include "base/error.h"
#include "base/money.h"
#include "base/time.h"
#include "hce/fare/fare_leg.h"
#include "hce/fare/id_table.h"
#include "proto/fare_rules.pb.h"

#include <optional>
#include <string>
#include <vector>

namespace hcesim::fare {

//! What the transfer discount remembers of an account's day: the end of its last priced leg.
struct TransferState {
  std::optional<Time> last_arrive;
};

class FlatFares {
public:
  //! Product indices of flat legs are kFlatProduct + network.
  static constexpr uint32_t kFlatProduct = 0x8000'0000U;

  static Result<FlatFares> build(const proto::FareRules& rules, Currency currency,
                                 const std::string& where);
  bool empty() const { return fares_.empty() && !discount_; }
  const IdTable& networks() const { return networks_; }
  //! The fare of a boarding on leg.network (which must be one of networks()).
  LegPrice price(const FareLeg& leg) const;
  //! Lowers a priced leg by the transfer discount when it starts within the window of the
  //! previous leg's end, and records the leg's end.
  void apply_transfer(TransferState& state, const FareLeg& leg, LegPrice& price) const;

private:
  IdTable networks_;
  std::vector<Money> fares_;
  std::optional<Money> discount_;
  Duration window_;
};

} // namespace hcesim::fare
