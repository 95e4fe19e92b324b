#include "services/understanding/person_shift.h"

#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_split.h"

namespace kneechat::understanding_internal {
namespace {

// Word-for-word replacements that do not depend on the next word.
const absl::flat_hash_map<std::string_view, std::string_view>& Pronouns() {
  static const auto* const kMap =
      new absl::flat_hash_map<std::string_view, std::string_view>{
          {"he", "i"},
          {"she", "i"},
          {"they", "i"},
          {"hes", "im"},
          {"shes", "im"},
          {"theyre", "im"},
          {"hed", "id"},
          {"shed", "id"},
          {"theyd", "id"},
          {"hell", "ill"},
          {"shell", "ill"},
          {"theyll", "ill"},
          {"heve", "ive"},
          {"theyve", "ive"},
          {"him", "me"},
          {"them", "me"},
          {"his", "my"},
          {"their", "my"},
          {"himself", "myself"},
          {"herself", "myself"},
          {"themselves", "myself"},
          {"themself", "myself"},
      };
  return *kMap;
}

// People close enough that a parent or carer speaks for them: "my son".
const absl::flat_hash_set<std::string_view>& ClosePeople() {
  static const auto* const kSet = new absl::flat_hash_set<std::string_view>{
      "son",     "daughter",     "boy",        "girl",     "kid",
      "child",   "teen",         "teenager",   "lad",      "lass",
      "mum",     "mom",          "mother",     "dad",      "father",
      "husband", "wife",         "partner",    "brother",  "sister",
      "friend",  "boyfriend",    "girlfriend", "grandson", "granddaughter",
      "nan",     "gran",         "grandad",    "grandma",  "grandpa",
      "stepson", "stepdaughter", "flatmate",   "mate",
  };
  return *kSet;
}

// Third-person verb forms after a new "i".
const absl::flat_hash_map<std::string_view, std::string_view>& Verbs() {
  static const auto* const kMap =
      new absl::flat_hash_map<std::string_view, std::string_view>{
          {"is", "am"},       {"has", "have"},    {"does", "do"},
          {"goes", "go"},     {"wants", "want"},  {"wishes", "wish"},
          {"says", "say"},    {"feels", "feel"},  {"thinks", "think"},
          {"keeps", "keep"},  {"talks", "talk"},  {"hates", "hate"},
          {"doesnt", "dont"}, {"isnt", "am not"}, {"hasnt", "havent"},
          {"tells", "tell"},  {"cuts", "cut"},    {"hurts", "hurt"},
          {"plans", "plan"},
      };
  return *kMap;
}

// "her" before a word that can follow a possessive is "my", else "me".
bool StartsNounPhrase(std::string_view next) {
  static const auto* const kNot = new absl::flat_hash_set<std::string_view>{
      "",     "and",  "or",  "but", "to",   "that",  "so",   "if",
      "when", "the",  "a",   "an",  "is",   "was",   "with", "about",
      "for",  "of",   "in",  "on",  "at",   "again", "too",  "now",
      "up",   "down", "out", "off", "back", "over",
  };
  return kNot->count(next) == 0;
}

}  // namespace

std::string ShiftToFirstPerson(std::string_view sentence) {
  std::vector<std::string_view> words;
  for (absl::string_view w : absl::StrSplit(
           absl::string_view(sentence.data(), sentence.size()), ' ')) {
    words.emplace_back(w.data(), w.size());
  }
  std::string out;
  out.reserve(sentence.size() + 8);
  bool first = true;
  auto emit = [&](std::string_view word) {
    if (!first) out.push_back(' ');
    first = false;
    out.append(word.data(), word.size());
  };
  bool new_subject = false;  // the previous output word is a shifted "i"
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string_view w = words[i];
    const std::string_view next = i + 1 < words.size() ? words[i + 1] : "";
    if (new_subject) {
      new_subject = false;
      if (auto v = Verbs().find(w); v != Verbs().end()) {
        emit(v->second);
        continue;
      }
    }
    if (w == "my" && ClosePeople().count(next) > 0) {
      emit("i");
      ++i;
      new_subject = true;
      continue;
    }
    if (w == "her") {
      emit(StartsNounPhrase(next) ? "my" : "me");
      continue;
    }
    if (auto p = Pronouns().find(w); p != Pronouns().end()) {
      emit(p->second);
      new_subject = p->second == "i";
      continue;
    }
    emit(w);
  }
  return out;
}

}  // namespace kneechat::understanding_internal
