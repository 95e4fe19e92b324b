#include "services/engine/stored_transcript.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/dialogue/composer.h"

namespace kneechat {

std::string_view QuotedExcerpt(std::string_view text, int number) {
  const std::string marker = absl::StrCat(" [", number, "]");
  static constexpr std::string_view kBullet = "\xE2\x80\xA2 ";  // "• "
  for (size_t end = text.find(marker); end != std::string_view::npos;
       end = text.find(marker, end + 1)) {
    const size_t after = end + marker.size();
    if (after < text.size() && text[after] != '\n') continue;
    const size_t line = text.rfind('\n', end);
    const size_t start = line == std::string_view::npos ? 0 : line + 1;
    if (text.substr(start, kBullet.size()) == kBullet) {
      return text.substr(start + kBullet.size(),
                         end - start - kBullet.size());
    }
  }
  return {};
}

void CompactAssistantTurn(const Searcher& passages, v1::Turn& turn) {
  if (!turn.has_reply()) return;
  v1::Reply& reply = *turn.mutable_reply();
  if (turn.text() == reply.text()) turn.clear_text();
  reply.clear_speech();
  for (v1::Citation& c : *reply.mutable_citations()) {
    if (const PassageHit* p = passages.FindPassage(c.passage_id());
        p != nullptr && p->document_id == c.document_id() &&
        p->title == c.title()) {
      c.clear_document_id();
      c.clear_title();
    }
    if (!c.excerpt().empty() &&
        QuotedExcerpt(reply.text(), c.number()) == c.excerpt()) {
      c.clear_excerpt();
    }
  }
}

bool RepliedWithLastReply(const v1::Turn& turn) {
  return turn.role() == v1::Turn::ROLE_ASSISTANT && !turn.has_reply() &&
         turn.text().empty();
}

void RestoreLatestTurn(const Searcher& passages,
                       engine::v1::SessionState& state) {
  auto* transcript = state.mutable_session()->mutable_transcript();
  if (transcript->empty() || !RepliedWithLastReply(*transcript->rbegin())) {
    return;
  }
  v1::Turn& turn = *transcript->rbegin();
  *turn.mutable_reply() = state.last_reply();
  CompactAssistantTurn(passages, turn);
}

std::optional<v1::Reply> StoredReplyTo(const Searcher& passages,
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
      return ShowTurn(passages, turns[i + 1], state.last_reply()).reply();
    }
    return std::nullopt;
  }
  return std::nullopt;
}

v1::Turn ShowTurn(const Searcher& passages, const v1::Turn& stored,
                  const v1::Reply& last_reply) {
  v1::Turn turn = stored;
  if (RepliedWithLastReply(turn)) {
    *turn.mutable_reply() = last_reply;
    turn.set_text(last_reply.text());
    return turn;
  }
  if (!turn.has_reply()) return turn;
  v1::Reply& reply = *turn.mutable_reply();
  if (turn.text().empty()) turn.set_text(reply.text());
  for (v1::Citation& c : *reply.mutable_citations()) {
    if (c.document_id().empty() && c.title().empty()) {
      if (const PassageHit* p = passages.FindPassage(c.passage_id())) {
        c.set_document_id(p->document_id);
        c.set_title(p->title);
      }
    }
    if (c.excerpt().empty()) {
      c.set_excerpt(std::string(QuotedExcerpt(reply.text(), c.number())));
    }
  }
  if (reply.speech().empty()) {
    reply.set_speech(reply.kind() == last_reply.kind() &&
                             reply.text() == last_reply.text()
                         ? last_reply.speech()
                         : ToSpeech(reply.text()));
  }
  return turn;
}

v1::Session ShowSession(const Searcher& passages,
                        const engine::v1::SessionState& state) {
  v1::Session session = state.session();
  for (v1::Turn& turn : *session.mutable_transcript()) {
    turn = ShowTurn(passages, turn, state.last_reply());
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
    std::sort(ids.begin(), ids.end(),
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
