#include "hcesim/calibration_sweep.h"

#include "hcesim/exit_code.h"
#include "models/cloud_queue/latency_fit.h"
#include "models/cloud_queue/service_queue.h"
#include "sim/distributions.h"
#include "sim/simulator.h"
#include "sim/stats/log_histogram.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <optional>
#include <sstream>
#include <vector>

namespace hcesim::cli {
namespace {

//! What the simulator's capacity model predicts for one service at an offered rate: the
//! scenario's ServiceQueue (c servers, service times of its cv, fixed latency) fed Poisson
//! arrivals, run in the discrete-event engine. Latency in ms (queue + service), mean and p99.
struct Predicted {
  double mean_ms = 0;
  double p99_ms = 0;
  bool saturated = false;
};

class PredictionModel {
public:
  enum Kind : uint32_t { kArrival = 1, kDone = 2, kTimeout = 3 };
  PredictionModel(const models::CloudServiceConfig& cfg, double rate, uint64_t arrivals)
      : queue_(models::ServiceQueue::of(
            cfg, {kDone, kTimeout}, sim::RandomStream(7, sim::Purpose::kCloud, 0), Time::epoch())),
        arrivals_(7, sim::Purpose::kEngine, 1), rate_(rate), left_(arrivals) {}

  template <class Sim> void handle(const sim::Event& e, Sim& sim) {
    if (e.kind() == kArrival) {
      (void)queue_.submit(sim, 0, 0);
      if (--left_ > 0) {
        sim.schedule_in(sim::duration_from_seconds(-std::log(arrivals_.next_open_double()) / rate_),
                        kArrival, 0);
      }
      return;
    }
    if (auto notice = queue_.handle(e, sim);
        notice && notice->kind == models::NoticeKind::kAnswered) {
      latency_ms_.add(notice->latency.to_seconds() * 1000.0);
    }
  }
  const sim::LogHistogram& latency_ms() const { return latency_ms_; }

private:
  models::ServiceQueue queue_;
  sim::RandomStream arrivals_;
  double rate_;
  uint64_t left_;
  sim::LogHistogram latency_ms_;
};

Predicted predict(const models::CloudServiceConfig& cfg, double rate) {
  const double capacity = cfg.servers / cfg.mean_service_time.to_seconds();
  if (rate >= capacity) {
    return Predicted{0, 0, true};
  }
  PredictionModel model(cfg, rate, 200'000);
  sim::Simulator engine(model);
  engine.schedule_at(Time::epoch(), PredictionModel::kArrival, 0);
  engine.run();
  return Predicted{model.latency_ms().mean(), model.latency_ms().quantile(0.99), false};
}

//! Ids for one load's accounts and validators, fresh for every load of the invocation.
struct RunIds {
  uint64_t next;
  uint64_t take(uint32_t connections) {
    const uint64_t at = next;
    next += connections;
    return at;
  }
};

//! A load the server kept up with for kind k: served within the tolerance and stable. The tolerance
//! widens by three standard deviations of the Poisson count a short or light run sends.
bool kept_up(const LoadFigures& f, size_t k, double offered, const LoadgenOptions& o) {
  const double expected = std::max(1.0, offered * o.duration_s);
  return f.replies_per_s[k] >= (1 - o.within - 3 / std::sqrt(expected)) * offered && f.stable[k];
}

//! The open-loop capacity of one request kind, /s: a closed-loop run gives a ceiling, then a
//! bisection of open-loop rates keeps the highest one the server kept up with (kept_up). The
//! queue's service rate, not a latency objective: near it latency is high but bounded. 0: none.
double open_loop_capacity(const LoadgenOptions& base, const std::string& host, uint16_t port,
                          const hce::Key128& operator_key, size_t k, uint32_t batch_records,
                          RunIds& ids, std::ostream& out, std::ostream& err) {
  RequestMix only{};
  only[k] = 1;
  LoadgenOptions o = base;
  o.as_fast_as_possible = true;
  out << "--- " << kKindNames[k] << "s alone, closed loop (the search's ceiling)\n";
  auto ceiling =
      run_one(o, host, port, operator_key, only, batch_records, ids.take(o.connections), out, err);
  if (!ceiling || ceiling->replies_per_s[k] <= 0) {
    return 0;
  }
  double passed = 0;
  double failed = ceiling->replies_per_s[k];
  o.as_fast_as_possible = false;
  // The bisection's steps, then (when nothing was kept up with yet) up to 6 more halvings.
  for (uint32_t step = 0; step < base.search_steps || (passed == 0 && step < base.search_steps + 6);
       ++step) {
    o.rate = std::round((passed + failed) / 2);
    if (o.rate < 1) {
      break;
    }
    out << "--- " << kKindNames[k] << "s alone, open loop at " << o.rate << " req/s\n";
    auto f = run_one(o, host, port, operator_key, only, batch_records, ids.take(o.connections), out,
                     err);
    if (!f) {
      return 0;
    }
    const bool ok = kept_up(*f, k, o.rate, base);
    out << "    served " << std::setprecision(0) << f->replies_per_s[k] << "/s, "
        << (f->stable[k] ? "stable" : "growing") << ": " << (ok ? "kept up" : "beyond capacity")
        << '\n';
    (ok ? passed : failed) = o.rate;
  }
  return passed;
}

//! One kind's queue as the scenario field holds it.
models::CloudServiceConfig queue_of(const models::QueueFit& fit, double capacity) {
  models::CloudServiceConfig q{
      fit.servers,
      Duration::micros(std::max<int64_t>(1, std::llround(fit.servers / capacity * 1e6))),
      100'000'000,
      Duration::minutes(10),
      Duration::micros(std::llround(fit.fixed_ms * 1000)),
      fit.cv};
  return q;
}

} // namespace

//! Each request kind of the mix gets its open-loop capacity μ and a queue of c servers of mean
//! service c/μ, a fixed latency F (network, framing, thread hand-overs outside the queue) and a
//! service-time cv, c, F and cv fitted to the sweep's loads the server kept up with (fit_queue).
//! The calibration file holds them per kind; a scenario loading it simulates exactly the queues
//! of the "predicted" columns (one queue per service, as in the simulator; the live server shares
//! its cores among the kinds, so a mixed load's prediction is optimistic). The held-out column
//! predicts each load from a fit without it: how well the model predicts a load it has not seen.
int run_sweep(const LoadgenOptions& base, const std::string& host, uint16_t port,
              const hce::Key128& operator_key, const RequestMix& mix, uint32_t batch_records,
              uint64_t run_base, std::ostream& out, std::ostream& err) {
  std::vector<double> rates = base.sweep;
  std::sort(rates.begin(), rates.end());
  RunIds ids{run_base};
  const auto main_kind =
      static_cast<size_t>(std::max_element(mix.begin(), mix.end()) - mix.begin());
  std::array<double, kKinds> capacity{};
  for (size_t k = 0; k < kKinds; ++k) {
    if (mix[k] <= 0) {
      continue;
    }
    capacity[k] =
        open_loop_capacity(base, host, port, operator_key, k, batch_records, ids, out, err);
    if (capacity[k] <= 0) {
      err << "saturation search of " << kKindNames[k]
          << "s: the server kept up with no rate (served within --within and stable)\n";
      return kInternalFailure;
    }
  }
  // The mean of the mix's latency, weighting each kind by its share of replies.
  auto mix_mean = [&](const LoadFigures& f) {
    double n = 0;
    double sum = 0;
    for (size_t k = 0; k < kKinds; ++k) {
      n += f.replies_per_s[k];
      sum += f.replies_per_s[k] * f.mean_ms[k];
    }
    return n > 0 ? sum / n : 0.0;
  };
  // Each load --repeats times; the table takes the run whose mix_mean is the median, so one burst
  // of the machine does not make a row.
  std::vector<LoadFigures> measured;
  for (const double rate : rates) {
    LoadgenOptions o = base;
    o.rate = rate;
    o.as_fast_as_possible = false;
    std::vector<LoadFigures> runs;
    for (uint32_t r = 0; r < std::max(1U, base.repeats); ++r) {
      out << "--- load " << rate << " req/s"
          << (base.repeats > 1
                  ? ", run " + std::to_string(r + 1) + " of " + std::to_string(base.repeats)
                  : std::string())
          << '\n';
      auto f = run_one(o, host, port, operator_key, mix, batch_records, ids.take(o.connections),
                       out, err);
      if (!f) {
        return kInternalFailure;
      }
      runs.push_back(*f);
    }
    std::sort(runs.begin(), runs.end(), [&](const LoadFigures& a, const LoadFigures& b) {
      return mix_mean(a) < mix_mean(b);
    });
    measured.push_back(runs[(runs.size() - 1) / 2]);
  }
  // The capacity is the highest rate kept up with in any run: on a shared machine one probe can
  // fail on a neighbour's burst while a higher sweep load passes.
  for (size_t k = 0; k < kKinds; ++k) {
    for (size_t i = 0; i < rates.size() && mix[k] > 0; ++i) {
      if (rates[i] * mix[k] > capacity[k] && kept_up(measured[i], k, rates[i] * mix[k], base)) {
        out << kKindNames[k] << "s: capacity raised from " << capacity[k] << " to "
            << rates[i] * mix[k] << "/s (the sweep load was kept up with)\n";
        capacity[k] = rates[i] * mix[k];
      }
    }
  }
  // Each kind's loads to fit: those below capacity the server kept up with; `skip` holds one out.
  const std::vector<uint32_t> candidates = base.servers > 0
                                               ? std::vector<uint32_t>{base.servers}
                                               : std::vector<uint32_t>{1, 2, 4, 8, 16, 32};
  auto fitted_at = [&](size_t k, size_t i) {
    const double offered = rates[i] * mix[k];
    return offered < capacity[k] && kept_up(measured[i], k, offered, base);
  };
  auto fit = [&](size_t k, std::optional<size_t> skip) {
    std::vector<models::MeasuredLoad> loads;
    for (size_t i = 0; i < rates.size(); ++i) {
      if (i != skip && fitted_at(k, i)) {
        loads.push_back({rates[i] * mix[k], measured[i].mean_ms[k]});
      }
    }
    return models::fit_queue(loads, capacity[k], candidates);
  };
  std::array<models::QueueFit, kKinds> fits{};
  std::array<models::CloudServiceConfig, kKinds> queue{};
  for (size_t k = 0; k < kKinds; ++k) {
    if (mix[k] > 0) {
      fits[k] = fit(k, std::nullopt);
      queue[k] = queue_of(fits[k], capacity[k]);
    }
  }
  // What the simulator predicts with that calibration, per load: each kind's queue at its share.
  struct Row {
    double served = 0;
    double load = 0; //!< Σ offered/capacity over the kinds: the shared server's utilisation
    double mean_ms = 0;
    std::optional<double> held_out_mean_ms; //!< none: the load was in no kind's fit
    double p99_ms = 0;
    bool saturated = false;
  };
  std::vector<Row> predicted;
  for (size_t i = 0; i < rates.size(); ++i) {
    Row row;
    double weight = 0;
    double held_out = 0;
    bool any_held_out = false;
    bool held_out_possible = true;
    for (size_t k = 0; k < kKinds; ++k) {
      if (mix[k] <= 0) {
        continue;
      }
      const double offered = rates[i] * mix[k];
      const Predicted p = predict(queue[k], offered);
      row.served += std::min(offered, capacity[k]);
      row.load += offered / capacity[k];
      row.saturated = row.saturated || p.saturated;
      row.mean_ms += offered * p.mean_ms;
      weight += offered;
      if (k == main_kind) {
        row.p99_ms = p.p99_ms;
      }
      if (fitted_at(k, i)) {
        const models::QueueFit without = fit(k, i);
        any_held_out = true;
        held_out_possible = held_out_possible && without.loads > 0; // else nothing to predict from
        held_out += offered * predict(queue_of(without, capacity[k]), offered).mean_ms;
      } else {
        held_out += offered * p.mean_ms;
      }
    }
    row.mean_ms = weight > 0 ? row.mean_ms / weight : 0;
    if (any_held_out && held_out_possible && !row.saturated) {
      row.held_out_mean_ms = held_out / weight;
    }
    predicted.push_back(row);
  }
  auto served = [](const LoadFigures& f) {
    return f.replies_per_s[0] + f.replies_per_s[1] + f.replies_per_s[2];
  };
  // Did the server keep up with every kind of load i: "kept up", else "growing" (a queue building
  // all run) or "fell short" (served less than the tolerance allows).
  auto queue_state = [&](size_t i) {
    const char* state = "kept up";
    for (size_t k = 0; k < kKinds; ++k) {
      if (mix[k] > 0 && !measured[i].stable[k]) {
        return "growing";
      }
      if (mix[k] > 0 && !kept_up(measured[i], k, rates[i] * mix[k], base)) {
        state = "fell short";
      }
    }
    return state;
  };
  std::ostringstream table;
  table << std::fixed << std::setprecision(3);
  table << "| offered req/s | predicted served/s | measured served/s | load | predicted mean ms |"
           " held-out mean ms | measured mean ms | measured queue | predicted p99 ms |"
           " measured p99 ms ("
        << kKindNames[main_kind] << ") |\n"
        << "|---|---|---|---|---|---|---|---|---|---|\n";
  for (size_t i = 0; i < rates.size(); ++i) {
    const Row& p = predicted[i];
    table << "| " << rates[i] << " | " << p.served << " | " << served(measured[i]) << " | "
          << p.load << " | ";
    if (p.saturated) {
      table << "saturated | — | " << mix_mean(measured[i]);
    } else {
      table << p.mean_ms << " | ";
      if (p.held_out_mean_ms) {
        table << *p.held_out_mean_ms;
      } else {
        table << "—";
      }
      table << " | " << mix_mean(measured[i]);
    }
    table << " | " << queue_state(i) << " | ";
    if (p.saturated) {
      table << "saturated";
    } else {
      table << p.p99_ms;
    }
    table << " | " << measured[i].p99_ms[main_kind] << " |\n";
  }
  std::ostringstream model;
  model << std::fixed << std::setprecision(3)
        << "model: the simulator's ServiceQueue per kind; open-loop capacity = the highest rate "
           "served within "
        << base.within * 100 << " % with a stable queue;";
  for (size_t k = 0; k < kKinds; ++k) {
    if (mix[k] > 0) {
      model << ' ' << kKindNames[k] << ": capacity " << capacity[k] << "/s, " << queue[k].servers
            << " server(s) x " << queue[k].mean_service_time.us() << " us, service time cv "
            << (fits[k].cv ? std::to_string(*fits[k].cv).substr(0, 5)
                           : std::string("1 (exponential)"))
            << ", fixed latency " << fits[k].fixed_ms << " ms, fit error "
            << fits[k].rms_relative_error * 100 << " % (relative RMS);";
    }
  }
  model << '\n';
  out << model.str() << table.str();
  if (!base.calibration.empty()) {
    std::ofstream cal(base.calibration);
    auto service = [&](const char* name, size_t k) {
      if (mix[k] > 0) {
        cal << name << " { servers: " << queue[k].servers << " mean_service_time: \""
            << queue[k].mean_service_time.us() << "us\" fixed_latency: \""
            << queue[k].fixed_latency.us() << "us\"";
        if (fits[k].cv) {
          cal << " service_time_cv: " << std::setprecision(3) << *fits[k].cv;
        }
        cal << " }\n";
      }
    };
    cal << "# hcesim loadgen calibration (proto/cloud_calibration.proto): load it from a scenario\n"
        << "# with cloud_calibration: \"<this file>\"\n"
        << "source: \"hcesim loadgen --target " << base.target << ", " << base.connections
        << " connections, " << base.duration_s << " s per run, open-loop capacity served within "
        << base.within * 100 << " % with a stable queue\"\n";
    service("issuing", kTokens);
    service("settlement", kUpload);
    service("top_up", kTopUp);
    cal << "\n# " << model.str();
    std::istringstream rows(table.str());
    for (std::string line; std::getline(rows, line);) {
      cal << "# " << line << '\n';
    }
    if (!cal) {
      err << base.calibration << ": cannot write the calibration file\n";
      return kInternalFailure;
    }
  }
  return kOk;
}

} // namespace hcesim::cli
