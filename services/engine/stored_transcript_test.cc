// The transcript is stored compactly and shown as it was sent: every reply a
// client got comes back from GetSession and from a repeated message id,
// equal field by field.
#include "services/engine/stored_transcript.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/common/paths.h"
#include "services/dialogue/composer.h"
#include "services/engine/kneechat_engine.h"
#include "services/session/memory_session_store.h"

namespace kneechat {
namespace {

using google::protobuf::util::MessageDifferencer;

TEST(QuotedExcerptTest, FindsTheBulletLineOfTheMarker) {
  const std::string text =
      "Intro [1] here.\n\xE2\x80\xA2 Rest it for a day. [1]\n\xE2\x80\xA2 Ice "
      "helps [2] too. [2]\n\nSafety.";
  EXPECT_EQ(QuotedExcerpt(text, 1), "Rest it for a day.");
  EXPECT_EQ(QuotedExcerpt(text, 2), "Ice helps [2] too.");
  EXPECT_EQ(QuotedExcerpt(text, 3), "");
  EXPECT_EQ(QuotedExcerpt("no bullets [1]", 1), "");
}

class StoredTranscriptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EngineOptions options;
    options.session_store = &store_;
    auto engine = CreateKneechatEngine(options);
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = *std::move(engine);
    auto searcher = Searcher::Open(DefaultDataPaths().index_dir,
                                   DefaultDataPaths().corpus_dir);
    ASSERT_TRUE(searcher.ok()) << searcher.status();
    searcher_ = *std::move(searcher);
    v1::CreateSessionRequest create;
    create.set_channel("web");
    auto created = engine_->CreateSession(create);
    ASSERT_TRUE(created.ok());
    session_ = created->session_id();
    sent_.push_back(created->reply());
  }

