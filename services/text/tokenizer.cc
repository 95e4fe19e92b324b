#include "services/text/tokenizer.h"

#include <cmath>
#include <cstdint>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "re2/re2.h"
#include "services/common/utf8.h"
#include "services/text/dictation.h"
#include "services/text/measures.h"
#include "services/text/number_words.h"
#include "services/text/text_normalize.h"

namespace kneechat {
namespace {

// Token shapes, each matched anchored at the current position. Which ones
// are tried depends on the first byte (see NextToken); RE2 runs them as DFAs
// because only the whole match is asked for.
const RE2& NumberPattern() {
  static const RE2* re = new RE2(R"(\d+(?:\.\d+)?)");
  return *re;
}
// "y.o.", "e.g."
const RE2& DottedPattern() {
  static const RE2* re = new RE2(R"(\pL(?:\.\pL)+\.?)");
  return *re;
}
// "y/o", "w/o", not followed by a letter or digit
const RE2& SlashPattern() {
  static const RE2* re = new RE2(R"(\pL/\pL(?:[^\pL\pN]|$))");
  return *re;
}
// Letters and digits, with apostrophes inside ("can't", "runner’s").
const RE2& WordPattern() {
  static const RE2* re =
      new RE2(R"([\pL\pN][\pL\pM\pN]*(?:['’‘`´ʼ][\pL\pM\pN]+)*)");
  return *re;
}
const RE2& PunctuationPattern() {
  static const RE2* re = new RE2(R"(\.{2,}|…|[.!?;]+|[,:()\[\]"“”'‘’\-–—])");
  return *re;
}
const RE2& AnyCodePoint() {
  static const RE2* re = new RE2(R"((?s:.))");
  return *re;
}

enum class Shape { kNumber, kWord, kPunctuation, kSymbol };

bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }

bool IsAsciiAlnum(unsigned char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The token starting at `pos` when its first byte is ASCII and the shape
// patterns need not run to tell it: what they would give, or {kSymbol, 0}
// to run them.
std::pair<Shape, size_t> NextAsciiToken(const std::string& text, size_t pos) {
  constexpr std::pair<Shape, size_t> kRunPatterns{Shape::kSymbol, 0};
  const size_t size = text.size();
  auto byte = [&](size_t i) -> unsigned char {
    return i < size ? static_cast<unsigned char>(text[i]) : 0;
  };
  const unsigned char c = byte(pos);
  size_t i = pos + 1;
  if (IsDigit(c)) {  // \d+(?:\.\d+)?
    while (IsDigit(byte(i))) ++i;
    if (byte(i) == '.' && IsDigit(byte(i + 1))) {
      i += 2;
      while (IsDigit(byte(i))) ++i;
    }
    return {Shape::kNumber, i - pos};
  }
  if (IsAsciiAlnum(c)) {
    // A dotted or slashed word, an apostrophe or a letter beyond ASCII:
    // left to the patterns.
    if (byte(i) == '.' || byte(i) == '/') return kRunPatterns;
    while (IsAsciiAlnum(byte(i))) ++i;
    const unsigned char next = byte(i);
    if (next >= 0x80 || next == '\'' || next == '`') return kRunPatterns;
    return {Shape::kWord, i - pos};
  }
  switch (c) {
    case '.':
      if (byte(i) == '.') {  // \.{2,}
        while (byte(i) == '.') ++i;
        return {Shape::kPunctuation, i - pos};
      }
      [[fallthrough]];
    case '!':
    case '?':
    case ';':  // [.!?;]+
      while (byte(i) == '.' || byte(i) == '!' || byte(i) == '?' ||
             byte(i) == ';') {
        ++i;
      }
      return {Shape::kPunctuation, i - pos};
    case ',':
    case ':':
    case '(':
    case ')':
    case '[':
    case ']':
    case '"':
    case '\'':
    case '-':
      return {Shape::kPunctuation, 1};
    default:
      return {Shape::kSymbol, 1};
  }
}

// The token starting at `pos`: its shape and length in bytes.
std::pair<Shape, size_t> NextToken(const std::string& text, size_t pos) {
  if (static_cast<unsigned char>(text[pos]) < 0x80) {
    const auto token = NextAsciiToken(text, pos);
    if (token.second > 0) return token;
  }
  re2::StringPiece match;
  auto at = [&](const RE2& re) {
    return re.Match(text, pos, text.size(), RE2::ANCHOR_START, &match, 1);
  };
  const unsigned char c = text[pos];
  if (c >= '0' && c <= '9' && at(NumberPattern())) {
    return {Shape::kNumber, match.size()};
  }
  if (c >= 0x80 || absl::ascii_isalnum(c)) {
    if (at(DottedPattern())) return {Shape::kWord, match.size()};
    if (at(SlashPattern())) return {Shape::kWord, 3};
    if (at(WordPattern())) return {Shape::kWord, match.size()};
  }
  if (at(PunctuationPattern())) return {Shape::kPunctuation, match.size()};
  if (at(AnyCodePoint())) return {Shape::kSymbol, match.size()};
  return {Shape::kSymbol, 1};
}

// Lower-case ASCII, apostrophes and dots removed.
std::string NormaliseWord(std::string_view word) {
  std::string norm;
  norm.reserve(word.size());
  for (size_t i = 0; i < word.size();) {
    size_t len = 0;
    if (ApostropheAt(word, i, &len)) {
      i += len;
      continue;
    }
    if (word[i] == '.') {
      ++i;
      continue;
    }
    norm.push_back(absl::ascii_tolower(static_cast<unsigned char>(word[i])));
    ++i;
  }
  return norm;
}

const absl::flat_hash_map<std::string_view, CueKind>& CueWords() {
  static const auto* cues = new absl::flat_hash_map<std::string_view, CueKind>{
      {"no", CueKind::kNegation},
      {"not", CueKind::kNegation},
      {"never", CueKind::kNegation},
      {"nothing", CueKind::kNegation},
      {"none", CueKind::kNegation},
      {"nobody", CueKind::kNegation},
      {"without", CueKind::kNegation},
      {"nor", CueKind::kNegation},
      {"neither", CueKind::kNegation},
      {"cant", CueKind::kNegation},
      {"cannot", CueKind::kNegation},
      {"dont", CueKind::kNegation},
      {"doesnt", CueKind::kNegation},
      {"didnt", CueKind::kNegation},
      {"isnt", CueKind::kNegation},
      {"arent", CueKind::kNegation},
      {"wasnt", CueKind::kNegation},
      {"werent", CueKind::kNegation},
      {"wont", CueKind::kNegation},
      {"wouldnt", CueKind::kNegation},
      {"couldnt", CueKind::kNegation},
      {"shouldnt", CueKind::kNegation},
      {"havent", CueKind::kNegation},
      {"hasnt", CueKind::kNegation},
      {"hadnt", CueKind::kNegation},
      {"aint", CueKind::kNegation},
      {"nah", CueKind::kNegation},
      {"nope", CueKind::kNegation},
      {"maybe", CueKind::kHedge},
      {"perhaps", CueKind::kHedge},
      {"possibly", CueKind::kHedge},
      {"probably", CueKind::kHedge},
      {"might", CueKind::kHedge},
      {"unsure", CueKind::kHedge},
      {"uncertain", CueKind::kHedge},
      {"dunno", CueKind::kHedge},
      {"idk", CueKind::kHedge},
      {"possible", CueKind::kHedge},
      {"but", CueKind::kTermination},
      {"however", CueKind::kTermination},
      {"although", CueKind::kTermination},
      {"though", CueKind::kTermination},
      {"altho", CueKind::kTermination},
      {"tho", CueKind::kTermination},
  };
  return *cues;
}

// Decodes the code point at s[i] (valid UTF-8) and its length.
char32_t DecodeAt(std::string_view s, size_t i, size_t* len) {
  const unsigned char c = s[i];
  if (c < 0x80) {
    *len = 1;
    return c;
  }
  if (c < 0xE0) {
    *len = 2;
    return ((c & 0x1F) << 6) | (s[i + 1] & 0x3F);
  }
  if (c < 0xF0) {
    *len = 3;
    return ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
  }
  *len = 4;
  return ((c & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) |
         ((s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
}

bool IsInvisible(char32_t cp) {
  return cp == 0x00AD || cp == 0x034F || cp == 0x061C || cp == 0x180E ||
         (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF ||
         (cp >= 0xFE00 && cp <= 0xFE0F);
}

bool IsOddSpace(char32_t cp) {
  return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
         cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0x0085;
}

// Removes invisible characters, turns controls and odd spaces into a space,
// line/paragraph separators and CR/CRLF into LF.
std::string Clean(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size();) {
    // Printable ASCII stays as it is.
    size_t end = i;
    while (end < in.size() && in[end] >= 0x20 && in[end] < 0x7F) ++end;
    if (end > i) {
      out.append(in.data() + i, end - i);
      i = end;
      continue;
    }
    size_t len = 1;
    const char32_t cp = DecodeAt(in, i, &len);
    if (cp == '\r') {
      out.push_back('\n');
      if (i + 1 < in.size() && in[i + 1] == '\n') ++len;
    } else if (cp == '\n' || cp == 0x2028 || cp == 0x2029) {
      out.push_back('\n');
    } else if (IsInvisible(cp)) {
      // dropped
    } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || IsOddSpace(cp)) {
      out.push_back(' ');
    } else {
      out.append(in.substr(i, len));
    }
    i += len;
  }
  return out;
}

Boundary PunctuationBoundary(std::string_view p) {
  if (p == ",") return Boundary::kClause;
  if (p == ":" || p == "(" || p == ")" || p == "[" || p == "]" || p == "-" ||
      p == "\"" || p == "'") {
    return Boundary::kNone;
  }
  if (p[0] == '.' || p[0] == '!' || p[0] == '?' || p[0] == ';' || p == "…") {
    return Boundary::kSentence;
  }
  return Boundary::kNone;
}

void MarkBoundary(Token* token, Boundary boundary) {
  if (static_cast<int>(boundary) > static_cast<int>(token->boundary)) {
    token->boundary = boundary;
  }
}

std::vector<Span> SplitAt(const std::vector<Token>& tokens, Boundary level) {
  std::vector<Span> spans;
  size_t start = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (static_cast<int>(tokens[i].boundary) >= static_cast<int>(level)) {
      spans.push_back({start, i + 1});
      start = i + 1;
    }
  }
  if (start < tokens.size()) spans.push_back({start, tokens.size()});
  return spans;
}

}  // namespace

std::string_view TokenizedText::SpanText(const Span& span) const {
  if (span.first_token >= span.end_token || span.end_token > tokens.size()) {
    return {};
  }
  const size_t begin = tokens[span.first_token].begin;
  const size_t end = tokens[span.end_token - 1].end;
  return std::string_view(text).substr(begin, end - begin);
}

absl::StatusOr<TokenizedText> Tokenize(std::string_view input) {
  if (input.size() > kMaxTextBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("text is too long: ", input.size(),
                     " bytes; the limit is ", kMaxTextBytes, " bytes"));
  }
  if (!IsValidUtf8(input)) {
    return absl::InvalidArgumentError("text is not valid UTF-8");
  }
  TokenizedText result;
  result.text = Clean(input);
  const std::string& text = result.text;
  // A line break ends a sentence, unless the message is written a word or
  // two to a line.
  const bool lines_end_sentences = !text_internal::WrittenWordPerLine(text);
  result.tokens.reserve(text.size() / 3 + 4);
  size_t pos = 0;
  bool space_before = true;
  while (pos < text.size()) {
    const char c = text[pos];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (c == '\n' && lines_end_sentences && !result.tokens.empty()) {
        MarkBoundary(&result.tokens.back(), Boundary::kSentence);
      }
      space_before = true;
      ++pos;
      continue;
    }
    const auto [shape, length] = NextToken(text, pos);
    Token token;
    token.space_before = space_before;
    space_before = false;
    token.begin = pos;
    token.end = pos + length;
    const std::string_view raw(text.data() + pos, length);
    switch (shape) {
      case Shape::kNumber: {
        double value = 0;
        if (absl::SimpleAtod(absl::string_view(raw.data(), raw.size()),
                             &value) &&
            std::isfinite(value)) {
          token.kind = TokenKind::kNumber;
          token.number = value;
        } else {
          token.kind = TokenKind::kWord;
        }
        token.norm = std::string(raw);
        break;
      }
      case Shape::kWord: {
        token.kind = TokenKind::kWord;
        token.norm = NormaliseWord(raw);
        auto cue = CueWords().find(token.norm);
        if (cue != CueWords().end()) token.cue = cue->second;
        break;
      }
      case Shape::kPunctuation:
        token.kind = TokenKind::kPunctuation;
        token.norm = std::string(raw);
        token.boundary = PunctuationBoundary(raw);
        break;
      case Shape::kSymbol:
        token.kind = TokenKind::kSymbol;
        token.norm = std::string(raw);
        break;
    }
    pos = token.end;
    result.tokens.push_back(std::move(token));
  }

  text_internal::MergeNumberWords(text, &result.tokens);
  text_internal::ReadSpokenPunctuation(&result.tokens);
  // A termination word ends the clause before it.
  for (size_t i = 1; i < result.tokens.size(); ++i) {
    if (result.tokens[i].cue == CueKind::kTermination) {
      MarkBoundary(&result.tokens[i - 1], Boundary::kClause);
    }
  }
  result.sentences = SplitAt(result.tokens, Boundary::kSentence);
  result.clauses = SplitAt(result.tokens, Boundary::kClause);
  result.measures = text_internal::FindMeasures(result.tokens);
  return result;
}

}  // namespace kneechat
