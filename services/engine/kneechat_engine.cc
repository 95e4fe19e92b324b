#include "services/engine/kneechat_engine.h"

#include <sys/random.h>

#include <cstdint>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/clock.h"
#include "services/common/utf8.h"
#include "services/dialogue/composer.h"
#include "services/dialogue/dialogue.h"
#include "services/dialogue/dialogue_knowledge.h"
#include "services/retrieval/searcher.h"
#include "services/session/memory_session_store.h"
#include "services/triage/triage.h"
#include "services/understanding/extractor.h"

namespace kneechat {
namespace {

constexpr size_t kMaxTextBytes = 4096;
constexpr size_t kMaxQueryBytes = 1024;
constexpr size_t kMaxIdBytes = 128;
constexpr int kMaxPageSize = 50;
constexpr int kRememberedReplies = 64;

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
      absl::ToUnixNanos(t));
}

absl::StatusOr<std::string> NewSessionId() {
  unsigned char bytes[16];
  size_t got = 0;
  while (got < sizeof(bytes)) {
    ssize_t n = getrandom(bytes + got, sizeof(bytes) - got, 0);
    if (n <= 0) return absl::InternalError("no randomness for a session id");
    got += static_cast<size_t>(n);
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

// Empty, too long or malformed text is refused before anything changes.
absl::Status CheckText(std::string_view text, size_t max_bytes,
                       absl::string_view what) {
  if (text.size() > max_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " is too long: ", text.size(), " bytes, at most ", max_bytes));
  }
  if (!IsValidUtf8(text)) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " is not valid UTF-8"));
  }
  if (absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size()))
          .empty()) {
    return absl::InvalidArgumentError(absl::StrCat(what, " is empty"));
  }
  return absl::OkStatus();
}

absl::Status CheckId(std::string_view id, absl::string_view what) {
  if (id.empty())
    return absl::InvalidArgumentError(absl::StrCat(what, " is empty"));
  if (id.size() > kMaxIdBytes || !IsValidUtf8(id)) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " must be valid UTF-8 of at most ", kMaxIdBytes, " bytes"));
  }
  return absl::OkStatus();
}

class KneechatEngine : public Engine {
 public:
  KneechatEngine(const EngineOptions& options,
                 std::unique_ptr<DialogueKnowledge> knowledge,
                 std::unique_ptr<Extractor> extractor,
                 std::unique_ptr<Triage> triage,
                 std::unique_ptr<Searcher> searcher)
      : clock_(options.clock != nullptr ? options.clock : Clock::Real()),
        ttl_(options.session_ttl),
        knowledge_(std::move(knowledge)),
        extractor_(std::move(extractor)),
        triage_(std::move(triage)),
        searcher_(std::move(searcher)),
        composer_(*knowledge_, *searcher_),
        dialogue_(*knowledge_, *extractor_, *triage_, composer_),
        owned_store_(
            options.session_store != nullptr
                ? nullptr
                : std::make_unique<MemorySessionStore>(
                      MemorySessionStoreOptions{options.session_ttl,
                                                options.max_sessions, clock_})),
        store_(options.session_store != nullptr ? *options.session_store
                                                : *owned_store_) {}

  absl::StatusOr<v1::CreateSessionResponse> CreateSession(
      const v1::CreateSessionRequest& request) override {
    std::string channel =
        request.channel().empty() ? "unknown" : request.channel();
    if (channel.size() > 32 || !IsValidUtf8(channel)) {
      return absl::InvalidArgumentError(
          "channel must be a short name such as \"web\" or \"cli\"");
    }
    absl::StatusOr<std::string> id = NewSessionId();
    if (!id.ok()) return id.status();
    SessionState state;
    v1::Session* session = state.mutable_session();
    session->set_session_id(*id);
    session->set_channel(channel);
    const absl::Time now = clock_->Now();
    *session->mutable_create_time() = ToTimestamp(now);
    *session->mutable_expire_time() = ToTimestamp(now + ttl_);
    v1::Reply greeting = dialogue_.Start(state);
    AppendTurn(session, v1::Turn::ROLE_ASSISTANT, greeting.text(), "",
               &greeting, now);
    absl::Status inserted = store_.Insert(state);
    if (!inserted.ok()) return inserted;
    v1::CreateSessionResponse response;
    response.set_session_id(*id);
    *response.mutable_reply() = std::move(greeting);
    return response;
  }

