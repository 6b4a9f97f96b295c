#pragma once
// Loader: reads a GTFS folder into a GtfsFeed for load_gtfs (gtfs_feed.cc: agency, routes, stops,
// calendars; gtfs_fares_loader.cc: the fare files). Private to hce/src/fare.
#include "hce/fare/csv_reader.h"
#include "hce/fare/gtfs_feed.h"

#include <optional>
#include <string_view>

namespace hcesim::fare::detail {

// Reads the feed's tables and records warnings; every method returns an error for bad input.
class Loader {
public:
  Loader(std::filesystem::path dir, GtfsLoadOptions options)
      : dir_(std::move(dir)), options_(options) {}

  Result<GtfsLoad> run();

private:
  // The table when the file exists (nullopt when absent); a read error ends the load.
  Result<std::optional<CsvTable>> open(const char* file, bool required);
  // An unknown reference: a warning (row skipped) or, when strict, an error.
  Result<void> unknown(const CsvTable& t, size_t row, size_t col, std::string_view kind,
                       std::string_view id);
  // An optional reference field: kNone when empty, the index when known, else unknown().
  Result<uint32_t> ref(const CsvTable& t, size_t row, std::optional<size_t> col,
                       const IdTable& table, std::string_view kind, bool* skip);
  Result<int64_t> integer(const CsvTable& t, size_t row, size_t col, int64_t lo, int64_t hi);
  Result<Money> amount(const CsvTable& t, size_t row, size_t col, std::string_view currency);

  Result<void> agencies();
  Result<void> routes();
  Result<void> stops();
  Result<void> calendars();
  Result<void> route_stops();
  Result<void> networks();
  Result<void> fares_v1();
  Result<void> fares_v2();
  Result<void> leg_rules();
  Result<void> transfer_rules();
  Result<void> join_rules();

  std::filesystem::path dir_;
  GtfsLoadOptions options_;
  GtfsFeed feed_;
  Errors warnings_;
  bool currency_set_ = false;
};

} // namespace hcesim::fare::detail

// Returns the error of a failed Result from the enclosing function.
#define HCESIM_GTFS_TRY(expr)                                                                      \
  if (auto r_ = (expr); !r_) {                                                                     \
    return r_.error();                                                                             \
  }
