#include "hcesim/loadgen_command.h"

#include "hce/token/issuer.h"
#include "hce/token/validator.h"
#include "hce/token/wallet.h"
#include "hce/token/wire.h"
#include "hcesim/exit_code.h"
#include "hcesim/report_errors.h"
#include "live/blocking_client.h"
#include "live/cloud_keys.h"
#include "live/request_signer.h"
#include "models/cloud_queue/latency_fit.h"
#include "models/cloud_queue/service_queue.h"
#include "models/run/request_mix.h"
#include "models/scenario/scenario_loader.h"
#include "sim/distributions.h"
#include "sim/simulator.h"
#include "sim/stats/log_histogram.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <iomanip>
#include <limits>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <thread>

namespace hcesim::cli {
namespace {

using Clock = std::chrono::steady_clock;
enum Kind : size_t { kTokens = 0, kUpload = 1, kTopUp = 2, kKinds = 3 };
constexpr std::array<const char*, kKinds> kKindNames = {"token request", "tap upload", "top-up"};

Time wall_now() {
  return Time::from_us(std::chrono::duration_cast<std::chrono::microseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count());
}

struct Outcome {
  sim::LogHistogram latency_ms;
  std::array<uint64_t, 16> bins{}; //!< histogram for the report (edges below)
  uint64_t ok = 0;
  uint64_t refused = 0;
  uint64_t failed = 0;
  Clock::time_point last_reply{}; //!< rates count the time up to the last reply
};
constexpr std::array<double, 15> kEdgesMs = {0.1, 0.2, 0.5, 1,   2,    5,    10,  20,
                                             50,  100, 200, 500, 1000, 2000, 5000};

//! One connection's clients: its devices (accounts), its validator and pre-built tap batches.
struct Lane {
  uint32_t index = 0;
  std::vector<live::RequestSigner> devices;
  std::vector<uint64_t> accounts;     //!< the devices' accounts (token requests, top-ups)
  std::vector<uint64_t> tap_accounts; //!< riders whose taps the batches carry (~3 a day each)
  std::unique_ptr<live::RequestSigner> validator;
  std::deque<std::string> batches; //!< encoded TapBatch, in sequence order
  std::array<Outcome, kKinds> outcome;
  uint64_t next_ref = 1;
  size_t next_device = 0;
};

//! Opens the accounts (one device each), pipelined 200 at a time so the server's group commit
//! takes many per fsync. The server's per-connection --burst must allow 200.
Result<void> open_accounts(live::BlockingClient& c, const live::CloudKeys& keys,
                           const std::vector<uint64_t>& accounts) {
  live::RequestSigner op(proto::PRINCIPAL_OPERATOR, 0,
                         live::principal_key(keys.auth_master, proto::PRINCIPAL_OPERATOR, 0));
  constexpr size_t kWindow = 200;
  for (size_t at = 0; at < accounts.size(); at += kWindow) {
    const size_t n = std::min(kWindow, accounts.size() - at);
    for (size_t i = 0; i < n; ++i) {
      proto::AccountOpening o;
      o.set_account(accounts[at + i]);
      o.set_device(accounts[at + i]);
      o.set_debt_limit_minor(1'000'000'000);
      o.set_opening_balance_minor(1'000'000'000);
      o.set_card(1);
      if (auto sent =
              c.send_frame(op.envelope(proto::REQUEST_OPEN, o.SerializeAsString(), wall_now()));
          !sent.ok()) {
        return sent.error();
      }
    }
    for (size_t i = 0; i < n; ++i) {
      auto r = c.receive(std::chrono::seconds(30));
      if (!r.ok()) {
        return r.error();
      }
      if (r->status() != proto::REPLY_OK) {
        return Error{"account " + std::to_string(accounts[at + i]), r->reason()};
      }
    }
  }
  return {};
}

//! Genuine taps for the lane's validator, from tokens minted locally under the same master keys
//! (the load generator holds keys.bin: a bench shortcut that keeps setup off the server).
void build_batches(Lane& lane, const live::CloudKeys& keys, uint32_t validator, size_t batches,
                   uint32_t records) {
  hce::IssuerKeyring ring;
  (void)ring.add(hce::MasterKeys{1, keys.validator_master, keys.issuer_master});
  hce::InMemoryAccountStatus status(Currency::from_code("CNY").value());
  hce::Issuer issuer(ring, keys.device_master, status);
  hce::SeededRandomSource random(validator);
  hce::IssuePolicy policy;
  policy.offline_limit = 60000;
  policy.requests_per_device_per_hour = 1'000'000;
  std::vector<std::unique_ptr<hce::Wallet>> wallets;
  for (uint64_t a : lane.tap_accounts) {
    status.add_device(AccountId(a), DeviceId(a));
    const hce::Enrolment e = issuer.enrol(AccountId(a), DeviceId(a));
    wallets.push_back(
        std::make_unique<hce::Wallet>(e.account, e.device, e.device_key, hce::RefillPolicy{}));
    auto out = issuer.issue(AccountId(a), DeviceId(a), wall_now(), policy, random);
    (void)wallets.back()->accept_grant(out.grant);
  }
  hce::ValidatorConfig vc{ValidatorId(validator), StopId(1)};
  vc.store_capacity = batches * records + 10;
  vc.replay_capacity = batches * records + 10;
  hce::Validator gate(vc, keys.denylist);
  (void)gate.install_key(1, keys.validator_master);
  size_t w = 0;
  for (size_t b = 0; b < batches; ++b) {
    for (uint32_t r = 0; r < records; ++r) {
      const Time now = wall_now();
      hce::Wallet& wallet = *wallets[w++ % wallets.size()];
      auto answer = wallet.answer(gate.challenge(now, hce::TapKind::kFlat, random), now);
      if (answer) {
        (void)gate.verify(*answer, now);
      }
    }
    hce::TapBatch batch = gate.make_batch(records);
    batch.batch = b + 1;
    hce::BatchAck ack{batch.validator, batch.batch, {}};
    for (const auto& rec : batch.records) {
      ack.sequences.push_back(rec.sequence);
    }
    gate.acknowledge(ack);
    lane.batches.push_back(hce::encode(batch));
  }
}

std::string make_request(Lane& lane, Kind kind, Time now) {
  switch (kind) {
  case kUpload: {
    std::string body = std::move(lane.batches.front());
    lane.batches.pop_front();
    return lane.validator->envelope(proto::REQUEST_UPLOAD, body, now);
  }
  case kTopUp: {
    const size_t d = lane.next_device++ % lane.devices.size();
    proto::TopUpOrder o;
    o.set_account(lane.accounts[d]);
    o.set_amount_minor(5000);
    o.set_client_ref(lane.next_ref++);
    return lane.devices[d].envelope(proto::REQUEST_TOP_UP, o.SerializeAsString(), now);
  }
  default: {
    const size_t d = lane.next_device++ % lane.devices.size();
    const std::string body = hce::encode(
        hce::TokenRequest{AccountId(lane.accounts[d]), DeviceId(lane.accounts[d]), now});
    return lane.devices[d].envelope(proto::REQUEST_TOKENS, body, now);
  }
  }
}

void record(Outcome& o, double ms, const Result<proto::Reply>& r) {
  o.last_reply = Clock::now();
  if (!r.ok()) {
    ++o.failed;
    return;
  }
  if (r->status() == proto::REPLY_OK) {
    ++o.ok;
  } else if (r->status() == proto::REPLY_REFUSED) {
    ++o.refused;
  } else {
    ++o.failed;
  }
  o.latency_ms.add(std::max(0.0, ms));
  size_t bin = 0;
  while (bin < kEdgesMs.size() && ms >= kEdgesMs[bin]) {
    ++bin;
  }
  ++o.bins[bin];
}

//! One connection: a sender on the Poisson schedule (or a window when as fast as possible) and
//! a receiver matching replies (in request order) to their scheduled times.
void drive(Lane& lane, const std::string& host, uint16_t port, const LoadgenOptions& o,
           const std::array<double, kKinds>& mix, Clock::time_point start, Clock::time_point end) {
  live::BlockingClient client;
  if (!client.connect(host, port).ok()) {
    return;
  }
  std::mutex m;
  std::condition_variable cv;
  std::deque<std::pair<Kind, Clock::time_point>> in_flight;
  bool done_sending = false;
  std::thread receiver([&] {
    for (;;) {
      std::pair<Kind, Clock::time_point> head;
      {
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return !in_flight.empty() || done_sending; });
        if (in_flight.empty()) {
          return;
        }
        head = in_flight.front();
      }
      auto r = client.receive(std::chrono::seconds(30));
      const double ms =
          std::chrono::duration<double, std::milli>(Clock::now() - head.second).count();
      record(lane.outcome[head.first], ms, r);
      {
        std::lock_guard lock(m);
        in_flight.pop_front();
      }
      cv.notify_all();
      if (!r.ok()) {
        std::lock_guard lock(m);
        for (auto& [k, t] : in_flight) {
          ++lane.outcome[k].failed;
        }
        in_flight.clear();
        return;
      }
    }
  });
  std::mt19937_64 gen(0x9e37 + lane.index);
  std::discrete_distribution<size_t> pick(mix.begin(), mix.end());
  const double per_conn = o.rate / o.connections;
  std::exponential_distribution<double> gap(per_conn > 0 ? per_conn : 1);
  Clock::time_point scheduled = start;
  while (true) {
    if (o.as_fast_as_possible) {
      std::unique_lock lock(m);
      cv.wait(lock, [&] { return in_flight.size() < o.window; });
      scheduled = Clock::now(); // closed loop: latency from the actual send
    } else {
      scheduled +=
          std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(gap(gen)));
      std::this_thread::sleep_until(scheduled);
    }
    if (scheduled >= end) {
      break;
    }
    auto kind = static_cast<Kind>(pick(gen));
    if (kind == kUpload && lane.batches.empty()) {
      if (mix[kTokens] + mix[kTopUp] == 0) {
        break; // uploads only: this lane is done (its rate counts its time sending)
      }
      kind = kTokens; // out of pre-built batches: counted as what was actually sent
    }
    const std::string envelope = make_request(lane, kind, wall_now());
    {
      std::lock_guard lock(m);
      in_flight.emplace_back(kind, scheduled);
    }
    cv.notify_all();
    if (!client.send_frame(envelope).ok()) {
      break;
    }
  }
  {
    std::lock_guard lock(m);
    done_sending = true;
  }
  cv.notify_all();
  receiver.join();
}

} // namespace

