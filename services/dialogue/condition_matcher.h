// Picks the problem the articles describe that best fits what the person
// said, from the curated conditions in corpus/dialogue.
#pragma once

#include <map>
#include <string>

#include "services/dialogue/dialogue_knowledge.h"
#include "services/understanding/understanding.h"

namespace kneechat {

// Scores each condition: +3 matching location, +1 per matching activity,
// +2 for each keyword pattern matching `words` (everything the person typed), +2 if the
// age is at least min_age (when set); a condition whose max_duration_days is
// exceeded by a known duration scores nothing. Returns the best (earlier wins
// ties), or the fallback condition when nothing scores. Never null.
const ConditionSpec* MatchCondition(
    const DialogueKnowledge& knowledge,
    const std::map<std::string, SlotValue>& slots, const std::string& words);

// "pain at the front of the knee, with running and stairs, for about 3
// weeks" from the slots, using the curated summary phrases.
std::string SummariseSlots(const DialogueKnowledge& knowledge,
                           const std::map<std::string, SlotValue>& slots);

}  // namespace kneechat
