// A throwaway redis-server for tests: its own temporary directory, a free
// loopback port, no persistence. Killed when the object goes.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace kneechat {

class TestRedisServer {
 public:
  // Starts `binary` and waits until it answers PING (fails the test with
  // ADD_FAILURE if it does not within 10 s).
  explicit TestRedisServer(const std::string& binary,
                           std::vector<std::string> extra_args = {});
  ~TestRedisServer();

  int port() const { return port_; }
  // Stops it (SIGKILL), keeping the port for Restart().
  void Kill();
  void Restart();

 private:
  void Start();

  const std::string binary_;
  const std::vector<std::string> extra_args_;
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

// A port nothing listens on right now.
int FreeLoopbackPort();

}  // namespace kneechat