//! One load at `o.rate` (or as fast as possible): sets up fresh accounts and validators, drives
//! the server and prints the report. Returns each kind's mean and p99 latency (ms) and replies/s,
//! or nullopt when setup failed.
struct LoadFigures {
  std::array<double, kKinds> mean_ms{};
  std::array<double, kKinds> p99_ms{};
  std::array<double, kKinds> replies_per_s{};
};

std::optional<LoadFigures> run_one(const LoadgenOptions& o, const std::string& host, uint16_t port,
                                   const live::CloudKeys& keys_value,
                                   const std::array<double, kKinds>& mix, uint32_t batch_records,
                                   uint64_t run_base, std::ostream& out, std::ostream& err) {
  const live::CloudKeys* keys = &keys_value;
  const uint32_t devices_per_lane = 16;
  std::vector<Lane> lanes(o.connections);
  live::BlockingClient setup;
  if (auto c = setup.connect(host, port); !c.ok()) {
    err << c.error().where << ": " << c.error().what << '\n';
    return std::nullopt;
  }
  const double expected = o.as_fast_as_possible ? 4000.0 * o.duration_s : o.rate * o.duration_s;
  const auto batches_per_lane =
      static_cast<size_t>(std::min(200'000.0 / batch_records / o.connections,
                                   std::ceil(expected * mix[kUpload] * 1.2 / o.connections) + 1));
  for (uint32_t i = 0; i < o.connections; ++i) {
    Lane& lane = lanes[i];
    lane.index = i;
    for (uint32_t d = 0; d < devices_per_lane; ++d) {
      const uint64_t account = (run_base + i) * 1'000'000 + d + 1;
      lane.accounts.push_back(account);
      lane.devices.emplace_back(
          proto::PRINCIPAL_DEVICE, account,
          live::principal_key(keys->auth_master, proto::PRINCIPAL_DEVICE, account));
    }
    const auto validator = static_cast<uint32_t>(run_base + i + 1);
    lane.validator = std::make_unique<live::RequestSigner>(
        proto::PRINCIPAL_VALIDATOR, validator,
        live::principal_key(keys->auth_master, proto::PRINCIPAL_VALIDATOR, validator));
    if (mix[kUpload] > 0) {
      // About three taps per rider, as in a day of the scenario (settlement reprices a rider's
      // day on every tap: thousands of taps on one account would measure something unreal).
      const size_t riders = std::max<size_t>(16, batches_per_lane * batch_records / 3);
      for (size_t d = 0; d < riders; ++d) {
        lane.tap_accounts.push_back((run_base + i) * 1'000'000 + 500'000 + d);
      }
    }
    std::vector<uint64_t> to_open = lane.accounts;
    to_open.insert(to_open.end(), lane.tap_accounts.begin(), lane.tap_accounts.end());
    if (auto r = open_accounts(setup, *keys, to_open); !r.ok()) {
      err << "setup: " << r.error().where << ": " << r.error().what << '\n';
      return std::nullopt;
    }
    if (mix[kUpload] > 0) {
      build_batches(lane, *keys, validator, batches_per_lane, batch_records);
    }
  }
  setup.close();

  const auto start = Clock::now() + std::chrono::milliseconds(100);
  const auto end = start + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(o.duration_s));
  std::vector<std::thread> threads;
  for (Lane& lane : lanes) {
    threads.emplace_back([&, lp = &lane] { drive(*lp, host, port, o, mix, start, end); });
  }
  for (auto& t : threads) {
    t.join();
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

  out << (o.as_fast_as_possible
              ? "closed loop, window " + std::to_string(o.window)
              : "open loop (Poisson), offered " + std::to_string(o.rate) + " req/s")
      << ", " << o.connections << " connections, " << o.duration_s << " s\n";
  std::array<double, kKinds> mean_ms{};
  std::array<double, kKinds> p99_ms{};
  std::array<double, kKinds> per_s{};
  for (size_t k = 0; k < kKinds; ++k) {
    Outcome total;
    for (Lane& lane : lanes) {
      const Outcome& x = lane.outcome[k];
      total.latency_ms.merge(x.latency_ms);
      total.ok += x.ok;
      total.refused += x.refused;
      total.failed += x.failed;
      total.last_reply = std::max(total.last_reply, x.last_reply);
      for (size_t b = 0; b < total.bins.size(); ++b) {
        total.bins[b] += x.bins[b];
      }
    }
    const uint64_t n = total.latency_ms.count();
    if (n == 0 && total.failed == 0) {
      continue;
    }
    mean_ms[k] = n > 0 ? total.latency_ms.mean() : 0;
    p99_ms[k] = n > 0 ? total.latency_ms.quantile(0.99) : 0;
    // Over the time to the last reply: a lane that ran out of pre-built batches stopped early.
    const double active =
        std::clamp(std::chrono::duration<double>(total.last_reply - start).count(), 1e-3,
                   std::max(1e-3, elapsed));
    per_s[k] = static_cast<double>(n) / active;
    out << std::setprecision(3) << kKindNames[k] << ": " << n << " replies (" << per_s[k]
        << "/s) in " << active << " s, ok " << total.ok << ", refused " << total.refused
        << ", failed " << total.failed << "; latency ms p50 " << total.latency_ms.quantile(0.5)
        << " p95 " << total.latency_ms.quantile(0.95) << " p99 " << total.latency_ms.quantile(0.99)
        << " p99.9 " << total.latency_ms.quantile(0.999) << " max " << total.latency_ms.max()
        << '\n';
    out << "  histogram (ms):";
    for (size_t b = 0; b < total.bins.size(); ++b) {
      if (total.bins[b] == 0) {
        continue;
      }
      out << ' '
          << (b == 0 ? std::string("<") + std::to_string(kEdgesMs[0]).substr(0, 3)
                     : "≥" + std::to_string(kEdgesMs[b - 1]).substr(0, 5))
          << ':' << total.bins[b];
    }
    out << '\n';
  }
  out << "elapsed " << std::setprecision(2) << elapsed << " s\n";
  LoadFigures figures;
  figures.mean_ms = mean_ms;
  figures.p99_ms = p99_ms;
  figures.replies_per_s = per_s;
  return figures;
}

//! What the simulator's capacity model predicts for one service at an offered rate: the
//! scenario's ServiceQueue (c servers, exponential service times) fed Poisson arrivals, run in the
//! discrete-event engine. Latency in ms (queue + service), mean and p99.
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

//! The open-loop capacity of one request kind: a closed-loop run gives a ceiling, then a bisection
//! of open-loop rates keeps the highest one served within the tolerance with p99 under the bound.
//! When no probe met the p99 bound (uploads wait for the journal's fsync), the highest probe
//! served within the tolerance (halving further while none is), with p99_met false. Capacity 0:
//! not even that.
struct Capacity {
  double per_s = 0;
  bool p99_met = true;
};

Capacity open_loop_capacity(const LoadgenOptions& base, const std::string& host, uint16_t port,
                            const live::CloudKeys& keys, size_t k, uint32_t batch_records,
                            RunIds& ids, std::ostream& out, std::ostream& err) {
  std::array<double, kKinds> only{};
  only[k] = 1;
  LoadgenOptions o = base;
  o.as_fast_as_possible = true;
  out << "--- " << kKindNames[k] << "s alone, closed loop (the search's ceiling)\n";
  auto ceiling =
      run_one(o, host, port, keys, only, batch_records, ids.take(o.connections), out, err);
  if (!ceiling || ceiling->replies_per_s[k] <= 0) {
    return {};
  }
  double passed = 0;
  double served_only = 0; // highest rate served within the tolerance, p99 aside
  double failed = ceiling->replies_per_s[k];
  o.as_fast_as_possible = false;
  // The bisection's steps, then (when nothing was even served yet) up to 6 more halvings.
  for (uint32_t step = 0;
       step < base.search_steps || (served_only == 0 && step < base.search_steps + 6); ++step) {
    o.rate = std::round((passed + failed) / 2);
    if (o.rate < 1) {
      break;
    }
    out << "--- " << kKindNames[k] << "s alone, open loop at " << o.rate << " req/s\n";
    auto f = run_one(o, host, port, keys, only, batch_records, ids.take(o.connections), out, err);
    if (!f) {
      return {};
    }
    const bool served = f->replies_per_s[k] >= (1 - base.within) * o.rate;
    const bool ok = served && f->p99_ms[k] <= base.p99_bound_ms;
    if (served) {
      served_only = std::max(served_only, o.rate);
    }
    out << "    served " << std::setprecision(0) << f->replies_per_s[k] << "/s, p99 "
        << std::setprecision(3) << f->p99_ms[k] << " ms: " << (ok ? "within" : "beyond")
        << " the bounds\n";
    (ok ? passed : failed) = o.rate;
  }
  if (passed > 0) {
    return {passed, true};
  }
  return {served_only, false};
}

//! Calibration and the predicted-vs-measured table, in one command. Each request kind of the mix
//! gets its open-loop capacity μ (open_loop_capacity) and is modelled as the simulator's
//! ServiceQueue with c = --servers servers of mean service time c/μ, a fixed latency F (network,
//! framing, thread hand-overs outside the queue) and a service-time cv, F and cv fitted to the
//! sweep's loads served within the bounds (fit_latency: in-sample, two parameters). The
//! calibration file holds them per kind; a scenario loading it simulates exactly the queues of the
//! "predicted" columns (one queue per service, as in the simulator; the live server shares its
//! cores among the kinds, so a mixed load's prediction is optimistic).
int run_sweep(const LoadgenOptions& base, const std::string& host, uint16_t port,
              const live::CloudKeys& keys, const std::array<double, kKinds>& mix,
              uint32_t batch_records, uint64_t run_base, std::ostream& out, std::ostream& err) {
  std::vector<double> rates = base.sweep;
  std::sort(rates.begin(), rates.end());
  RunIds ids{run_base};
  const auto main_kind =
      static_cast<size_t>(std::max_element(mix.begin(), mix.end()) - mix.begin());
  std::array<double, kKinds> capacity{};
  std::array<bool, kKinds> p99_met{};
  for (size_t k = 0; k < kKinds; ++k) {
    if (mix[k] <= 0) {
      continue;
    }
    const Capacity c = open_loop_capacity(base, host, port, keys, k, batch_records, ids, out, err);
    capacity[k] = c.per_s;
    p99_met[k] = c.p99_met;
    if (capacity[k] <= 0) {
      err << "saturation search of " << kKindNames[k]
          << "s: no rate was served within --within of its offered rate\n";
      return kInternalFailure;
    }
    if (!p99_met[k]) {
      out << kKindNames[k] << "s: no probe met p99 <= " << base.p99_bound_ms
          << " ms; capacity by throughput alone: " << capacity[k] << "/s\n";
    }
  }
  std::vector<LoadFigures> measured;
  for (const double rate : rates) {
    LoadgenOptions o = base;
    o.rate = rate;
    o.as_fast_as_possible = false;
    out << "--- load " << rate << " req/s\n";
    auto f = run_one(o, host, port, keys, mix, batch_records, ids.take(o.connections), out, err);
    if (!f) {
      return kInternalFailure;
    }
    measured.push_back(*f);
  }
  // The capacity is the highest rate served within the bounds in any run: on a shared machine one
  // probe can fail on a neighbour's burst while a higher sweep load passes.
  auto within_bounds = [&](const LoadFigures& f, size_t k, double offered) {
    return f.replies_per_s[k] >= (1 - base.within) * offered &&
           (!p99_met[k] || f.p99_ms[k] <= base.p99_bound_ms);
  };
  for (size_t k = 0; k < kKinds; ++k) {
    for (size_t i = 0; i < rates.size() && mix[k] > 0; ++i) {
      if (rates[i] * mix[k] > capacity[k] && within_bounds(measured[i], k, rates[i] * mix[k])) {
        out << kKindNames[k] << "s: capacity raised from " << capacity[k] << " to "
            << rates[i] * mix[k] << "/s (the sweep load served within the bounds)\n";
        capacity[k] = rates[i] * mix[k];
      }
    }
  }
  // Each kind's queue: c servers at its capacity, then F and the service-time variability fitted
  // to the loads it served within the bounds.
  std::array<models::CloudServiceConfig, kKinds> queue{};
  std::array<double, kKinds> fixed_ms{};
  std::array<std::optional<double>, kKinds> cv{};
  for (size_t k = 0; k < kKinds; ++k) {
    if (mix[k] <= 0) {
      continue;
    }
    queue[k] = models::CloudServiceConfig{
        base.servers,
        Duration::micros(std::max<int64_t>(1, std::llround(base.servers / capacity[k] * 1e6))),
        100'000'000,
        Duration::minutes(10),
        Duration::zero(),
        {}};
    std::vector<models::LatencyPoint> points;
    for (size_t i = 0; i < rates.size(); ++i) {
      const double offered = rates[i] * mix[k];
      const LoadFigures& f = measured[i];
      if (offered < capacity[k] && within_bounds(f, k, offered)) {
        points.push_back({models::erlang_c_wait_s(base.servers, offered, capacity[k]) * 1e3,
                          f.mean_ms[k], offered / capacity[k]});
      }
    }
    const models::LatencyFit fit = models::fit_latency(points, base.servers / capacity[k] * 1e3);
    fixed_ms[k] = fit.fixed_ms;
    cv[k] = fit.cv;
    queue[k].fixed_latency = Duration::micros(std::llround(fixed_ms[k] * 1000));
    queue[k].service_time_cv = cv[k];
  }
  // What the simulator predicts with that calibration, per load: each kind's queue at its share.
  struct Row {
    double served = 0;
    double load = 0; //!< Σ offered/capacity over the kinds: the shared server's utilisation
    double mean_ms = 0;
    double p99_ms = 0;
    bool saturated = false;
  };
  std::vector<Row> predicted;
  for (const double rate : rates) {
    Row row;
    double weight = 0;
    for (size_t k = 0; k < kKinds; ++k) {
      if (mix[k] <= 0) {
        continue;
      }
      const double offered = rate * mix[k];
      const Predicted p = predict(queue[k], offered);
      row.served += std::min(offered, capacity[k]);
      row.load += offered / capacity[k];
      row.saturated = row.saturated || p.saturated;
      row.mean_ms += offered * p.mean_ms;
      weight += offered;
      if (k == main_kind) {
        row.p99_ms = p.p99_ms;
      }
    }
    row.mean_ms = weight > 0 ? row.mean_ms / weight : 0;
    predicted.push_back(row);
  }
  auto served = [](const LoadFigures& f) {
    return f.replies_per_s[0] + f.replies_per_s[1] + f.replies_per_s[2];
  };
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
  std::ostringstream table;
  table << std::fixed << std::setprecision(3);
  table << "| offered req/s | predicted served/s | measured served/s | load | predicted mean ms |"
           " measured mean ms | predicted p99 ms | measured p99 ms ("
        << kKindNames[main_kind] << ") |\n"
        << "|---|---|---|---|---|---|---|---|\n";
  for (size_t i = 0; i < rates.size(); ++i) {
    const Row& p = predicted[i];
    table << "| " << rates[i] << " | " << p.served << " | " << served(measured[i]) << " | "
          << p.load << " | ";
    if (p.saturated) {
      table << "saturated | " << mix_mean(measured[i]) << " | saturated";
    } else {
      table << p.mean_ms << " | " << mix_mean(measured[i]) << " | " << p.p99_ms;
    }
    table << " | " << measured[i].p99_ms[main_kind] << " |\n";
  }
  std::ostringstream model;
  model << std::fixed << std::setprecision(3)
        << "model: the simulator's ServiceQueue per kind; open-loop capacity = the highest rate "
           "served within "
        << base.within * 100 << " % with p99 <= " << base.p99_bound_ms << " ms;";
  for (size_t k = 0; k < kKinds; ++k) {
    if (mix[k] > 0) {
      model << ' ' << kKindNames[k] << ": capacity " << capacity[k] << "/s, " << base.servers
            << " server(s) x " << queue[k].mean_service_time.us() << " us, service time cv "
            << (cv[k] ? std::to_string(*cv[k]).substr(0, 5) : std::string("1 (exponential)"))
            << ", fixed latency " << fixed_ms[k] << " ms;";
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
        if (cv[k]) {
          cal << " service_time_cv: " << std::setprecision(3) << *cv[k];
        }
        cal << " }\n";
      }
    };
    cal << "# hcesim loadgen calibration (proto/cloud_calibration.proto): load it from a scenario\n"
        << "# with cloud_calibration: \"<this file>\"\n"
        << "source: \"hcesim loadgen --target " << base.target << ", " << base.connections
        << " connections, " << base.duration_s << " s per run, open-loop capacity within "
        << base.within * 100 << " % and p99 <= " << base.p99_bound_ms << " ms\"\n";
    service("issuing", kTokens);
    service("settlement", kUpload);
    service("top_up", kTopUp);
    cal << "\n# " << model.str();
    std::istringstream rows(table.str());
    for (std::string line; std::getline(rows, line);) {
      cal << "# " << line << '\n';
    }
  }
  return kOk;
}

