#include "models/scenario/attacker_fields.h"

#include <cmath>

namespace hcesim::models {
namespace {

// A count, or a share of `whole` rounded to the nearest attacker; both given is an error.
uint32_t read_count(ScenarioFields a, const proto::AttackerCount& msg, uint32_t whole,
                    double* share_out = nullptr) {
  if (msg.has_count() && msg.has_share()) {
    a.fail("share", "give count or share, not both");
    return 0;
  }
  if (msg.has_share()) {
    const double share = a.real("share", 0, 0, 0.5);
    if (share_out != nullptr) {
      *share_out = share;
      return 0;
    }
    return static_cast<uint32_t>(std::llround(share * static_cast<double>(whole)));
  }
  return a.u32("count", 0, 0, 100'000);
}

} // namespace

void read_attackers(ScenarioFields& root, const proto::Scenario& msg, ScenarioConfig& cfg) {
  if (!msg.has_attackers()) {
    return;
  }
  const proto::Attackers& m = msg.attackers();
  ScenarioFields a = root.nested("attackers");
  auto& c = cfg.attackers;
  const uint32_t riders = cfg.population.riders;
  c.key_holders = read_count(a.nested("key_holders"), m.key_holders(), riders);
  c.broke_riders = read_count(a.nested("broke_riders"), m.broke_riders(), riders);
  // Validators are known only once the city is built: the run resolves a share.
  c.forging_validators = read_count(a.nested("forging_validators"), m.forging_validators(), 0,
                                    &c.forging_validator_share);
  c.relays = read_count(a.nested("relays"), m.relays(), riders);
  c.flooders = read_count(a.nested("flooders"), m.flooders(), riders);
  c.phones_per_key_holder = a.u32("phones_per_key_holder", 3, 1, 50);
  c.split_counters = a.flag("split_counters", false);
  if (c.split_counters && c.phones_per_key_holder != 2) {
    a.fail("split_counters", "needs phones_per_key_holder 2 (two phones share each token's "
                             "counters), got " +
                                 std::to_string(c.phones_per_key_holder));
  }
  c.taps_per_hour = a.real("taps_per_hour", 2.0, 0, 60, /*lo_open=*/true);
  c.forgeries_per_hour = a.real("forgeries_per_hour", 4.0, 0, 3600, /*lo_open=*/true);
  c.flood_requests_per_hour = a.real("flood_requests_per_hour", 600, 0, 360'000, /*lo_open=*/true);
  c.accounts_per_flooder = a.u32("accounts_per_flooder", 5, 1, 1000);
  c.lost_phones = read_count(a.nested("lost_phones"), m.lost_phones(), riders);
  c.lost_report_delay = a.duration("lost_report_delay", "6h", Duration::zero(), Duration::days(7));
}

} // namespace hcesim::models
