#include "services/engine/stored_transcript.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/dialogue/composer.h"
#include "services/engine/message_ledger.h"

namespace kneechat {

namespace {

constexpr std::string_view kBullet = "\xE2\x80\xA2 ";  // "• "
// Starts a stored excerpt that is a reference into its passage's text:
// "\x1A<offset>+<length>". Article text never holds this control character.
constexpr char kPassageRef = '\x1A';
// Stored speech of a reply sent without speech (empty means "the text
// spoken").
constexpr char kNoSpeech = '\x1A';

// Where the excerpt of citation `number` sits in `text`: a line
// "• EXCERPT [number]"; npos when there is none.
std::pair<size_t, size_t> ExcerptSpan(std::string_view text, int number) {
  // Each " [number]": found by its "[" (rare in text, where spaces are
  // not), then the space before it checked.
  const std::string marker = absl::StrCat("[", number, "]");
  for (size_t open = text.find(marker, 1); open != std::string_view::npos;
       open = text.find(marker, open + 1)) {
    if (text[open - 1] != ' ') continue;
    const size_t end = open - 1;
    const size_t after = open + marker.size();
    if (after < text.size() && text[after] != '\n') continue;
    const size_t line = text.rfind('\n', end);
    const size_t start = line == std::string_view::npos ? 0 : line + 1;
    if (end >= start + kBullet.size() &&
        text.substr(start, kBullet.size()) == kBullet) {
      return {start + kBullet.size(), end - start - kBullet.size()};
    }
  }
  return {std::string_view::npos, 0};
}

// "\x1A<offset>+<length>:<fingerprint>" for `excerpt` at `offset` in its
// passage.
std::string PassageRef(size_t offset, const std::string& excerpt) {
  return absl::StrCat(std::string(1, kPassageRef), offset, "+", excerpt.size(),
                      ":", absl::Hex(Fingerprint(excerpt), absl::kZeroPad16));
}

// The passage text an excerpt reference points at; nullopt if it is not one;
// "" when the index changed since and the passage no longer holds it.
std::optional<std::string> FromPassage(const Searcher& passages,
                                       const v1::Citation& c) {
  if (c.excerpt().empty() || c.excerpt()[0] != kPassageRef ||
      c.excerpt().size() < 2 || c.excerpt()[1] == '#') {
    return std::nullopt;
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(
      absl::string_view(c.excerpt()).substr(1), absl::ByAnyChar("+:"));
  size_t offset = 0, length = 0;
  uint64_t fingerprint = 0;
  const PassageHit* p = passages.FindPassage(c.passage_id());
  if (parts.size() != 3 || p == nullptr ||
      !absl::SimpleAtoi(parts[0], &offset) ||
      !absl::SimpleAtoi(parts[1], &length) ||
      !absl::SimpleHexAtoi(parts[2], &fingerprint) || offset > p->text.size() ||
      length > p->text.size() - offset) {
    return std::string();
  }
  std::string excerpt = p->text.substr(offset, length);
  if (Fingerprint(excerpt) != fingerprint) return std::string();
  return excerpt;
}

// Whether the reply's speech is its text spoken. Only compared when the two
// are of about the same length (speech written apart, such as an answer's,
// is far shorter): keeping a speech that could have been dropped costs bytes,
// never correctness.
bool SpokenText(const v1::Reply& reply) {
  const size_t text = reply.text().size(), speech = reply.speech().size();
  if (speech > text || speech + text / 8 + 8 < text) return false;
  return reply.speech() == ToSpeech(reply.text());
}

constexpr std::string_view kParagraphBreak = "\n\n";
// Starts a named known text (known_texts.h).
constexpr std::string_view kKnownText = "\x1A#";

// Names each paragraph of `text` that is a known text (a whole question, the
// safety lines ending an answer), unless the text holds a reference's
// marker of its own.
void ReferParagraphs(const KnownTexts& texts, std::string& text) {
  if (text.find(kPassageRef) != std::string::npos) return;
  std::string out;
  size_t start = 0;
  bool named = false;
  while (true) {
    const size_t end = text.find(kParagraphBreak, start);
    const std::string_view paragraph = std::string_view(text).substr(
        start, end == std::string::npos ? std::string::npos : end - start);
    std::optional<std::string> ref = texts.Refer(paragraph);
    if (ref.has_value() && !named) {
      out.assign(text, 0, start);
      named = true;
    }
    if (named) out.append(ref.has_value() ? *ref : std::string(paragraph));
    if (end == std::string::npos) break;
    if (named) out.append(kParagraphBreak);
    start = end + kParagraphBreak.size();
  }
  if (named) text = std::move(out);
}

// `stored` with each paragraph that names a known text replaced by the text
// ("" when the knowledge no longer holds it).
std::string ShowParagraphs(const KnownTexts& texts, std::string_view stored) {
  std::string out;
  size_t start = 0;
  while (true) {
    const size_t end = stored.find(kParagraphBreak, start);
    const std::string_view paragraph = stored.substr(
        start, end == std::string::npos ? std::string::npos : end - start);
    if (std::optional<std::string> text = texts.Resolve(paragraph)) {
      out.append(*text);
    } else {
      out.append(paragraph);
    }
    if (end == std::string::npos) break;
    out.append(kParagraphBreak);
    start = end + kParagraphBreak.size();
  }
  return out;
}

// Names the curated texts of a reply's triage (a red-flag rule's title,
// action and reason) and its list of quick replies when the knowledge holds
// them.
void CompactKnowledge(const KnownTexts& texts, v1::Reply& reply) {
  if (auto ref = texts.ReferQuickReplies(reply.quick_replies())) {
    reply.clear_quick_replies();
    reply.add_quick_replies()->set_id(*std::move(ref));
  }
  if (!reply.has_triage()) return;
  v1::Triage& triage = *reply.mutable_triage();
  if (auto ref = texts.Refer(triage.action())) {
    triage.set_action(*std::move(ref));
  }
  if (auto ref = texts.Refer(triage.reason())) {
    triage.set_reason(*std::move(ref));
  }
  for (v1::RedFlag& flag : *triage.mutable_red_flags()) {
    if (auto ref = texts.Refer(flag.title())) flag.set_title(*std::move(ref));
  }
}

// What CompactKnowledge named, back.
void ShowKnowledge(const KnownTexts& texts, v1::Reply& reply) {
  if (reply.quick_replies_size() == 1 &&
      reply.quick_replies(0).title().empty()) {
    const std::string stored = reply.quick_replies(0).id();
    texts.ResolveQuickReplies(stored, reply.mutable_quick_replies());
  }
  if (!reply.has_triage()) return;
  v1::Triage& triage = *reply.mutable_triage();
  if (auto text = texts.Resolve(triage.action())) {
    triage.set_action(*std::move(text));
  }
  if (auto text = texts.Resolve(triage.reason())) {
    triage.set_reason(*std::move(text));
  }
  for (v1::RedFlag& flag : *triage.mutable_red_flags()) {
    if (auto text = texts.Resolve(flag.title()))
      flag.set_title(*std::move(text));
  }
}

}  // namespace

std::string_view QuotedExcerpt(std::string_view text, int number) {
  const auto [start, length] = ExcerptSpan(text, number);
  return start == std::string_view::npos ? std::string_view()
                                         : text.substr(start, length);
}

void CompactAssistantTurn(const TranscriptSources& sources, v1::Turn& turn) {
  if (!turn.has_reply()) return;
  const Searcher& passages = sources.passages;
  v1::Reply& reply = *turn.mutable_reply();
  if (turn.text() == reply.text()) turn.clear_text();
  // Speech the knowledge holds (the spoken form of a question, say) is
  // named; speech that is the text spoken is not kept; other speech is.
  if (auto ref = sources.texts.Refer(reply.speech())) {
    reply.set_speech(*std::move(ref));
  } else if (SpokenText(reply)) {
    reply.clear_speech();
  } else if (reply.speech().empty()) {
    reply.set_speech(std::string(1, kNoSpeech));
  }
  if (auto ref = sources.texts.Refer(reply.why()))
    reply.set_why(*std::move(ref));
  CompactKnowledge(sources.texts, reply);
  std::string text = reply.text();
  for (v1::Citation& c : *reply.mutable_citations()) {
    const PassageHit* p = passages.FindPassage(c.passage_id());
    if (p != nullptr && p->document_id == c.document_id() &&
        p->title == c.title()) {
      c.clear_document_id();
      c.clear_title();
    } else if (p == nullptr) {
      // Not an article's passage (a red-flag rule's sources): named when
      // the knowledge holds it.
      if (auto ref = sources.texts.Refer(c.title())) c.set_title(*ref);
      if (auto ref = sources.texts.Refer(c.excerpt())) {
        c.set_excerpt(*std::move(ref));
        continue;
      }
    }
    const std::string& excerpt = c.excerpt();
    const auto [start, length] = ExcerptSpan(text, c.number());
    if (excerpt.empty() || excerpt[0] == kPassageRef ||
        start == std::string::npos ||
        std::string_view(text).substr(start, length) != excerpt) {
      continue;  // not quoted on its own line: kept as it is
    }
    const size_t at = p == nullptr ? std::string::npos : p->text.find(excerpt);
    if (at != std::string::npos) {
      text.erase(start, length);
      c.set_excerpt(PassageRef(at, excerpt));
    } else {
      c.clear_excerpt();
    }
  }
  if (turn.text().empty()) {
    ReferParagraphs(sources.texts, text);
    if (text != reply.text()) reply.set_text(std::move(text));
  } else if (text != reply.text()) {
    // The turn's own text differs from the reply's: keep the reply whole.
    for (v1::Citation& c : *reply.mutable_citations()) {
      if (auto quoted = FromPassage(passages, c)) c.set_excerpt(*quoted);
    }
  }
}

bool RepliedWithLastReply(const v1::Turn& turn) {
  return turn.role() == v1::Turn::ROLE_ASSISTANT && !turn.has_reply() &&
         turn.text().empty();
}

void RestoreLatestTurn(const TranscriptSources& sources,
                       engine::v1::SessionState& state) {
  auto* transcript = state.mutable_session()->mutable_transcript();
  if (transcript->empty() || !RepliedWithLastReply(*transcript->rbegin())) {
    return;
  }
  v1::Turn& turn = *transcript->rbegin();
  *turn.mutable_reply() = state.last_reply();
  CompactAssistantTurn(sources, turn);
}

void KeepLatestReply(const TranscriptSources& sources,
                     engine::v1::SessionState& state) {
  auto* transcript = state.mutable_session()->mutable_transcript();
  if (transcript->empty() || !RepliedWithLastReply(*transcript->rbegin())) {
    return;
  }
  v1::Turn& turn = *transcript->rbegin();
  turn.mutable_reply()->Swap(state.mutable_last_reply());
  state.clear_last_reply();
  CompactAssistantTurn(sources, turn);
}

bool RestoreLastReply(const TranscriptSources& sources,
                      engine::v1::SessionState& state) {
  const auto& turns = state.session().transcript();
  if (state.has_last_reply() || turns.empty()) return false;
  const v1::Turn& latest = *turns.rbegin();
  if (latest.role() != v1::Turn::ROLE_ASSISTANT || !latest.has_reply()) {
    return false;
  }
  *state.mutable_last_reply() =
      std::move(*ShowTurn(sources, latest, v1::Reply()).mutable_reply());
  return true;
}

std::optional<v1::Reply> StoredReplyTo(const TranscriptSources& sources,
                                       const engine::v1::SessionState& state,
                                       std::string_view message_id) {
  const auto& turns = state.session().transcript();
  for (int i = turns.size() - 1; i >= 0; --i) {
    const v1::Turn& turn = turns[i];
    if (turn.role() != v1::Turn::ROLE_USER || turn.message_id() != message_id) {
      continue;
    }
    if (i + 1 < turns.size() &&
        turns[i + 1].role() == v1::Turn::ROLE_ASSISTANT &&
        (turns[i + 1].has_reply() || RepliedWithLastReply(turns[i + 1]))) {
      return ShowTurn(sources, turns[i + 1], state.last_reply()).reply();
    }
    return std::nullopt;
  }
  return std::nullopt;
}

v1::Turn ShowTurn(const TranscriptSources& sources, const v1::Turn& stored,
                  const v1::Reply& last_reply) {
  const Searcher& passages = sources.passages;
  v1::Turn turn = stored;
  if (RepliedWithLastReply(turn)) {
    *turn.mutable_reply() = last_reply;
    turn.set_text(last_reply.text());
    return turn;
  }
  if (!turn.has_reply()) return turn;
  v1::Reply& reply = *turn.mutable_reply();
  if (reply.text().find(kKnownText) != std::string::npos) {
    reply.set_text(ShowParagraphs(sources.texts, reply.text()));
  }
  if (auto why = sources.texts.Resolve(reply.why())) {
    reply.set_why(*std::move(why));
  }
  ShowKnowledge(sources.texts, reply);
  for (v1::Citation& c : *reply.mutable_citations()) {
    if (c.document_id().empty() && c.title().empty()) {
      if (const PassageHit* p = passages.FindPassage(c.passage_id())) {
        c.set_document_id(p->document_id);
        c.set_title(p->title);
      }
    } else if (auto title = sources.texts.Resolve(c.title())) {
      c.set_title(*std::move(title));
    }
    if (std::optional<std::string> quoted = FromPassage(passages, c)) {
      const auto [start, length] = ExcerptSpan(reply.text(), c.number());
      if (start != std::string::npos && length == 0) {
        std::string text = reply.text();
        text.insert(start, *quoted);
        reply.set_text(std::move(text));
      }
      c.set_excerpt(*std::move(quoted));
    } else if (auto known = sources.texts.Resolve(c.excerpt())) {
      c.set_excerpt(*std::move(known));
    } else if (c.excerpt().empty()) {
      c.set_excerpt(std::string(QuotedExcerpt(reply.text(), c.number())));
    }
  }
  if (turn.text().empty()) turn.set_text(reply.text());
  if (reply.speech().empty()) {
    reply.set_speech(ToSpeech(reply.text()));
  } else if (reply.speech() == std::string(1, kNoSpeech)) {
    reply.clear_speech();
  } else if (auto speech = sources.texts.Resolve(reply.speech())) {
    reply.set_speech(*std::move(speech));
  }
  return turn;
}

v1::Session ShowSession(const TranscriptSources& sources,
                        const engine::v1::SessionState& state) {
  v1::Session session = state.session();
  for (v1::Turn& turn : *session.mutable_transcript()) {
    turn = ShowTurn(sources, turn, state.last_reply());
  }
  for (v1::Finding& f : *session.mutable_findings()) {
    if (f.evidence().empty()) {
      if (auto it = state.findings().find(f.id()); it != state.findings().end())
        f.set_evidence(it->second.evidence());
    }
  }
  if (session.slots().empty()) {
    // By id, as the dialogue lists them.
    std::vector<const std::string*> ids;
    for (const auto& [id, slot] : state.slots()) ids.push_back(&id);
    std::sort(
        ids.begin(), ids.end(),
        [](const std::string* a, const std::string* b) { return *a < *b; });
    for (const std::string* id : ids) {
      const engine::v1::StoredSlot& stored = state.slots().at(*id);
      v1::Slot* slot = session.add_slots();
      slot->set_id(*id);
      slot->set_value(stored.value());
      slot->set_evidence(stored.evidence());
    }
  }
  return session;
}

}  // namespace kneechat
