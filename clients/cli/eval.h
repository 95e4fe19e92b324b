// `kneechat eval`: plays evaluation files against a server and scores them
// with the same rules and figure names as the reference scorer kneeeval.py
// (run_scenario, summarise and run_search), so that the two agree.
//
// Scenario file (JSON lines; blank lines and lines starting with "//" are
// skipped): each object has `id`, `turns`, optional `profile` (answers by
// slot id for follow-up questions), `given` (slots the turns state),
// `expect` (`level`, `levels_ok`, `red_flag`, `docs_any`, `terms_any`) and
// `questions` (asked after the first answer, each with `q` and optional
// `docs_any`, `terms_any`, `kind`). Search file: `q`, `docs_any`,
// `terms_any`, `expect_empty_or_clean`.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "kneechat/v1/kneechat.grpc.pb.h"
#include "nlohmann/json.hpp"

namespace kneechat::cli {

using Json = nlohmann::ordered_json;

struct EvalOptions {
  // Adds each scenario's turn-by-turn log to its result row.
  bool verbose = false;
  // Deadline of each RPC.
  absl::Duration timeout = absl::Seconds(10);
  // Called with every reply as it comes, in order: the greeting (with an
  // empty `said`), then each message sent and its reply. Optional.
  std::function<void(const std::string& said, const v1::Reply& reply)> on_reply;
};

// Reads the objects of a JSON-lines file. kNotFound if it cannot be opened;
// kInvalidArgument naming the line when one is not a JSON object.
absl::StatusOr<std::vector<Json>> ReadJsonLines(const std::string& path);

// Plays one scenario: its turns in order, then answers follow-up questions
// from the profile, then the questions after the first answer. Returns the
// result row, or the first RPC error (or a malformed scenario,
// kInvalidArgument).
absl::StatusOr<Json> PlayScenario(v1::KneeChat::StubInterface& stub,
                                  const Json& scenario,
                                  const EvalOptions& options);

// The row recorded for a scenario that failed with `error`; it counts as an
// error and, for a triaged case, as under-triaged.
Json ErrorRow(const Json& scenario, const std::string& error);

// The figures over all rows: scenarios, errors, critical_misses,
// urgent_cases, under_triaged, false_alarm_rate, exact_level,
// self_care_answered_with_citations, topic_hit, terms_hit, qa_hit,
// mean_questions, max_questions, reasked, looped, asked_twice,
// self_care_never_answered, spam_citations. Ratios are
// rounded as Python's round() does, and are null when nothing was counted.
Json Summarise(const std::vector<Json>& rows);

struct SearchEvalResult {
  Json summary;  // queries, hit_at_3, spam
  Json rows;     // q, hit, docs, spam for each query
};

// Runs each search query with page_size 3 and scores its top 3 passages.
// Returns the first RPC error.
absl::StatusOr<SearchEvalResult> RunSearchEval(
    v1::KneeChat::StubInterface& stub, const std::vector<Json>& queries,
    const EvalOptions& options);

// `value` laid out as Python's json.dumps() lays it out by default
// ({"a": 1, "b": [0.5, null]}, non-ASCII escaped), so outputs compare
// byte for byte.
std::string DumpLikePython(const Json& value);

}  // namespace kneechat::cli
