// Child processes for end-to-end tests: a kneechat-server kept running, and
// one-shot commands with their output captured.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace kneechat::testing {

struct CommandResult {
  // The exit code, or -1 when the command died from a signal.
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `argv` (argv[0] is the binary's path) with `input` on stdin. Returns
// kDeadlineExceeded, after killing it, if it runs longer than `timeout`.
absl::StatusOr<CommandResult> RunCommand(const std::vector<std::string>& argv,
                                         const std::string& input,
                                         absl::Duration timeout);

// A running kneechat-server. Not thread-safe.
class ServerProcess {
 public:
  // Starts `binary` with `args` and waits up to `timeout` for its line
  // "kneechat-server listening on HOST:PORT". If it exits or stays silent,
  // returns kUnavailable or kDeadlineExceeded carrying what it wrote on
  // stderr.
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(
      const std::string& binary, const std::vector<std::string>& args,
      absl::Duration timeout);

  // Kills the server if it still runs.
  ~ServerProcess();

  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // "HOST:PORT" from the listening line.
  const std::string& address() const { return address_; }
  // Lines the server printed on stdout up to and including that line.
  const std::string& banner() const { return banner_; }
  // The server's process id; -1 once it has been stopped.
  pid_t pid() const { return pid_; }

  // Sends `signal_number` and waits up to `timeout` for the server to exit.
  // Returns its exit code; kAborted if a signal killed it; kDeadlineExceeded
  // (after killing it) if it did not exit.
  absl::StatusOr<int> Stop(int signal_number, absl::Duration timeout);

  // What the server has written on stderr.
  std::string Stderr() const;

 private:
  ServerProcess(pid_t pid, int stdout_fd, std::string stderr_path);

  pid_t pid_;
  int stdout_fd_;
  std::string stderr_path_;
  std::string address_;
  std::string banner_;
};

}  // namespace kneechat::testing
