// kneechat's tokeniser: splits one chat message into words, numbers and
// punctuation, marks sentence and clause boundaries, tags negation and hedge
// cue words, and reads the measurements people type (durations, ages,
// temperatures).
//
// It knows English chat text only as far as a tokeniser must (contractions,
// number words, time units); clinical vocabulary lives in the understanding
// layer's corpus lexicons.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/limits.h"

namespace kneechat {

// Longest message the tokeniser accepts, in bytes (after nothing is removed):
// the longest message the API accepts (services/common/limits.h).
inline constexpr size_t kMaxTextBytes = kMaxMessageBytes;

enum class TokenKind {
  kWord,         // letters (may hold digits: "5k"); norm is lower-case
  kNumber,       // "3", "38.9", "three", "twenty one" (number is set)
  kPunctuation,  // . , ! ? ; : - ( ) ...
  kSymbol,       // anything else printable: emoji, °, &, /
};

// Where a token ends a stretch of text.
enum class Boundary {
  kNone,
  kClause,    // "," or the words but/however/although/though
  kSentence,  // . ! ? ; or a line break
};

// What a word may signal to later stages (closed-class words only; the
// understanding layer's ConText lexicon decides scope and phrases).
enum class CueKind {
  kNone,
  kNegation,     // no, not, never, nothing, none, without, nor, cant, didnt ...
  kHedge,        // maybe, perhaps, possibly, probably, might, unsure ...
  kTermination,  // but, however, although, though
};

struct Token {
  TokenKind kind = TokenKind::kWord;
  // The token's bytes in TokenizedText::text.
  size_t begin = 0;
  size_t end = 0;
  // Lower-case ASCII form with apostrophes removed ("can't" -> "cant",
  // "runner’s" -> "runners"); for numbers written in words, the words
  // ("twenty one"); for digits, the digits ("38.9").
  std::string norm;
  double number = 0;         // kNumber only
  bool space_before = true;  // false when glued to the previous token ("39C")
  Boundary boundary = Boundary::kNone;
  CueKind cue = CueKind::kNone;
};

enum class MeasureKind {
  kDuration,     // value in days ("3 weeks" -> 21, "an hour" -> 1/24)
  kAge,          // value in years
  kTemperature,  // value in degrees Celsius (Fahrenheit converted)
};

// How a duration was phrased; the understanding layer uses it to decide
// whether it is the duration of the complaint.
enum class DurationAnchor {
  kNone,    // not a duration
  kFor,     // "for 3 weeks", "past month", "3 weeks now", "been 2 days"
  kSince,   // "since yesterday", "yesterday", "last week", "this morning"
  kAgo,     // "2 days ago"
  kBare,    // "3 weeks" with nothing around it
  kVague,   // "ages", "a long time", "a while", "for months" (approximate)
  kWithin,  // "for the first 2 days", "first few hours": a stretch inside
            // the story, not how long it has been
};

struct Measure {
  MeasureKind kind = MeasureKind::kDuration;
  double value = 0;  // a range's upper end ("6-8 days", "a week or two")
  double low = 0;    // a range's lower end; `value` when not a range
  DurationAnchor anchor = DurationAnchor::kNone;
  // Token range [first_token, last_token] that expresses it.
  size_t first_token = 0;
  size_t last_token = 0;
};

// A stretch of tokens [first_token, end_token).
struct Span {
  size_t first_token = 0;
  size_t end_token = 0;
};

struct TokenizedText {
  // The message after cleaning: zero-width and format characters removed,
  // control characters and unusual spaces turned into plain spaces, CR LF
  // into LF. All offsets point into this string.
  std::string text;
  std::vector<Token> tokens;
  std::vector<Span> sentences;  // split at Boundary::kSentence
  std::vector<Span> clauses;    // sentences split further at kClause
  std::vector<Measure> measures;

  // The cleaned text a span covers, from its first to its last token.
  std::string_view SpanText(const Span& span) const;
};

// Tokenises one message. Empty or all-space text gives no tokens.
// Errors: kInvalidArgument when `text` is longer than kMaxTextBytes or is not
// valid UTF-8 (checked in that order, so over-long input is rejected without
// being scanned).
// Thread-safe: the patterns are compiled once and shared read-only.
absl::StatusOr<TokenizedText> Tokenize(std::string_view text);

}  // namespace kneechat
