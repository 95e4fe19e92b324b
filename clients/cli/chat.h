// `kneechat chat`: a conversation in the terminal.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>

#include "absl/time/time.h"
#include "kneechat/v1/kneechat.grpc.pb.h"

namespace kneechat::cli {

struct ChatOptions {
  std::string channel = "cli";
  size_t width = 80;
  // Print "> " before reading each line (for a terminal).
  bool prompt = false;
  // Leave the session on the server at the end instead of deleting it.
  bool keep_session = false;
  absl::Duration timeout = absl::Seconds(10);
};

// Creates a session and prints the greeting, then sends each line of `in`
// and prints the reply (see RenderReply). Typing the number of a quick reply
// sends that quick reply's title. Blank lines are skipped; "/quit" or end of
// input ends the chat, and the session is then deleted unless
// `keep_session`. An INVALID_ARGUMENT reply to a line is reported on `err`
// and the chat goes on; any other RPC error is reported as "error: CODE:
// message" and ends it. Returns the process exit code: 0, or 1 after an
// error that ended the chat. Works the same whether `in` is a terminal or a
// pipe.
int RunChat(v1::KneeChat::StubInterface& stub, std::istream& in,
            std::ostream& out, std::ostream& err, const ChatOptions& options);

}  // namespace kneechat::cli
