#include "services/observability/observed_session_store.h"

#include <string>

#include "gtest/gtest.h"

namespace kneechat {
namespace {

// A store answering with `status` (and running update functions).
class ScriptedStore : public SessionStore {
 public:
  absl::Status status;
  absl::Status Insert(const SessionState&) override { return status; }
  absl::Status Update(std::string_view, const UpdateFn& fn) override {
    if (!status.ok()) return status;
    SessionState state;
    return fn(state);
  }
  absl::Status UpdateInPlace(std::string_view id, const UpdateFn& fn) override {
    ++in_place;
    return Update(id, fn);
  }
  int in_place = 0;  // UpdateInPlace calls
  absl::StatusOr<SessionState> Get(std::string_view) override {
    if (!status.ok()) return status;
    return SessionState();
  }
  absl::Status Delete(std::string_view) override { return status; }
  absl::Status CheckHealth() override { return status; }
};

TEST(ObservedSessionStoreTest, LatencyPerOperation) {
  ScriptedStore inner;
  KneechatMetrics metrics;
  ObservedSessionStore store(inner, metrics);
  ASSERT_TRUE(store.Insert(SessionState()).ok());
  ASSERT_TRUE(store.Get("id").ok());
  ASSERT_TRUE(
      store.Update("id", [](SessionState&) { return absl::OkStatus(); }).ok());
  ASSERT_TRUE(store.Delete("id").ok());
  ASSERT_TRUE(store.CheckHealth().ok());
  for (const char* op : {"insert", "get", "update", "delete", "health"}) {
    EXPECT_EQ(metrics.store_seconds.Count({op}), 1u) << op;
  }
  EXPECT_EQ(
      metrics.registry.Render().find("kneechat_session_store_errors_total{"),
      std::string::npos);
}

TEST(ObservedSessionStoreTest, AnUpdateInPlaceIsPassedOnInPlace) {
  ScriptedStore inner;
  KneechatMetrics metrics;
  ObservedSessionStore store(inner, metrics);
  ASSERT_TRUE(
      store.UpdateInPlace("id", [](SessionState&) { return absl::OkStatus(); })
          .ok());
  EXPECT_EQ(inner.in_place, 1);
  EXPECT_EQ(metrics.store_seconds.Count({"update"}), 1u);
}

TEST(ObservedSessionStoreTest, OnlyTheStoresOwnFailuresAreErrors) {
  ScriptedStore inner;
  KneechatMetrics metrics;
  ObservedSessionStore store(inner, metrics);
  inner.status = absl::NotFoundError("no such session");
  EXPECT_FALSE(store.Get("id").ok());
  inner.status = absl::OkStatus();
  EXPECT_EQ(store
                .Update("id",
                        [](SessionState&) {
                          return absl::UnavailableError("turn busy");
                        })
                .code(),
            absl::StatusCode::kUnavailable);  // the turn's, passed through
  EXPECT_EQ(metrics.store_errors.Value({"update", "UNAVAILABLE"}), 0);
  inner.status = absl::UnavailableError("session store unavailable; retry");
  EXPECT_FALSE(
      store.Update("id", [](SessionState&) { return absl::OkStatus(); }).ok());
  EXPECT_FALSE(store.CheckHealth().ok());
  EXPECT_EQ(metrics.store_errors.Value({"update", "UNAVAILABLE"}), 1);
  EXPECT_EQ(metrics.store_errors.Value({"health", "UNAVAILABLE"}), 1);
  EXPECT_EQ(metrics.store_errors.Value({"get", "NOT_FOUND"}), 0);
}

}  // namespace
}  // namespace kneechat
