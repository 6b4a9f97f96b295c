#pragma once
// `hcesim fare`: prices a journey by hand from a GTFS folder or a distance-band rule file, printing
// each leg's product and amount and a last line "total=<amount> <currency>" (DESIGN §5).
#include <iosfwd>
#include <string>
#include <vector>

namespace hcesim::cli {

struct FareOptions {
  std::string gtfs;     //!< --gtfs DIR
  std::string rules;    //!< --rules FILE (distance bands)
  std::string caps;     //!< --caps FILE: caps and discounts beside a GTFS feed
  std::string date;     //!< --date YYYY-MM-DD; default: the feed's first service day
  std::string media;    //!< --media ID
  std::string category; //!< --category ID
  bool strict = false;  //!< --strict: unknown references in the feed are errors
  std::vector<std::string> legs;
};

//! Runs the command; returns the exit code (0, or 2 for bad input with one error line per fault).
int run_fare(const FareOptions& options, std::ostream& out, std::ostream& err);

} // namespace hcesim::cli