  v1::Reply Send(const std::string& text, const std::string& id) {
    v1::SendMessageRequest request;
    request.set_session_id(session_);
    request.set_text(text);
    request.set_message_id(id);
    auto response = engine_->SendMessage(request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? response->reply() : v1::Reply();
  }

  v1::Session Shown() {
    v1::GetSessionRequest get;
    get.set_session_id(session_);
    auto got = engine_->GetSession(get);
    EXPECT_TRUE(got.ok()) << got.status();
    return got.ok() ? got->session() : v1::Session();
  }

  // Plays a conversation to a cited answer and two cited follow-ups.
  void PlayToFollowUps() {
    const std::vector<std::string> turns = {
        "kneecap area aches on long runs, for about a month",
        "I'm 34",
        "no swelling",
        "none of those",
        "I run",
        "no",
        "would a knee strap help?",
        "what stretches can I do?"};
    for (size_t i = 0; i < turns.size(); ++i) {
      sent_.push_back(Send(turns[i], "m" + std::to_string(i)));
    }
  }

  MemorySessionStore store_{
      MemorySessionStoreOptions{absl::Minutes(30), 100, nullptr}};
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Searcher> searcher_;
  std::string session_;
  std::vector<v1::Reply> sent_;
};

TEST_F(StoredTranscriptTest, GetSessionShowsEveryReplyAsSent) {
  PlayToFollowUps();
  int cited = 0;
  for (const v1::Reply& r : sent_) cited += r.citations_size() > 0;
  ASSERT_GE(cited, 2) << "the conversation should reach cited answers";

  const v1::Session shown = Shown();
  std::vector<const v1::Turn*> assistant;
  for (const v1::Turn& t : shown.transcript()) {
    if (t.role() == v1::Turn::ROLE_ASSISTANT) assistant.push_back(&t);
  }
  ASSERT_EQ(assistant.size(), sent_.size());
  for (size_t i = 0; i < sent_.size(); ++i) {
    const v1::Reply& expected = sent_[i];
    EXPECT_EQ(assistant[i]->text(), sent_[i].text());
    EXPECT_TRUE(MessageDifferencer::Equals(assistant[i]->reply(), expected))
        << "turn " << i << "\nshown:\n"
        << assistant[i]->reply().DebugString() << "\nsent:\n"
        << expected.DebugString();
  }
  // Slots and findings come back with the person's words.
  ASSERT_GT(shown.slots_size(), 0);
  for (const v1::Slot& s : shown.slots()) EXPECT_FALSE(s.value().empty());
  for (const v1::Finding& f : shown.findings()) {
    EXPECT_FALSE(f.evidence().empty()) << f.id();
  }
}

TEST_F(StoredTranscriptTest, StoredStateKeepsNoCopyOfWhatItCanFindAgain) {
  PlayToFollowUps();
  auto state = store_.Get(session_);
  ASSERT_TRUE(state.ok());
  const auto& turns = state->session().transcript();
  ASSERT_FALSE(turns.empty());
  // The latest reply too is kept once, in its turn.
  EXPECT_FALSE(state->has_last_reply());
  EXPECT_TRUE(turns.rbegin()->has_reply());
  for (int i = 0; i < turns.size(); ++i) {
    const v1::Turn& t = turns[i];
    if (t.role() != v1::Turn::ROLE_ASSISTANT) continue;
    EXPECT_TRUE(t.text().empty());
    // The text spoken is not kept as a copy: dropped, or named when the
    // knowledge holds it (a question's).
    EXPECT_TRUE(absl::StartsWith(t.reply().speech(), "\x1A#") ||
                t.reply().speech() != ToSpeech(t.reply().text()))
        << t.reply().DebugString();
    for (const v1::Citation& c : t.reply().citations()) {
      // Quoted from the passage: a reference to it, and no copy in the text.
      ASSERT_GT(c.excerpt().size(), 1u);
      EXPECT_EQ(c.excerpt()[0], '\x1A') << c.DebugString();
      EXPECT_NE(c.excerpt()[1], '#') << c.DebugString();
      EXPECT_TRUE(c.title().empty() && c.document_id().empty())
          << c.DebugString();
      EXPECT_EQ(QuotedExcerpt(t.reply().text(), c.number()), "");
    }
  }
  EXPECT_EQ(state->session().slots_size(), 0);
  for (const v1::Finding& f : state->session().findings()) {
    EXPECT_TRUE(f.evidence().empty());
  }
}

TEST_F(StoredTranscriptTest, QuestionsNameTheirCuratedTexts) {
  PlayToFollowUps();
  auto state = store_.Get(session_);
  ASSERT_TRUE(state.ok());
  int named = 0;
  for (const v1::Turn& t : state->session().transcript()) {
    if (t.reply().kind() != v1::REPLY_KIND_QUESTION) continue;
    named += absl::StartsWith(t.reply().text(), "\x1A#");
    if (!t.reply().why().empty()) {
      EXPECT_TRUE(absl::StartsWith(t.reply().why(), "\x1A#"));
    }
  }
  EXPECT_GT(named, 0);
}

TEST_F(StoredTranscriptTest, AnswersNameTheirSafetyLinesAndSpokenForm) {
  PlayToFollowUps();
  auto state = store_.Get(session_);
  ASSERT_TRUE(state.ok());
  int answers = 0;
  for (const v1::Turn& t : state->session().transcript()) {
    if (t.reply().kind() != v1::REPLY_KIND_ANSWER) continue;
    ++answers;
    // The safety lines ending it are a paragraph named, not copied.
    const std::string& text = t.reply().text();
    const size_t last = text.rfind("\n\n");
    ASSERT_NE(last, std::string::npos) << text;
    EXPECT_TRUE(absl::StartsWith(text.substr(last + 2), "\x1A#")) << text;
  }
  EXPECT_GE(answers, 3);
}

TEST_F(StoredTranscriptTest, ReferralsNameTheRulesTexts) {
  const std::vector<std::string> turns = {
      "knee swollen hot and red and I feel shivery and sick",
      "yes I have a temperature", "what should I do now?", "thanks"};
  for (size_t i = 0; i < turns.size(); ++i) {
    sent_.push_back(Send(turns[i], "r" + std::to_string(i)));
  }
  ASSERT_EQ(sent_[1].kind(), v1::REPLY_KIND_REFERRAL);
  ASSERT_GT(sent_[1].citations_size(), 0);
  auto state = store_.Get(session_);
  ASSERT_TRUE(state.ok());
  const v1::Reply& stored = state->session().transcript(2).reply();
  EXPECT_TRUE(absl::StartsWith(stored.triage().action(), "\x1A#"));
  EXPECT_TRUE(absl::StartsWith(stored.triage().reason(), "\x1A#"));
  for (const v1::RedFlag& f : stored.triage().red_flags()) {
    EXPECT_TRUE(absl::StartsWith(f.title(), "\x1A#")) << f.DebugString();
    EXPECT_FALSE(f.evidence().empty());
  }
  for (const v1::Citation& c : stored.citations()) {
    EXPECT_TRUE(absl::StartsWith(c.excerpt(), "\x1A#")) << c.DebugString();
  }
  // Shown, and repeated, as sent.
  const v1::Session shown = Shown();
  std::vector<const v1::Turn*> assistant;
  for (const v1::Turn& t : shown.transcript()) {
    if (t.role() == v1::Turn::ROLE_ASSISTANT) assistant.push_back(&t);
  }
  ASSERT_EQ(assistant.size(), sent_.size());
  for (size_t i = 0; i < sent_.size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(assistant[i]->reply(), sent_[i]))
        << assistant[i]->reply().DebugString() << "\n"
        << sent_[i].DebugString();
  }
  for (size_t i = 0; i < turns.size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(
        Send(turns[i], "r" + std::to_string(i)), sent_[i + 1]));
  }
}

