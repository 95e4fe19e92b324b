// What kneechat understood from one user message: slot values, clinical
// findings with their context (polarity, time, who), and conversational
// intents. Plain value types, cheap to copy; no behaviour.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/civil_time.h"

namespace kneechat {

enum class Polarity {
  kPresent,  // "my knee is hot"
  kAbsent,   // "no fever", "not swollen or nothing"
  kUnsure,   // "not sure if it's swollen", "maybe a bit warm"
};

enum class Temporality {
  kCurrent,       // now or in this episode
  kHistorical,    // "had a DVT about 5 years back"
  kHypothetical,  // "what if it swells"
};

enum class Experiencer {
  kSelf,   // the person typing
  kOther,  // "my son ..." -- still the patient being asked about
};

// One clinical finding, with an id from corpus/understanding/findings.tsv.
struct Finding {
  std::string id;
  Polarity polarity = Polarity::kPresent;
  Temporality temporality = Temporality::kCurrent;
  Experiencer experiencer = Experiencer::kSelf;
  std::string evidence;  // the person's words (the clause) that raised it
};

// A slot value. Slot ids are PRODUCT.md's `asking` vocabulary (location,
// onset, activity, duration, age, swelling, weight_bearing, red_flags, other)
// plus finer ones the engine keeps (side).
//
// Normalised values:
//   location: front | below_kneecap | outside | inside | back | all_over
//   side: left | right | both
//   onset: sudden | gradual
//   activity: comma-separated of running, jumping, cycling, stairs, squatting,
//             kneeling, sitting, walking, lifting, sport, rest, night
//   duration: days as an integer string ("21"); "unknown" when unsure
//   age: years as an integer string ("67")
//   swelling: none | mild | yes | rapid
//   weight_bearing: yes | no | partial
//   red_flags: none (the person ruled out the screened serious signs) | unsure
// Any slot may hold "unsure" when the person answered "not sure".
struct SlotValue {
  std::string value;
  std::string evidence;
};

// Conversational intents, any number per message:
//   greeting, thanks, goodbye, restart, affirm, deny, unsure, question,
//   correction, off_topic, why_ask, human (asks for a person or a call back)
// What a message's opening does to the message before it.
enum class Revision {
  kNone,
  kExplained,  // "oh wait, it's the Deep Heat I rubbed on": not a sign at all
  kDated,      // "that was in 2016": it happened then, not now
};

struct Understanding {
  std::map<std::string, SlotValue> slots;
  std::vector<Finding> findings;
  std::set<std::string> intents;
  // True when the text talks about a knee, leg or joint complaint at all.
  bool on_topic = false;
  // Whether the message opens by explaining or dating what the person said
  // in their previous message (the dialogue applies it to those findings).
  Revision revises_previous = Revision::kNone;
};

// Whether `id` is one of the findings the crisis reading reports (a plan or
// danger, thoughts, a means, acts of preparation). These are never taken
// back by a later word, an explanation or a revision. Thread-safe.
bool IsCrisisFinding(std::string_view id);

// What the dialogue was doing when the message arrived, so that short answers
// ("yes", "no", "3 weeks", "not sure") land on the right slot or finding.
struct UnderstandingContext {
  // Slot the last question asked about ("" if none).
  std::string asking;
  // Findings the last question asked about, e.g. {"fever"} or the red-flag
  // screening list; a bare "no" marks them absent, "not sure" unsure. When
  // they are all one part's signs (the calf's: part_sign relations), a sign
  // told without naming a place is reported as that part's: told absent,
  // instead of the knee's ("not red" to the calf question is calf_red
  // absent, not red absent); told present or unsure, as well as the knee's.
  std::vector<std::string> asking_findings;
  // The question about asking_findings was put, for the first time, as a
  // slot's topic ("is the calf on that side swollen, warm or red?" asked as
  // the swelling). When asking_findings are another part's signs, a reply
  // that names neither that part nor a sign of it may be about the knee: a
  // bare yes or "not sure" ("a bit"), or a no that names another place ("no,
  // the knee isn't"), answers none of them (a bare no still denies them),
  // and a sign told present without naming a place is the knee's only.
  bool asked_as_topic = false;
  // Findings told earlier in the conversation as present (or unsure) and
  // current, with whose they are: an explanation does not take back a sign
  // that one of them makes serious (a sore calf after "I had my knee
  // replaced three weeks ago" in the message before).
  std::vector<std::pair<std::string, Experiencer>> told_before;
  // Today's date, when known: a month told as when an injury happened
  // ("fell on the ice in January") is counted from its last day, the most
  // recent it can have been. Unset: such a month is not counted.
  std::optional<absl::CivilDay> today;
};

}  // namespace kneechat
