// Picks the problem the articles describe that best fits what the person
// said, from the curated conditions in corpus/dialogue.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "services/dialogue/dialogue_knowledge.h"
#include "services/understanding/understanding.h"

namespace kneechat {

// The condition keyword patterns that match `text` (one message), each as
// "<condition id>#<pattern index>". A session keeps the union over its
// messages instead of the messages themselves, so what it keeps for keyword
// matching is bounded by the knowledge, not by how much the person typed.
std::vector<std::string> KeywordHits(const DialogueKnowledge& knowledge,
                                     std::string_view text);

// Scores each condition: +3 matching location, +1 per matching activity,
// +2 for each of its keyword patterns in `keyword_hits` (KeywordHits over
// everything the person typed), +2 if the age is at least min_age (when set);
// a condition whose max_duration_days is exceeded by a known duration scores
// nothing. Returns the best (earlier wins ties), or the fallback condition
// when nothing scores. Never null.
const ConditionSpec* MatchCondition(
    const DialogueKnowledge& knowledge,
    const std::map<std::string, SlotValue>& slots,
    const std::set<std::string>& keyword_hits);

// "pain at the front of the knee, with running and stairs, for about 3
// weeks" from the slots, using the curated summary phrases.
std::string SummariseSlots(const DialogueKnowledge& knowledge,
                           const std::map<std::string, SlotValue>& slots);

}  // namespace kneechat