int run_loadgen(const LoadgenOptions& o, std::ostream& out, std::ostream& err) {
  const auto colon = o.target.rfind(':');
  if (colon == std::string::npos) {
    err << "--target: expected HOST:PORT\n";
    return kBadInput;
  }
  const std::string host = o.target.substr(0, colon);
  const auto port = static_cast<uint16_t>(std::stoi(o.target.substr(colon + 1)));
  if (!o.as_fast_as_possible && o.rate <= 0 && o.sweep.empty()) {
    err << "give --rate X (requests/s), --sweep X,Y,... or --as-fast-as-possible\n";
    return kBadInput;
  }
  if (!o.mix.empty() && o.mix != "scenario" && o.mix != "tokens" && o.mix != "uploads" &&
      o.mix != "top-ups") {
    err << "--mix: expected scenario, tokens, uploads or top-ups, got \"" << o.mix << "\"\n";
    return kBadInput;
  }
  if (!o.calibration.empty() && o.sweep.empty()) {
    err << "--calibration needs --sweep (the loads of the predicted-vs-measured table)\n";
    return kBadInput;
  }
  if (o.servers < 1 || o.within <= 0 || o.within >= 1 || o.p99_bound_ms <= 0) {
    err << "--servers must be >= 1, --within in (0, 1), --p99-bound > 0\n";
    return kBadInput;
  }
  auto keys = live::load_keys(o.data);
  if (!keys.ok()) {
    err << keys.error().where << ": " << keys.error().what << '\n';
    return kBadInput;
  }
  uint32_t batch_records = o.batch_records > 0 ? o.batch_records : 50;
  std::array<double, kKinds> mix{};
  if (o.mix == "tokens") {
    mix = {1, 0, 0};
  } else if (o.mix == "uploads") {
    mix = {0, 1, 0};
  } else if (o.mix == "top-ups") {
    mix = {0, 0, 1};
  } else {
    if (o.scenario.empty()) {
      err << "--scenario is needed for the scenario mix\n";
      return kBadInput;
    }
    const models::LoadedScenario s = models::load_scenario(o.scenario, o.overrides);
    if (!s.ok()) {
      report_errors(err, s.errors);
      return kBadInput;
    }
    // The mix of a simulated run of the scenario: its busiest hour's requests per second.
    const auto run = models::simulated_request_mix(s.config);
    if (!run.ok()) {
      err << run.error().where << ": " << run.error().what << '\n';
      return kBadInput;
    }
    if (o.batch_records == 0) {
      batch_records = std::max<uint32_t>(
          1, static_cast<uint32_t>(std::lround(std::max(1.0, run->taps_per_upload))));
    }
    mix = run->shares();
    out << std::fixed << std::setprecision(3) << "simulated run of " << s.config.name << " ("
        << s.config.population.riders << " riders, " << s.config.days
        << " measured day(s)), busiest hour " << std::setw(2) << std::setfill('0') << run->hour
        << ":00: token requests " << run->token_requests << "/s, uploads " << run->uploads << "/s ("
        << run->taps_per_upload << " taps each on average), top-ups " << run->top_ups << "/s"
        << std::setfill(' ') << '\n';
  }
  out << std::fixed << std::setprecision(4) << "mix: tokens " << mix[kTokens] << ", uploads "
      << mix[kUpload] << " (" << batch_records << " taps each), top-ups " << mix[kTopUp] << '\n';

  // Fresh ids per run (so a re-run on the same data folder settles new taps, not duplicates).
  const auto run_base = static_cast<uint64_t>(wall_now().us() / 1'000'000 % 4'000) * 1'000;
  if (o.sweep.empty()) {
    return run_one(o, host, port, *keys, mix, batch_records, run_base, out, err) ? kOk
                                                                                 : kInternalFailure;
  }
  return run_sweep(o, host, port, *keys, mix, batch_records, run_base, out, err);
}

} // namespace hcesim::cli
