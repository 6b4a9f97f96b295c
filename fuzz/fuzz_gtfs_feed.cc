// Fuzzes the GTFS loader (FareEngine::from_gtfs) one file at a time inside a small valid feed. The
// input's first line names the file ("stops.txt", or "stops.txt strict" to load with
// GtfsLoadOptions::strict), the rest is that file's bytes; names the loader does not read are
// skipped. Fares v1 files go into a Fares v1 feed, every other file into a
// Fares v2 feed. A feed that loads must price legs the same whole-journey and leg-by-leg, in its
// own currency, and a Fares v1 feed never charges below zero.
#include "fuzz_check.h"
#include "hce/fare/fare_engine.h"
#include "hce/fare/leg_text.h"

#include <unistd.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

using namespace hcesim;
using namespace hcesim::fare;
namespace fs = std::filesystem;

namespace {

using Files = std::map<std::string, std::string>;

const Files kCommon = {
    {"agency.txt", "agency_id,agency_name,agency_url,agency_timezone\n"
                   "A,Agency,http://a,America/New_York\n"},
    {"routes.txt", "route_id,agency_id,route_type,network_id\nR1,A,3,N1\nR2,A,3,N2\nR3,A,3,\n"},
    {"stops.txt",
     "stop_id,stop_name,location_type,parent_station,zone_id\n"
     "S1,One,0,,Z1\nS2,Two,0,,Z2\nS3,Three,0,,Z1\nST,Station,1,,\nP1,Platform,0,ST,Z2\n"},
    {"calendar.txt", "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
                     "start_date,end_date\nALL,1,1,1,1,1,1,1,20240101,20241231\n"},
    {"calendar_dates.txt", "service_id,date,exception_type\nALL,20240102,2\n"},
    {"trips.txt", "route_id,service_id,trip_id\nR1,ALL,T1\n"},
    {"stop_times.txt", "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
                       "T1,08:00:00,08:00:00,S1,1\nT1,08:10:00,08:10:00,P1,2\n"},
    {"networks.txt", "network_id,network_name\nN1,One\nN2,Two\n"},
    {"route_networks.txt", "network_id,route_id\nN2,R3\n"},
};
const Files kV2 = {
    {"areas.txt", "area_id\nA\nB\nC\n"},
    {"stop_areas.txt", "stop_id,area_id\nS1,A\nS2,B\nST,C\n"},
    {"fare_media.txt", "fare_media_id,fare_media_name,fare_media_type\ncash,Cash,0\ncard,Card,2\n"},
    {"rider_categories.txt", "rider_category_id,rider_category_name,is_default_fare_category\n"
                             "adult,Adult,1\nsenior,Senior,0\n"},
    {"timeframes.txt", "timeframe_group_id,start_time,end_time,service_id\n"
                       "peak,07:00:00,09:00:00,ALL\n"},
    {"fare_products.txt", "fare_product_id,fare_product_name,amount,currency,fare_media_id,"
                          "rider_category_id\np1,One,2.00,USD,,\np2,Two,3.50,USD,card,\n"
                          "p3,Senior,1.00,USD,,senior\nxfer,Transfer,0.50,USD,,\n"},
    {"fare_leg_rules.txt",
     "leg_group_id,network_id,from_area_id,to_area_id,from_timeframe_group_id,"
     "fare_product_id,rule_priority\n"
     "g1,N1,A,B,peak,p2,1\ng1,N1,,,,p1,0\ng2,N2,,,,p3,0\ng2,,,,,p1,0\n"},
    {"fare_transfer_rules.txt", "from_leg_group_id,to_leg_group_id,transfer_count,"
                                "duration_limit,duration_limit_type,fare_transfer_type,"
                                "fare_product_id\ng1,g2,,5400,1,0,xfer\ng2,g2,-1,3600,0,2,\n"},
    {"fare_leg_join_rules.txt", "from_network_id,to_network_id,from_stop_id,to_stop_id\nN1,N2,,\n"},
};
const Files kV1 = {
    {"fare_attributes.txt", "fare_id,price,currency_type,payment_method,transfers,"
                            "transfer_duration\nF1,2.25,USD,0,1,3600\nF2,4.00,USD,1,,\n"},
    {"fare_rules.txt", "fare_id,route_id,origin_id,destination_id,contains_id\n"
                       "F1,R1,,,\nF2,,Z1,Z2,\nF1,R3,,,\n"},
};
const std::array<const char*, 4> kLegs = {"R1:S1:S2:08:00", "R2:S2:S3:08:30",
                                          "R1:ST:S1:09:00:09:20", "R3:S3:P1:23:50"};

fs::path g_v1;
fs::path g_v2;

void write(const fs::path& file, const std::string& text) {
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
}

void write_feed(const fs::path& dir, const Files& a, const Files& b) {
  fs::create_directories(dir);
  for (const Files* files : {&a, &b}) {
    for (const auto& [name, text] : *files) {
      write(dir / name, text);
    }
  }
}

void remove_feeds() {
  std::error_code ec;
  fs::remove_all(g_v1.parent_path(), ec);
}

void check_pricing(const FareEngine& engine, bool v1) {
  std::vector<FareLeg> legs;
  for (const char* text : kLegs) {
    Result<FareLeg> leg = parse_leg(engine, text, 0, "", "");
    if (leg) {
      legs.push_back(*leg);
    }
  }
  const JourneyPrice whole = engine.price_journey(legs);
  FUZZ_CHECK(whole.legs.size() == legs.size(), "a price per leg");
  RiderDay day;
  for (size_t i = 0; i < legs.size(); ++i) {
    const LegPrice p = engine.price_next_leg(day, legs[i]);
    FUZZ_CHECK(p.outcome == whole.legs[i].outcome && p.amount == whole.legs[i].amount,
               "leg by leg prices as the whole journey");
    if (p.outcome == LegOutcome::kPriced) {
      FUZZ_CHECK(p.amount.currency() == engine.currency(), "priced in the feed's currency");
      FUZZ_CHECK(!v1 || p.amount.minor() >= 0, "Fares v1 never charges below zero");
      FUZZ_CHECK(!engine.product_name(p).empty(), "a priced leg names its product");
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const fs::path tmp = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
  const fs::path root = tmp / ("hcesim_fuzz_gtfs_" + std::to_string(::getpid()));
  g_v1 = root / "v1";
  g_v2 = root / "v2";
  write_feed(g_v1, kCommon, kV1);
  write_feed(g_v2, kCommon, kV2);
  std::atexit(remove_feeds);
  // HCESIM_FUZZ_WRITE_SEEDS=<folder>: write one seed per base file (its name, then its text), exit.
  if (const char* seeds = std::getenv("HCESIM_FUZZ_WRITE_SEEDS")) {
    fs::create_directories(seeds);
    for (const Files* files : {&kCommon, &kV2, &kV1}) {
      for (const auto& [name, text] : *files) {
        write(fs::path(seeds) / name, name + "\n" + text);
      }
    }
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t nl = input.find('\n');
  if (nl == std::string::npos) {
    return 0;
  }
  std::string name = input.substr(0, nl);
  const bool strict = name.size() > 7 && name.compare(name.size() - 7, 7, " strict") == 0;
  if (strict) {
    name.resize(name.size() - 7);
  }
  const bool v1 = kV1.count(name) != 0;
  const Files& fares = v1 ? kV1 : kV2;
  if (!v1 && kV2.count(name) == 0 && kCommon.count(name) == 0) {
    return 0;
  }
  const fs::path& dir = v1 ? g_v1 : g_v2;
  write(dir / name, input.substr(nl + 1));
  Errors warnings;
  Result<FareEngine> engine = FareEngine::from_gtfs(dir, GtfsLoadOptions{strict}, &warnings);
  if (engine) {
    FUZZ_CHECK(engine->kind() == (v1 ? FareEngine::Kind::kGtfsV1 : FareEngine::Kind::kGtfsV2),
               "the feed's fares generation");
    FUZZ_CHECK(!strict || warnings.empty(), "a strict load sets no reference aside");
    check_pricing(*engine, v1);
  } else {
    FUZZ_CHECK(!engine.error().where.empty() && !engine.error().what.empty(),
               "a load error says where and what");
  }
  const auto base = kCommon.count(name) ? kCommon.find(name) : fares.find(name);
  write(dir / name, base->second);
  return 0;
}
