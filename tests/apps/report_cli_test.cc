// `hcesim report`: the page carries the folder's files by kind, the chart library inlined (no
// network), nothing from the data can end its script block, and bad input or a missing library
// is said precisely. The charts themselves are checked in a browser by the report_render test.
#include "hcesim/report_page.h"
#include "support/files.h"
#include "support/run_command.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

using hcesim::testing::run_command;
namespace fs = std::filesystem;

using hcesim::testing::slurp;

namespace {

const std::string kBin = HCESIM_BIN;
const fs::path kFixtures = fs::path(HCESIM_SOURCE_DIR) / "tests/apps/report_fixtures";

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

// A private copy of a fixture folder (the report is written into the folder).
fs::path copy_fixture(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("hcesim_report_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::copy(kFixtures / name, dir, fs::copy_options::recursive);
  return dir;
}

bool library_installed() {
  return hcesim::cli::check_report_assets(hcesim::cli::default_report_assets()).ok();
}

#define REQUIRE_CHART_LIBRARY()                                                                    \
  if (!library_installed()) {                                                                      \
    GTEST_SKIP() << "report/node_modules absent: run scripts/setup.sh";                            \
  }

TEST(ReportCli, ARunFolderGetsOneSelfContainedPageWithItsFiles) {
  REQUIRE_CHART_LIBRARY();
  const fs::path dir = copy_fixture("run_full");
  const auto r = run_command(kBin + " report " + dir.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("report: " + (dir / "report.html").string()), std::string::npos) << r.out;
  const std::string html = slurp(dir / "report.html");
  EXPECT_NE(html.find("\"kind\": \"run\""), std::string::npos);
  for (const char* f : {"manifest.json", "summary.json", "kpis.csv", "timeseries.csv"}) {
    EXPECT_NE(html.find("\"" + std::string(f) + "\": "), std::string::npos) << f;
  }
  EXPECT_NE(html.find("vegaEmbed"), std::string::npos) << "vega-embed is inlined";
  EXPECT_NE(html.find("vegaLite"), std::string::npos) << "vega-lite is inlined";
  EXPECT_EQ(count(html, "<script src"), 0U) << "nothing is loaded from elsewhere";
  EXPECT_EQ(count(html, "<link"), 0U);
  EXPECT_EQ(count(html, "<script"), count(html, "</script>"));
  fs::remove_all(dir);
}

TEST(ReportCli, ASweepCarriesItsTablesAndTheTargets) {
  REQUIRE_CHART_LIBRARY();
  const fs::path dir = copy_fixture("sweep");
  const auto r = run_command(kBin + " report " + dir.string() +
                             " --target 'refusal_rate<=0.0015' --target 'unpaid_debt<300'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = slurp(dir / "report.html");
  EXPECT_NE(html.find("\"kind\": \"sweep\""), std::string::npos);
  EXPECT_NE(html.find("\"sweep.csv\": "), std::string::npos);
  EXPECT_NE(html.find("\"metamodel.csv\": "), std::string::npos);
  EXPECT_NE(html.find("{\"kpi\": \"refusal_rate\", \"op\": \"\\u003c=\", \"value\": 0.0015}"),
            std::string::npos);
  EXPECT_NE(html.find("{\"kpi\": \"unpaid_debt\", \"op\": \"\\u003c\", \"value\": 300}"),
            std::string::npos);
  fs::remove_all(dir);
}

TEST(ReportCli, ReplicationsBringTheFirstReplicationsTimeSeries) {
  REQUIRE_CHART_LIBRARY();
  const fs::path dir = copy_fixture("replications");
  fs::copy(dir / "rep-1", dir / "rep-10", fs::copy_options::recursive);
  fs::copy(dir / "rep-1", dir / "rep-2", fs::copy_options::recursive);
  ASSERT_EQ(run_command(kBin + " report " + dir.string()).exit_code, 0);
  const std::string html = slurp(dir / "report.html");
  EXPECT_NE(html.find("\"rep-1/timeseries.csv\": "), std::string::npos);
  EXPECT_EQ(html.find("\"rep-2/timeseries.csv\""), std::string::npos);
  EXPECT_EQ(html.find("\"rep-10/timeseries.csv\""), std::string::npos);
  fs::remove_all(dir);
}

TEST(ReportCli, NothingInTheDataCanEndItsScriptBlock) {
  REQUIRE_CHART_LIBRARY();
  const fs::path dir = copy_fixture("run_full");
  {
    std::ofstream k(dir / "kpis.csv", std::ios::app);
    k << "evil,all,0,</script><script>alert(1)</script>\n";
  }
  ASSERT_EQ(run_command(kBin + " report " + dir.string()).exit_code, 0);
  const std::string html = slurp(dir / "report.html");
  EXPECT_EQ(count(html, "alert(1)"), 1U);
  EXPECT_EQ(count(html, "<script"), count(html, "</script>"));
  EXPECT_NE(html.find("\\u003c/script>\\u003cscript>alert(1)"), std::string::npos);
  fs::remove_all(dir);
}

TEST(ReportCli, AFolderWithoutAManifestIsBadInputNamingIt) {
  const fs::path dir = fs::temp_directory_path() / "hcesim_report_empty";
  fs::create_directories(dir);
  const auto r = run_command(kBin + " report " + dir.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find((dir / "manifest.json").string() + ": not found"), std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir / "report.html"));
  fs::remove_all(dir);
}

TEST(ReportCli, AnUnknownKindIsBadInput) {
  const fs::path dir = copy_fixture("comparison");
  {
    std::ofstream m(dir / "manifest.json");
    m << "{\"kind\": \"sweeep\"}\n";
  }
  const auto r = run_command(kBin + " report " + dir.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("expected run, replications, sweep or comparison, found \"sweeep\""),
            std::string::npos)
      << r.err;
  fs::remove_all(dir);
}

TEST(ReportCli, ABadTargetIsBadInputNamingIt) {
  const fs::path dir = copy_fixture("sweep");
  const auto r = run_command(kBin + " report " + dir.string() + " --target 'refusal_rate<=low'" +
                             " --target 'Refusal<=1'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--target refusal_rate<=low: expected a number after <="), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("--target Refusal<=1: expected a KPI name"), std::string::npos) << r.err;
  fs::remove_all(dir);
}

// A misspelt KPI exited 0 (only the page said "Not in this sweep"), and a target on a run folder
// was ignored.
TEST(ReportCli, ATargetOnAnUnknownKpiOrNotASweepIsBadInput) {
  const fs::path dir = copy_fixture("sweep");
  auto r = run_command(kBin + " report " + dir.string() + " --target 'refusl_rate<=0.01'");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(r.err, "error: --target refusl_rate<=0.01: no KPI refusl_rate in " +
                       (dir / "sweep.csv").string() + " (did you mean refusal_rate?)\n");
  const fs::path run = copy_fixture("run_full");
  r = run_command(kBin + " report " + run.string() + " --target 'refusal_rate<=0.01'");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(r.err, "error: --target: marks a sweep's points; " + run.string() +
                       " holds a run, not a sweep\n");
  fs::remove_all(dir);
  fs::remove_all(run);
}

TEST(ReportCli, ACutOffOrMissingFileIsBadInputNamingEach) {
  const fs::path dir = copy_fixture("run_full");
  const std::string summary = slurp(dir / "summary.json");
  { std::ofstream(dir / "summary.json", std::ios::trunc) << summary.substr(0, summary.size() / 2); }
  fs::remove(dir / "kpis.csv");
  const std::string series = slurp(dir / "timeseries.csv");
  { std::ofstream(dir / "timeseries.csv", std::ios::trunc) << series.substr(0, series.size() - 3); }
  // Checked before the chart library: the folder is wrong whatever this machine has installed.
  const auto r = run_command(kBin + " report " + dir.string());
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.err.find("error: " + (dir / "summary.json").string() + ": not valid JSON"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("error: " + (dir / "kpis.csv").string() + ": missing"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("error: " + (dir / "timeseries.csv").string() + ": no final newline"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 3) << r.err;
  EXPECT_FALSE(fs::exists(dir / "report.html"));
  fs::remove_all(dir);
}

TEST(ReportCli, ARowWithTheWrongNumberOfCellsIsNamedByLine) {
  const fs::path dir = copy_fixture("sweep");
  { std::ofstream(dir / "sweep.csv", std::ios::app) << "9,1,2\n"; }
  const std::string rows = slurp(dir / "sweep.csv");
  const auto line = std::count(rows.begin(), rows.end(), '\n');
  const auto r = run_command(kBin + " report " + dir.string());
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.err.find("error: " + (dir / "sweep.csv").string() + ":" + std::to_string(line) +
                       ": 3 cells, the header has "),
            std::string::npos)
      << r.err;
  fs::remove_all(dir);
}

TEST(ReportCli, AMissingChartLibraryNamesTheSetupScript) {
  const fs::path dir = copy_fixture("run_full");
  const fs::path assets = fs::temp_directory_path() / "hcesim_report_no_assets";
  fs::create_directories(assets);
  fs::copy(fs::path(HCESIM_SOURCE_DIR) / "report/page", assets / "page",
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  fs::copy_file(fs::path(HCESIM_SOURCE_DIR) / "report/page.css", assets / "page.css",
                fs::copy_options::overwrite_existing);
  const auto r = run_command(kBin + " report " + dir.string() + " --assets " + assets.string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("node_modules/vega/build/vega.min.js: the chart library is not installed: "
                       "run scripts/setup.sh"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir / "report.html"));
  fs::remove_all(dir);
  fs::remove_all(assets);
}

TEST(ReportCli, AMissingPageScriptSaysWhereItLooked) {
  const fs::path dir = copy_fixture("run_full");
  const fs::path assets = fs::temp_directory_path() / "hcesim_report_no_page";
  fs::create_directories(assets);
  const auto r = run_command(kBin + " report " + dir.string() + " --assets " + assets.string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(assets.string() + ": the report's page script (page/*.js, page.css) is "
                                         "missing"),
            std::string::npos)
      << r.err;
  fs::remove_all(dir);
  fs::remove_all(assets);
}

TEST(ReportPage, ATargetReadsKpiOperatorAndNumber) {
  const auto t = hcesim::cli::parse_report_target("refusal_rate>=1e-3");
  ASSERT_TRUE(t.ok()) << t.error().to_string();
  EXPECT_EQ(t->kpi, "refusal_rate");
  EXPECT_EQ(t->op, ">=");
  EXPECT_DOUBLE_EQ(t->value, 0.001);
  EXPECT_EQ(hcesim::cli::parse_report_target("unpaid_debt<5")->op, "<");
  EXPECT_FALSE(hcesim::cli::parse_report_target("refusal_rate").ok());
  EXPECT_FALSE(hcesim::cli::parse_report_target("refusal_rate<=").ok());
  EXPECT_FALSE(hcesim::cli::parse_report_target("<=3").ok());
  // Not a number a point can meet, and spaces that are only layout.
  EXPECT_FALSE(hcesim::cli::parse_report_target("refusal_rate<=nan").ok());
  EXPECT_FALSE(hcesim::cli::parse_report_target("refusal_rate<=inf").ok());
  const auto spaced = hcesim::cli::parse_report_target("refusal_rate <= 0.01");
  ASSERT_TRUE(spaced.ok()) << spaced.error().to_string();
  EXPECT_EQ(spaced->kpi, "refusal_rate");
  EXPECT_DOUBLE_EQ(spaced->value, 0.01);
}

TEST(ReportPage, TheComparisonReportIsForComparisonFoldersOnly) {
  const fs::path run = copy_fixture("run_full");
  const auto wrong = hcesim::cli::write_comparison_report(run);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().to_string().find("expected \"comparison\", found \"run\""),
            std::string::npos);
  fs::remove_all(run);
  REQUIRE_CHART_LIBRARY();
  const fs::path dir = copy_fixture("comparison");
  const auto written = hcesim::cli::write_comparison_report(dir);
  ASSERT_TRUE(written.ok()) << written.error().to_string();
  EXPECT_EQ(*written, dir / "report.html");
  const std::string html = slurp(dir / "report.html");
  EXPECT_NE(html.find("\"comparison.csv\": \"kpi,unit,a_mean,b_mean"), std::string::npos);
  fs::remove_all(dir);
}

TEST(ReportCli, RunWritesTheReportUnlessToldNot) {
  REQUIRE_CHART_LIBRARY();
  const std::string small =
      " --set population.riders=100 --set city.synthetic.metro_lines=2"
      " --set city.synthetic.stations_per_line=6 --set city.synthetic.bus_routes=6"
      " --set city.synthetic.stops_per_bus_route=6 --set city.synthetic.size_km=5"
      " --set warmup=0s --set drain=2h --quiet";
  const fs::path dir = fs::temp_directory_path() / "hcesim_report_run";
  fs::remove_all(dir);
  const std::string scenario = HCESIM_SOURCE_DIR "/scenarios/default.txtpb";
  auto r = run_command(kBin + " run " + scenario + small + " --no-report --out " + dir.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "kpis.csv"));
  EXPECT_FALSE(fs::exists(dir / "report.html"));
  EXPECT_EQ(r.out.find("report: "), std::string::npos) << r.out;
  r = run_command(kBin + " run " + scenario + small + " --out " + dir.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "report.html"));
  EXPECT_NE(r.out.find("report: " + (dir / "report.html").string()), std::string::npos) << r.out;
  fs::remove_all(dir);
}

} // namespace
