#include "clients/cli/proc_cpu.h"

#include <dirent.h>
#include <errno.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace kneechat::cli {
namespace {

class RealProcReader : public ProcReader {
 public:
  absl::StatusOr<std::string> ReadFile(const std::string& path) override {
    std::ifstream file(path, std::ios::binary);
    if (!file) return absl::NotFoundError(absl::StrCat("cannot read ", path));
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
  }

  absl::StatusOr<std::vector<std::string>> ListDirectory(
      const std::string& path) override {
    DIR* dir = opendir(path.c_str());
    if (dir == nullptr) {
      return absl::NotFoundError(absl::StrCat("cannot list ", path));
    }
    std::vector<std::string> names;
    while (const dirent* entry = readdir(dir)) {
      if (std::strcmp(entry->d_name, ".") == 0 ||
          std::strcmp(entry->d_name, "..") == 0) {
        continue;
      }
      names.emplace_back(entry->d_name);
    }
    closedir(dir);
    return names;
  }

  absl::StatusOr<std::string> ReadLink(const std::string& path) override {
    char target[256];
    const ssize_t n = readlink(path.c_str(), target, sizeof(target));
    if (n < 0) return absl::NotFoundError(absl::StrCat("cannot read ", path));
    return std::string(target, static_cast<size_t>(n));
  }
};

bool AllDigits(absl::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return absl::ascii_isdigit(c);
  });
}

}  // namespace

ProcReader* ProcReader::Real() {
  static ProcReader* const reader = new RealProcReader();
  return reader;
}

absl::StatusOr<absl::Duration> ParseStatCpuTime(absl::string_view stat,
                                                long ticks_per_second) {
  // "PID (COMM) STATE PPID ..." where COMM may hold ") ": the fields after
  // the last ')' start with STATE, field 3.
  const size_t close = stat.rfind(')');
  if (close == absl::string_view::npos || ticks_per_second <= 0) {
    return absl::InvalidArgumentError("not a /proc/PID/stat line");
  }
  const std::vector<absl::string_view> fields =
      absl::StrSplit(stat.substr(close + 1), ' ', absl::SkipWhitespace());
  // utime is field 14 and stime field 15; fields[0] is field 3.
  constexpr size_t kUtime = 14 - 3, kStime = 15 - 3;
  uint64_t utime = 0, stime = 0;
  if (fields.size() <= kStime || !absl::SimpleAtoi(fields[kUtime], &utime) ||
      !absl::SimpleAtoi(fields[kStime], &stime)) {
    return absl::InvalidArgumentError("not a /proc/PID/stat line");
  }
  return absl::Seconds(1) * static_cast<double>(utime + stime) /
         static_cast<double>(ticks_per_second);
}

ProcessCpuClock::ProcessCpuClock(ProcReader& reader, pid_t pid)
    : reader_(reader),
      path_(absl::StrCat("/proc/", pid, "/stat")),
      ticks_per_second_(sysconf(_SC_CLK_TCK)) {}

absl::StatusOr<absl::Duration> ProcessCpuClock::CpuTime() {
  absl::StatusOr<std::string> stat = reader_.ReadFile(path_);
  if (!stat.ok()) return stat.status();
  return ParseStatCpuTime(*stat, ticks_per_second_);
}

absl::StatusOr<absl::Duration> SelfCpuClock::CpuTime() {
  rusage usage;
  if (getrusage(RUSAGE_SELF, &usage) != 0) {
    return absl::ErrnoToStatus(errno, "getrusage");
  }
  return absl::DurationFromTimeval(usage.ru_utime) +
         absl::DurationFromTimeval(usage.ru_stime);
}

std::vector<unsigned long> ListeningSocketInodes(absl::string_view proc_net_tcp,
                                                 int port) {
  // "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when
  //  retrnsmt   uid  timeout inode": local_address is HEXADDR:HEXPORT.
  constexpr size_t kLocal = 1, kState = 3, kInode = 9;
  std::vector<unsigned long> inodes;
  for (absl::string_view line : absl::StrSplit(proc_net_tcp, '\n')) {
    const std::vector<absl::string_view> fields =
        absl::StrSplit(line, ' ', absl::SkipWhitespace());
    if (fields.size() <= kInode || fields[kState] != "0A") continue;
    const size_t colon = fields[kLocal].rfind(':');
    if (colon == absl::string_view::npos) continue;
    int local_port = 0;
    unsigned long inode = 0;
    if (!absl::SimpleHexAtoi(fields[kLocal].substr(colon + 1), &local_port) ||
        local_port != port || !absl::SimpleAtoi(fields[kInode], &inode) ||
        inode == 0) {
      continue;
    }
    inodes.push_back(inode);
  }
  return inodes;
}

absl::StatusOr<pid_t> FindListeningPid(ProcReader& reader, int port) {
  std::set<std::string> sockets;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    absl::StatusOr<std::string> text = reader.ReadFile(table);
    if (!text.ok()) continue;
    for (unsigned long inode : ListeningSocketInodes(*text, port)) {
      sockets.insert(absl::StrCat("socket:[", inode, "]"));
    }
  }
  const std::string not_found =
      absl::StrCat("no process of this user listens on port ", port);
  if (sockets.empty()) return absl::NotFoundError(not_found);
  absl::StatusOr<std::vector<std::string>> processes =
      reader.ListDirectory("/proc");
  if (!processes.ok()) return processes.status();
  std::set<pid_t> found;
  for (const std::string& name : *processes) {
    if (!AllDigits(name)) continue;
    const std::string fd_dir = absl::StrCat("/proc/", name, "/fd");
    absl::StatusOr<std::vector<std::string>> fds = reader.ListDirectory(fd_dir);
    if (!fds.ok()) continue;  // gone, or another user's
    for (const std::string& fd : *fds) {
      absl::StatusOr<std::string> target =
          reader.ReadLink(absl::StrCat(fd_dir, "/", fd));
      if (target.ok() && sockets.count(*target) > 0) {
        int pid = 0;
        if (absl::SimpleAtoi(name, &pid)) found.insert(pid);
        break;
      }
    }
  }
  if (found.empty()) return absl::NotFoundError(not_found);
  if (found.size() > 1) {
    return absl::FailedPreconditionError(
        absl::StrCat(found.size(), " processes listen on port ", port,
                     "; give --server_pid"));
  }
  return *found.begin();
}

}  // namespace kneechat::cli
