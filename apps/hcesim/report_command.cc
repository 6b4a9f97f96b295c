#include "hcesim/report_command.h"

#include "hcesim/exit_code.h"
#include "hcesim/report_errors.h"
#include "hcesim/report_inputs.h"
#include "hcesim/report_page.h"

namespace hcesim::cli {

int run_report(const ReportOptions& options, std::ostream& out, std::ostream& err) {
  ReportSettings settings;
  settings.assets =
      options.assets.empty() ? default_report_assets() : std::filesystem::path(options.assets);
  Errors errors;
  for (const std::string& t : options.targets) {
    Result<ReportTarget> target = parse_report_target(t);
    if (target.ok()) {
      settings.targets.push_back(std::move(target).value());
    } else {
      errors.push_back(target.error());
    }
  }
  if (const Result<std::string> kind = results_kind(options.dir); !kind.ok()) {
    errors.push_back(kind.error());
  } else {
    for (Error& e : check_report_inputs(options.dir, *kind)) {
      errors.push_back(std::move(e));
    }
  }
  if (!errors.empty()) {
    report_errors(err, errors);
    return kBadInput;
  }
  // A missing chart library is this machine's setup, not the user's input.
  if (const Result<void> ok = check_report_assets(settings.assets); !ok.ok()) {
    report_errors(err, {ok.error()});
    return kInternalFailure;
  }
  const auto written = write_report(options.dir, settings);
  if (!written.ok()) {
    report_errors(err, {written.error()});
    return kInternalFailure;
  }
  out << "report: " << written->string() << '\n';
  return kOk;
}

} // namespace hcesim::cli
