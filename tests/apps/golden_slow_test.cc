// The golden results: a fresh `hcesim run` of the golden configuration gives exactly the KPIs
// (every row of kpis.csv, summary.json byte for byte) and the fingerprint kept under
// results/golden/default-10k/. The full default scenario (results/golden/default/) takes minutes
// under the sanitizers, so the test runs its 10,000-rider reduction; `scripts/update_golden.sh
// --check` compares both in the release build. When the model changes on purpose, regenerate
// with scripts/update_golden.sh and commit the diff with its reason (docs/results.md).
#include "support/files.h"
#include "support/run_command.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using hcesim::testing::run_command;

using hcesim::testing::slurp;

namespace {

namespace fs = std::filesystem;

const std::string kBin = HCESIM_BIN;
const fs::path kSource = HCESIM_SOURCE_DIR;

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream s(text);
  std::string line;
  while (std::getline(s, line)) {
    if (!line.empty()) {
      out.push_back(line);
    }
  }
  return out;
}

TEST(Golden, TheReducedDefaultScenarioGivesTheGoldenKpisAndFingerprint) {
  const fs::path golden = kSource / "results/golden/default-10k";
  const std::string scenario = lines(slurp(golden / "scenario.txt")).at(0);
  std::string args;
  for (const std::string& a : lines(slurp(golden / "args.txt"))) {
    args += " " + a;
  }
  const fs::path out = fs::temp_directory_path() / "hcesim_golden_test";
  fs::remove_all(out);
  const auto r = run_command("cd " + kSource.string() + " && " + kBin + " run " + scenario + args +
                             " --quiet --out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string update = "; if the change is deliberate: scripts/update_golden.sh";

  // Every KPI × segment row, named when it differs.
  const auto want = lines(slurp(golden / "kpis.csv"));
  const auto got = lines(slurp(out / "kpis.csv"));
  ASSERT_GT(want.size(), 100u);
  EXPECT_EQ(got.size(), want.size()) << "kpis.csv rows" << update;
  int differences = 0;
  for (size_t i = 0; i < std::min(want.size(), got.size()); ++i) {
    if (want[i] != got[i] && ++differences <= 20) {
      ADD_FAILURE() << "kpis.csv line " << i + 1 << ": golden " << want[i] << ", now " << got[i];
    }
  }
  EXPECT_EQ(differences, 0) << update;
  EXPECT_EQ(slurp(out / "summary.json"), slurp(golden / "summary.json")) << update;
  const std::string fingerprint = lines(slurp(golden / "fingerprint.txt")).at(0);
  EXPECT_NE(slurp(out / "manifest.json").find("\"fingerprint\": \"" + fingerprint + "\""),
            std::string::npos)
      << "fingerprint changed from " << fingerprint << update;
  fs::remove_all(out);
}

} // namespace
