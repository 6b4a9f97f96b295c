// The schedule hands out tasks replication-major (each group of workers on replications of its
// own), keeps results in index order whatever order they arrive in, and stops a precision target at
// the same replication for any arrival order.
#include "study/replication_schedule.h"
#include "study/replication_seed.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

namespace hcesim::study {
namespace {

ReplicationResult result(uint32_t point, uint32_t k, double value) {
  ReplicationResult r;
  r.point = point;
  r.replication = k;
  r.fingerprint = k * 10 + point;
  r.rows.push_back({"refusal_rate", "all", value, std::to_string(value), "share"});
  return r;
}

TEST(ReplicationSeed, ReplicationZeroIsTheScenarioSeedAndOthersDiffer) {
  EXPECT_EQ(replication_seed(42, 0), 42U);
  EXPECT_NE(replication_seed(42, 1), 42U);
  EXPECT_NE(replication_seed(42, 1), replication_seed(42, 2));
  EXPECT_NE(replication_seed(42, 1), replication_seed(43, 1));
  EXPECT_EQ(replication_seed(42, 5), replication_seed(42, 5));
}

TEST(ReplicationSchedule, HandsOutReplicationKOfEveryPointBeforeKPlusOne) {
  ReplicationSchedule s(3, 2, std::nullopt);
  std::vector<std::pair<uint32_t, uint32_t>> order;
  while (auto t = s.next()) {
    order.emplace_back(t->point, t->replication);
  }
  const std::vector<std::pair<uint32_t, uint32_t>> want{{0, 0}, {1, 0}, {2, 0},
                                                        {0, 1}, {1, 1}, {2, 1}};
  EXPECT_EQ(order, want);
}

TEST(ReplicationSchedule, KeepsResultsInIndexOrderWhateverOrderTheyArrive) {
  ReplicationSchedule s(2, 3, std::nullopt);
  std::vector<ReplicationResult> rs;
  while (auto t = s.next()) {
    rs.push_back(result(t->point, t->replication, t->replication));
  }
  std::reverse(rs.begin(), rs.end());
  for (auto& r : rs) {
    EXPECT_FALSE(s.done());
    s.complete(std::move(r));
  }
  ASSERT_TRUE(s.done());
  const auto out = s.take_results();
  ASSERT_EQ(out.size(), 2U);
  for (const auto& p : out) {
    ASSERT_EQ(p.size(), 3U);
    for (uint32_t k = 0; k < 3; ++k) {
      EXPECT_EQ(p[k].replication, k);
    }
  }
}

TEST(ReplicationSchedule, EachGroupKeepsToItsOwnReplicationsAndEveryTaskGoesOutOnce) {
  // Two ranks asking in turn (8 points x 4 replications, the bench's study): each builds the
  // Worlds of two replications, not all four.
  ReplicationSchedule s(8, 4, std::nullopt);
  std::map<uint32_t, std::set<uint32_t>> worlds; // group -> replications it ran
  std::set<std::pair<uint32_t, uint32_t>> given;
  for (uint32_t turn = 0;; ++turn) {
    auto t = s.next(turn % 2);
    if (!t) {
      break;
    }
    EXPECT_TRUE(given.emplace(t->point, t->replication).second) << "given twice";
    worlds[turn % 2].insert(t->replication);
  }
  EXPECT_EQ(given.size(), 32U);
  EXPECT_EQ(worlds[0], (std::set<uint32_t>{0, 2}));
  EXPECT_EQ(worlds[1], (std::set<uint32_t>{1, 3}));
}

TEST(ReplicationSchedule, AGroupWithNothingOfItsOwnLeftHelpsAnother) {
  ReplicationSchedule s(4, 1, std::nullopt); // one replication: both groups must share it
  std::vector<uint32_t> by_group;
  for (uint32_t turn = 0;; ++turn) {
    auto t = s.next(turn % 2);
    if (!t) {
      break;
    }
    EXPECT_EQ(t->replication, 0U);
    EXPECT_EQ(t->point, turn) << "the points of a replication still go out in order";
    by_group.push_back(turn % 2);
  }
  EXPECT_EQ(by_group.size(), 4U);
}

// Values that become precise at n = 5: the first four spread widely, then tight ones.
const double kValues[] = {1.0, 3.0, 1.0, 3.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0};

models::PrecisionConfig precision() {
  models::PrecisionConfig p;
  p.kpis = {"refusal_rate"};
  p.relative_half_width = 0.9;
  p.min_replications = 2;
  p.max_replications = 12;
  return p;
}

TEST(ReplicationSchedule, PrecisionStopsAtTheFirstPreciseCountForAnyArrivalOrder) {
  std::vector<std::vector<models::KpiRow>> rows;
  for (double v : kValues) {
    rows.push_back({{"refusal_rate", "all", v, "", "share"}});
  }
  const auto expected = precise_prefix(rows, precision(), 1);
  ASSERT_TRUE(expected.has_value());
  EXPECT_GT(*expected, 2U);
  std::mt19937 rng(3);
  for (int trial = 0; trial < 20; ++trial) {
    ReplicationSchedule s(1, 0, precision());
    std::vector<ReplicationResult> flight;
    size_t taken = 0;
    const size_t width = 1 + static_cast<size_t>(trial % 5); // threads in flight
    while (!s.done()) {
      while (flight.size() < width) {
        auto t = s.next(static_cast<uint32_t>(rng() % 3)); // up to three ranks asking
        if (!t) {
          break;
        }
        flight.push_back(result(0, t->replication, kValues[t->replication]));
        ++taken;
      }
      ASSERT_FALSE(flight.empty());
      std::uniform_int_distribution<size_t> pick(0, flight.size() - 1);
      const size_t i = pick(rng);
      s.complete(std::move(flight[i]));
      flight.erase(flight.begin() + static_cast<std::ptrdiff_t>(i));
    }
    const auto out = s.take_results();
    EXPECT_EQ(out.front().size(), *expected) << "width " << width;
    EXPECT_TRUE(s.target_met().front());
    EXPECT_LE(taken, 12U);
  }
}

TEST(ReplicationSchedule, PrecisionNotMetStopsAtTheMaximumAndSaysSo) {
  auto p = precision();
  p.relative_half_width = 1e-9;
  p.max_replications = 4;
  ReplicationSchedule s(1, 0, p);
  while (auto t = s.next()) {
    s.complete(result(0, t->replication, kValues[t->replication]));
  }
  ASSERT_TRUE(s.done());
  EXPECT_EQ(s.take_results().front().size(), 4U);
  EXPECT_FALSE(s.target_met().front());
}

TEST(ReplicationSchedule, AFailedTaskStopsTheStudy) {
  ReplicationSchedule s(2, 2, std::nullopt);
  auto t = s.next();
  ReplicationResult r = result(t->point, t->replication, 0);
  r.error = Error{"city.gtfs.folder", "unreadable"};
  s.complete(std::move(r));
  EXPECT_TRUE(s.done());
  EXPECT_FALSE(s.next().has_value());
  ASSERT_TRUE(s.failure().has_value());
  EXPECT_EQ(s.failure()->what, "unreadable");
}

} // namespace
} // namespace hcesim::study
