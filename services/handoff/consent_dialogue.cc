#include "services/handoff/consent_dialogue.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/common/utf8.h"
#include "services/dialogue/composer.h"
#include "services/handoff/contact_details.h"
#include "services/text/text_normalize.h"

namespace kneechat {
namespace {

// The phone line asks in its own way: putting the call through is the
// consent (services/channels/twilio_voice_webhook.h).
constexpr char kVoiceChannel[] = "voice";
// The question is offered at most this often in a conversation.
constexpr int kMaxOffers = 2;
// Quick-reply titles are at most this many characters (PRODUCT.md §2).
constexpr size_t kMaxTitle = 20;

bool HasCrisisFlag(const v1::Triage& triage,
                   const std::set<std::string>& crisis_rules) {
  for (const auto& flag : triage.red_flags()) {
    if (crisis_rules.count(flag.id())) return true;
  }
  return false;
}

void Append(v1::Reply& reply, const std::string& text,
            const std::string& speech) {
  reply.set_text(
      reply.text().empty() ? text : absl::StrCat(reply.text(), "\n\n", text));
  reply.set_speech(reply.speech().empty()
                       ? speech
                       : absl::StrCat(reply.speech(), " ", speech));
}

}  // namespace

absl::StatusOr<ConsentText> MakeConsentText(
    const knowledge::v1::HandoffText& text, const DeploymentConfig& config) {
  const std::map<std::string, std::string> values = MessagePlaceholders(config);
  ConsentText out;
  const std::pair<const char*, std::pair<const std::string*, std::string*>>
      fields[] = {
          {"question", {&text.question(), &out.question}},
          {"question_speech", {&text.question_speech(), &out.question_speech}},
          {"yes_title", {&text.yes_title(), &out.yes_title}},
          {"no_title", {&text.no_title(), &out.no_title}},
          {"person_lead", {&text.person_lead(), &out.person_lead}},
          {"granted", {&text.granted(), &out.granted}},
          {"granted_no_contact",
           {&text.granted_no_contact(), &out.granted_no_contact}},
          {"declined", {&text.declined(), &out.declined}},
      };
  for (const auto& [name, from_to] : fields) {
    if (from_to.first->empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("dialogue handoff.", name, " is empty"));
    }
    absl::StatusOr<std::string> filled =
        FillPlaceholders(*from_to.first, values);
    if (!filled.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "dialogue handoff.", name, ": ", filled.status().message()));
    }
    *from_to.second = *std::move(filled);
  }
  for (const std::string* title : {&out.yes_title, &out.no_title}) {
    if (Utf8Length(*title) > kMaxTitle) {
      return absl::InvalidArgumentError(
          absl::StrCat("dialogue handoff: quick reply title '", *title,
                       "' is over ", kMaxTitle, " characters"));
    }
  }
  return out;
}

ConsentDialogue::ConsentDialogue(const Dialogue& dialogue,
                                 const Extractor& extractor, ConsentText text,
                                 std::set<std::string> crisis_rules, bool offer)
    : dialogue_(dialogue),
      extractor_(extractor),
      text_(std::move(text)),
      crisis_rules_(std::move(crisis_rules)),
      offer_(offer) {}

ConsentDialogue::Answer ConsentDialogue::ReadAnswer(std::string_view text,
                                                    std::string* contact,
                                                    bool* bare) const {
  const std::string said = FoldReply(text);
  *bare = true;
  if (said == FoldReply(text_.yes_title) || said == FoldReply(kYesId)) {
    return Answer::kYes;
  }
  if (said == FoldReply(text_.no_title) || said == FoldReply(kNoId)) {
    return Answer::kNo;
  }
  std::optional<ContactDetails> found = FindContactDetails(text);
  std::string rest = found ? found->rest : std::string(text);
  if (found) *contact = found->value;
  if (absl::StripAsciiWhitespace(rest).empty()) {
    return found ? Answer::kYes : Answer::kNone;
  }
  absl::StatusOr<Understanding> heard =
      extractor_.Understand(rest, UnderstandingContext());
  if (!heard.ok()) {
    *bare = false;
    return Answer::kNone;
  }
  const auto& intents = heard->intents;
  const bool affirm = intents.count("affirm") && !intents.count("unsure");
  const bool deny = intents.count("deny") && !intents.count("unsure");
  *bare = heard->findings.empty() && heard->slots.empty() &&
          !intents.count("question") && !intents.count("restart");
  if (deny && !affirm) {
    contact->clear();  // a no keeps nothing
    return Answer::kNo;
  }
  if (affirm || found) return Answer::kYes;
  *bare = false;
  return Answer::kNone;
}

bool ConsentDialogue::MayOffer(const SessionState& state,
                               const v1::Reply& reply,
                               bool asked_for_person) const {
  const v1::HandoffConsent consent = state.handoff_consent();
  if (!offer_ || state.session().channel() == kVoiceChannel) return false;
  if (consent != v1::HANDOFF_CONSENT_UNSPECIFIED &&
      consent != v1::HANDOFF_CONSENT_WANTED) {
    return false;
  }
  if (state.handoff_offers() >= kMaxOffers) return false;
  if (!state.pending_kind().empty()) return false;  // a question comes first
  if (asked_for_person || consent == v1::HANDOFF_CONSENT_WANTED) return true;
  // After an URGENT or EMERGENCY referral, but not with a crisis reply.
  return reply.kind() == v1::REPLY_KIND_REFERRAL &&
         state.max_level() >= v1::TRIAGE_LEVEL_URGENT &&
         !HasCrisisFlag(state.session().triage(), crisis_rules_) &&
         !HasCrisisFlag(reply.triage(), crisis_rules_);
}

