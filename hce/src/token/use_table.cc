#include "hce/token/use_table.h"

#include <cassert>

namespace hcesim::hce {

uint32_t UseTable::expiry_seconds(Time t) {
  // Rounded up and clamped upwards: an entry may be kept longer than exact, never forgotten early.
  const int64_t us = t.us();
  if (us <= 0) {
    return 0;
  }
  if (us > int64_t{kNeverExpires - 1} * 1'000'000) {
    return kNeverExpires;
  }
  return static_cast<uint32_t>((us + 999'999) / 1'000'000);
}

Time UseTable::expiry_time(uint32_t seconds) {
  return seconds == kNeverExpires ? Time::max() : Time::epoch() + Duration::seconds(seconds);
}

size_t UseTable::home(const Key& key) const {
  // Token ids are random; the mix spreads the counters of one token too.
  uint64_t x =
      key.token.hi ^ (key.token.lo * 0x9e3779b97f4a7c15ULL) ^ (uint64_t{key.counter} << 41);
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return static_cast<size_t>(x) & (slots_.size() - 1);
}

size_t UseTable::probe(const Key& key) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = home(key);; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.packed == 0 || (static_cast<uint16_t>(s.packed) == key.counter && s.token == key.token)) {
      return i;
    }
  }
}

std::optional<UseTable::FirstUse> UseTable::find(const Key& key) const {
  if (slots_.empty()) {
    return std::nullopt;
  }
  const Slot& s = slots_[probe(key)];
  return s.packed == 0 ? std::nullopt : std::optional<FirstUse>(use_of(s));
}

std::pair<UseTable::FirstUse, bool> UseTable::try_emplace(const Key& key, const FirstUse& use) {
  assert(use.record.sequence != 0 && use.record.sequence <= kMaxRecordSequence);
  if (5 * (size_ + 1) > 4 * slots_.size()) {
    rehash(slots_.empty() ? 64 : 2 * slots_.size()); // at most four fifths full
  }
  Slot& s = slots_[probe(key)];
  if (s.packed != 0) {
    return {use_of(s), false};
  }
  s = Slot{key.token, use.record.sequence << 16 | key.counter, use.record.validator,
           expiry_seconds(use.expires_at)};
  ++size_;
  return {use_of(s), true};
}

void UseTable::rehash(size_t slots) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(slots, Slot{});
  for (const Slot& s : old) {
    if (s.packed != 0) {
      slots_[probe(key_of(s))] = s;
    }
  }
}

void UseTable::erase_slot(size_t slot) {
  const size_t mask = slots_.size() - 1;
  slots_[slot] = Slot{};
  --size_;
  size_t hole = slot;
  for (size_t s = (slot + 1) & mask; slots_[s].packed != 0; s = (s + 1) & mask) {
    const size_t h = home(key_of(slots_[s]));
    // Move the entry into the hole unless its home lies in (hole, s] (it would become unreachable).
    const bool stays = hole <= s ? (h > hole && h <= s) : (h > hole || h <= s);
    if (!stays) {
      slots_[hole] = slots_[s];
      slots_[s] = Slot{};
      hole = s;
    }
  }
}

bool UseTable::operator==(const UseTable& other) const {
  if (size_ != other.size_) {
    return false;
  }
  for (const Slot& s : slots_) {
    if (s.packed == 0) {
      continue;
    }
    const std::optional<FirstUse> o = other.find(key_of(s));
    if (!o || *o != use_of(s)) {
      return false;
    }
  }
  return true;
}

} // namespace hcesim::hce
