#pragma once
// Runs the real hcesim-cloud binary for end-to-end tests: started on 127.0.0.1 with a free port,
// its stderr kept in DIR/server.log, stopped by SIGTERM (or SIGKILL for crash tests).
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace hcesim::live::testing {

class ServerProcess {
public:
  ServerProcess() = default;
  ~ServerProcess() {
    if (pid_ > 0) {
      kill9();
    }
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  //! Starts the server on DIR; returns its port (0 on failure, with a test failure recorded).
  uint16_t start(const std::string& dir, std::vector<std::string> extra = {}) {
    int out[2];
    if (::pipe(out) != 0) {
      ADD_FAILURE() << "pipe failed";
      return 0;
    }
    std::vector<std::string> args{HCESIM_CLOUD_BIN, "serve", "--listen",   "127.0.0.1:0",
                                  "--data",         dir,     "--scenario", HCESIM_LIVE_SCENARIO};
    args.insert(args.end(), extra.begin(), extra.end());
    const std::string log = dir + "/server.log";
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      FILE* err = std::fopen(log.c_str(), "a");
      if (err != nullptr) {
        ::dup2(::fileno(err), 2);
      }
      ::close(out[0]);
      std::vector<char*> argv;
      for (auto& a : args) {
        argv.push_back(a.data());
      }
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    std::string line;
    char c = 0;
    while (::read(out[0], &c, 1) == 1 && c != '\n') {
      line.push_back(c);
    }
    ::close(out[0]);
    const auto colon = line.rfind(':');
    if (line.rfind("listening on ", 0) != 0 || colon == std::string::npos) {
      ADD_FAILURE() << "server did not start: \"" << line << "\" (see " << log << ")";
      return 0;
    }
    port_ = static_cast<uint16_t>(std::stoi(line.substr(colon + 1)));
    return port_;
  }

  void kill9() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  //! SIGTERM, then the exit status (-1 if it had to be killed after `patience`).
  int terminate(std::chrono::milliseconds patience = std::chrono::seconds(10)) {
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + patience;
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill9();
    return -1;
  }

  uint16_t port() const { return port_; }

private:
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

} // namespace hcesim::live::testing
