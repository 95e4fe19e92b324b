#include "tests/integration/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

extern char** environ;

namespace kneechat::testing {
namespace {

constexpr char kListening[] = "kneechat-server listening on ";

std::string TempPath(const std::string& stem) {
  const char* dir = std::getenv("TEST_TMPDIR");
  std::string pattern =
      absl::StrCat(dir != nullptr ? dir : "/tmp", "/", stem, "-XXXXXX");
  const int fd = mkstemp(pattern.data());
  if (fd >= 0) close(fd);
  return pattern;
}

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// Spawns `argv` with stdin, stdout and stderr redirected as given: a path
// (opened for reading or writing) or, for stdout, the write end of a pipe.
absl::StatusOr<pid_t> Spawn(const std::vector<std::string>& argv,
                            const std::string& stdin_path, int stdout_fd,
                            const std::string& stdout_path,
                            const std::string& stderr_path) {
  std::vector<std::string> args = argv;
  std::vector<char*> pointers;
  for (std::string& arg : args) pointers.push_back(arg.data());
  pointers.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, stdin_path.c_str(),
                                   O_RDONLY, 0);
  if (stdout_fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, stdout_fd, STDOUT_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO,
                                     stdout_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
  }
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);

  pid_t pid = 0;
  const int error = posix_spawn(&pid, pointers[0], &actions, &attributes,
                                pointers.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (error != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot run ", argv[0], ": errno ", error));
  }
  return pid;
}

// Waits for `pid` until `deadline`. Returns the wait status, or nullopt if
// it is still running.
std::optional<int> WaitUntil(pid_t pid, absl::Time deadline) {
  while (true) {
    int status = 0;
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) return status;
    if (done < 0 && errno != EINTR) return -1;
    if (absl::Now() >= deadline) return std::nullopt;
    absl::SleepFor(absl::Milliseconds(10));
  }
}

void Kill(pid_t pid) {
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
}

}  // namespace

absl::StatusOr<CommandResult> RunCommand(const std::vector<std::string>& argv,
                                         const std::string& input,
                                         absl::Duration timeout) {
  const std::string in_path = TempPath("stdin");
  const std::string out_path = TempPath("stdout");
  const std::string err_path = TempPath("stderr");
  {
    std::ofstream in(in_path);
    in << input;
  }
  absl::StatusOr<pid_t> pid = Spawn(argv, in_path, -1, out_path, err_path);
  if (!pid.ok()) return pid.status();
  const std::optional<int> status = WaitUntil(*pid, absl::Now() + timeout);
  if (!status.has_value()) {
    Kill(*pid);
    return absl::DeadlineExceededError(absl::StrCat(
        argv[0], " still ran after ", absl::FormatDuration(timeout)));
  }
  CommandResult result;
  result.exit_code = WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
  result.out = ReadFile(out_path);
  result.err = ReadFile(err_path);
  unlink(in_path.c_str());
  unlink(out_path.c_str());
  unlink(err_path.c_str());
  return result;
}

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Start(
    const std::string& binary, const std::vector<std::string>& args,
    absl::Duration timeout) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return absl::UnavailableError("cannot create a pipe");
  }
  const std::string stderr_path = TempPath("kneechat-server-stderr");
  std::vector<std::string> argv = {binary};
  argv.insert(argv.end(), args.begin(), args.end());
  absl::StatusOr<pid_t> pid =
      Spawn(argv, "/dev/null", pipe_fds[1], "", stderr_path);
  close(pipe_fds[1]);
  if (!pid.ok()) {
    close(pipe_fds[0]);
    return pid.status();
  }
  std::unique_ptr<ServerProcess> server(
      new ServerProcess(*pid, pipe_fds[0], stderr_path));

  const absl::Time deadline = absl::Now() + timeout;
  std::string pending;
  while (true) {
    const size_t newline = pending.find('\n');
    if (newline != std::string::npos) {
      const std::string line = pending.substr(0, newline);
      pending.erase(0, newline + 1);
      absl::StrAppend(&server->banner_, line, "\n");
      absl::string_view rest = line;
      if (absl::ConsumePrefix(&rest, kListening)) {
        server->address_ = std::string(rest);
        return server;
      }
      continue;
    }
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      return absl::DeadlineExceededError(absl::StrCat(
          "kneechat-server did not say it was listening within ",
          absl::FormatDuration(timeout), "; stderr:\n", server->Stderr()));
    }
    pollfd poll_fd = {server->stdout_fd_, POLLIN, 0};
    if (poll(&poll_fd, 1, static_cast<int>(absl::ToInt64Milliseconds(left))) <=
        0) {
      continue;
    }
    char buffer[4096];
    const ssize_t n = read(server->stdout_fd_, buffer, sizeof(buffer));
    if (n <= 0) {
      WaitUntil(server->pid_, absl::Now() + absl::Seconds(5));
      server->pid_ = -1;
      return absl::UnavailableError(
          absl::StrCat("kneechat-server exited before listening; stderr:\n",
                       server->Stderr()));
    }
    pending.append(buffer, static_cast<size_t>(n));
  }
}

ServerProcess::ServerProcess(pid_t pid, int stdout_fd, std::string stderr_path)
    : pid_(pid), stdout_fd_(stdout_fd), stderr_path_(std::move(stderr_path)) {}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Kill(pid_);
  close(stdout_fd_);
  unlink(stderr_path_.c_str());
}

absl::StatusOr<int> ServerProcess::Stop(int signal_number,
                                        absl::Duration timeout) {
  if (pid_ <= 0) return absl::FailedPreconditionError("server not running");
  kill(pid_, signal_number);
  const std::optional<int> status = WaitUntil(pid_, absl::Now() + timeout);
  if (!status.has_value()) {
    Kill(pid_);
    pid_ = -1;
    return absl::DeadlineExceededError(absl::StrCat(
        "kneechat-server still ran ", absl::FormatDuration(timeout),
        " after signal ", signal_number));
  }
  pid_ = -1;
  if (!WIFEXITED(*status)) {
    return absl::AbortedError(
        absl::StrCat("kneechat-server died from signal ",
                     WIFSIGNALED(*status) ? WTERMSIG(*status) : 0));
  }
  return WEXITSTATUS(*status);
}

std::string ServerProcess::Stderr() const { return ReadFile(stderr_path_); }

}  // namespace kneechat::testing
