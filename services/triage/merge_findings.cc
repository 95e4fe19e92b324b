#include "services/triage/merge_findings.h"

#include <algorithm>

namespace kneechat {
namespace {

// Current beats historical beats hypothetical.
int Weight(Temporality t) {
  switch (t) {
    case Temporality::kCurrent:
      return 2;
    case Temporality::kHistorical:
      return 1;
    case Temporality::kHypothetical:
      return 0;
  }
  return 0;
}

bool Replaces(const Finding& next, const Finding& earlier, bool correction) {
  if (Weight(next.temporality) != Weight(earlier.temporality)) {
    return Weight(next.temporality) > Weight(earlier.temporality);
  }
  if (earlier.polarity == Polarity::kPresent) {
    if (next.polarity == Polarity::kUnsure) return false;
    if (next.polarity == Polarity::kAbsent) return correction;
  }
  return true;
}

}  // namespace

void MergeUnderstanding(const Understanding& understanding,
                        ConversationFacts* facts) {
  const bool correction = understanding.intents.count("correction") > 0;
  for (const Finding& next : understanding.findings) {
    auto it = std::find_if(facts->findings.begin(), facts->findings.end(),
                           [&](const Finding& f) { return f.id == next.id; });
    if (it == facts->findings.end()) {
      facts->findings.push_back(next);
    } else if (Replaces(next, *it, correction)) {
      *it = next;
    }
  }
  for (const auto& [name, value] : understanding.slots) {
    auto it = facts->slots.find(name);
    if (it != facts->slots.end() && value.value == "unsure") continue;
    facts->slots[name] = value;
  }
}

}  // namespace kneechat
