// SettlementState <-> SettlementStateSnapshot, for the cloud's journal.
#include "hce/token/record_id.h"
#include "hce/token/wire.h"

#include "proto/token.pb.h"

#include <algorithm>
#include <limits>

namespace hcesim::hce {

std::string encode(const SettlementState& m) {
  proto::SettlementStateSnapshot p;
  for (const auto& [id, seen] : m.validators) {
    auto* v = p.add_validators();
    v->set_validator(id.value());
    v->set_settled_through(seen.settled_through);
    for (uint64_t s : seen.above) {
      v->add_above(s);
    }
    v->set_last_sequence(seen.last_sequence);
    v->set_last_tap_time_us(seen.last_tap_time.us());
  }
  // The hash maps' order is arbitrary: sort so the bytes are a function of the state.
  std::vector<std::pair<SettlementState::UseKey, SettlementState::FirstUse>> uses;
  uses.reserve(m.uses.size());
  m.uses.for_each([&](const auto& key, const auto& use) { uses.emplace_back(key, use); });
  std::sort(uses.begin(), uses.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first.token, a.first.counter) < std::tie(b.first.token, b.first.counter);
  });
  for (const auto& [key, use] : uses) {
    auto* u = p.add_uses();
    u->set_token_hi(key.token.hi);
    u->set_token_lo(key.token.lo);
    u->set_counter(key.counter);
    u->set_validator(use.record.validator.value());
    u->set_sequence(use.record.sequence);
    u->set_expires_at_us(use.expires_at.us());
  }
  std::vector<AccountId> accounts;
  accounts.reserve(m.travel.size());
  for (const auto& t : m.travel) {
    accounts.push_back(t.first);
  }
  std::sort(accounts.begin(), accounts.end());
  for (AccountId a : accounts) {
    auto* t = p.add_travel();
    t->set_account(a.value());
    for (const auto& s : m.travel.at(a)) {
      auto* q = t->add_sightings();
      q->set_time_us(s.time.us());
      q->set_stop(s.stop.value());
    }
  }
  p.set_entry_count(m.validators.size() + m.uses.size() + m.travel.size());
  std::string out;
  p.SerializeToString(&out);
  return out;
}

Result<SettlementState> decode_settlement_state(Bytes bytes) {
  proto::SettlementStateSnapshot p;
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()) ||
      !p.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return Error{"SettlementStateSnapshot", "not a valid SettlementStateSnapshot encoding "
                                            "(truncated or corrupt, " +
                                                std::to_string(bytes.size()) + " bytes)"};
  }
  const uint64_t entries = static_cast<uint64_t>(p.validators_size()) +
                           static_cast<uint64_t>(p.uses_size()) +
                           static_cast<uint64_t>(p.travel_size());
  if (!p.has_entry_count() || p.entry_count() != entries) {
    return Error{"SettlementStateSnapshot.entry_count",
                 "expected " + std::to_string(entries) + " (the entries present), found " +
                     std::to_string(p.entry_count()) + ": truncated or altered"};
  }
  SettlementState s;
  for (int i = 0; i < p.validators_size(); ++i) {
    const auto& v = p.validators(i);
    const std::string at = "SettlementStateSnapshot.validators[" + std::to_string(i) + "]";
    SettlementState::ValidatorSeen seen;
    seen.settled_through = v.settled_through();
    for (uint64_t a : v.above()) {
      if (a <= seen.settled_through) {
        return Error{at + ".above", "expected sequences above settled_through " +
                                        std::to_string(seen.settled_through) + ", found " +
                                        std::to_string(a)};
      }
      seen.above.insert(a);
    }
    seen.last_sequence = v.last_sequence();
    seen.last_tap_time = Time::from_us(v.last_tap_time_us());
    if (!s.validators.emplace(ValidatorId(v.validator()), seen).second) {
      return Error{at + ".validator", "validator " + std::to_string(v.validator()) + " repeated"};
    }
  }
  for (int i = 0; i < p.uses_size(); ++i) {
    const auto& u = p.uses(i);
    const std::string at = "SettlementStateSnapshot.uses[" + std::to_string(i) + "]";
    // 0 too: the checks remember an over-limit counter's use as any other (it may be cloned).
    if (u.counter() > std::numeric_limits<uint16_t>::max()) {
      return Error{at + ".counter", "expected 0..65535, found " + std::to_string(u.counter())};
    }
    if (u.sequence() == 0 || u.sequence() > kMaxRecordSequence) {
      return Error{at + ".sequence", "expected 1.." + std::to_string(kMaxRecordSequence) +
                                         ", found " + std::to_string(u.sequence())};
    }
    const SettlementState::UseKey key{TokenId{u.token_hi(), u.token_lo()},
                                      static_cast<uint16_t>(u.counter())};
    const SettlementState::FirstUse use{RecordId{ValidatorId(u.validator()), u.sequence()},
                                        Time::from_us(u.expires_at_us())};
    if (!s.uses.try_emplace(key, use).second) {
      return Error{at, "(token, counter) repeated"};
    }
  }
  for (int i = 0; i < p.travel_size(); ++i) {
    const auto& t = p.travel(i);
    const std::string at = "SettlementStateSnapshot.travel[" + std::to_string(i) + "]";
    std::vector<SettlementState::Sighting> seen;
    for (const auto& q : t.sightings()) {
      const Time time = Time::from_us(q.time_us());
      if (!seen.empty() && time < seen.back().time) {
        return Error{at + ".sightings", "expected ascending times"};
      }
      seen.push_back(SettlementState::Sighting{time, StopId(q.stop())});
    }
    if (!s.travel.emplace(AccountId(t.account()), std::move(seen)).second) {
      return Error{at + ".account", "account " + std::to_string(t.account()) + " repeated"};
    }
  }
  return s;
}

} // namespace hcesim::hce
