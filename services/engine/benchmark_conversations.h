// Whole conversations in the shapes people have them -- a story, answers to
// the questions, the screening, a follow-up or two, or a red flag -- for the
// in-process benchmarks (turn cost, session size and memory). Written for
// the benchmarks; not evaluation data.
#pragma once

#include <string>
#include <vector>

namespace kneechat {

inline const std::vector<std::vector<std::string>>& BenchmarkConversations() {
  static const auto* conversations = new std::vector<std::vector<std::string>>{
      {"front of my left knee aches after long runs, been going on about a "
       "month",
       "I'm 34", "no swelling at all", "none of those",
       "would a knee strap help?", "how long before I can race again?"},
      {"twisted my knee playing netball yesterday and it swelled up",
       "straight away", "I can put weight through it, sore though", "I'm 27",
       "no, none of them", "should I use ice or heat?"},
      {"my knee is stiff every morning, I'm 68", "for years now",
       "both knees really", "a bit puffy sometimes", "no",
       "is walking good for it?"},
      {"knee swollen hot and red and I feel shivery and sick",
       "yes I have a temperature", "what should I do now?"},
      {"outer side of the knee gets sore when cycling", "started gradually",
       "about six weeks", "no", "41", "none", "what stretches help?",
       "can I keep cycling?"},
      {"my knee hurts", "at the back", "a few days", "I don't know",
       "why do you ask?", "no", "calf is swollen and tender too"},
  };
  return *conversations;
}

}  // namespace kneechat
