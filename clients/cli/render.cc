#include "clients/cli/render.h"

#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/utf8.h"

namespace kneechat::cli {
namespace {

constexpr absl::string_view kBotPrefix = "kneechat> ";
constexpr absl::string_view kDetailIndent = "  ";

size_t Columns(absl::string_view text) {
  const std::string_view view(text.data(), text.size());
  return IsValidUtf8(view) ? Utf8Length(view) : text.size();
}

std::string StripPrefix(const std::string& name, absl::string_view prefix) {
  return std::string(absl::StripPrefix(name, prefix));
}

// Wraps `text` with `first` before its first line and `rest` before the
// others.
std::string WrapHanging(absl::string_view text, size_t width,
                        absl::string_view first, absl::string_view rest) {
  std::string out;
  bool first_line = true;
  for (absl::string_view paragraph : absl::StrSplit(text, '\n')) {
    std::string line(first_line ? first : rest);
    size_t used = Columns(line);
    bool line_has_word = false;
    for (absl::string_view word :
         absl::StrSplit(paragraph, ' ', absl::SkipEmpty())) {
      const size_t length = Columns(word);
      if (line_has_word && used + 1 + length > width) {
        absl::StrAppend(&out, line, "\n");
        line = std::string(rest);
        used = Columns(line);
        line_has_word = false;
      }
      if (line_has_word) {
        line += ' ';
        ++used;
      }
      line.append(word.data(), word.size());
      used += length;
      line_has_word = true;
    }
    if (!line_has_word) absl::StripTrailingAsciiWhitespace(&line);
    absl::StrAppend(&out, line, "\n");
    first_line = false;
  }
  return out;
}

std::string RenderTriage(const v1::Triage& triage, size_t width) {
  std::string out;
  const std::string bar = "!! ";
  absl::StrAppend(
      &out,
      WrapHanging(absl::StrCat("TRIAGE: ", TriageLevelName(triage.level())),
                  width, bar, bar));
  for (const v1::RedFlag& flag : triage.red_flags()) {
    std::string line = absl::StrCat("Red flag: ", flag.title());
    if (!flag.evidence().empty()) {
      absl::StrAppend(&line, " (you said: \"", flag.evidence(), "\")");
    }
    absl::StrAppend(&out, WrapHanging(line, width, bar, bar));
  }
  if (!triage.action().empty()) {
    absl::StrAppend(
        &out, WrapHanging(absl::StrCat("What to do: ", triage.action()), width,
                          bar, bar));
  }
  return out;
}

}  // namespace

std::string Wrap(absl::string_view text, size_t width,
                 absl::string_view indent) {
  if (text.empty()) return "";
  return WrapHanging(text, width, indent, indent);
}

std::string ReplyKindName(v1::ReplyKind kind) {
  const std::string& name = v1::ReplyKind_Name(kind);
  if (name.empty()) return absl::StrCat(static_cast<int>(kind));
  return StripPrefix(name, "REPLY_KIND_");
}

std::string TriageLevelName(v1::TriageLevel level) {
  const std::string& name = v1::TriageLevel_Name(level);
  if (name.empty()) return absl::StrCat(static_cast<int>(level));
  return StripPrefix(name, "TRIAGE_LEVEL_");
}

std::string RenderReply(const v1::Reply& reply, size_t width) {
  std::string out = WrapHanging(reply.text(), width, kBotPrefix,
                                std::string(kBotPrefix.size(), ' '));
  if (reply.kind() == v1::REPLY_KIND_REFERRAL ||
      reply.triage().red_flags_size() > 0) {
    absl::StrAppend(&out, RenderTriage(reply.triage(), width));
  } else if (reply.triage().level() != v1::TRIAGE_LEVEL_UNSPECIFIED) {
    absl::StrAppend(&out, kDetailIndent,
                    "Triage: ", TriageLevelName(reply.triage().level()), "\n");
  }
  if (reply.citations_size() > 0) {
    absl::StrAppend(&out, kDetailIndent, "Sources:\n");
    int position = 0;
    for (const v1::Citation& citation : reply.citations()) {
      ++position;
      const int number = citation.number() > 0 ? citation.number() : position;
      absl::StrAppend(
          &out,
          WrapHanging(
              absl::StrFormat("[%d] %s (%s): \"%s\"", number, citation.title(),
                              citation.passage_id(), citation.excerpt()),
              width, kDetailIndent, "      "));
    }
  }
  if (reply.quick_replies_size() > 0) {
    absl::StrAppend(&out, kDetailIndent, "Reply with a number or in words:\n");
    int number = 0;
    for (const v1::QuickReply& quick : reply.quick_replies()) {
      absl::StrAppend(&out, kDetailIndent, "  ", ++number, ") ", quick.title(),
                      "\n");
    }
  }
  return out;
}

std::string RenderPassage(int rank, const v1::Passage& passage, size_t width) {
  std::string out = absl::StrFormat("%d. [score %.3f] %s", rank,
                                    passage.score(), passage.title());
  if (!passage.heading().empty()) {
    absl::StrAppend(&out, " / ", passage.heading());
  }
  out = WrapHanging(out, width, "", "   ");
  absl::StrAppend(&out, "   document ", passage.document_id(), ", passage ",
                  passage.passage_id(), "\n");
  absl::StrAppend(&out, Wrap(passage.text(), width, "   "));
  return out;
}

}  // namespace kneechat::cli
