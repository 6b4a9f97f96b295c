#include "hcesim/loadgen_run.h"

#include "hce/token/validator.h"
#include "hce/token/wallet.h"
#include "hce/token/wire.h"
#include "live/blocking_client.h"
#include "live/cloud_keys.h"
#include "live/request_signer.h"
#include "sim/stats/log_histogram.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <iomanip>
#include <mutex>
#include <random>
#include <thread>

namespace hcesim::cli {

Time wall_now() {
  return Time::from_us(std::chrono::duration_cast<std::chrono::microseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count());
}

namespace {

using Clock = std::chrono::steady_clock;
using Kind = RequestKind;

struct Outcome {
  sim::LogHistogram latency_ms;
  std::array<uint64_t, 16> bins{}; //!< histogram for the report (edges below)
  uint64_t ok = 0;
  uint64_t refused = 0;
  uint64_t failed = 0;
  Clock::time_point last_reply{};         //!< rates count the time up to the last reply
  std::array<double, 4> quarter_sum_ms{}; //!< by the quarter of the run the request was sent in
  std::array<uint64_t, 4> quarter_n{};
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

//! Sends the envelopes pipelined 200 at a time (the server's group commit takes many per fsync;
//! its per-connection --burst must allow 200) and returns the replies in order; any reply not OK
//! is an error naming `what` and the index.
Result<std::vector<proto::Reply>> pipelined(live::BlockingClient& c,
                                            const std::vector<std::string>& envelopes,
                                            const std::string& what) {
  constexpr size_t kWindow = 200;
  std::vector<proto::Reply> replies;
  replies.reserve(envelopes.size());
  for (size_t at = 0; at < envelopes.size(); at += kWindow) {
    const size_t n = std::min(kWindow, envelopes.size() - at);
    for (size_t i = 0; i < n; ++i) {
      if (auto sent = c.send_frame(envelopes[at + i]); !sent.ok()) {
        return sent.error();
      }
    }
    for (size_t i = 0; i < n; ++i) {
      auto r = c.receive(std::chrono::seconds(30));
      if (!r.ok()) {
        return r.error();
      }
      if (r->status() != proto::REPLY_OK) {
        return Error{what + " " + std::to_string(at + i), r->reason()};
      }
      replies.push_back(std::move(*r));
    }
  }
  return replies;
}

//! What the operator hands a new phone at account opening.
struct DeviceCredentials {
  hce::Key128 auth_key{};   //!< its request key
  hce::Key128 device_key{}; //!< its grant key
};

//! Opens the accounts (one device each, device id = account) as the operator.
Result<std::vector<DeviceCredentials>> open_accounts(live::BlockingClient& c,
                                                     live::RequestSigner& op,
                                                     const std::vector<uint64_t>& accounts) {
  std::vector<std::string> envelopes;
  envelopes.reserve(accounts.size());
  for (const uint64_t a : accounts) {
    proto::AccountOpening o;
    o.set_account(a);
    o.set_device(a);
    o.set_debt_limit_minor(1'000'000'000);
    o.set_opening_balance_minor(1'000'000'000);
    o.set_card(1);
    envelopes.push_back(op.envelope(proto::REQUEST_OPEN, o.SerializeAsString(), wall_now()));
  }
  auto replies = pipelined(c, envelopes, "opening account");
  if (!replies.ok()) {
    return replies.error();
  }
  std::vector<DeviceCredentials> creds;
  for (size_t i = 0; i < replies->size(); ++i) {
    const std::string who = "account " + std::to_string(accounts[i]);
    proto::AccountView v;
    if (!v.ParseFromString((*replies)[i].body())) {
      return Error{who, "the opening's reply does not parse"};
    }
    auto auth = live::key_from_bytes(v.auth_key(), who + ": auth_key");
    auto device = live::key_from_bytes(v.device_key(), who + ": device_key");
    if (!auth.ok() || !device.ok()) {
      return auth.ok() ? device.error() : auth.error();
    }
    creds.push_back({*auth, *device});
  }
  return creds;
}

//! Genuine taps for the lane's validator, provisioned by the operator like a new validator: its
//! riders' phones get their tokens from the server (token requests), tap the validator, and its
//! records are batched in sequence order, acknowledged locally as the server will acknowledge them.
Result<void> build_batches(Lane& lane, live::BlockingClient& c, live::RequestSigner& op,
                           const std::vector<DeviceCredentials>& riders, uint32_t validator,
                           size_t batches, uint32_t records) {
  proto::ValidatorProvisioning p;
  p.set_validator(validator);
  auto provisioned =
      pipelined(c, {op.envelope(proto::REQUEST_PROVISION, p.SerializeAsString(), wall_now())},
                "provisioning validator");
  if (!provisioned.ok()) {
    return provisioned.error();
  }
  const std::string who = "validator " + std::to_string(validator);
  proto::ValidatorCredentials vc_keys;
  if (!vc_keys.ParseFromString(provisioned->front().body())) {
    return Error{who, "the provisioning reply does not parse"};
  }
  auto auth = live::key_from_bytes(vc_keys.auth_key(), who + ": auth_key");
  auto sam = live::key_from_bytes(vc_keys.validator_key(), who + ": validator_key");
  auto denylist = live::key_from_bytes(vc_keys.denylist_key(), who + ": denylist_key");
  for (const auto* k : {&auth, &sam, &denylist}) {
    if (!k->ok()) {
      return k->error();
    }
  }
  lane.validator =
      std::make_unique<live::RequestSigner>(proto::PRINCIPAL_VALIDATOR, validator, *auth);
  hce::ValidatorConfig vc{ValidatorId(validator), StopId(1)};
  vc.store_capacity = batches * records + 10;
  vc.replay_capacity = batches * records + 10;
  hce::Validator gate(vc, *denylist);
  if (auto k = gate.install_key(vc_keys.key_version(), *sam); !k.ok()) {
    return Error{who, k.error().to_string()};
  }
  // Each rider's phone, with a grant from the server (one token request each, pipelined).
  std::vector<std::unique_ptr<hce::Wallet>> wallets;
  std::vector<live::RequestSigner> phones;
  auto request_tokens = [&](const std::vector<size_t>& which) -> Result<void> {
    std::vector<std::string> envelopes;
    for (const size_t w : which) {
      const uint64_t a = lane.tap_accounts[w];
      envelopes.push_back(phones[w].envelope(
          proto::REQUEST_TOKENS,
          hce::encode(hce::TokenRequest{AccountId(a), DeviceId(a), wall_now()}), wall_now()));
    }
    auto grants = pipelined(c, envelopes, "token request of rider");
    if (!grants.ok()) {
      return grants.error();
    }
    for (size_t i = 0; i < which.size(); ++i) {
      auto g = hce::decode_token_grant(hce::as_bytes((*grants)[i].body()));
      if (!g.ok()) {
        return g.error();
      }
      if (auto added = wallets[which[i]]->accept_grant(*g); !added.ok()) {
        return added.error();
      }
    }
    return {};
  };
  std::vector<size_t> all;
  for (size_t w = 0; w < lane.tap_accounts.size(); ++w) {
    const uint64_t a = lane.tap_accounts[w];
    wallets.push_back(std::make_unique<hce::Wallet>(AccountId(a), DeviceId(a), riders[w].device_key,
                                                    hce::RefillPolicy{}));
    phones.emplace_back(proto::PRINCIPAL_DEVICE, a, riders[w].auth_key);
    all.push_back(w);
  }
  if (auto r = request_tokens(all); !r.ok()) {
    return r;
  }
  hce::SeededRandomSource random(validator);
  size_t w = 0;
  for (size_t b = 0; b < batches; ++b) {
    for (uint32_t r = 0; r < records; ++r) {
      const Time now = wall_now();
      const size_t at = w++ % wallets.size();
      hce::Wallet& wallet = *wallets[at];
      wallet.drop_spent(now);
      if (wallet.taps_left(now) == 0) {
        if (auto more = request_tokens({at}); !more.ok()) {
          return more;
        }
      }
      auto answer = wallet.answer(gate.challenge(now, hce::TapKind::kFlat, random), now);
      if (!answer) {
        return Error{"rider " + std::to_string(lane.tap_accounts[at]), "no token to tap with"};
      }
      const hce::TapOutcome outcome = gate.verify(*answer, now);
      if (!outcome.accepted()) {
        return Error{"validator " + std::to_string(validator),
                     std::string("refused a genuine tap: ") + hce::to_string(outcome.refusal)};
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
  return {};
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

void record(Outcome& o, double ms, size_t quarter, const Result<proto::Reply>& r) {
  o.last_reply = Clock::now();
  if (!r.ok()) {
    ++o.failed;
    return;
  }
  o.quarter_sum_ms[quarter] += std::max(0.0, ms);
  ++o.quarter_n[quarter];
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
           const RequestMix& mix, Clock::time_point start, Clock::time_point end) {
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
      const double at = std::chrono::duration<double>(head.second - start).count() /
                        std::max(1e-9, std::chrono::duration<double>(end - start).count());
      record(lane.outcome[head.first], ms, std::clamp<size_t>(static_cast<size_t>(at * 4), 0, 3),
             r);
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

std::optional<LoadFigures> run_one(const LoadgenOptions& o, const std::string& host, uint16_t port,
                                   const hce::Key128& operator_key, const RequestMix& mix,
                                   uint32_t batch_records, uint64_t run_base, std::ostream& out,
                                   std::ostream& err) {
  const uint32_t devices_per_lane = 16;
  const auto setup_began = Clock::now();
  std::vector<Lane> lanes(o.connections);
  live::BlockingClient setup;
  if (auto c = setup.connect(host, port); !c.ok()) {
    err << c.error().where << ": " << c.error().what << '\n';
    return std::nullopt;
  }
  live::RequestSigner op(proto::PRINCIPAL_OPERATOR, 0, operator_key);
  // Taps are built before the run (real tokens from the server, real validators): enough for a
  // closed-loop run at ~4,000 batches/s, at most 1.5 M (a lane that runs out stops early; rates
  // count its time to its last reply).
  const double expected = o.as_fast_as_possible ? 4000.0 * o.duration_s : o.rate * o.duration_s;
  const auto batches_per_lane =
      static_cast<size_t>(std::min(1'500'000.0 / batch_records / o.connections,
                                   std::ceil(expected * mix[kUpload] * 1.2 / o.connections) + 1));
  for (uint32_t i = 0; i < o.connections; ++i) {
    Lane& lane = lanes[i];
    lane.index = i;
    for (uint32_t d = 0; d < devices_per_lane; ++d) {
      lane.accounts.push_back((run_base + i) * 1'000'000 + d + 1);
    }
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
    auto creds = open_accounts(setup, op, to_open);
    if (!creds.ok()) {
      err << "setup: " << creds.error().where << ": " << creds.error().what << '\n';
      return std::nullopt;
    }
    for (uint32_t d = 0; d < devices_per_lane; ++d) {
      lane.devices.emplace_back(proto::PRINCIPAL_DEVICE, lane.accounts[d], (*creds)[d].auth_key);
    }
    if (mix[kUpload] > 0) {
      const std::vector<DeviceCredentials> riders(creds->begin() + devices_per_lane, creds->end());
      if (auto b = build_batches(lane, setup, op, riders, static_cast<uint32_t>(run_base + i + 1),
                                 batches_per_lane, batch_records);
          !b.ok()) {
        err << "setup: " << b.error().where << ": " << b.error().what << '\n';
        return std::nullopt;
      }
    }
  }
  setup.close();
  size_t accounts = 0;
  size_t batches = 0;
  for (const Lane& lane : lanes) {
    accounts += lane.accounts.size() + lane.tap_accounts.size();
    batches += lane.batches.size();
  }
  // Flushed now: a script can tell the set-up from the run (e.g. to take CPU times of the run).
  out << "setup: " << accounts << " accounts opened, " << lanes.size() << " validators, " << batches
      << " tap batches built in " << std::setprecision(3)
      << std::chrono::duration<double>(Clock::now() - setup_began).count() << " s; running"
      << std::endl;

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
  std::array<bool, kKinds> stable{};
  for (size_t k = 0; k < kKinds; ++k) {
    Outcome total;
    for (Lane& lane : lanes) {
      const Outcome& x = lane.outcome[k];
      total.latency_ms.merge(x.latency_ms);
      total.ok += x.ok;
      total.refused += x.refused;
      total.failed += x.failed;
      total.last_reply = std::max(total.last_reply, x.last_reply);
      for (size_t q = 0; q < 4; ++q) {
        total.quarter_sum_ms[q] += x.quarter_sum_ms[q];
        total.quarter_n[q] += x.quarter_n[q];
      }
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
    auto quarter_mean = [&](size_t q) {
      return total.quarter_n[q] > 0
                 ? total.quarter_sum_ms[q] / static_cast<double>(total.quarter_n[q])
                 : 0.0;
    };
    stable[k] =
        quarter_mean(2) + quarter_mean(3) <= 1.5 * (quarter_mean(0) + quarter_mean(1)) + 2.0;
    out << std::setprecision(3) << kKindNames[k] << ": " << n << " replies (" << per_s[k]
        << "/s) in " << active << " s, ok " << total.ok << ", refused " << total.refused
        << ", failed " << total.failed << "; latency ms p50 " << total.latency_ms.quantile(0.5)
        << " p95 " << total.latency_ms.quantile(0.95) << " p99 " << total.latency_ms.quantile(0.99)
        << " p99.9 " << total.latency_ms.quantile(0.999) << " max " << total.latency_ms.max()
        << "; mean ms by quarter of the run " << quarter_mean(0) << ' ' << quarter_mean(1) << ' '
        << quarter_mean(2) << ' ' << quarter_mean(3) << (stable[k] ? "" : " (growing)") << '\n';
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
  figures.stable = stable;
  return figures;
}

} // namespace hcesim::cli
