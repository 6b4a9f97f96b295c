// hcesim: one CLI, a subcommand per job (DESIGN §3 rule 8). This is the one place subcommands are
// registered; each is a row in kCommands below with a function that declares its options on
// CLI11 and returns the function that runs it.
#include "hcesim/check_command.h"
#include "hcesim/command_line.h"
#include "hcesim/compare_command.h"
#include "hcesim/exit_code.h"
#include "hcesim/fare_command.h"
#include "hcesim/loadgen_command.h"
#include "hcesim/parse_arguments.h"
#include "hcesim/report_command.h"
#include "hcesim/report_errors.h"
#include "hcesim/run_command.h"
#include "hcesim/validate_command.h"
#include "hcesim/version.h"

#include <CLI/CLI.hpp>

#include <optional>

#include <cstdint>
#include <exception>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace hcesim::cli {
namespace {

using Runner = std::function<int()>;

// The command line as typed (shell-quoted), for run manifests.
std::string g_command_line;
using Declare = Runner (*)(CLI::App&);

// A decimal whole number from low to high. CLI11's own conversion takes -1 as 2^64-1, saturates
// past the top, reads 0x10 as 16 and leaves an empty value unset: each a silent wrong run.
CLI::Validator whole_number(uint64_t low, uint64_t high) {
  return CLI::Validator(
      [low, high](std::string& text) { return whole_number_error(text, low, high); },
      std::to_string(low) + ".." + std::to_string(high));
}
constexpr uint64_t kUint32Max = 4294967295U;

// A folder option given as '' fell back to the default folder silently.
CLI::Validator non_empty_folder() {
  return CLI::Validator(
      [](std::string& text) {
        return text.find_first_not_of(" \t") == std::string::npos
                   ? std::string("an empty or blank folder name (leave --out out for the default)")
                   : std::string();
      },
      "DIR");
}

struct Command {
  const char* name;
  const char* summary;
  Declare declare;
};

// Subcommands, in the order `--help` lists them. Each later issue adds its row here.
constexpr Command kCommands[] = {
    {"run", "run a scenario (default: scenarios/default.txtpb) and write its results folder",
     [](CLI::App& app) -> Runner {
       auto o = std::make_shared<RunOptions>();
       app.add_option("scenario", o->scenario, "scenario file (.txtpb or .json)");
       app.add_option("--set", o->overrides, "override a field: path.to.field=value (repeatable)");
       app.add_option("--out", o->out,
                      "results folder (default: results/runs/<name>-seed<N> and the --set, "
                      "--sweep, --zip and --replications given): new, empty, or an earlier results "
                      "folder, whose hcesim files are replaced (docs/results.md)")
           ->check(non_empty_folder());
       app.add_option("--seed", o->seed, "master seed (overrides the scenario's)")
           ->check(whole_number(0, UINT64_MAX));
       app.add_option("--replications", o->replications,
                      "independent replications (seeds from --seed)")
           ->check(whole_number(1, 1000));
       app.add_option("--sweep", o->sweep, "sweep axis path=v1,v2,... (repeatable; crossed)");
       app.add_flag("--zip", o->zip, "zip the sweep's axes instead of crossing them");
       app.add_option("--jobs", o->jobs,
                      "threads (default: every core); results do not depend on it")
           ->check(whole_number(1, 4096));
       app.add_flag("--quiet", o->quiet, "no progress line");
       app.add_flag("--no-report", o->no_report, "do not write report.html");
       return [o] {
         o->command_line = g_command_line;
         return run_run(*o);
       };
     }},
    {"report", "write report.html, the charts of a results folder (run, sweep, comparison)",
     [](CLI::App& app) -> Runner {
       auto o = std::make_shared<ReportOptions>();
       app.add_option("dir", o->dir, "results folder (holds manifest.json)")->required();
       app.add_option("--target", o->targets,
                      "KPI goal, e.g. 'refusal_rate<=0.001': sweep points meeting all are marked");
       app.add_option("--assets", o->assets,
                      "folder with page/, page.css and node_modules (default: "
                      "the source tree's report/)");
       return [o] { return run_report(*o, std::cout, std::cerr); };
     }},
    {"validate", "check a scenario file and report every error with its place",
     [](CLI::App& app) -> Runner {
       auto o = std::make_shared<ValidateOptions>();
       app.add_option("scenario", o->scenario, "scenario file (.txtpb or .json)")->required();
       app.add_option("--set", o->overrides, "override a field: path.to.field=value (repeatable)");
       app.add_flag("--print", o->print, "print the resolved scenario with every default");
       return [o] { return run_validate(*o); };
     }},
    {"check", "run the scenarios in folders or files and verify their expectations",
     [](CLI::App& app) -> Runner {
       auto o = std::make_shared<CheckOptions>();
       app.add_option("paths", o->paths, "scenario folders or files")->required();
       app.add_flag("--update", o->update, "rewrite pinned fingerprints to the measured ones");
       app.add_option("--jobs", o->jobs, "threads (default: every core)")
           ->check(whole_number(1, 4096));
       app.add_option("--out", o->out,
                      "results folders under here (default results/runs/check); each <name>/ "
                      "new, empty or earlier results, as for run --out")
           ->check(non_empty_folder());
       return [o] {
         o->command_line = g_command_line;
         return run_check(*o, std::cout, std::cerr);
       };
     }},
    {"compare",
     "compare two results folders of one currency KPI by KPI (paired when their "
     "replications share seeds)",
     [](CLI::App& app) -> Runner {
       auto o = std::make_shared<CompareOptions>();
       app.add_option("a", o->a, "results folder A (the baseline)")->required();
       app.add_option("b", o->b, "results folder B")->required();
       app.add_option("--out", o->out,
                      "where comparison.csv goes: new, empty or earlier results, as for run --out")
           ->check(non_empty_folder());
       app.add_flag("--report", o->report, "also write report.html (the deltas charted)");
       return [o] { return run_compare(*o, std::cout, std::cerr); };
     }},
    {"version", "print the git version of this build",
     [](CLI::App&) -> Runner {
       return [] {
         std::cout << "hcesim " << git_version() << '\n';
         return kOk;
       };
     }},
    {"fare", "price a journey's legs from a GTFS feed or a distance-band rule file",
     [](CLI::App& app) -> Runner {
       auto o = std::make_shared<FareOptions>();
       auto* gtfs = app.add_option("--gtfs", o->gtfs, "GTFS folder (Fares v1 or v2)");
       auto* rules = app.add_option("--rules", o->rules, "distance-band rule file (.txtpb)");
       gtfs->excludes(rules);
       app.add_option("--caps", o->caps, "caps and discounts rule file beside --gtfs");
       app.add_option("--date", o->date, "service date YYYY-MM-DD (default: first service day)");
       app.add_option("--media", o->media, "fare medium id (fare_media.txt)");
       app.add_option("--category", o->category, "rider category id");
       app.add_flag("--strict", o->strict, "unknown references in the feed are errors");
       app.add_option("legs", o->legs, "route:from_stop:to_stop:HH:MM[:HH:MM]")->required();
       return [o] { return run_fare(*o, std::cout, std::cerr); };
     }},
    {"loadgen", "drive a live hcesim-cloud with a scenario's request mix and report latency",
     [](CLI::App& app) -> Runner {
       auto o = std::make_shared<LoadgenOptions>();
       app.add_option("--target", o->target, "server HOST:PORT")->required();
       app.add_option("--scenario", o->scenario,
                      "scenario file: the mix is its simulated run's busiest hour");
       app.add_option("--set", o->overrides,
                      "override a field of that run: path.to.field=value (repeatable)");
       auto* key = app.add_option("--operator-key", o->operator_key,
                                  "the operator's request key file (the server writes "
                                  "DATA/operator.key)");
       app.add_option("--data", o->data, "the server's --data folder: reads its operator.key")
           ->excludes(key);
       app.add_option("--mix", o->mix, "scenario (default), tokens, uploads or top-ups");
       auto* rate = app.add_option("--rate", o->rate, "offered requests/s (Poisson, open loop)");
       auto* fast = app.add_flag("--as-fast-as-possible", o->as_fast_as_possible,
                                 "closed loop with --window requests in flight per connection");
       rate->excludes(fast);
       app.add_option("--duration", o->duration_s, "seconds of load (default 10)");
       app.add_option("--connections", o->connections, "concurrent connections (default 8)")
           ->check(whole_number(1, kUint32Max));
       app.add_option("--batch-records", o->batch_records,
                      "taps per upload (default: the run's mean; 50 with --mix uploads)")
           ->check(whole_number(0, kUint32Max));
       app.add_option("--window", o->window, "in flight per connection (default 32)")
           ->check(whole_number(1, kUint32Max));
       app.add_option("--sweep", o->sweep, "rates (req/s) for the predicted-vs-measured table")
           ->delimiter(',');
       app.add_option("--calibration", o->calibration,
                      "with --sweep: write the calibration file (proto/cloud_calibration.proto)");
       app.add_option("--servers", o->servers,
                      "with --sweep: servers of each kind's model (default 0: fitted, 1..32)")
           ->check(whole_number(0, 64));
       app.add_option("--within", o->within,
                      "with --sweep: a capacity serves this share of its offered rate (default "
                      "0.05)");
       app.add_option("--repeats", o->repeats,
                      "with --sweep: runs of each load; the table takes the median run (default "
                      "1)")
           ->check(whole_number(1, 20));
       app.add_option("--search-steps", o->search_steps,
                      "with --sweep: bisection steps of each kind's capacity search (default 5)")
           ->check(whole_number(0, kUint32Max));
       return [o] { return run_loadgen(*o, std::cout, std::cerr); };
     }},
};

int run(int argc, char** argv) {
  CLI::App app{"hcesim: a discrete-event simulator of HCE cloud-card transit payments", "hcesim"};
  app.set_version_flag("--version", std::string("hcesim ") + git_version());
  app.require_subcommand(1);
  g_command_line = shell_command_line(std::vector<std::string>(argv, argv + argc));
  app.fallthrough(false);
  Runner chosen;
  std::vector<std::pair<CLI::App*, Runner>> runners;
  for (const Command& c : kCommands) {
    CLI::App* sub = app.add_subcommand(c.name, c.summary);
    sub->set_version_flag("--version", std::string("hcesim ") + git_version());
    runners.emplace_back(sub, c.declare(*sub));
  }
  // CLI11 reports a mistyped subcommand only as "a subcommand is required": name it instead.
  if (argc > 1 && argv[1][0] != '-') {
    std::string names;
    bool known = false;
    for (const Command& c : kCommands) {
      known = known || argv[1] == std::string(c.name);
      names += names.empty() ? c.name : std::string(", ") + c.name;
    }
    if (!known) {
      std::cerr << "error: unknown subcommand \"" << argv[1] << "\"; expected one of: " << names
                << '\n';
      return kBadInput;
    }
  }
  if (const std::optional<int> ended = parse_arguments(app, argc, argv)) {
    return *ended;
  }
  for (auto& [sub, runner] : runners) {
    if (sub->parsed()) {
      return runner();
    }
  }
  return kInternalFailure;
}

} // namespace
} // namespace hcesim::cli

int main(int argc, char** argv) {
  using namespace hcesim;
  try {
    return cli::run(argc, argv);
  } catch (const InputError& e) {
    cli::report_errors(std::cerr, e.errors());
    return cli::kBadInput;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << '\n';
    return cli::kInternalFailure;
  } catch (...) {
    std::cerr << "internal error: unknown exception\n";
    return cli::kInternalFailure;
  }
}
