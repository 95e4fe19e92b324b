// The gRPC port under descriptor exhaustion: kneechat-server runs with a
// small open-files limit, a client opens more idle connections than it has
// descriptors, then closes them all. gRPC 1.51's listener never accepts again
// after accept() failed with EMFILE, so kneechat must notice and exit with
// status 1 (reporting NOT_SERVING first) for its supervisor to restart it —
// never keep running deaf.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "gtest/gtest.h"
#include "tests/integration/child_process.h"

namespace kneechat::testing {
namespace {

int Connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) !=
      0) {
    close(fd);
    return -1;
  }
  return fd;
}

TEST(DescriptorExhaustionTest, ADeafGrpcPortMakesTheServerExitForARestart) {
  auto server = ServerProcess::Start(
      "/usr/bin/prlimit",
      {"--nofile=256:256", KNEECHAT_SERVER_BINARY, "--listen", "127.0.0.1:0",
       "--listener_probe_interval", "1s"},
      absl::Seconds(60));
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string& address = (*server)->address();
  int port = 0;
  ASSERT_TRUE(absl::SimpleAtoi(address.substr(address.rfind(':') + 1), &port));

  std::vector<int> connections;
  for (int i = 0; i < 600; ++i) {
    const int fd = Connect(port);
    if (fd >= 0) connections.push_back(fd);
  }
  ASSERT_GT(connections.size(), 256u);  // more than the server can accept
  absl::SleepFor(absl::Seconds(2));
  for (int fd : connections) close(fd);

  // Three failed probes a second apart, then a graceful exit with status 1.
  absl::StatusOr<int> exit_code = (*server)->Stop(0, absl::Seconds(40));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 1);
  EXPECT_NE((*server)->Stderr().find("gRPC port stopped accepting"),
            std::string::npos)
      << (*server)->Stderr();
}

}  // namespace
}  // namespace kneechat::testing
