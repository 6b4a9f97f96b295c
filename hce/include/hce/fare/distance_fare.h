#pragma once
// DistanceFares: metro fares by distance ridden, as Chinese metros publish them (an extension GTFS
// does not model; the format is proto/fare_rules.proto). The distance between two stations is the
// shortest path over the line network (interchanges included); a band's upper edge belongs to it
// only when the file says so; beyond the last band the fare grows by a step per further distance.
#include "base/error.h"
#include "base/money.h"
#include "hce/fare/fare_leg.h"
#include "hce/fare/id_table.h"
#include "proto/fare_rules.pb.h"

#include <string>
#include <vector>

namespace hcesim::fare {

class DistanceFares {
public:
  //! Validates the rule (`where` names the file for errors) and computes all station distances.
  static Result<DistanceFares> build(const proto::DistanceFare& rule, Currency currency,
                                     const std::string& where);

  const IdTable& stations() const { return stations_; }
  const IdTable& lines() const { return lines_; }
  //! Shortest distance in metres; -1 when not connected.
  int64_t distance_m(uint32_t from, uint32_t to) const;
  //! The fare for a distance, and which band (bands().size() + k for k steps beyond the last).
  Money fare_for(int64_t distance_m, uint32_t* band) const;
  LegPrice price(const FareLeg& leg) const;
  //! "≤ 6 km", "12–20 km", "> 48 km (+2 steps)": the band a product index stands for.
  std::string band_name(uint32_t band) const;

private:
  struct Band {
    int64_t up_to_m;
    bool included;
    Money fare;
  };
  std::vector<Band> bands_;
  int64_t step_m_ = 0;
  Money step_fare_;
  bool step_included_ = true;
  IdTable stations_;
  IdTable lines_;
  std::vector<int64_t> dist_; //!< n×n metres, -1 = unreachable
  Currency currency_;
};

} // namespace hcesim::fare
