#include "study/world_cache.h"

namespace hcesim::study {

std::string world_key(const proto::Scenario& resolved, uint64_t seed,
                      const std::string& base_folder) {
  // Over-inclusive on purpose: a field here that build_world does not read only costs sharing.
  std::string key = std::to_string(seed) + '\n' + base_folder + '\n';
  key += resolved.city().SerializeAsString() + '\n';
  key += resolved.population().SerializeAsString() + '\n';
  key += resolved.network().SerializeAsString() + '\n';
  key += resolved.top_up().SerializeAsString();
  return key;
}

Result<WorldCache::Shared> WorldCache::acquire(const std::string& key,
                                               const models::ScenarioConfig& cfg) {
  std::promise<Built> promise;
  std::shared_future<Built> future;
  bool builder = false;
  {
    std::lock_guard lock(mutex_);
    if (auto it = worlds_.find(key); it != worlds_.end()) {
      future = it->second;
    } else {
      // Drop worlds that are built and held by nobody but the cache.
      for (auto w = worlds_.begin(); w != worlds_.end();) {
        const bool ready = w->second.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
        const Built& b = ready ? w->second.get() : Built();
        const bool unused = ready && (!b->ok() || b->value().use_count() == 1);
        w = unused ? worlds_.erase(w) : std::next(w);
      }
      future = promise.get_future().share();
      worlds_.emplace(key, future);
      ++built_;
      builder = true;
    }
  }
  if (builder) {
    auto world = models::build_world(cfg);
    promise.set_value(world.ok()
                          ? std::make_shared<const Result<Shared>>(
                                std::make_shared<const models::World>(std::move(world).value()))
                          : std::make_shared<const Result<Shared>>(world.error()));
  }
  return *future.get();
}

size_t WorldCache::size() const {
  std::lock_guard lock(mutex_);
  return worlds_.size();
}

size_t WorldCache::built() const {
  std::lock_guard lock(mutex_);
  return built_;
}

} // namespace hcesim::study
