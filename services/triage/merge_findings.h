// Accumulating what a conversation has established, message by message, in
// the form Triage::Assess expects (one finding per id, merged slots).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "services/understanding/understanding.h"

namespace kneechat {

struct ConversationFacts {
  std::vector<Finding> findings;  // one per id, first-mention order
  std::map<std::string, SlotValue> slots;
};

// Folds one message's understanding into `facts`:
// - The latest mention of a finding wins, except that an ABSENT never
//   overrides an earlier PRESENT unless the message carries the "correction"
//   intent, and an UNSURE never overrides a PRESENT.
// - A current mention is never replaced by a historical or hypothetical one;
//   a historical one is never replaced by a hypothetical one.
// - A slot takes the latest value, except that "unsure" never replaces a
//   value.
void MergeUnderstanding(const Understanding& understanding,
                        ConversationFacts* facts);

}  // namespace kneechat
