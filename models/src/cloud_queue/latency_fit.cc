#include "models/cloud_queue/latency_fit.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace hcesim::models {

double erlang_c_wait_s(uint32_t c, double lambda, double capacity) {
  if (lambda >= capacity) {
    return std::numeric_limits<double>::infinity();
  }
  const double per_server = capacity / c;
  const double a = lambda / per_server;
  double sum = 0;
  double term = 1; // a^k / k!
  for (uint32_t k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const double tail = term / (1 - a / c);
  return tail / (sum + tail) / (capacity - lambda);
}

LatencyFit fit_latency(const std::vector<LatencyPoint>& points, double service_ms) {
  LatencyFit fit;
  if (points.empty()) {
    return fit;
  }
  double w = 0;
  double sx = 0;
  double sy = 0;
  double sxx = 0;
  double sxy = 0;
  for (const LatencyPoint& p : points) {
    const double weight = 1 / std::max(1e-6, p.measured_ms * p.measured_ms);
    w += weight;
    sx += weight * p.mmc_wait_ms;
    sy += weight * p.measured_ms;
    sxx += weight * p.mmc_wait_ms * p.mmc_wait_ms;
    sxy += weight * p.mmc_wait_ms * p.measured_ms;
  }
  double busiest = 0;
  for (const LatencyPoint& p : points) {
    busiest = std::max(busiest, p.utilisation);
  }
  const double det = w * sxx - sx * sx;
  if (points.size() < 2 || busiest < 0.3 || det <= 1e-12 * w * sxx) {
    double excess = std::numeric_limits<double>::infinity();
    for (const LatencyPoint& p : points) {
      excess = std::min(excess, p.measured_ms - service_ms - p.mmc_wait_ms);
    }
    fit.fixed_ms = std::max(0.0, excess);
    return fit;
  }
  double slope = (w * sxy - sx * sy) / det; // (1 + cv²) / 2
  double intercept = (sy - slope * sx) / w; // F + S
  if (slope < 0.5) {
    slope = 0.5;
    intercept = (sy - slope * sx) / w;
  }
  if (intercept < service_ms) {
    intercept = service_ms;
    slope = std::max(0.5, (sxy - intercept * sx) / sxx);
  }
  fit.fixed_ms = intercept - service_ms;
  fit.cv = std::min(100.0, std::sqrt(2 * slope - 1)); // the scenario field's range
  return fit;
}

double queue_mean_ms(const QueueFit& q, double offered, double capacity) {
  const double cv = q.cv.value_or(1.0);
  return q.fixed_ms + q.servers / capacity * 1e3 +
         (1 + cv * cv) / 2 * erlang_c_wait_s(q.servers, offered, capacity) * 1e3;
}

QueueFit fit_queue(const std::vector<MeasuredLoad>& loads, double capacity,
                   std::span<const uint32_t> servers) {
  QueueFit best;
  bool have = false;
  for (const uint32_t c : servers) {
    QueueFit q;
    q.servers = c;
    std::vector<LatencyPoint> points;
    for (const MeasuredLoad& l : loads) {
      if (l.offered < capacity) {
        points.push_back(
            {erlang_c_wait_s(c, l.offered, capacity) * 1e3, l.mean_ms, l.offered / capacity});
      }
    }
    const LatencyFit f = fit_latency(points, c / capacity * 1e3);
    if (have && !f.cv) {
      break; // too little queueing to tell servers apart: more would only trade F for service
    }
    q.fixed_ms = f.fixed_ms;
    q.cv = f.cv;
    double sum = 0;
    for (const LatencyPoint& p : points) {
      const double e = (queue_mean_ms(q, p.utilisation * capacity, capacity) - p.measured_ms) /
                       std::max(1e-6, p.measured_ms);
      sum += e * e;
    }
    q.loads = points.size();
    q.rms_relative_error = points.empty() ? 0 : std::sqrt(sum / static_cast<double>(points.size()));
    if (!have || q.rms_relative_error < 0.95 * best.rms_relative_error) {
      best = q;
      have = true;
    }
  }
  return best;
}

} // namespace hcesim::models