void ConsentDialogue::Offer(SessionState& state, v1::Reply& reply,
                            bool asked_for_person) const {
  const v1::ReplyKind kind = reply.kind();
  const bool replace =
      asked_for_person && (kind == v1::REPLY_KIND_OUT_OF_SCOPE ||
                           kind == v1::REPLY_KIND_NOT_COVERED ||
                           kind == v1::REPLY_KIND_ACKNOWLEDGEMENT ||
                           kind == v1::REPLY_KIND_GREETING);
  const std::string question =
      asked_for_person ? absl::StrCat(text_.person_lead, " ", text_.question)
                       : text_.question;
  const std::string speech = asked_for_person
                                 ? absl::StrCat(ToSpeech(text_.person_lead),
                                                " ", text_.question_speech)
                                 : text_.question_speech;
  if (replace) {
    reply.set_kind(v1::REPLY_KIND_QUESTION);
    reply.set_text("");
    reply.set_speech("");
    reply.clear_citations();
  }
  Append(reply, question, speech);
  if (reply.kind() == v1::REPLY_KIND_QUESTION) reply.set_asking("other");
  reply.clear_quick_replies();
  v1::QuickReply* yes = reply.add_quick_replies();
  yes->set_id(kYesId);
  yes->set_title(text_.yes_title);
  v1::QuickReply* no = reply.add_quick_replies();
  no->set_id(kNoId);
  no->set_title(text_.no_title);
  state.set_handoff_consent(v1::HANDOFF_CONSENT_OFFERED);
  state.set_handoff_offers(state.handoff_offers() + 1);
}

absl::StatusOr<ConsentDialogue::Result> ConsentDialogue::Turn(
    SessionState& state, std::string_view text, absl::Time now) const {
  Result out;
  const bool was_offered =
      state.handoff_consent() == v1::HANDOFF_CONSENT_OFFERED;
  Answer answer = Answer::kNone;
  bool bare = false;
  std::string contact;
  if (was_offered) {
    answer = ReadAnswer(text, &contact, &bare);
    switch (answer) {
      case Answer::kYes:
        state.set_handoff_consent(v1::HANDOFF_CONSENT_GRANTED);
        state.set_handoff_contact(contact);
        out.consent_given = true;
        break;
      case Answer::kNo:
        state.set_handoff_consent(v1::HANDOFF_CONSENT_DECLINED);
        break;
      case Answer::kNone:
        state.set_handoff_consent(v1::HANDOFF_CONSENT_UNSPECIFIED);
        break;
    }
    if (answer != Answer::kNone) {
      state.set_handoff_consent_time(absl::ToUnixSeconds(now));
    }
  }
  const std::string ack =
      answer == Answer::kYes
          ? (contact.empty() ? text_.granted_no_contact : text_.granted)
      : answer == Answer::kNo ? text_.declined
                              : "";
  if (answer != Answer::kNone && bare) {
    // Nothing but the answer: acknowledge it, and after a referral say
    // again what to do.
    v1::Reply reply;
    const bool referred = state.max_level() >= v1::TRIAGE_LEVEL_URGENT;
    reply.set_kind(referred ? v1::REPLY_KIND_REFERRAL
                            : v1::REPLY_KIND_ACKNOWLEDGEMENT);
    *reply.mutable_triage() = state.session().triage().red_flags_size() > 0
                                  ? state.session().triage()
                                  : state.handoff_referral();
    reply.mutable_triage()->set_level(state.max_level());
    Append(reply, ack, ToSpeech(ack));
    const std::string action = reply.triage().action();
    if (referred && !action.empty()) Append(reply, action, ToSpeech(action));
    *state.mutable_last_reply() = reply;
    out.reply = std::move(reply);
    return out;
  }
  std::set<std::string> intents;
  // The day in UTC: a month told as when an injury happened is counted from
  // its last day, so a day either way changes nothing that matters.
  absl::StatusOr<v1::Reply> reply = dialogue_.Turn(
      state, text, &intents, absl::ToCivilDay(now, absl::UTCTimeZone()));
  if (!reply.ok()) return reply.status();
  if (reply->kind() == v1::REPLY_KIND_REFERRAL &&
      reply->triage().red_flags_size() > 0) {
    *state.mutable_handoff_referral() = reply->triage();
  }
  // The dialogue stored its reply as the last one; stored again only if
  // changed here.
  bool changed = false;
  if (!ack.empty()) {
    reply->set_text(absl::StrCat(ack, "\n\n", reply->text()));
    reply->set_speech(absl::StrCat(ToSpeech(ack), " ", reply->speech()));
    changed = true;
  }
  const bool asked_for_person = intents.count("human") > 0;
  if (!(was_offered && answer == Answer::kNone) &&
      MayOffer(state, *reply, asked_for_person)) {
    Offer(state, *reply, asked_for_person);
    changed = true;
  } else if (asked_for_person && offer_ &&
             state.handoff_consent() == v1::HANDOFF_CONSENT_UNSPECIFIED) {
    state.set_handoff_consent(v1::HANDOFF_CONSENT_WANTED);
  }
  if (changed) *state.mutable_last_reply() = *reply;
  out.reply = *std::move(reply);
  return out;
}

}  // namespace kneechat
