// The plain-text handoff a clinician reads in about 20 seconds, SBAR-shaped:
//   Situation       triage level, what the person was told to do, and the
//                   red flags in their own words
//   Background      the slots (where, how long, onset, activity, age,
//                   swelling, weight bearing) with the words they came from
//   Assessment      findings present / absent / unsure, the likely problem
//   Recommendation  the action given, and the cited advice quoted
// then, below a rule, the details: the questions asked and why, and the
// transcript (noting turns no longer kept). Plain UTF-8 text, "\n" line
// ends, no markup. The person's words appear as they wrote them; the text
// is for the clinic and must never be logged.
#pragma once

#include <string>

#include "kneechat/v1/kneechat.pb.h"
#include "services/handoff/handoff_view.h"
#include "services/handoff/question_catalog.h"

namespace kneechat {

// Builds the summary. Pure: no clock, no I/O; thread-safe.
std::string BuildHandoffSummary(const HandoffView& view,
                                const QuestionCatalog& catalog);

// "EMERGENCY", "URGENT", "SOON", "SELF_CARE" or "NOT DECIDED".
const char* TriageLevelName(v1::TriageLevel level);
// What the level means for the person, in plain words.
const char* TriageLevelMeaning(v1::TriageLevel level);

}  // namespace kneechat
