#include "clients/cli/chat.h"

#include <istream>
#include <ostream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "clients/cli/render.h"
#include "clients/cli/rpc.h"

namespace kneechat::cli {
namespace {

// The quick reply's title when `line` is its number, else `line`.
std::string ResolveQuickReply(const std::string& line, const v1::Reply& last,
                              std::ostream& out) {
  int number = 0;
  if (!absl::SimpleAtoi(line, &number) || number < 1 ||
      number > last.quick_replies_size()) {
    return line;
  }
  const std::string& title = last.quick_replies(number - 1).title();
  out << "(you chose: " << title << ")\n";
  return title;
}

}  // namespace

int RunChat(v1::KneeChat::StubInterface& stub, std::istream& in,
            std::ostream& out, std::ostream& err, const ChatOptions& options) {
  v1::CreateSessionRequest create;
  create.set_channel(options.channel);
  v1::CreateSessionResponse created;
  const grpc::Status create_status =
      stub.CreateSession(NewContext(options.timeout).get(), create, &created);
  if (!create_status.ok()) {
    err << "error: " << ToAbsl(create_status).ToString() << "\n";
    return 1;
  }
  const std::string& session_id = created.session_id();
  v1::Reply last = created.reply();
  out << RenderReply(last, options.width) << std::flush;

  int exit_code = 0;
  int turn = 0;
  std::string line;
  while (true) {
    if (options.prompt) out << "> " << std::flush;
    if (!std::getline(in, line)) break;
    const std::string text(absl::StripAsciiWhitespace(line));
    if (text.empty()) continue;
    if (text == "/quit") break;

    v1::SendMessageRequest request;
    request.set_session_id(session_id);
    request.set_text(ResolveQuickReply(text, last, out));
    request.set_message_id(absl::StrCat("cli-", ++turn));
    v1::SendMessageResponse response;
    const grpc::Status status =
        stub.SendMessage(NewContext(options.timeout).get(), request, &response);
    if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
      err << "error: " << ToAbsl(status).ToString() << "\n";
      continue;
    }
    if (!status.ok()) {
      err << "error: " << ToAbsl(status).ToString() << "\n";
      exit_code = 1;
      break;
    }
    last = response.reply();
    out << "\n" << RenderReply(last, options.width) << std::flush;
  }
  if (options.keep_session) {
    err << "session " << session_id << " kept\n";
  } else if (exit_code == 0) {
    v1::DeleteSessionRequest request;
    request.set_session_id(session_id);
    v1::DeleteSessionResponse response;
    const grpc::Status status = stub.DeleteSession(
        NewContext(options.timeout).get(), request, &response);
    if (!status.ok() && status.error_code() != grpc::StatusCode::NOT_FOUND) {
      err << "error: " << ToAbsl(status).ToString() << "\n";
      exit_code = 1;
    }
  }
  return exit_code;
}

}  // namespace kneechat::cli
