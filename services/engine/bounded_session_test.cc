// A session stays bounded however long it runs, and a message id is never
// answered with another message's reply: over the in-memory store and, in the
// integration build, over Redis (what a replica keeps between turns).
#include <map>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "services/common/clock.h"
#include "services/common/limits.h"
#include "services/engine/kneechat_engine.h"
#include "services/session/memory_session_store.h"
#ifdef KNEECHAT_BOUNDED_SESSION_REDIS
#include "services/redis/redis_connector.h"
#include "services/redis/redis_pool.h"
#include "services/redis/testing/redis_server.h"
#include "services/session/redis_session_store.h"
#endif

namespace kneechat {
namespace {

class BoundedSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
#ifdef KNEECHAT_BOUNDED_SESSION_REDIS
    redis_ = std::make_unique<TestRedisServer>(KNEECHAT_REDIS_SERVER);
    RedisConnectOptions connect;
    connect.timeout = absl::Seconds(2);
    auto connector = std::make_unique<DirectRedisConnector>(
        RedisAddress{"127.0.0.1", redis_->port()}, connect);
    store_ = std::make_unique<RedisSessionStore>(
        std::make_shared<RedisPool>(std::move(connector)),
        RedisRecordOptions{});
#else
    store_ = std::make_unique<MemorySessionStore>(
        MemorySessionStoreOptions{absl::Minutes(30), 100, &clock_});
#endif
  }

  void Start(int transcript_turns, int max_messages) {
    EngineOptions options;
    options.clock = &clock_;
    options.session_store = store_.get();
    options.max_transcript_turns = transcript_turns;
    options.max_messages_per_session = max_messages;
    auto engine = CreateKneechatEngine(options);
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = *std::move(engine);
    v1::CreateSessionRequest create;
    create.set_channel("web");
    auto created = engine_->CreateSession(create);
    ASSERT_TRUE(created.ok()) << created.status();
    session_ = created->session_id();
  }

  absl::StatusOr<v1::Reply> Send(const std::string& text,
                                 const std::string& message_id) {
    v1::SendMessageRequest request;
    request.set_session_id(session_);
    request.set_text(text);
    request.set_message_id(message_id);
    auto response = engine_->SendMessage(request);
    if (!response.ok()) return response.status();
    return response->reply();
  }

  v1::Session Get() {
    v1::GetSessionRequest get;
    get.set_session_id(session_);
    auto response = engine_->GetSession(get);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? response->session() : v1::Session();
  }

  // Answers the engine's questions until it answers.
  void ConverseToAnswer() {
    const std::map<std::string, std::string> profile = {
        {"location", "around the kneecap"}, {"activity", "running"},
        {"duration", "three weeks"},        {"age", "31"},
        {"onset", "gradually, no injury"},  {"swelling", "no"},
        {"weight_bearing", "yes"},          {"red_flags", "none of those"}};
    auto reply = Send("my knee is sore at the front whenever I run", "c0");
    ASSERT_TRUE(reply.ok()) << reply.status();
    for (int i = 1; i < 10 && reply->kind() == v1::REPLY_KIND_QUESTION; ++i) {
      auto it = profile.find(reply->asking());
      reply = Send(it == profile.end() ? "not sure" : it->second,
                   "c" + std::to_string(i));
      ASSERT_TRUE(reply.ok()) << reply.status();
    }
    ASSERT_EQ(reply->kind(), v1::REPLY_KIND_ANSWER);
  }

  FakeClock clock_;
#ifdef KNEECHAT_BOUNDED_SESSION_REDIS
  std::unique_ptr<TestRedisServer> redis_;
#endif
  std::unique_ptr<SessionStore> store_;
  std::unique_ptr<Engine> engine_;
  std::string session_;
};

TEST_F(BoundedSessionTest, ReusedIdWithOtherTextIsAlreadyExistsAndNotRead) {
  Start(kMaxTranscriptTurns, kMaxMessagesPerSession);
  auto first = Send("my knee aches a little after running", "m1");
  ASSERT_TRUE(first.ok()) << first.status();
  const v1::Session before = Get();
  auto reused = Send("I have crushing chest pain and can't breathe", "m1");
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kAlreadyExists);
  const v1::Session after = Get();
  EXPECT_EQ(after.transcript_size(), before.transcript_size());
  EXPECT_EQ(after.triage().SerializeAsString(),
            before.triage().SerializeAsString());
  // The same text under a new id is read: chest pain is an emergency.
  auto fresh = Send("I have crushing chest pain and can't breathe", "m2");
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  EXPECT_EQ(fresh->triage().level(), v1::TRIAGE_LEVEL_EMERGENCY);
}

