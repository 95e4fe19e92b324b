// CPU time of a process from Linux's /proc, and the process that listens on
// a TCP port, for `kneechat bench`'s server and client CPU per call.
//
// Everything reads through a ProcReader, so tests give it fake files.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace kneechat::cli {

// Reads /proc. Implementations must be safe to call from one thread at a
// time; the bench calls them only from its control thread.
class ProcReader {
 public:
  virtual ~ProcReader() = default;
  // The whole file. kNotFound (or the errno's code) when it cannot be read.
  virtual absl::StatusOr<std::string> ReadFile(const std::string& path) = 0;
  // The names in a directory, without "." and "..".
  virtual absl::StatusOr<std::vector<std::string>> ListDirectory(
      const std::string& path) = 0;
  // The target of a symbolic link.
  virtual absl::StatusOr<std::string> ReadLink(const std::string& path) = 0;

  // The real /proc; never null, never deleted.
  static ProcReader* Real();
};

// utime + stime of a /proc/PID/stat line (fields 14 and 15, counted in
// clock ticks of `ticks_per_second`): the CPU the process has used in user
// and kernel mode, all its threads together. The command name in
// parentheses may hold spaces and parentheses. kInvalidArgument when the
// line does not parse.
absl::StatusOr<absl::Duration> ParseStatCpuTime(absl::string_view stat,
                                                long ticks_per_second);

// A source of a process's accumulated CPU time. Thread-compatible.
class CpuClock {
 public:
  virtual ~CpuClock() = default;
  virtual absl::StatusOr<absl::Duration> CpuTime() = 0;
};

// The CPU time of process `pid` from /proc/PID/stat. `reader` is not owned
// and must outlive the clock.
class ProcessCpuClock : public CpuClock {
 public:
  ProcessCpuClock(ProcReader& reader, pid_t pid);
  absl::StatusOr<absl::Duration> CpuTime() override;

 private:
  ProcReader& reader_;
  const std::string path_;
  const long ticks_per_second_;
};

// This process's own CPU time (getrusage; microsecond resolution).
class SelfCpuClock : public CpuClock {
 public:
  absl::StatusOr<absl::Duration> CpuTime() override;
};

// The inodes of sockets listening on TCP `port` in the text of
// /proc/net/tcp or /proc/net/tcp6 (state 0A), any local address.
std::vector<unsigned long> ListeningSocketInodes(absl::string_view proc_net_tcp,
                                                 int port);

// The process holding a socket that listens on TCP `port`, found from
// /proc/net/tcp{,6} and the /proc/PID/fd links ("socket:[INODE]") of the
// processes this user may read. kNotFound when there is none (or it belongs
// to another user); kFailedPrecondition when several processes hold one.
absl::StatusOr<pid_t> FindListeningPid(ProcReader& reader, int port);

}  // namespace kneechat::cli
