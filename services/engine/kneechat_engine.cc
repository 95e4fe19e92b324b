#include "services/engine/kneechat_engine.h"

#include <sys/random.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/clock.h"
#include "services/common/limits.h"
#include "services/common/request_facts.h"
#include "services/common/server_log.h"
#include "services/common/utf8.h"
#include "services/dialogue/composer.h"
#include "services/dialogue/dialogue.h"
#include "services/dialogue/dialogue_knowledge.h"
#include "services/engine/message_ledger.h"
#include "services/engine/stored_transcript.h"
#include "services/handoff/consent_dialogue.h"
#include "services/handoff/handoff_builder.h"
#include "services/retrieval/searcher.h"
#include "services/session/memory_session_store.h"
#include "services/triage/triage.h"
#include "services/understanding/extractor.h"

namespace kneechat {
namespace {

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

// Channel names are stored, reported and used as metric labels: a short
// identifier, nothing a terminal or a page could interpret.
bool IsChannelName(std::string_view channel) {
  if (channel.empty() || channel.size() > kMaxChannelBytes) return false;
  for (char c : channel) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '_' &&
        c != '-') {
      return false;
    }
  }
  return true;
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

// The curated texts a stored reply may name instead of copying.
KnownTexts KnowTexts(const DialogueKnowledge& knowledge, const Triage& triage,
                     const Composer& composer) {
  KnownTexts texts;
  texts.Add(knowledge.text());
  for (const std::string& text : composer.FixedTexts()) texts.AddText(text);
  texts.Add(triage.rules());
  for (const std::string& source : triage.sources()) texts.AddText(source);
  // The screening question for every set of signs still to rule out (the
  // full checklist is the empty set's).
  const auto& items = triage.rules().screening().item();
  if (items.size() <= 12) {
    for (uint32_t set = 0; set < (1u << items.size()); ++set) {
      std::vector<std::string> unscreened;
      for (int i = 0; i < items.size(); ++i) {
        if ((set >> i & 1) == 0) continue;
        unscreened.insert(unscreened.end(), items[i].finding_ids().begin(),
                          items[i].finding_ids().end());
      }
      texts.AddText(triage.ScreeningFor(unscreened).text);
    }
  }
  // A question's speech is its text spoken: named like the text.
  texts.AddSpokenForms([](std::string_view text) { return ToSpeech(text); });
  return texts;
}

class KneechatEngine : public Engine {
 public:
  KneechatEngine(const EngineOptions& options,
                 std::unique_ptr<DialogueKnowledge> knowledge,
                 std::unique_ptr<Extractor> extractor,
                 std::unique_ptr<Triage> triage,
                 std::unique_ptr<Searcher> searcher, ConsentText consent_text,
                 std::map<std::string, std::string> finding_meanings)
      : clock_(options.clock != nullptr ? options.clock : Clock::Real()),
        ttl_(options.session_ttl),
        max_transcript_turns_(std::max(2, options.max_transcript_turns)),
        max_messages_(options.max_messages_per_session),
        knowledge_(std::move(knowledge)),
        extractor_(std::move(extractor)),
        triage_(std::move(triage)),
        searcher_(std::move(searcher)),
        composer_(*knowledge_, *searcher_),
        known_texts_(KnowTexts(*knowledge_, *triage_, composer_)),
        sources_{*searcher_, known_texts_},
        answers_every_condition_(composer_.AnswersEveryCondition()),
        dialogue_(*knowledge_, *extractor_, *triage_, composer_),
        consent_(dialogue_, *extractor_, std::move(consent_text),
                 {knowledge_->text().crisis_rules().begin(),
                  knowledge_->text().crisis_rules().end()},
                 options.handoff_delivery != nullptr),
        handoff_(QuestionCatalog(knowledge_->text(), triage_->rules(),
                                 std::move(finding_meanings))),
        handoff_delivery_(options.handoff_delivery),
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
    if (!IsChannelName(channel)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "channel must be 1 to ", kMaxChannelBytes,
          " of a-z, 0-9, '_' and '-', such as \"web\" or \"telegram\""));
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
    AppendTurn(session, v1::Turn::ROLE_ASSISTANT, now);
    KeepLatestReply(sources_, state);
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
    ok = CheckText(request.text(), kMaxMessageBytes, "text");
    if (!ok.ok()) return ok;
    if (request.message_id().size() > kMaxIdBytes ||
        !IsValidUtf8(request.message_id())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "message_id must be valid UTF-8 of at most ", kMaxIdBytes, " bytes"));
    }
    v1::SendMessageResponse response;
    std::optional<SessionState> consented;  // set when the person said yes
    // A failed turn leaves the state as it found it (PlayTurn), so the
    // store need not keep a copy to fall back to.
    absl::Status status = store_.UpdateInPlace(
        request.session_id(), [&](SessionState& state) -> absl::Status {
          return PlayTurn(request, state, response, consented);
        });
    if (!status.ok()) return status;
    if (consented.has_value()) SendHandoff(*consented);
    return response;
  }

  absl::StatusOr<v1::GetHandoffResponse> GetHandoff(
      const v1::GetHandoffRequest& request) override {
    absl::Status ok = CheckId(request.session_id(), "session_id");
    if (!ok.ok()) return ok;
    absl::StatusOr<SessionState> state = store_.Get(request.session_id());
    if (!state.ok()) return state.status();
    return handoff_.Build(Shown(*state), clock_->Now());
  }

  absl::StatusOr<v1::GetSessionResponse> GetSession(
      const v1::GetSessionRequest& request) override {
    absl::Status ok = CheckId(request.session_id(), "session_id");
    if (!ok.ok()) return ok;
    absl::StatusOr<SessionState> state = store_.Get(request.session_id());
    if (!state.ok()) return state.status();
    v1::GetSessionResponse response;
    *response.mutable_session() = ShowSession(sources_, *state);
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
    absl::Status ok = CheckText(request.query(), kMaxSearchQueryBytes, "query");
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
  // One message against the session's state (held exclusively): a repeat
  // is answered from what the session remembers, anything else is read.
  // Fails leaving the state as it found it: every check comes before the
  // first change, and where a later step could still fail (a session stored
  // before message ids were fingerprinted, knowledge with a condition the
  // composer could not plan an answer for) a copy taken first is put back.
  absl::Status PlayTurn(const v1::SendMessageRequest& request,
                        SessionState& state, v1::SendMessageResponse& response,
                        std::optional<SessionState>& consented) const {
    std::optional<SessionState> before;
    if (state.recent_replies_size() > 0 || !answers_every_condition_) {
      before = state;
    }
    absl::Status status = PlayTurnChanging(request, state, response, consented);
    if (!status.ok() && before.has_value()) state = *std::move(before);
    return status;
  }

  // PlayTurn, which may leave the state changed when it fails only where
  // PlayTurn keeps a copy.
  absl::Status PlayTurnChanging(const v1::SendMessageRequest& request,
                                SessionState& state,
                                v1::SendMessageResponse& response,
                                std::optional<SessionState>& consented) const {
    UpgradeLegacyMessageIds(state);  // changes only sessions stored before
    RequestFacts* facts = CurrentRequestFacts();
    if (facts != nullptr) facts->channel = state.session().channel();
    const std::string& message_id = request.message_id();
    if (!message_id.empty()) {
      switch (LookUpMessage(state, message_id, request.text())) {
        case MessageSeen::kNew:
          break;
        case MessageSeen::kOtherText:
          return absl::AlreadyExistsError(
              "message_id was already used for another message; send new "
              "text with a new message_id");
        case MessageSeen::kSameText: {
          // Whether the reply is still kept does not depend on how the
          // latest turn is stored.
          if (!StoredReplyTo(sources_, state, message_id).has_value()) {
            return absl::AlreadyExistsError(
                "message_id was already answered and its reply is no longer "
                "kept");
          }
          RestoreLatestTurn(sources_, state);
          *response.mutable_reply() =
              *StoredReplyTo(sources_, state, message_id);
          if (facts != nullptr) facts->replayed = true;
          return absl::OkStatus();
        }
      }
    }
    if (state.messages_received() >= max_messages_) {
      return absl::ResourceExhaustedError(
          absl::StrCat("a conversation takes at most ", max_messages_,
                       " messages; start a new session"));
    }
    RestoreLatestTurn(sources_, state);  // a state stored by an earlier version
    // The dialogue reads the last reply only to repeat a pending question
    // ("why do you ask?").
    const bool restored =
        !state.pending_kind().empty() && RestoreLastReply(sources_, state);
    const absl::Time now = clock_->Now();
    v1::Session* session = state.mutable_session();
    AppendTurn(session, v1::Turn::ROLE_USER, now, request.text(), message_id);
    // The dialogue enters "answered" with a conversation's first answer
    // (states in dialogue.h); an ANSWER from any other state is a first.
    const bool answered_before = session->state() == "answered";
    absl::StatusOr<ConsentDialogue::Result> turn =
        consent_.Turn(state, request.text(), now);
    if (!turn.ok()) {
      if (restored) state.clear_last_reply();
      return turn.status();
    }
    std::optional<v1::Reply> reply(std::move(turn->reply));
    if (facts != nullptr && !answered_before &&
        reply->kind() == v1::REPLY_KIND_ANSWER) {
      facts->questions_before_first_answer = state.questions_asked();
    }
    AppendTurn(session, v1::Turn::ROLE_ASSISTANT, now);
    KeepLatestReply(sources_, state);
    TrimTranscript(max_transcript_turns_, *session);
    *session->mutable_expire_time() = ToTimestamp(now + ttl_);
    state.set_messages_received(state.messages_received() + 1);
    if (!message_id.empty()) RecordMessage(message_id, request.text(), state);
    *response.mutable_reply() = *std::move(reply);
    if (turn->consent_given) consented = Shown(state);
    return absl::OkStatus();
  }

  // The state with its public view in full (stored_transcript.h), as the
  // handoff reads it.
  SessionState Shown(const SessionState& state) const {
    SessionState shown = state;
    *shown.mutable_session() = ShowSession(sources_, state);
    return shown;
  }

  // Hands the summary to the clinic's delivery, after the turn that
  // consented is stored; never waits for the clinic.
  void SendHandoff(const SessionState& state) const {
    if (handoff_delivery_ == nullptr) return;
    absl::Status queued = handoff_delivery_->Deliver(
        handoff_.PackageForConsent(state, clock_->Now()));
    if (!queued.ok()) {
      LogEvent(
          LogLevel::kWarning, "handoff_not_queued",
          LogFields().Add("code", absl::StatusCodeToString(queued.code())));
    }
  }

  // An assistant turn is appended as role and time; KeepLatestReply() then
  // moves the state's last_reply into it (stored_transcript.h).
  static void AppendTurn(v1::Session* session, v1::Turn::Role role,
                         absl::Time now, const std::string& text = "",
                         const std::string& message_id = "") {
    v1::Turn* turn = session->add_transcript();
    turn->set_role(role);
    turn->set_text(text);
    turn->set_message_id(message_id);
    *turn->mutable_create_time() = ToTimestamp(now);
  }

  Clock* const clock_;
  const absl::Duration ttl_;
  const int max_transcript_turns_;
  const int max_messages_;
  const std::unique_ptr<DialogueKnowledge> knowledge_;
  const std::unique_ptr<Extractor> extractor_;
  const std::unique_ptr<Triage> triage_;
  const std::unique_ptr<Searcher> searcher_;
  const Composer composer_;
  const KnownTexts known_texts_;
  const TranscriptSources sources_;
  // Whether a turn can fail only before it changes the state (Dialogue::Turn).
  const bool answers_every_condition_;
  const Dialogue dialogue_;
  const ConsentDialogue consent_;
  const HandoffBuilder handoff_;
  HandoffDelivery* const handoff_delivery_;
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
  auto consent_text =
      MakeConsentText((*knowledge)->text().handoff(), options.config);
  if (!consent_text.ok()) return consent_text.status();
  auto meanings =
      LoadFindingMeanings((std::filesystem::path(options.paths.corpus_dir) /
                           "understanding" / "findings.tsv")
                              .string());
  if (!meanings.ok()) return meanings.status();
  return std::unique_ptr<Engine>(new KneechatEngine(
      options, *std::move(knowledge), *std::move(extractor), *std::move(triage),
      *std::move(searcher), *std::move(consent_text), *std::move(meanings)));
}

}  // namespace kneechat