TEST_F(BoundedSessionTest, ARefusedMessageLeavesTheStoredStateAsItWas) {
  Start(kMaxTranscriptTurns, 4);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(
        Send("my knee hurts " + std::to_string(i), "m" + std::to_string(i))
            .ok());
  }
  auto stored = [&] { return store_->Get(session_)->SerializeAsString(); };
  const std::string before = stored();
  EXPECT_EQ(Send("something else", "m1").status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(stored(), before);
  ASSERT_TRUE(Send("my knee hurts 3", "m3").ok());
  const std::string full = stored();
  EXPECT_EQ(Send("my knee hurts 4", "m4").status().code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(stored(), full);
}

TEST_F(BoundedSessionTest, IdsAreRememberedLongAfterTheirTurnsAreDropped) {
  constexpr int kTurns = 10;
  Start(kTurns, kMaxMessagesPerSession);
  v1::Reply last;
  for (int i = 0; i < 100; ++i) {
    auto reply =
        Send("my knee hurts " + std::to_string(i), "m" + std::to_string(i));
    ASSERT_TRUE(reply.ok()) << i << ": " << reply.status();
    last = *reply;
  }
  const v1::Session session = Get();
  EXPECT_EQ(session.transcript_size(), kTurns);
  EXPECT_EQ(session.dropped_turns(), 1 + 2 * 100 - kTurns);
  // A retry of the latest message gets its reply again.
  auto retry = Send("my knee hurts 99", "m99");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->SerializeAsString(), last.SerializeAsString());
  // The first id, 99 messages on: never played again, never another reply.
  EXPECT_EQ(Send("my knee hurts 0", "m0").status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Send("something else entirely", "m0").status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Get().dropped_turns(), session.dropped_turns());
}

TEST_F(BoundedSessionTest, MessagesBeyondTheSessionLimitAreResourceExhausted) {
  Start(kMaxTranscriptTurns, 3);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(Send("my knee hurts", "m" + std::to_string(i)).ok());
  }
  EXPECT_EQ(Send("my knee hurts", "m3").status().code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(Send("my knee hurts", "m2").ok());  // a retry is still answered
}

// A message as long as the API accepts: ~4 KB of a real question.
std::string LongMessage(const std::string& sentence) {
  std::string text;
  while (text.size() + sentence.size() + 1 <= kMaxMessageBytes) {
    text += sentence + " ";
  }
  return text;
}

TEST_F(BoundedSessionTest, AMessageOfTheLargestAcceptedSizeWorksInEveryState) {
  Start(kMaxTranscriptTurns, kMaxMessagesPerSession);
  const std::string long_first =
      LongMessage("my knee is sore at the front whenever I run.");
  ASSERT_GT(long_first.size(), kMaxMessageBytes - 50);
  auto first = Send(long_first, "long0");
  ASSERT_TRUE(first.ok()) << first.status();
  ConverseToAnswer();
  const std::string follow_up =
      LongMessage("how long should I rest before I start running again?");
  auto answer = Send(follow_up, "long1");
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_NE(answer->kind(), v1::REPLY_KIND_UNSPECIFIED);
  auto off_topic = Send(LongMessage("what is the capital of France?"), "long2");
  ASSERT_TRUE(off_topic.ok()) << off_topic.status();
}

TEST_F(BoundedSessionTest, GetSessionStopsGrowing) {
  Start(kMaxTranscriptTurns, kMaxMessagesPerSession);
  const std::string text = LongMessage("sore kneecap area, no swelling.");
  size_t size_at_40 = 0;
  for (int i = 0; i < 80; ++i) {
    ASSERT_TRUE(Send(text, "m" + std::to_string(i)).ok()) << i;
    if (i == 39) size_at_40 = Get().ByteSizeLong();
  }
  const size_t size_at_80 = Get().ByteSizeLong();
  // Each turn is at most a message (4 KB) or a reply (a few KB): bounded
  // well under the default 4 MB gRPC client limit.
  EXPECT_LT(size_at_80, 1024u * 1024u);
  EXPECT_LE(size_at_80, size_at_40 + size_at_40 / 10);
}

}  // namespace
}  // namespace kneechat