TEST_F(StoredTranscriptTest, RepeatsGetTheReplyTheyGot) {
  PlayToFollowUps();
  // The latest and every older one, exactly.
  const v1::Reply latest = Send("what stretches can I do?", "m7");
  EXPECT_TRUE(MessageDifferencer::Equals(latest, sent_.back()));
  for (int i = 0; i < 7; ++i) {
    const std::vector<std::string> turns = {
        "kneecap area aches on long runs, for about a month",
        "I'm 34",
        "no swelling",
        "none of those",
        "I run",
        "no",
        "would a knee strap help?"};
    const v1::Reply again = Send(turns[i], "m" + std::to_string(i));
    EXPECT_TRUE(MessageDifferencer::Equals(again, sent_[i + 1]))
        << again.DebugString() << "\n"
        << sent_[i + 1].DebugString();
  }
}

// As earlier versions stored a state: the latest reply in last_reply, its
// turn as role and time alone.
SessionState WithTheLatestReplyApart(SessionState state,
                                     const v1::Reply& latest) {
  v1::Turn& turn = *state.mutable_session()->mutable_transcript()->rbegin();
  turn.clear_reply();
  turn.clear_text();
  *state.mutable_last_reply() = latest;
  return state;
}

TEST_F(StoredTranscriptTest, AStateStoredWithTheLatestReplyApartStillLoads) {
  PlayToFollowUps();
  const v1::Session shown = Shown();
  auto state = store_.Get(session_);
  ASSERT_TRUE(state.ok());
  const SessionState legacy = WithTheLatestReplyApart(*state, sent_.back());
  ASSERT_TRUE(store_
                  .Update(session_,
                          [&](SessionState& s) {
                            s = legacy;
                            return absl::OkStatus();
                          })
                  .ok());
  EXPECT_TRUE(MessageDifferencer::Equals(Shown(), shown));
  EXPECT_TRUE(MessageDifferencer::Equals(Send("what stretches can I do?", "m7"),
                                         sent_.back()));
  // The next turn plays as it would have, and the state is kept anew.
  const v1::Reply next = Send("can I still run?", "m8");
  EXPECT_EQ(next.kind(), v1::REPLY_KIND_ANSWER) << next.DebugString();
  const v1::Session after = Shown();
  const v1::Turn& before_last = after.transcript(after.transcript_size() - 3);
  EXPECT_TRUE(MessageDifferencer::Equals(before_last.reply(), sent_.back()));
  EXPECT_TRUE(
      MessageDifferencer::Equals(after.transcript().rbegin()->reply(), next));
  state = store_.Get(session_);
  ASSERT_TRUE(state.ok());
  EXPECT_FALSE(state->has_last_reply());
}

TEST_F(StoredTranscriptTest, AQuestionStoredApartIsExplainedAsBefore) {
  sent_.push_back(Send("my knee hurts", "q0"));
  ASSERT_EQ(sent_.back().kind(), v1::REPLY_KIND_QUESTION);
  auto state = store_.Get(session_);
  ASSERT_TRUE(state.ok());
  const SessionState stored = *state;
  const v1::Reply why = Send("why do you ask?", "q1");
  EXPECT_EQ(why.asking(), sent_.back().asking());
  EXPECT_EQ(why.quick_replies_size(), sent_.back().quick_replies_size());
  // The same from the state as an earlier version stored it.
  const SessionState legacy = WithTheLatestReplyApart(stored, sent_.back());
  ASSERT_TRUE(store_
                  .Update(session_,
                          [&](SessionState& s) {
                            s = legacy;
                            return absl::OkStatus();
                          })
                  .ok());
  EXPECT_TRUE(MessageDifferencer::Equals(Send("why do you ask?", "q2"), why));
}