  absl::StatusOr<v1::SendMessageResponse> SendMessage(
      const v1::SendMessageRequest& request) override {
    absl::Status ok = CheckId(request.session_id(), "session_id");
    if (!ok.ok()) return ok;
    ok = CheckText(request.text(), kMaxTextBytes, "text");
    if (!ok.ok()) return ok;
    if (request.message_id().size() > kMaxIdBytes ||
        !IsValidUtf8(request.message_id())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "message_id must be valid UTF-8 of at most ", kMaxIdBytes, " bytes"));
    }
    v1::SendMessageResponse response;
    absl::Status status = store_.Update(
        request.session_id(), [&](SessionState& state) -> absl::Status {
          if (!request.message_id().empty()) {
            for (const auto& seen : state.recent_replies()) {
              if (seen.message_id() == request.message_id()) {
                *response.mutable_reply() = seen.reply();
                return absl::OkStatus();
              }
            }
          }
          const absl::Time now = clock_->Now();
          v1::Session* session = state.mutable_session();
          AppendTurn(session, v1::Turn::ROLE_USER, request.text(),
                     request.message_id(), nullptr, now);
          absl::StatusOr<v1::Reply> reply =
              dialogue_.Turn(state, request.text());
          if (!reply.ok()) return reply.status();
          AppendTurn(session, v1::Turn::ROLE_ASSISTANT, reply->text(), "",
                     &*reply, now);
          *session->mutable_expire_time() = ToTimestamp(now + ttl_);
          if (!request.message_id().empty()) {
            auto* seen = state.add_recent_replies();
            seen->set_message_id(request.message_id());
            *seen->mutable_reply() = *reply;
            if (state.recent_replies_size() > kRememberedReplies) {
              state.mutable_recent_replies()->DeleteSubrange(0, 1);
            }
          }
          *response.mutable_reply() = *std::move(reply);
          return absl::OkStatus();
        });
    if (!status.ok()) return status;
    return response;
  }

  absl::StatusOr<v1::GetSessionResponse> GetSession(
      const v1::GetSessionRequest& request) override {
    absl::Status ok = CheckId(request.session_id(), "session_id");
    if (!ok.ok()) return ok;
    absl::StatusOr<SessionState> state = store_.Get(request.session_id());
    if (!state.ok()) return state.status();
    v1::GetSessionResponse response;
    *response.mutable_session() = state->session();
    return response;
  }

  absl::StatusOr<v1::DeleteSessionResponse> DeleteSession(
      const v1::DeleteSessionRequest& request) override {
    absl::Status ok = CheckId(request.session_id(), "session_id");
    if (!ok.ok()) return ok;
    ok = store_.Delete(request.session_id());
    if (!ok.ok()) return ok;
    return v1::DeleteSessionResponse();
  }

  absl::StatusOr<v1::SearchResponse> Search(
      const v1::SearchRequest& request) override {
    absl::Status ok = CheckText(request.query(), kMaxQueryBytes, "query");
    if (!ok.ok()) return ok;
    if (request.page_size() < 0 || request.page_size() > kMaxPageSize) {
      return absl::InvalidArgumentError(
          absl::StrCat("page_size must be between 0 and ", kMaxPageSize));
    }
    SearchOptions options;
    options.limit = request.page_size() == 0 ? 5 : request.page_size();
    options.min_coverage = 0.01;  // at least one specific term
    absl::StatusOr<std::vector<PassageHit>> hits =
        searcher_->Search(request.query(), options);
    if (!hits.ok()) return hits.status();
    v1::SearchResponse response;
    for (const auto& hit : *hits) {
      v1::Passage* p = response.add_passages();
      p->set_document_id(hit.document_id);
      p->set_passage_id(hit.passage_id);
      p->set_title(hit.title);
      p->set_heading(hit.heading);
      p->set_text(hit.text);
      p->set_score(hit.score);
    }
    return response;
  }

 private:
  static void AppendTurn(v1::Session* session, v1::Turn::Role role,
                         const std::string& text, const std::string& message_id,
                         const v1::Reply* reply, absl::Time now) {
    v1::Turn* turn = session->add_transcript();
    turn->set_role(role);
    turn->set_text(text);
    turn->set_message_id(message_id);
    if (reply != nullptr) *turn->mutable_reply() = *reply;
    *turn->mutable_create_time() = ToTimestamp(now);
  }

  Clock* const clock_;
  const absl::Duration ttl_;
  const std::unique_ptr<DialogueKnowledge> knowledge_;
  const std::unique_ptr<Extractor> extractor_;
  const std::unique_ptr<Triage> triage_;
  const std::unique_ptr<Searcher> searcher_;
  const Composer composer_;
  const Dialogue dialogue_;
  const std::unique_ptr<SessionStore> owned_store_;
  SessionStore& store_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Engine>> CreateKneechatEngine(
    const EngineOptions& options) {
  auto knowledge = DialogueKnowledge::Load(options.paths.corpus_dir);
  if (!knowledge.ok()) return knowledge.status();
  auto extractor = Extractor::Load(options.paths.corpus_dir);
  if (!extractor.ok()) return extractor.status();
  auto triage = Triage::Load(options.paths.corpus_dir, options.config);
  if (!triage.ok()) return triage.status();
  auto searcher =
      Searcher::Open(options.paths.index_dir, options.paths.corpus_dir);
  if (!searcher.ok()) return searcher.status();
  return std::unique_ptr<Engine>(
      new KneechatEngine(options, *std::move(knowledge), *std::move(extractor),
                         *std::move(triage), *std::move(searcher)));
}

}  // namespace kneechat
