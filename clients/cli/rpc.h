// What every kneechat command needs to talk to a server: a channel, a
// deadline-bound context and readable errors.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace kneechat::cli {

// An insecure channel to `address` ("HOST:PORT").
std::shared_ptr<grpc::Channel> Connect(const std::string& address);

// Waits up to `timeout` for the channel to connect. kUnavailable naming
// `address` if it does not.
absl::Status WaitForServer(grpc::Channel& channel, const std::string& address,
                           absl::Duration timeout);

// A context whose deadline is `timeout` from now.
std::unique_ptr<grpc::ClientContext> NewContext(absl::Duration timeout);

// The same code and message as an absl::Status, whose ToString() reads
// "NOT_FOUND: session not found".
absl::Status ToAbsl(const grpc::Status& status);

}  // namespace kneechat::cli
