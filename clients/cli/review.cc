#include "clients/cli/review.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace kneechat::cli {
namespace {

// How much of a changed line is shown: before and after its first
// difference, in bytes (moved to a UTF-8 character boundary).
constexpr size_t kContextBefore = 40;
constexpr size_t kContextAfter = 110;
// Changed text lines shown per turn.
constexpr size_t kMaxTextLines = 8;

std::string KindOf(const v1::Reply& reply) {
  return std::string(
      absl::StripPrefix(v1::ReplyKind_Name(reply.kind()), "REPLY_KIND_"));
}

std::string LevelOf(const v1::Reply& reply) {
  return std::string(absl::StripPrefix(
      v1::TriageLevel_Name(reply.triage().level()), "TRIAGE_LEVEL_"));
}

std::string OrNone(const std::string& value) {
  return value.empty() ? "(none)" : value;
}

bool IsContinuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// `text` from about kContextBefore bytes before `at` to kContextAfter after
// it, with "…" where it was cut.
std::string Around(const std::string& text, size_t at) {
  size_t begin = at > kContextBefore ? at - kContextBefore : 0;
  while (begin > 0 && IsContinuation(text[begin])) --begin;
  size_t end = std::min(text.size(), at + kContextAfter);
  while (end < text.size() && IsContinuation(text[end])) ++end;
  return absl::StrCat(begin > 0 ? "…" : "", text.substr(begin, end - begin),
                      end < text.size() ? "…" : "");
}

size_t FirstDifference(const std::string& a, const std::string& b) {
  return static_cast<size_t>(
      std::mismatch(a.begin(), a.begin() + std::min(a.size(), b.size()),
                    b.begin())
          .first -
      a.begin());
}

// "-"/"+" lines of a line diff of `before` and `after` (longest common
// subsequence), each pair of a removed and an added line shown around
// their first difference.
std::vector<std::string> TextDiff(const std::string& before,
                                  const std::string& after) {
  const std::vector<std::string> a = absl::StrSplit(before, '\n');
  const std::vector<std::string> b = absl::StrSplit(after, '\n');
  std::vector<std::vector<int>> lcs(a.size() + 1,
                                    std::vector<int>(b.size() + 1, 0));
  for (size_t i = a.size(); i-- > 0;) {
    for (size_t j = b.size(); j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1
                               : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  // Hunks of removed and added lines between common ones; within a hunk
  // the n-th removed line is shown beside the n-th added one.
  std::vector<std::string> out;
  std::vector<std::string> removed, added;
  auto flush = [&]() {
    for (size_t k = 0; k < std::max(removed.size(), added.size()); ++k) {
      const size_t at = k < removed.size() && k < added.size()
                            ? FirstDifference(removed[k], added[k])
                            : 0;
      if (k < removed.size()) out.push_back("- " + Around(removed[k], at));
      if (k < added.size()) out.push_back("+ " + Around(added[k], at));
    }
    removed.clear();
    added.clear();
  };
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) {
      flush();
      ++i, ++j;
    } else if (i < a.size() &&
               (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
      removed.push_back(a[i++]);
    } else {
      added.push_back(b[j++]);
    }
  }
  flush();
  return out;
}

// Citations by passage ("document#n"; passage ids usually carry their
// document already) -> the quoted excerpt.
std::map<std::string, std::string> CitationsOf(const v1::Reply& reply) {
  std::map<std::string, std::string> out;
  for (const v1::Citation& c : reply.citations()) {
    const std::string prefix = c.document_id() + "#";
    const std::string key = absl::StartsWith(c.passage_id(), prefix)
                                ? c.passage_id()
                                : prefix + c.passage_id();
    out[key] = c.excerpt();
  }
  return out;
}

std::set<std::string> RedFlagsOf(const v1::Reply& reply) {
  std::set<std::string> out;
  for (const v1::RedFlag& flag : reply.triage().red_flags()) {
    out.insert(flag.id());
  }
  return out;
}

template <typename Map>
std::set<std::string> KeysOf(const Map& map) {
  std::set<std::string> keys;
  for (const auto& entry : map) keys.insert(entry.first);
  return keys;
}

// "+a +b -c" for what is in `after` only and in `before` only.
std::string CameAndWent(const std::set<std::string>& before,
                        const std::set<std::string>& after) {
  std::vector<std::string> parts;
  for (const std::string& key : after) {
    if (before.count(key) == 0) parts.push_back("+" + key);
  }
  for (const std::string& key : before) {
    if (after.count(key) == 0) parts.push_back("-" + key);
  }
  return absl::StrJoin(parts, " ");
}

std::string Quoted(const std::string& text) {
  return absl::StrCat("\"", Around(text, 0), "\"");
}

// The lines describing how `after` differs from `before`; none when the
// two turns are the same.
std::vector<std::string> TurnChanges(const ReplayedTurn& before,
                                     const ReplayedTurn& after) {
  std::vector<std::string> lines;
  const v1::Reply& a = before.reply;
  const v1::Reply& b = after.reply;
  if (before.said != after.said) {
    lines.push_back(absl::StrCat("said: ", Quoted(before.said), " -> ",
                                 Quoted(after.said)));
  }
  if (a.kind() != b.kind()) {
    lines.push_back(absl::StrCat("kind: ", KindOf(a), " -> ", KindOf(b)));
  }
  if (a.asking() != b.asking()) {
    lines.push_back(absl::StrCat("asking: ", OrNone(a.asking()), " -> ",
                                 OrNone(b.asking())));
  }
  if (a.triage().level() != b.triage().level()) {
    lines.push_back(absl::StrCat("triage: ", LevelOf(a), " -> ", LevelOf(b)));
  }
  const std::string flags = CameAndWent(RedFlagsOf(a), RedFlagsOf(b));
  if (!flags.empty()) lines.push_back("red flags: " + flags);
  const auto cited_before = CitationsOf(a);
  const auto cited_after = CitationsOf(b);
  const std::string citations =
      CameAndWent(KeysOf(cited_before), KeysOf(cited_after));
  if (!citations.empty()) lines.push_back("citations: " + citations);
  for (const auto& [key, excerpt] : cited_after) {
    const auto old = cited_before.find(key);
    if (old == cited_before.end() || old->second == excerpt) continue;
    const size_t at = FirstDifference(old->second, excerpt);
    lines.push_back(absl::StrCat("quote of ", key, " changed:"));
    lines.push_back(absl::StrCat("  - ", Around(old->second, at)));
    lines.push_back(absl::StrCat("  + ", Around(excerpt, at)));
  }
  if (a.text() != b.text()) {
    std::vector<std::string> diff = TextDiff(a.text(), b.text());
    lines.push_back("text:");
    for (size_t i = 0; i < diff.size() && i < kMaxTextLines; ++i) {
      lines.push_back("  " + diff[i]);
    }
    if (diff.size() > kMaxTextLines) {
      lines.push_back(absl::StrCat("  … ", diff.size() - kMaxTextLines,
                                   " more changed lines"));
    }
  }
  return lines;
}

std::string TurnHeading(const std::string& id, size_t turn,
                        const std::string& said) {
  if (turn == 0) return absl::StrCat(id, " greeting");
  return absl::StrCat(id, " turn ", turn, " (", Quoted(said), ")");
}

// A turn that only one side played.
std::string OneSided(const char* side, const ReplayedTurn& turn) {
  const std::string& text = turn.reply.text();
  const std::string first_line = text.substr(0, text.find('\n'));
  return absl::StrCat("only ", side, ": ", KindOf(turn.reply), " ",
                      Quoted(first_line));
}

}  // namespace

absl::StatusOr<std::vector<Replay>> ReplayScenarios(
    v1::KneeChat::StubInterface& stub, const std::vector<Json>& scenarios,
    absl::Duration timeout) {
  std::vector<Replay> replays;
  for (const Json& scenario : scenarios) {
    Replay replay;
    if (scenario.is_object() && scenario.contains("id")) {
      const Json& id = scenario["id"];
      replay.id = id.is_string() ? id.get<std::string>() : id.dump();
    }
    EvalOptions options;
    options.timeout = timeout;
    options.on_reply = [&replay](const std::string& said,
                                 const v1::Reply& reply) {
      replay.turns.push_back(ReplayedTurn{said, reply});
    };
    absl::StatusOr<Json> played = PlayScenario(stub, scenario, options);
    if (!played.ok()) {
      return absl::Status(played.status().code(),
                          absl::StrCat("scenario ", OrNone(replay.id), ": ",
                                       played.status().message()));
    }
    replays.push_back(std::move(replay));
  }
  return replays;
}

std::string DescribeChanges(const std::vector<Replay>& before,
                            const std::vector<Replay>& after) {
  std::string out;
  const size_t conversations = std::max(before.size(), after.size());
  for (size_t c = 0; c < conversations; ++c) {
    if (c >= before.size() || c >= after.size()) {
      const Replay& only = c < before.size() ? before[c] : after[c];
      absl::StrAppend(&out, only.id, ": played ",
                      c < before.size() ? "before" : "after", " only\n");
      continue;
    }
    const Replay& a = before[c];
    const Replay& b = after[c];
    const size_t turns = std::max(a.turns.size(), b.turns.size());
    for (size_t t = 0; t < turns; ++t) {
      std::vector<std::string> lines;
      std::string said;
      if (t < a.turns.size() && t < b.turns.size()) {
        lines = TurnChanges(a.turns[t], b.turns[t]);
        said = a.turns[t].said;
      } else if (t < a.turns.size()) {
        lines.push_back(OneSided("before", a.turns[t]));
        said = a.turns[t].said;
      } else {
        lines.push_back(OneSided("after", b.turns[t]));
        said = b.turns[t].said;
      }
      if (lines.empty()) continue;
      absl::StrAppend(&out, TurnHeading(a.id, t, said), "\n");
      for (const std::string& line : lines) {
        absl::StrAppend(&out, "  ", line, "\n");
      }
    }
  }
  return out;
}

}  // namespace kneechat::cli
