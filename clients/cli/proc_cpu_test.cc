#include "clients/cli/proc_cpu.h"

#include <unistd.h>

#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kneechat::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// /proc as a map of files, directories and links.
class FakeProcReader : public ProcReader {
 public:
  std::map<std::string, std::string> files;
  std::map<std::string, std::vector<std::string>> directories;
  std::map<std::string, std::string> links;

  absl::StatusOr<std::string> ReadFile(const std::string& path) override {
    const auto it = files.find(path);
    if (it == files.end()) return absl::NotFoundError(path);
    return it->second;
  }
  absl::StatusOr<std::vector<std::string>> ListDirectory(
      const std::string& path) override {
    const auto it = directories.find(path);
    if (it == directories.end()) return absl::NotFoundError(path);
    return it->second;
  }
  absl::StatusOr<std::string> ReadLink(const std::string& path) override {
    const auto it = links.find(path);
    if (it == links.end()) return absl::NotFoundError(path);
    return it->second;
  }
};

// A /proc/PID/stat line with the given command name, utime and stime.
std::string StatLine(const std::string& comm, int utime, int stime) {
  return "4242 (" + comm + ") S 1 4242 4242 0 -1 4194560 1234 0 0 0 " +
         std::to_string(utime) + " " + std::to_string(stime) +
         " 0 0 20 0 9 0 123456 987654321 4321 18446744073709551615 1 1 0 0 0 "
         "0 0 4096 17926 0 0 0 17 1 0 0 0 0 0\n";
}

TEST(ParseStatCpuTimeTest, AddsUserAndSystemTicks) {
  const auto cpu = ParseStatCpuTime(StatLine("kneechat-server", 250, 50), 100);
  ASSERT_TRUE(cpu.ok()) << cpu.status();
  EXPECT_EQ(*cpu, absl::Seconds(3));
}

TEST(ParseStatCpuTimeTest, ToleratesSpacesAndParenthesesInTheCommand) {
  const auto cpu = ParseStatCpuTime(StatLine("a) b (c", 7, 3), 1000);
  ASSERT_TRUE(cpu.ok()) << cpu.status();
  EXPECT_EQ(*cpu, absl::Milliseconds(10));
}

TEST(ParseStatCpuTimeTest, RejectsTruncatedOrGarbledLines) {
  EXPECT_EQ(ParseStatCpuTime("4242 (x) S 1 2 3", 100).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseStatCpuTime("no parenthesis here", 100).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::string garbled = StatLine("x", 1, 2);
  garbled.replace(garbled.find(" 1 2 0 0 20"), 4, " a 2");
  EXPECT_EQ(ParseStatCpuTime(garbled, 100).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ProcessCpuClockTest, ReadsTheProcessStatFile) {
  FakeProcReader reader;
  const long hz = sysconf(_SC_CLK_TCK);
  reader.files["/proc/77/stat"] = StatLine("srv", static_cast<int>(hz), 0);
  ProcessCpuClock clock(reader, 77);
  auto cpu = clock.CpuTime();
  ASSERT_TRUE(cpu.ok()) << cpu.status();
  EXPECT_EQ(*cpu, absl::Seconds(1));

  reader.files.erase("/proc/77/stat");
  EXPECT_EQ(clock.CpuTime().status().code(), absl::StatusCode::kNotFound);
}

TEST(SelfCpuClockTest, NeverGoesBackwards) {
  SelfCpuClock clock;
  const auto first = clock.CpuTime();
  ASSERT_TRUE(first.ok()) << first.status();
  volatile double sink = 0;
  for (int i = 0; i < 100000; ++i) sink = sink + i * 0.5;
  const auto second = clock.CpuTime();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_GE(*second, *first);
}

constexpr char kNetTcp[] =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when "
    "retrnsmt   uid  timeout inode\n"
    "   0: 0100007F:C383 00000000:0000 0A 00000000:00000000 00:00000000 "
    "00000000  1000        0 31337 1 0000000000000000 100 0 0 10 0\n"
    "   1: 0100007F:C383 0100007F:9C40 01 00000000:00000000 00:00000000 "
    "00000000  1000        0 31338 1 0000000000000000 20 4 30 10 -1\n"
    "   2: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 "
    "00000000  1000        0 555 1 0000000000000000 100 0 0 10 0\n";

TEST(ListeningSocketInodesTest, KeepsListenersOnThePortOnly) {
  EXPECT_THAT(ListeningSocketInodes(kNetTcp, 0xC383), ElementsAre(31337u));
  EXPECT_THAT(ListeningSocketInodes(kNetTcp, 8080), ElementsAre(555u));
  EXPECT_THAT(ListeningSocketInodes(kNetTcp, 40000), IsEmpty());
  EXPECT_THAT(ListeningSocketInodes("", 8080), IsEmpty());
}

FakeProcReader ProcWithServer() {
  FakeProcReader reader;
  reader.files["/proc/net/tcp"] = kNetTcp;
  reader.directories["/proc"] = {"self", "1", "300", "301", "cpuinfo"};
  reader.directories["/proc/300/fd"] = {"0", "1", "7"};
  reader.links["/proc/300/fd/0"] = "/dev/null";
  reader.links["/proc/300/fd/7"] = "socket:[31337]";
  reader.directories["/proc/301/fd"] = {"3"};
  reader.links["/proc/301/fd/3"] = "socket:[31338]";  // a client
  return reader;  // /proc/1/fd cannot be listed (another user)
}

TEST(FindListeningPidTest, FindsTheProcessHoldingTheListeningSocket) {
  FakeProcReader reader = ProcWithServer();
  const auto pid = FindListeningPid(reader, 0xC383);
  ASSERT_TRUE(pid.ok()) << pid.status();
  EXPECT_EQ(*pid, 300);
}

TEST(FindListeningPidTest, ReadsTcp6Too) {
  FakeProcReader reader = ProcWithServer();
  reader.files.erase("/proc/net/tcp");
  reader.files["/proc/net/tcp6"] =
      "  sl  local_address                         remote_address st\n"
      "   0: 00000000000000000000000001000000:C383 "
      "00000000000000000000000000000000:0000 0A 00000000:00000000 "
      "00:00000000 00000000  1000        0 31337 1 0 100 0 0 10 0\n";
  const auto pid = FindListeningPid(reader, 0xC383);
  ASSERT_TRUE(pid.ok()) << pid.status();
  EXPECT_EQ(*pid, 300);
}

TEST(FindListeningPidTest, NotFoundWhenNobodyListensOrTheOwnerIsHidden) {
  FakeProcReader reader = ProcWithServer();
  EXPECT_EQ(FindListeningPid(reader, 40000).status().code(),
            absl::StatusCode::kNotFound);
  reader.directories.erase("/proc/300/fd");
  EXPECT_EQ(FindListeningPid(reader, 0xC383).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(FindListeningPidTest, RefusesToGuessBetweenSeveralHolders) {
  FakeProcReader reader = ProcWithServer();
  reader.directories["/proc"].push_back("302");
  reader.directories["/proc/302/fd"] = {"4"};
  reader.links["/proc/302/fd/4"] = "socket:[31337]";
  EXPECT_EQ(FindListeningPid(reader, 0xC383).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace kneechat::cli
