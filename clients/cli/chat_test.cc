#include "clients/cli/chat.h"

#include <sstream>

#include "clients/cli/fake_server_fixture.h"
#include "gmock/gmock.h"

namespace kneechat::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ChatTest : public FakeServerTest {
 protected:
  void SetUp() override {
    FakeServerTest::SetUp();
    engine_.on_create_session = [](const v1::CreateSessionRequest& request)
        -> absl::StatusOr<v1::CreateSessionResponse> {
      v1::CreateSessionResponse response;
      response.set_session_id("s-" + request.channel());
      response.mutable_reply()->set_kind(v1::REPLY_KIND_GREETING);
      response.mutable_reply()->set_text("Hello, where does it hurt?");
      response.mutable_reply()->add_quick_replies()->set_title("Front");
      response.mutable_reply()->add_quick_replies()->set_title("Back");
      return response;
    };
    engine_.on_send_message = [](const v1::SendMessageRequest& request)
        -> absl::StatusOr<v1::SendMessageResponse> {
      v1::SendMessageResponse response;
      response.mutable_reply()->set_kind(v1::REPLY_KIND_QUESTION);
      response.mutable_reply()->set_text("You said " + request.text());
      return response;
    };
    engine_.on_delete_session = [this](const v1::DeleteSessionRequest& request)
        -> absl::StatusOr<v1::DeleteSessionResponse> {
      deleted_ = request.session_id();
      return v1::DeleteSessionResponse();
    };
  }

  std::vector<std::string> SentTexts() const {
    std::vector<std::string> texts;
    for (const auto& request : engine_.sent_messages()) {
      texts.push_back(request.text());
    }
    return texts;
  }

  std::string deleted_;
};

TEST_F(ChatTest, PlaysLinesSendsQuickRepliesByNumberAndQuits) {
  // The greeting offers the quick replies "Front" and "Back".
  std::istringstream in("  2 \n\nmy knee hurts\n/quit\nnot sent\n");
  std::ostringstream out, err;
  EXPECT_EQ(RunChat(*stub_, in, out, err, ChatOptions()), 0);
  EXPECT_THAT(SentTexts(), ElementsAre("Back", "my knee hurts"));
  const auto sent = engine_.sent_messages();
  EXPECT_EQ(sent[0].session_id(), "s-cli");
  EXPECT_EQ(sent[0].message_id(), "cli-1");
  EXPECT_EQ(sent[1].message_id(), "cli-2");
  EXPECT_THAT(out.str(), HasSubstr("kneechat> Hello, where does it hurt?"));
  EXPECT_THAT(out.str(), HasSubstr("1) Front"));
  EXPECT_THAT(out.str(), HasSubstr("kneechat> You said my knee hurts"));
  EXPECT_THAT(out.str(), HasSubstr("(you chose: Back)"));
  EXPECT_EQ(err.str(), "");
  EXPECT_EQ(deleted_, "s-cli");
}

TEST_F(ChatTest, NumberWithoutQuickRepliesIsSentAsText) {
  std::istringstream in("hi\n2\n");  // the reply to "hi" has no quick replies
  std::ostringstream out, err;
  EXPECT_EQ(RunChat(*stub_, in, out, err, ChatOptions()), 0);
  EXPECT_THAT(SentTexts(), ElementsAre("hi", "2"));
}

TEST_F(ChatTest, EndOfInputEndsAndKeepSessionKeepsIt) {
  std::istringstream in("hello");
  std::ostringstream out, err;
  ChatOptions options;
  options.keep_session = true;
  EXPECT_EQ(RunChat(*stub_, in, out, err, options), 0);
  EXPECT_THAT(SentTexts(), ElementsAre("hello"));
  EXPECT_EQ(deleted_, "");
  EXPECT_EQ(err.str(), "session s-cli kept\n");
}

TEST_F(ChatTest, InvalidArgumentIsReportedAndTheChatGoesOn) {
  engine_.on_send_message = [](const v1::SendMessageRequest& request)
      -> absl::StatusOr<v1::SendMessageResponse> {
    if (request.text().size() > 10) {
      return absl::InvalidArgumentError("text is longer than 10 characters");
    }
    v1::SendMessageResponse response;
    response.mutable_reply()->set_text("ok");
    return response;
  };
  std::istringstream in("a very long line indeed\nshort\n");
  std::ostringstream out, err;
  EXPECT_EQ(RunChat(*stub_, in, out, err, ChatOptions()), 0);
  EXPECT_EQ(err.str(),
            "error: INVALID_ARGUMENT: text is longer than 10 characters\n");
  EXPECT_THAT(out.str(), HasSubstr("kneechat> ok"));
}

TEST_F(ChatTest, ExpiredSessionEndsTheChatWithAnError) {
  engine_.on_send_message = [](const v1::SendMessageRequest&)
      -> absl::StatusOr<v1::SendMessageResponse> {
    return absl::NotFoundError("session not found");
  };
  std::istringstream in("hello\nagain\n");
  std::ostringstream out, err;
  EXPECT_EQ(RunChat(*stub_, in, out, err, ChatOptions()), 1);
  EXPECT_EQ(err.str(), "error: NOT_FOUND: session not found\n");
  EXPECT_THAT(SentTexts(), ElementsAre("hello"));
}

TEST_F(ChatTest, CreateSessionFailureFails) {
  engine_.on_create_session = [](const v1::CreateSessionRequest&)
      -> absl::StatusOr<v1::CreateSessionResponse> {
    return absl::ResourceExhaustedError("too many sessions");
  };
  std::istringstream in("hello\n");
  std::ostringstream out, err;
  EXPECT_EQ(RunChat(*stub_, in, out, err, ChatOptions()), 1);
  EXPECT_EQ(err.str(), "error: RESOURCE_EXHAUSTED: too many sessions\n");
  EXPECT_EQ(engine_.sent_messages().size(), 0u);
}

}  // namespace
}  // namespace kneechat::cli
