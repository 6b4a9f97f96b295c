#pragma once
// TempFeed: a small hand-written GTFS feed (or rule file) in a fresh temp folder, for tests.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

namespace hcesim::fare::testing {

class TempFeed {
public:
  TempFeed() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("hcesim_fare_" + std::string(info->test_suite_name()) + "_" + info->name() + "_" +
            std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~TempFeed() { std::filesystem::remove_all(dir_); }
  TempFeed(const TempFeed&) = delete;
  TempFeed& operator=(const TempFeed&) = delete;

  //! Writes `name` with exactly `text` (no newline added).
  TempFeed& file(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return *this;
  }
  //! The agency, routes and stops every test feed needs; `routes` and `stops` are full CSV texts.
  TempFeed& base(const std::string& routes, const std::string& stops) {
    file("agency.txt", "agency_id,agency_name,agency_url,agency_timezone\nA,Agency,http://a,"
                       "America/New_York\n");
    file("routes.txt", routes);
    file("stops.txt", stops);
    file("calendar.txt", "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
                         "start_date,end_date\nALL,1,1,1,1,1,1,1,20240101,20241231\n");
    return *this;
  }
  const std::filesystem::path& dir() const { return dir_; }

private:
  std::filesystem::path dir_;
};

} // namespace hcesim::fare::testing
