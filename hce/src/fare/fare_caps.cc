#include "hce/fare/fare_caps.h"

#include <algorithm>

namespace hcesim::fare {

Result<FareCaps> FareCaps::build(const proto::FareRules& rules, Currency currency,
                                 IdTable& categories, const std::string& where) {
  FareCaps c;
  for (int i = 0; i < rules.caps_size(); ++i) {
    const proto::FareCap& p = rules.caps(i);
    const std::string path = where + ": caps[" + std::to_string(i) + "]";
    Cap cap;
    cap.category = p.category().empty() ? kNone : categories.intern(p.category());
    auto amount = Money::parse(p.amount(), currency);
    if (!amount || amount->is_negative()) {
      return Error{path + ".amount", amount ? "a cap must not be negative" : amount.error().what};
    }
    cap.amount = amount->minor();
    if (!p.window().empty()) {
      auto w = parse_duration(p.window());
      if (!w || *w <= Duration::zero()) {
        return Error{path + ".window", w ? "a rolling window must be positive" : w.error().what};
      }
      cap.window = *w;
    }
    if (!p.day_starts_at().empty()) {
      auto s = parse_time_of_day(p.day_starts_at());
      if (!s || *s >= Duration::hours(24)) {
        return Error{path + ".day_starts_at", s ? "must be before 24:00" : s.error().what};
      }
      cap.day_start = *s;
    }
    for (const Cap& other : c.caps_) {
      if (other.category == cap.category &&
          (other.window > Duration::zero()) == (cap.window > Duration::zero())) {
        return Error{path, "a second " +
                               std::string(cap.window > Duration::zero() ? "rolling" : "daily") +
                               " cap for the same category"};
      }
    }
    c.caps_.push_back(cap);
  }
  for (int i = 0; i < rules.discounts_size(); ++i) {
    const proto::CategoryDiscount& d = rules.discounts(i);
    const std::string path = where + ": discounts[" + std::to_string(i) + "]";
    if (d.category().empty()) {
      return Error{path + ".category", "a discount needs a rider category"};
    }
    if (d.percent_off() < 0 || d.percent_off() > 100) {
      return Error{path + ".percent_off",
                   "expected 0..100, found " + std::to_string(d.percent_off())};
    }
    const uint32_t cat = categories.intern(d.category());
    for (auto& [k, v] : c.discounts_) {
      if (k == cat) {
        return Error{path, "a second discount for category \"" + d.category() + "\""};
      }
    }
    c.discounts_.emplace_back(cat, d.percent_off());
  }
  return c;
}

const FareCaps::Cap* FareCaps::find(uint32_t category, bool rolling) const {
  const Cap* general = nullptr;
  for (const Cap& c : caps_) {
    if ((c.window > Duration::zero()) != rolling) {
      continue;
    }
    if (c.category == category && category != kNone) {
      return &c;
    }
    if (c.category == kNone) {
      general = &c;
    }
  }
  return general;
}

void FareCaps::apply(CapState& state, const FareLeg& leg, LegPrice& price) const {
  if (price.outcome != LegOutcome::kPriced) {
    return;
  }
  int64_t amount = price.amount.minor();
  for (const auto& [cat, pct] : discounts_) {
    if (cat == leg.category && amount > 0) {
      amount = amount * (100 - pct) / 100;
    }
  }
  if (const Cap* daily = find(leg.category, false)) {
    const int64_t day = (leg.depart - daily->day_start).day();
    if (day != state.day) {
      state.day = day;
      state.spent_today = 0;
    }
    const int64_t room = std::max<int64_t>(0, daily->amount - state.spent_today);
    if (amount > room) {
      amount = room;
      price.capped = true;
    }
  }
  if (const Cap* rolling = find(leg.category, true)) {
    const Time since = leg.depart - rolling->window;
    std::erase_if(state.recent, [&](const auto& r) { return r.first <= since; });
    int64_t spent = 0;
    for (const auto& r : state.recent) {
      spent += r.second;
    }
    const int64_t room = std::max<int64_t>(0, rolling->amount - spent);
    if (amount > room) {
      amount = room;
      price.capped = true;
    }
    state.recent.emplace_back(leg.depart, amount);
  }
  state.spent_today += amount;
  price.amount = Money(amount, price.amount.currency());
}

} // namespace hcesim::fare
