#pragma once
// A counter-based random stream: draw i of the stream for (seed, purpose, entity) is a pure
// function of those four integers, so one entity's numbers never depend on how many draws other
// streams made (common random numbers across policies, DESIGN §3 rule 5).
#include <cstdint>

namespace hcesim::sim {

//! Why a stream is drawn from; each purpose of each entity has its own stream.
enum class Purpose : uint32_t {
  kEngine = 0,     //!< engine benchmarks and validity models (PHOLD, queues)
  kTrips = 1,      //!< which trips a rider plans
  kNetwork = 2,    //!< phone connectivity
  kTopUp = 3,      //!< top-up behaviour
  kCloud = 4,      //!< service times in the cloud capacity model
  kBank = 5,       //!< bank answers
  kTokens = 6,     //!< token ids and challenge numbers fed to hce/
  kAttack = 7,     //!< adversaries
  kFaults = 8,     //!< fault schedules
  kPopulation = 9, //!< who the riders are
  kPhone = 10,     //!< when a phone app acts in the background
};

class RandomStream {
public:
  RandomStream(uint64_t seed, Purpose purpose, uint64_t entity)
      : RandomStream(seed, static_cast<uint32_t>(purpose), entity) {}
  RandomStream(uint64_t seed, uint32_t purpose, uint64_t entity);

  //! The next 64 random bits.
  uint64_t next_u64() { return draw(counter_++); }
  //! Uniform on [0, 1) with 53 random bits.
  double next_double() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  //! Uniform on (0, 1): never 0, safe under log().
  double next_open_double() { return (static_cast<double>(next_u64() >> 11) + 0.5) * 0x1.0p-53; }
  //! Uniform integer on [0, n), unbiased (Lemire's multiply-and-reject). n must be > 0.
  uint64_t uniform_int(uint64_t n);

  //! Draws made so far (the counter).
  uint64_t position() const { return counter_; }
  //! Jumps to draw number `position` (draws are random access).
  void seek(uint64_t position) { counter_ = position; }

private:
  uint64_t draw(uint64_t counter) const;
  uint64_t key0_ = 0;
  uint64_t key1_ = 0;
  uint64_t counter_ = 0;
};

//! splitmix64's finaliser: a bijective 64-bit mix used to derive keys and draws.
constexpr uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

} // namespace hcesim::sim