TEST(StoredTranscriptLegacyTest, AQuoteTheIndexNoLongerHoldsShowsEmpty) {
  auto searcher = Searcher::Open(DefaultDataPaths().index_dir,
                                 DefaultDataPaths().corpus_dir);
  ASSERT_TRUE(searcher.ok()) << searcher.status();
  const std::vector<PassageHit> all = *(*searcher)->AllPassages();
  const PassageHit& p = all.front();
  KnownTexts texts;
  const TranscriptSources sources{**searcher, texts};
  v1::Turn turn;
  turn.set_role(v1::Turn::ROLE_ASSISTANT);
  v1::Reply* reply = turn.mutable_reply();
  const std::string excerpt = p.text.substr(0, 40);
  reply->set_text("Intro.\n\xE2\x80\xA2 " + excerpt + " [1]\n\nSafety.");
  v1::Citation* c = reply->add_citations();
  c->set_passage_id(p.passage_id);
  c->set_document_id(p.document_id);
  c->set_title(p.title);
  c->set_excerpt(excerpt);
  c->set_number(1);
  v1::Turn compact = turn;
  CompactAssistantTurn(sources, compact);
  ASSERT_EQ(compact.reply().citations(0).excerpt()[0], '\x1A');
  // The same offset and length, but another text there now.
  std::string stored = compact.reply().citations(0).excerpt();
  stored.back() = stored.back() == '0' ? '1' : '0';  // fingerprint differs
  compact.mutable_reply()->mutable_citations(0)->set_excerpt(stored);
  const v1::Turn shown = ShowTurn(sources, compact, v1::Reply());
  EXPECT_EQ(shown.reply().citations(0).excerpt(), "");
  EXPECT_EQ(QuotedExcerpt(shown.reply().text(), 1), "");
}

TEST(StoredTranscriptLegacyTest,
     FullTurnsShowUnchangedAndExcerptsNotQuotedStay) {
  auto searcher = Searcher::Open(DefaultDataPaths().index_dir,
                                 DefaultDataPaths().corpus_dir);
  ASSERT_TRUE(searcher.ok()) << searcher.status();
  auto passages = (*searcher)->AllPassages();
  ASSERT_TRUE(passages.ok() && !passages->empty());
  const PassageHit& p = passages->front();

  v1::Turn full;
  full.set_role(v1::Turn::ROLE_ASSISTANT);
  full.set_text("Paraphrased, not quoted [1].");
  v1::Reply* reply = full.mutable_reply();
  reply->set_text(full.text());
  reply->set_speech("Spoken.");
  v1::Citation* c = reply->add_citations();
  c->set_document_id(p.document_id);
  c->set_passage_id(p.passage_id);
  c->set_title(p.title);
  c->set_excerpt("words not on a bullet line");
  c->set_number(1);
  KnownTexts texts;
  const TranscriptSources sources{**searcher, texts};
  EXPECT_TRUE(
      MessageDifferencer::Equals(ShowTurn(sources, full, v1::Reply()), full));

  v1::Turn compact = full;
  CompactAssistantTurn(sources, compact);
  EXPECT_EQ(compact.reply().citations(0).excerpt(),
            "words not on a bullet line");
  EXPECT_TRUE(compact.reply().citations(0).title().empty());
  v1::Turn shown = ShowTurn(sources, compact, v1::Reply());
  EXPECT_TRUE(MessageDifferencer::Equals(shown, full)) << shown.DebugString();

  // Speech that is the text spoken is not kept; no speech stays none.
  for (const std::string& speech : {ToSpeech(full.text()), std::string()}) {
    v1::Turn t = full;
    t.mutable_reply()->set_speech(speech);
    v1::Turn c = t;
    CompactAssistantTurn(sources, c);
    EXPECT_NE(c.reply().speech(), speech);
    EXPECT_TRUE(
        MessageDifferencer::Equals(ShowTurn(sources, c, v1::Reply()), t));
  }
}

}  // namespace
}  // namespace kneechat
