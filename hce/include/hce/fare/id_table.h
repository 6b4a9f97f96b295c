#pragma once
// IdTable: a feed's string ids (stop_id, route_id, …) mapped to dense indices 0..n-1 in the order
// first seen, so pricing works on small integers and output keeps the feed's names.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hcesim::fare {

//! "No value": an empty optional field or an absent index.
constexpr uint32_t kNone = UINT32_MAX;

class IdTable {
public:
  //! The index of `id`, adding it when new.
  uint32_t intern(std::string_view id) {
    auto it = index_.find(id);
    if (it != index_.end()) {
      return it->second;
    }
    const auto i = static_cast<uint32_t>(names_.size());
    names_.emplace_back(id);
    index_.emplace(names_.back(), i);
    return i;
  }
  std::optional<uint32_t> find(std::string_view id) const {
    auto it = index_.find(id);
    return it == index_.end() ? std::nullopt : std::optional<uint32_t>(it->second);
  }
  const std::string& name(uint32_t i) const { return names_[i]; }
  size_t size() const { return names_.size(); }

private:
  std::vector<std::string> names_;
  std::map<std::string, uint32_t, std::less<>> index_;
};

} // namespace hcesim::fare
