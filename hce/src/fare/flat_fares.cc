#include "hce/fare/flat_fares.h"

#include <algorithm>

namespace hcesim::fare {
namespace {

Result<Money> amount_of(const std::string& text, Currency currency, const std::string& where) {
  auto m = Money::parse(text, currency);
  if (!m) {
    return Error{where, m.error().what};
  }
  if (m->is_negative()) {
    return Error{where, "must not be negative, found \"" + text + "\""};
  }
  return m;
}

} // namespace

Result<FlatFares> FlatFares::build(const proto::FareRules& rules, Currency currency,
                                   const std::string& where) {
  FlatFares f;
  for (int i = 0; i < rules.flat_fares_size(); ++i) {
    const proto::FlatFare& p = rules.flat_fares(i);
    const std::string path = where + ": flat_fares[" + std::to_string(i) + "]";
    if (p.network().empty() || f.networks_.find(p.network())) {
      return Error{path + ".network", "each flat fare needs a unique network"};
    }
    auto fare = amount_of(p.fare(), currency, path + ".fare");
    if (!fare) {
      return fare.error();
    }
    f.networks_.intern(p.network());
    f.fares_.push_back(*fare);
  }
  if (rules.has_transfer_discount()) {
    const proto::TransferDiscount& t = rules.transfer_discount();
    const std::string path = where + ": transfer_discount";
    auto amount = amount_of(t.amount(), currency, path + ".amount");
    if (!amount) {
      return amount.error();
    }
    auto window = parse_duration(t.window());
    if (!window || *window <= Duration::zero()) {
      return Error{path + ".window",
                   window ? "must be a positive duration, found \"" + t.window() + "\""
                          : window.error().what};
    }
    f.discount_ = *amount;
    f.window_ = *window;
  }
  return f;
}

LegPrice FlatFares::price(const FareLeg& leg) const {
  LegPrice out;
  if (leg.network >= fares_.size()) {
    out.outcome = LegOutcome::kNoFareRule;
    return out;
  }
  out.outcome = LegOutcome::kPriced;
  out.product = kFlatProduct + leg.network;
  out.amount = fares_[leg.network];
  out.base = out.amount;
  return out;
}

void FlatFares::apply_transfer(TransferState& state, const FareLeg& leg, LegPrice& price) const {
  if (!discount_) {
    return;
  }
  if (state.last_arrive && leg.depart - *state.last_arrive <= window_ && price.amount.minor() > 0) {
    price.amount = Money(std::max<int64_t>(0, price.amount.minor() - discount_->minor()),
                         price.amount.currency());
    price.transfer = true;
  }
  state.last_arrive = std::max(leg.arrive, leg.depart);
}

} // namespace hcesim::fare
