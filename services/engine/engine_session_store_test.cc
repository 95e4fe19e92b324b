// The engine over a session store it does not own (as the server passes the
// Redis store): a store that cannot be reached makes every turn UNAVAILABLE
// with nothing half-written, and the conversation goes on once it is back.
#include <atomic>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "services/engine/kneechat_engine.h"
#include "services/session/memory_session_store.h"

namespace kneechat {
namespace {

// A memory store that can be switched off, as Redis going down would be.
class SwitchableStore : public SessionStore {
 public:
  std::atomic<bool> down{false};

  absl::Status Insert(const SessionState& state) override {
    if (down) return Down();
    return store_.Insert(state);
  }
  absl::Status Update(std::string_view id, const UpdateFn& fn) override {
    if (down) return Down();
    return store_.Update(id, fn);
  }
  absl::StatusOr<SessionState> Get(std::string_view id) override {
    if (down) return Down();
    return store_.Get(id);
  }
  absl::Status Delete(std::string_view id) override {
    if (down) return Down();
    return store_.Delete(id);
  }
  absl::Status CheckHealth() override {
    return down ? Down() : absl::OkStatus();
  }

 private:
  static absl::Status Down() {
    return absl::UnavailableError("session store unavailable; retry");
  }
  MemorySessionStore store_{MemorySessionStoreOptions{}};
};

TEST(EngineSessionStoreTest, StoreOutageIsUnavailableAndLosesNothing) {
  SwitchableStore store;
  EngineOptions options;
  options.session_store = &store;
  auto engine = CreateKneechatEngine(options);
  ASSERT_TRUE(engine.ok()) << engine.status();

  v1::CreateSessionRequest create;
  create.set_channel("web");
  auto created = (*engine)->CreateSession(create);
  ASSERT_TRUE(created.ok()) << created.status();
  v1::SendMessageRequest send;
  send.set_session_id(created->session_id());
  send.set_text("my knee is sore at the front whenever I run");
  send.set_message_id("m1");

  store.down = true;
  EXPECT_EQ((*engine)->CreateSession(create).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ((*engine)->SendMessage(send).status().code(),
            absl::StatusCode::kUnavailable);
  v1::GetSessionRequest get;
  get.set_session_id(created->session_id());
  EXPECT_EQ((*engine)->GetSession(get).status().code(),
            absl::StatusCode::kUnavailable);

  store.down = false;  // the client retries with the same message_id
  auto first = (*engine)->SendMessage(send);
  ASSERT_TRUE(first.ok()) << first.status();
  auto again = (*engine)->SendMessage(send);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->reply().SerializeAsString(),
            first->reply().SerializeAsString());
  auto session = (*engine)->GetSession(get);
  ASSERT_TRUE(session.ok());
  // Greeting, the message once, its reply.
  EXPECT_EQ(session->session().transcript_size(), 3);
}

}  // namespace
}  // namespace kneechat
