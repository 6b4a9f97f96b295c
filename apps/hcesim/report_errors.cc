#include "hcesim/report_errors.h"

namespace hcesim::cli {

void report_errors(std::ostream& err, const Errors& errors) {
  for (const Error& e : errors) {
    err << "error: " << e.to_string() << '\n';
  }
}

void report_rows_set_aside(std::ostream& err, const Errors& warnings, const char* remedy) {
  if (!warnings.empty()) {
    err << "warning: " << warnings.size() << " feed rows set aside (" << remedy
        << "); first: " << warnings.front().to_string() << '\n';
  }
}

} // namespace hcesim::cli
