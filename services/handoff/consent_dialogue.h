// The dialogue with the clinic-handoff consent question around it.
//
// kneechat asks whether the clinic may receive the conversation's summary
// and a way to reach the person ("yes" / "no" quick replies, wording in
// corpus/dialogue/dialogue.textproto `handoff`), only when the deployment
// configures a clinic endpoint (`offer`), and never on the phone line
// (there, being put through to the clinic is the consent: see
// services/channels/twilio_voice_webhook.h). It is offered:
//   - after an URGENT or EMERGENCY referral, appended to the referral's own
//     text (the referral is never held back), except a crisis reply
//     (thoughts of self-harm), which stays as it is;
//   - when the person asks for a person or a call back (intent "human"):
//     at once when no question is pending, else once it has been answered.
// Only when no question is pending after the turn; at most twice in a
// conversation. A "no" is recorded and never asked again; the conversation
// goes on as before. A phone number or email in the yes is kept in the
// session (handoff_contact) for the summary only.
//
// Every message still goes through the dialogue (red flags are checked on
// every message), except a bare answer to the consent question ("yes",
// "no", a quick reply, a phone number), which gets the acknowledgement and,
// after a referral, the referral's action again. The last referral's triage
// is kept (handoff_referral) so the summary still names its red flags after
// later replies that do not.
//
// Thread-safety: const and thread-safe; the SessionState is the caller's,
// held exclusively for the turn.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "kneechat/v1/kneechat.pb.h"
#include "services/config/deployment_config.h"
#include "services/dialogue/dialogue.h"
#include "services/understanding/extractor.h"

namespace kneechat {

// The consent wording with the deployment's placeholders filled.
struct ConsentText {
  std::string question;
  std::string question_speech;
  std::string yes_title;
  std::string no_title;
  std::string person_lead;
  std::string granted;
  std::string granted_no_contact;
  std::string declined;
};

// Fills `text` from `config`. kInvalidArgument when a field is empty, a
// quick-reply title is over 20 characters or a placeholder is unknown.
absl::StatusOr<ConsentText> MakeConsentText(
    const knowledge::v1::HandoffText& text, const DeploymentConfig& config);

class ConsentDialogue {
 public:
  // Quick-reply ids of the consent question.
  static constexpr char kYesId[] = "handoff_yes";
  static constexpr char kNoId[] = "handoff_no";

  struct Result {
    v1::Reply reply;
    // The person said yes in this turn: send the summary now.
    bool consent_given = false;
  };

  // References must outlive this object. `crisis_rules` are the red-flag
  // rules whose replies are never followed by the question.
  ConsentDialogue(const Dialogue& dialogue, const Extractor& extractor,
                  ConsentText text, std::set<std::string> crisis_rules,
                  bool offer);

  // One turn: the consent answer (if the question is pending), the
  // dialogue's turn, then the question if it is due. Errors are the
  // dialogue's.
  absl::StatusOr<Result> Turn(SessionState& state, std::string_view text,
                              absl::Time now) const;

 private:
  enum class Answer { kNone, kYes, kNo };
  Answer ReadAnswer(std::string_view text, std::string* contact,
                    bool* bare) const;
  bool MayOffer(const SessionState& state, const v1::Reply& reply,
                bool asked_for_person) const;
  void Offer(SessionState& state, v1::Reply& reply,
             bool asked_for_person) const;

  const Dialogue& dialogue_;
  const Extractor& extractor_;
  const ConsentText text_;
  const std::set<std::string> crisis_rules_;
  const bool offer_;
};

}  // namespace kneechat
