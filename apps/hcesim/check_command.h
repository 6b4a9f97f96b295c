#pragma once
// `hcesim check DIR|FILE... [--update] [--jobs N] [--out DIR]`: runs every scenario (.txtpb,
// .json) in the folders and files given, prints one line per expectation with the measured value,
// and exits 3 when any fails. --update rewrites the pinned fingerprints to the measured ones and
// prints each change (a deliberate, reviewed update: README "Regression suite").
#include <iosfwd>
#include <string>
#include <vector>

namespace hcesim::cli {

struct CheckOptions {
  std::vector<std::string> paths;
  bool update = false;
  unsigned jobs = 0; //!< 0: every core
  std::string out;   //!< results folders go under here (default results/runs/check)
  std::string command_line;
};

int run_check(const CheckOptions& options, std::ostream& out, std::ostream& err);

} // namespace hcesim::cli
