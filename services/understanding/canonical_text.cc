#include "services/understanding/canonical_text.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "services/understanding/spelling_corrector.h"

namespace kneechat::understanding_internal {
namespace {

// "kneeee" -> "knee", "soooo" -> "soo": runs of three or more equal letters
// shrink to two.
std::string CollapseRuns(const std::string& word) {
  std::string out;
  out.reserve(word.size());
  for (char c : word) {
    const size_t n = out.size();
    if (n >= 2 && out[n - 1] == c && out[n - 2] == c &&
        static_cast<unsigned char>(c) < 0x80) {
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string NumberText(const Token& token) {
  if (token.norm == "one") return token.norm;
  if (token.norm.empty() || (token.norm[0] >= '0' && token.norm[0] <= '9')) {
    return token.norm;
  }
  // A number written in words: its digits, so patterns see one form.
  const double v = token.number;
  if (std::floor(v) == v && v < 1e9) {
    return absl::StrCat(static_cast<long long>(v));
  }
  return token.norm;
}

// "knee's" -> "knee", "son's" -> "son"; but "it's", "there's" stay "its",
// "theres" (the tokeniser has already dropped the apostrophe).
std::string WithoutPossessive(std::string_view raw, const std::string& norm) {
  static const auto* keep = new std::set<std::string>{
      "its",  "thats", "theres",      "whats",    "hes",
      "shes", "lets",  "heres",       "wheres",   "whos",
      "hows", "whens", "everythings", "nothings", "somethings"};
  if (norm.size() < 3 || norm.back() != 's' || keep->count(norm) > 0) {
    return norm;
  }
  if (raw.size() < 2 || (raw.back() != 's' && raw.back() != 'S')) return norm;
  const std::string_view before = raw.substr(0, raw.size() - 1);
  for (std::string_view apostrophe :
       {"'", "\xE2\x80\x99", "\xE2\x80\x98", "`", "\xC2\xB4", "\xCA\xBC"}) {
    if (before.size() >= apostrophe.size() &&
        before.substr(before.size() - apostrophe.size()) == apostrophe) {
      return norm.substr(0, norm.size() - 1);
    }
  }
  return norm;
}

void PushMapped(const Lexicon& lexicon, const std::string& text, size_t token,
                std::vector<Word>* words) {
  auto it = lexicon.spelling.find(text);
  if (it == lexicon.spelling.end()) {
    if (lexicon.corrector != nullptr) {
      if (std::optional<std::string> fixed = lexicon.corrector->Correct(text)) {
        words->push_back({*std::move(fixed), token, token});
        return;
      }
    }
    words->push_back({text, token, token});
    return;
  }
  for (const std::string& w : it->second) words->push_back({w, token, token});
}

// The phrase of lexicon.phrases that starts at words[i], or nullptr.
const Lexicon::Phrase* PhraseAt(const Lexicon& lexicon,
                                const std::vector<Word>& words, size_t i) {
  auto it = lexicon.phrases.find(words[i].text);
  if (it == lexicon.phrases.end()) return nullptr;
  for (const Lexicon::Phrase& p : it->second) {
    if (p.from.size() > words.size() - i) continue;
    bool same = true;
    for (size_t k = 1; k < p.from.size() && same; ++k) {
      same = words[i + k].text == p.from[k];
    }
    if (same) return &p;
  }
  return nullptr;
}

std::vector<Word> ApplyPhrases(const Lexicon& lexicon, std::vector<Word> in) {
  if (lexicon.phrases.empty()) return in;
  size_t i = 0;
  const Lexicon::Phrase* found = nullptr;
  while (i < in.size() && (found = PhraseAt(lexicon, in, i)) == nullptr) ++i;
  if (found == nullptr) return in;  // No phrase: the words as they are.
  std::vector<Word> out;
  out.reserve(in.size());
  for (size_t k = 0; k < i; ++k) out.push_back(std::move(in[k]));
  while (i < in.size()) {
    if (found == nullptr) found = PhraseAt(lexicon, in, i);
    if (found == nullptr) {
      out.push_back(std::move(in[i++]));
      continue;
    }
    const size_t n = found->from.size();
    for (const std::string& w : found->to) {
      out.push_back({w, in[i].token, in[i + n - 1].last_token});
    }
    i += n;
    found = nullptr;
  }
  return out;
}

std::string Join(const std::vector<Word>& words, std::vector<size_t>* starts) {
  size_t size = 0;
  for (const Word& w : words) size += w.text.size() + 1;
  std::string text;
  text.reserve(size);
  if (starts != nullptr) starts->reserve(words.size());
  for (const Word& w : words) {
    if (!text.empty()) text.push_back(' ');
    if (starts != nullptr) starts->push_back(text.size());
    text += w.text;
  }
  return text;
}

// Drops commas at either end and repeated commas.
std::vector<Word> TidyCommas(std::vector<Word> words) {
  size_t kept = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i].text == "," && (kept == 0 || words[kept - 1].text == ",")) {
      continue;
    }
    if (kept != i) words[kept] = std::move(words[i]);
    ++kept;
  }
  words.resize(kept);
  while (!words.empty() && words.back().text == ",") words.pop_back();
  return words;
}

const std::string* LastBodyPart(const std::vector<Word>& words) {
  for (auto it = words.rbegin(); it != words.rend(); ++it) {
    if (IsBodyPart(it->text)) return &it->text;
  }
  return nullptr;
}

// A clause that opens with "it"/"its" (or, after "and", "but", "so", with
// its verb) after a body part was named earlier in the sentence reads as
// that body part, so that a finding about "the
// calf" is found in "it is sore when I squeeze it". The words keep their
// source tokens, so evidence still quotes the person's own words.
void ResolveLeadingIt(const std::string& antecedent, std::vector<Word>* words) {
  if (antecedent.empty() || words->empty()) return;
  size_t at = 0;  // past a joining word: "and it's sore"
  static const auto* joins =
      new absl::flat_hash_set<std::string>{"and", "n", "so", "but", "then"};
  if (joins->contains((*words)[0].text) && words->size() > 1) at = 1;
  // A joined clause that opens with its verb has the same subject: "my
  // calf is hot and feels like a cramp" is "and calf feels like a cramp".
  static const auto* verbs = new absl::flat_hash_set<std::string>{
      "feels", "felt",  "looks",  "looked",  "is",     "was",   "has",
      "hurts", "aches", "ached",  "throbs",  "gets",   "keeps", "kept",
      "seems", "goes",  "swells", "swelled", "turned", "went"};
  Word& first = (*words)[at];
  if (first.text == "it") {
    first.text = antecedent;
  } else if (first.text == "its") {
    Word is = first;
    is.text = "is";
    first.text = antecedent;
    words->insert(words->begin() + at + 1, is);
  } else if (at == 1 && verbs->contains(first.text)) {
    Word part = first;
    part.text = antecedent;
    words->insert(words->begin() + at, part);
  }
}

}  // namespace

bool IsBodyPart(const std::string& w) {
  static const auto* parts = new absl::flat_hash_set<std::string>{
      "calf", "shin", "ankle", "foot",      "thigh", "kneecap",
      "leg",  "knee", "toes",  "hamstring", "scar",  "wound"};
  return parts->contains(w);
}

bool IsBodyPartOrPlural(const std::string& w) {
  static const auto* plurals =
      new absl::flat_hash_map<std::string, std::string>{
          {"knees", "knee"},   {"calves", "calf"},     {"legs", "leg"},
          {"feet", "foot"},    {"shins", "shin"},      {"thighs", "thigh"},
          {"ankles", "ankle"}, {"kneecaps", "kneecap"}};
  auto it = plurals->find(w);
  return IsBodyPart(it == plurals->end() ? w : it->second);
}

size_t Clause::WordAt(size_t offset) const {
  auto it = std::upper_bound(starts.begin(), starts.end(), offset);
  return it == starts.begin() ? 0 : (it - starts.begin()) - 1;
}

CanonicalText Canonicalise(const TokenizedText& text, const Lexicon& lexicon) {
  CanonicalText out;
  for (const Span& span : text.sentences) {
    std::vector<Word> words;
    words.reserve(span.end_token - span.first_token);
    bool question = false;
    for (size_t t = span.first_token; t < span.end_token; ++t) {
      const Token& token = text.tokens[t];
      switch (token.kind) {
        case TokenKind::kWord:
          // A unit glued to a number ("5k", "39c") keeps its spelling.
          if (!token.space_before && t > span.first_token &&
              text.tokens[t - 1].kind == TokenKind::kNumber) {
            words.push_back({token.norm, t, t});
          } else {
            const std::string_view raw = std::string_view(text.text).substr(
                token.begin, token.end - token.begin);
            PushMapped(lexicon,
                       CollapseRuns(WithoutPossessive(raw, token.norm)), t,
                       &words);
          }
          break;
        case TokenKind::kNumber:
          words.push_back({NumberText(token), t, t});
          break;
        case TokenKind::kPunctuation:
          if (token.norm == ",") words.push_back({",", t, t});
          if (token.norm.find('?') != std::string::npos) question = true;
          break;
        case TokenKind::kSymbol:
          if (lexicon.spelling.count(token.norm) > 0) {
            PushMapped(lexicon, token.norm, t, &words);
          }
          break;
      }
    }
    words = TidyCommas(ApplyPhrases(lexicon, std::move(words)));
    if (words.empty()) continue;

    Sentence sentence;
    sentence.question = question;
    std::vector<size_t> starts;
    sentence.text = Join(words, &starts);

    // Clause breaks: termination cues, and the tokeniser's termination words.
    std::vector<bool> break_before(words.size(), false);
    for (const PatternHit& hit : lexicon.terminations.FindAll(sentence.text)) {
      auto it = std::upper_bound(starts.begin(), starts.end(), hit.begin);
      const size_t w = it == starts.begin() ? 0 : (it - starts.begin()) - 1;
      if (w > 0) break_before[w] = true;
    }
    for (size_t w = 1; w < words.size(); ++w) {
      if (text.tokens[words[w].token].cue == CueKind::kTermination &&
          words[w].token != words[w - 1].token) {
        break_before[w] = true;
      }
    }
    std::vector<Word> current;
    std::string antecedent;  // the last body part named in this sentence
    auto flush = [&]() {
      current = TidyCommas(std::move(current));
      if (!current.empty()) {
        ResolveLeadingIt(antecedent, &current);
        if (const std::string* part = LastBodyPart(current)) antecedent = *part;
        Clause clause;
        clause.sentence = out.sentences.size();
        clause.words = std::move(current);
        clause.text = Join(clause.words, &clause.starts);
        sentence.clauses.push_back(out.clauses.size());
        out.clauses.push_back(std::move(clause));
      }
      current.clear();
    };
    for (size_t w = 0; w < words.size(); ++w) {
      if (break_before[w]) flush();
      if (words[w].text != ",") ++out.word_count;
      current.push_back(std::move(words[w]));
    }
    flush();

    if (!out.message.empty()) out.message.push_back(' ');
    absl::StrAppend(&out.message, sentence.text, question ? " ?" : " .");
    out.sentences.push_back(std::move(sentence));
  }
  return out;
}

}  // namespace kneechat::understanding_internal
