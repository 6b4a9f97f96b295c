#pragma once
// Parses a command line the way every hcesim program does (DESIGN §3 rule 8): help and version
// print and exit 0, bad input is one "error: " line and exit 2, never CLI11's own exit codes.
#include <CLI/CLI.hpp>

#include <iostream>
#include <optional>

namespace hcesim::cli {

//! The exit code when parsing ended the program (help, version, bad input); none to go on.
inline std::optional<int> parse_arguments(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ValidationError& e) {
    // A bad value: the line names the option and what it takes; usage would only bury it.
    std::cerr << "error: " << e.what() << '\n';
    return 2;
  } catch (const CLI::ConversionError& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 2;
  } catch (const CLI::ParseError& e) {
    std::cerr << "error: " << e.what() << '\n' << "run with --help for usage\n";
    return 2;
  }
  return std::nullopt;
}

} // namespace hcesim::cli
