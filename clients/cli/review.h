// `kneechat review`: what a change to the articles or the knowledge files
// does to kneechat's answers. The same scripted conversations are played
// against two builds of the data (see local_engine.h) and only the
// differences are reported: per conversation and turn, the reply kind, the
// slot asked, the triage level and red flags, the citations that came and
// went (or whose quote changed), and a short line diff of the text.
//
// The conversations use `kneechat eval`'s scenario format (eval.h): each
// side plays them the same way, answering follow-up questions from the
// profile, so a conversation that takes another path shows where it parts.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clients/cli/eval.h"
#include "kneechat/v1/kneechat.grpc.pb.h"

namespace kneechat::cli {

// One message of a replayed conversation and the reply to it.
struct ReplayedTurn {
  std::string said;  // the person's message; empty for the greeting
  v1::Reply reply;
};

struct Replay {
  std::string id;  // the scenario's id
  std::vector<ReplayedTurn> turns;
};

// Plays every scenario on `stub`, in order. Errors: the first RPC error or
// malformed scenario (kInvalidArgument), its message naming the scenario.
absl::StatusOr<std::vector<Replay>> ReplayScenarios(
    v1::KneeChat::StubInterface& stub, const std::vector<Json>& scenarios,
    absl::Duration timeout);

// The changes from `before` to `after`, paired by position (both replay
// the same scenarios), as plain text for a terminal: a heading per
// conversation and turn that changed, then one line per change. Empty when
// nothing changed. Quotes and text lines are abbreviated around their first
// difference; at most a few changed lines are shown per turn.
std::string DescribeChanges(const std::vector<Replay>& before,
                            const std::vector<Replay>& after);

}  // namespace kneechat::cli
