#pragma once
// Shares one World among the runs whose world inputs are equal (the same city, population and
// seed: replication k of every sweep point that leaves the city alone). A CityRun only reads its
// World, so threads share it; a World nobody uses is dropped when the next one is built, so at
// most about one World per worker thread is alive.
#include "base/error.h"
#include "models/world/world.h"
#include "proto/scenario.pb.h"

#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace hcesim::study {

//! The inputs build_world reads, as a key: the seed, the city, population, network and top-up
//! blocks of the resolved scenario and the folder relative paths resolve against.
std::string world_key(const proto::Scenario& resolved, uint64_t seed,
                      const std::string& base_folder);

class WorldCache {
public:
  using Shared = std::shared_ptr<const models::World>;

  //! The World for `cfg` (built once per key, other callers wait for it); an error when it cannot
  //! be built.
  Result<Shared> acquire(const std::string& key, const models::ScenarioConfig& cfg);
  //! Worlds alive in the cache now (for tests).
  size_t size() const;
  //! Worlds built so far (for tests: sharing builds fewer).
  size_t built() const;

private:
  using Built = std::shared_ptr<const Result<Shared>>;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_future<Built>> worlds_;
  size_t built_ = 0;
};

} // namespace hcesim::study
