#include "hcesim/report_errors.h"

namespace hcesim::cli {

void report_errors(std::ostream& err, const Errors& errors) {
  for (const Error& e : errors) {
    err << "error: " << e.to_string() << '\n';
  }
}

} // namespace hcesim::cli
