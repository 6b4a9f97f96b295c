#include "models/run/request_mix.h"

#include "models/run/city_run.h"
#include "models/world/world.h"

namespace hcesim::models {

std::array<double, 3> RequestMix::shares() const {
  const double sum = total();
  if (sum <= 0) {
    return {0, 0, 0};
  }
  return {token_requests / sum, uploads / sum, top_ups / sum};
}

Result<RequestMix> busiest_hour_mix(const std::array<HourCounts, 24>& hours, uint32_t days) {
  auto requests = [](const HourCounts& h) {
    return h.token_requests_sent + h.uploads_sent + h.top_ups_sent;
  };
  uint32_t best = 0;
  for (uint32_t h = 1; h < hours.size(); ++h) {
    if (requests(hours[h]) > requests(hours[best])) {
      best = h;
    }
  }
  const HourCounts& h = hours[best];
  if (requests(h) == 0) {
    return Error{"simulated run", "sent no token request, upload or top-up in the measured days"};
  }
  const double seconds = 3600.0 * std::max(1u, days);
  RequestMix mix;
  mix.hour = best;
  mix.token_requests = static_cast<double>(h.token_requests_sent) / seconds;
  mix.uploads = static_cast<double>(h.uploads_sent) / seconds;
  mix.top_ups = static_cast<double>(h.top_ups_sent) / seconds;
  mix.taps_per_upload = h.uploads_sent > 0 ? static_cast<double>(h.records_uploaded) /
                                                 static_cast<double>(h.uploads_sent)
                                           : 0.0;
  return mix;
}

Result<RequestMix> simulated_request_mix(const ScenarioConfig& cfg) {
  Result<World> world = build_world(cfg);
  if (!world.ok()) {
    return world.error();
  }
  CityRun run(cfg, *world);
  run.run();
  std::array<HourCounts, 24> hours{};
  for (size_t h = 0; h < hours.size(); ++h) {
    hours[h] = run.kpis().segments.by_hour(h);
  }
  return busiest_hour_mix(hours, cfg.days);
}

} // namespace hcesim::models
