#include "hce/token/record_store.h"

#include <algorithm>
#include <cassert>

namespace hcesim::hce {

RecordStore::RecordStore(size_t capacity) : capacity_(capacity) {
  assert(capacity >= 1);
}

namespace {
constexpr size_t kSmallestRing = 16;
}

void RecordStore::relocate(size_t slots) {
  assert(slots >= size_);
  std::vector<Slot> moved(slots);
  for (size_t i = 0; i < size_; ++i) {
    moved[i] = std::move(ring_[(head_ + i) % ring_.size()]);
  }
  ring_.swap(moved);
  head_ = 0;
}

TapRecord& RecordStore::emplace(uint64_t sequence) {
  assert(!full());
  assert(size_ == 0 || sequence == head_sequence_ + size_);
  if (size_ == ring_.size()) {
    relocate(std::min(capacity_, std::max(kSmallestRing, ring_.size() * 2)));
  }
  if (size_ == 0) {
    head_sequence_ = sequence;
  }
  Slot& slot = ring_[(head_ + size_) % ring_.size()];
  slot.acked = false;
  slot.record.sequence = sequence;
  ++size_;
  ++unacked_;
  return slot.record;
}

void RecordStore::push(const TapRecord& record) {
  emplace(record.sequence) = record;
}

std::vector<TapRecord> RecordStore::oldest_unacknowledged(size_t max) const {
  std::vector<TapRecord> out;
  for (size_t i = 0; i < size_ && out.size() < max; ++i) {
    const Slot& s = ring_[(head_ + i) % ring_.size()];
    if (!s.acked) {
      out.push_back(s.record);
    }
  }
  return out;
}

size_t RecordStore::acknowledge(std::span<const uint64_t> sequences) {
  size_t newly = 0;
  for (uint64_t seq : sequences) {
    if (size_ == 0 || seq < head_sequence_ || seq - head_sequence_ >= size_) {
      continue;
    }
    Slot& s = ring_[(head_ + static_cast<size_t>(seq - head_sequence_)) % ring_.size()];
    assert(s.record.sequence == seq);
    if (!s.acked) {
      s.acked = true;
      --unacked_;
      ++newly;
    }
  }
  while (size_ > 0 && ring_[head_].acked) {
    head_ = (head_ + 1) % ring_.size();
    --size_;
    ++head_sequence_;
  }
  // Give back what a busy hour grew: an emptied store holds nothing, a quarter-full one halves
  // twice (hysteresis: it is then half full, so a few more taps do not grow it straight back).
  if (size_ == 0) {
    if (!ring_.empty()) {
      relocate(0);
    }
  } else if (ring_.size() > kSmallestRing && 4 * size_ <= ring_.size()) {
    relocate(std::max(kSmallestRing, 2 * size_));
  }
  return newly;
}

} // namespace hcesim::hce
