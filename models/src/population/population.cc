#include "models/population/population.h"

#include "models/population/destination_choice.h"
#include "sim/discrete_distribution.h"
#include "sim/random_stream.h"

#include <cassert>
#include <cmath>

namespace hcesim::models {
namespace {

// Each attribute reads its own slot of the rider's stream (a slot is a block of draws), so the
// draws of one attribute never shift another's.
enum Slot : uint64_t {
  kHome,
  kWork,
  kClass,
  kCoverage,
  kHceSlot,
  kDataOffSlot,
  kAutoTopUpSlot,
  kManualTopUpSlot,
  kBalanceSlot,
};
constexpr uint64_t kSlotDraws = 8;

double distance_from_origin(Point p) {
  return std::hypot(static_cast<double>(p.x), static_cast<double>(p.y));
}

// Riders live and go where a stop is within walking reach (a zone whose only access is its
// nearest far-away stop gets no one, unless no zone has a stop in reach).
bool served(const City& city, uint32_t z) {
  const auto access = city.access_of(z);
  return !access.empty() &&
         access.front().walk_s <=
             city.walk_seconds(Point{0, 0}, Point{city.walk_rules().max_access_m, 0});
}

std::vector<double> or_uniform(std::vector<double> w) {
  for (double x : w) {
    if (x > 0) {
      return w;
    }
  }
  return std::vector<double>(w.size(), 1.0);
}

bool near_metro(const City& city, uint32_t z) {
  for (const StopAccess& a : city.access_of(z)) {
    if (city.stop_mode(a.stop) == Mode::kMetro) {
      return true;
    }
  }
  return false;
}

// Draws a class index from shares summing to 1 (the last class takes any rounding remainder).
template <class Classes> uint32_t draw_share(sim::RandomStream& s, const Classes& classes) {
  const double u = s.next_double();
  double acc = 0;
  for (std::size_t i = 0; i + 1 < classes.size(); ++i) {
    acc += classes[i].share;
    if (u < acc) {
      return static_cast<uint32_t>(i);
    }
  }
  return classes.empty() ? 0 : static_cast<uint32_t>(classes.size() - 1);
}

} // namespace

std::vector<double> home_weights(const City& city) {
  std::vector<double> w;
  for (uint32_t z = 0; z < city.zone_count(); ++z) {
    w.push_back(served(city, z) ? std::exp(-distance_from_origin(city.zone_centre(z)) / 7000.0) +
                                      (near_metro(city, z) ? 0.6 : 0.0)
                                : 0.0);
  }
  return or_uniform(std::move(w));
}

std::vector<double> destination_weights(const City& city) {
  std::vector<double> w;
  for (uint32_t z = 0; z < city.zone_count(); ++z) {
    w.push_back(served(city, z) ? std::exp(-distance_from_origin(city.zone_centre(z)) / 4000.0) +
                                      (near_metro(city, z) ? 1.0 : 0.0)
                                : 0.0);
  }
  return or_uniform(std::move(w));
}

Population Population::generate(const ScenarioConfig& cfg, const City& city) {
  assert(city.zone_count() <= 65536);
  assert(cfg.population.classes.size() <= 256 && cfg.network.coverage.size() <= 256);
  const auto homes = sim::DiscreteDistribution::make(home_weights(city));
  const DestinationChoice works(city);
  assert(homes.ok());
  Population p;
  const uint32_t n = cfg.population.riders;
  p.home_.resize(n);
  p.work_.resize(n);
  p.class_.resize(n);
  p.coverage_.resize(n);
  p.flags_.resize(n);
  p.initial_balance_ = cfg.population.initial_balance;
  p.start_balances_ = cfg.population.start_balances;
  p.seed_ = cfg.seed;
  p.auto_low_ = cfg.top_up.threshold;
  const Money zero(0, cfg.top_up.amount.currency());
  p.manual_low_ = cfg.token_policy.issuing_minimum_balance.is_negative()
                      ? zero
                      : cfg.token_policy.issuing_minimum_balance;
  p.cycle_minor_ = cfg.top_up.amount.minor();
  for (uint32_t r = 0; r < n; ++r) {
    sim::RandomStream s(cfg.seed, sim::Purpose::kPopulation, r);
    const auto at = [&s](Slot slot) -> sim::RandomStream& {
      s.seek(slot * kSlotDraws);
      return s;
    };
    p.home_[r] = static_cast<uint16_t>(homes->draw(at(kHome)));
    p.work_[r] = static_cast<uint16_t>(works.draw(p.home_[r], at(kWork)));
    p.class_[r] = static_cast<uint8_t>(draw_share(at(kClass), cfg.population.classes));
    p.coverage_[r] = static_cast<uint8_t>(draw_share(at(kCoverage), cfg.network.coverage));
    uint8_t flags = 0;
    const bool hce = at(kHceSlot).next_double() < cfg.population.hce_share;
    if (hce) {
      flags |= kHce;
    }
    if (at(kDataOffSlot).next_double() < cfg.network.data_off_share) {
      flags |= kDataOff;
    }
    if (at(kAutoTopUpSlot).next_double() < cfg.top_up.auto_share && hce) {
      flags |= kAutoTopUp;
    }
    if (at(kManualTopUpSlot).next_double() < cfg.top_up.manual_share && hce &&
        (flags & kAutoTopUp) == 0) {
      flags |= kManualTopUp;
    }
    p.flags_[r] = flags;
  }
  return p;
}

Money Population::initial_balance(uint32_t r) const {
  const bool tops_up = hce(r) && (auto_top_up(r) || manual_top_up(r));
  if (start_balances_ == StartBalances::kFixed || !tops_up) {
    return initial_balance_;
  }
  sim::RandomStream s(seed_, sim::Purpose::kPopulation, r);
  s.seek(kBalanceSlot * kSlotDraws);
  const auto steps = static_cast<uint64_t>(cycle_minor_) + 1; // both ends of the cycle
  const auto offset = static_cast<int64_t>(s.next_u64() % steps);
  const Money low = auto_top_up(r) ? auto_low_ : manual_low_;
  return Money(low.minor() + offset, low.currency());
}

std::size_t Population::bytes() const {
  return home_.capacity() * sizeof(uint16_t) + work_.capacity() * sizeof(uint16_t) +
         class_.capacity() + coverage_.capacity() + flags_.capacity();
}

} // namespace hcesim::models
