// What a clinician's handoff reads from a session, in one place: the
// summary and FHIR builders never touch SessionState themselves, so a change
// to how the session is stored is absorbed by ReadHandoffView alone.
#pragma once

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "kneechat/engine/v1/session_state.pb.h"
#include "kneechat/v1/kneechat.pb.h"

namespace kneechat {

using SessionState = engine::v1::SessionState;

struct HandoffView {
  struct Finding {
    std::string id;
    v1::Finding::Polarity polarity = v1::Finding::POLARITY_UNSPECIFIED;
    // "current", "historical" or "hypothetical"; "self" or "other".
    std::string temporality;
    std::string experiencer;
    std::string evidence;  // the person's words
  };
  struct Slot {
    std::string id;
    std::string value;
    std::string evidence;
  };
  // One piece of advice given: an ANSWER or follow-up's citations.
  struct Advice {
    std::string reply_text;
    std::vector<v1::Citation> citations;
  };
  struct Line {
    bool from_person = false;
    std::string text;
    absl::Time time;
  };

  std::string session_id;
  std::string channel;
  std::string state;  // "gathering", "answered", "referred", ...
  absl::Time create_time;
  v1::TriageLevel level = v1::TRIAGE_LEVEL_UNSPECIFIED;
  // What to do and why, as last told to the person.
  std::string action;
  std::string reason;
  std::vector<v1::RedFlag> red_flags;  // with the person's words
  std::vector<Finding> findings;       // in the order first heard
  std::vector<Slot> slots;             // sorted by id
  // Question keys asked, in order, each once: slot ids, "red_flags" (the
  // screening question) and "deciding:<rule>:<question>".
  std::vector<std::string> asked;
  std::string condition;  // the answer's condition id, "" before one
  std::vector<Advice> advice;
  std::vector<Line> transcript;
  int dropped_turns = 0;  // turns no longer kept at the transcript's front
  v1::HandoffConsent consent = v1::HANDOFF_CONSENT_UNSPECIFIED;
  absl::Time consent_time = absl::InfinitePast();  // when answered
  std::string contact;  // phone or email given with consent, or ""
};

// Reads what the handoff needs from `state`. Never fails: a field the state
// does not hold stays empty. Thread-compatible (reads `state` only).
HandoffView ReadHandoffView(const SessionState& state);

}  // namespace kneechat
