// Answers in the person's own words: whether a reply to one of kneechat's
// questions is read as what it says. For each row of a set, a new
// conversation opens with the opening of the row's question
// (answer_openings.jsonl); other questions are answered from a plain profile
// until the row's question is asked (matched by words of its text); then the
// row's answer is sent, and the reply to it is scored by the row's meaning:
//   yes     a sign asked about is there: read (the question is not put
//           again) and acted on (the level rises past self-care, a warning
//           sign is raised, or the list's reply is asked which sign)
//   no      none is there: read, and no level rises past self-care
//   unsure  not read as a no: asked again, or about the sign, or the
//           level rises
//   none    the reply answers something else: anything but a rise
//   (slot questions) a value: read, not asked again (which value was read
//           is not visible in a reply, so it is not compared); unsure,
//           none: any
// A hedged no ("don't think so") is labelled unsure: a serious sign is not
// ruled out by a guess (PRODUCT.md).
//
// Gated set: answers_tune.jsonl (at least 90% of rows scored right, a "yes"
// missed or a "no" raised in at most 5% of those rows). The held-aside set
// is measured with KNEECHAT_ANSWER_CASES=<file.jsonl>, which runs that file
// alone and prints its figures without a gate; it is never tuned on.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/common/clock.h"
#include "services/engine/kneechat_engine.h"

namespace kneechat {
namespace {

struct Opening {
  std::string text;
  std::string match;  // words of the question's text, lower case
  std::map<std::string, std::string> profile;
};

struct Row {
  std::string question;
  std::string answer;
  std::string meaning;
};

// Slots asked by a slot question; every other question is about signs.
bool IsSlotQuestion(const std::string& q) {
  return q == "location" || q == "onset" || q == "activity" ||
         q == "duration" || q == "swelling";
}

std::vector<nlohmann::json> ReadJsonl(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::vector<nlohmann::json> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) rows.push_back(nlohmann::json::parse(line));
  }
  return rows;
}

struct Tally {
  int scored = 0, right = 0, setup_failed = 0;
  int yes = 0, yes_missed = 0, no = 0, no_raised = 0;
};

class AnswersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EngineOptions options;
    options.clock = &clock_;
    // The tree's own knowledge files, whatever KNEECHAT_CORPUS_DIR says.
    options.paths.corpus_dir = std::string(KNEECHAT_SOURCE_DIR) + "/corpus";
    auto engine = CreateKneechatEngine(options);
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = *std::move(engine);
    for (const auto& j : ReadJsonl(std::string(KNEECHAT_SOURCE_DIR) +
                                   "/tests/triage/answer_openings.jsonl")) {
      Opening o;
      o.text = j.at("opening");
      o.match = absl::AsciiStrToLower(j.at("match").get<std::string>());
      const nlohmann::json profile =
          j.value("profile", nlohmann::json::object());
      for (const auto& [slot, value] : profile.items()) {
        o.profile[slot] = value.get<std::string>();
      }
      openings_[j.at("q").get<std::string>()] = o;
    }
  }

  v1::Reply Send(const std::string& session, const std::string& text) {
    v1::SendMessageRequest request;
    request.set_session_id(session);
    request.set_text(text);
    request.set_message_id("m" + std::to_string(++counter_));
    auto response = engine_->SendMessage(request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? response->reply() : v1::Reply();
  }

  // Plays one row; returns "" when scored right, else what went wrong.
  std::string Play(const Row& row, Tally& tally) {
    auto it = openings_.find(row.question);
    if (it == openings_.end()) return "no opening for " + row.question;
    const Opening& opening = it->second;
    std::map<std::string, std::string> profile = {
        {"location", "front of the knee"},
        {"onset", "it came on gradually"},
        {"activity", "running"},
        {"duration", "3 weeks"},
        {"age", "35"},
        {"swelling", "no swelling"},
        {"weight_bearing", "yes, I can walk"},
        {"red_flags", "no"},
        {"other", "no"}};
    for (const auto& [slot, value] : opening.profile) profile[slot] = value;
    v1::CreateSessionRequest create;
    create.set_channel("test");
    auto created = engine_->CreateSession(create);
    if (!created.ok()) return created.status().ToString();
    const std::string session = created->session_id();
    v1::Reply reply = Send(session, opening.text);
    bool asked = false;
    for (int step = 0; step < 8; ++step) {
      if (!reply.asking().empty() &&
          absl::StrContains(absl::AsciiStrToLower(reply.text()),
                            opening.match)) {
        asked = true;
        break;
      }
      if (reply.kind() != v1::REPLY_KIND_QUESTION && reply.asking().empty()) {
        break;
      }
      auto answer = profile.find(reply.asking());
      reply =
          Send(session, answer == profile.end() ? "not sure" : answer->second);
    }
    if (!asked) {
      ++tally.setup_failed;
      return "the question was never asked";
    }
    const v1::Reply question = reply;
    const v1::Reply next = Send(session, row.answer);
    ++tally.scored;
    const bool asked_again =
        next.kind() == v1::REPLY_KIND_QUESTION &&
        next.asking() == question.asking() &&
        (next.text() == question.text() ||
         absl::StartsWith(next.text(), "Sorry") ||
         absl::StrContains(absl::AsciiStrToLower(next.text()), opening.match));
    const int before = question.triage().level();
    const int after = next.triage().level();
    const bool raised = after > std::max(before, 1);  // past self-care
    // A sign acted on: a warning sign raised that the question did not have,
    // or "which of these?" after the list.
    const bool flagged =
        next.triage().red_flags_size() > question.triage().red_flags_size() ||
        absl::StrContains(absl::AsciiStrToLower(next.text()), "which of these");
    const bool about_signs =
        next.kind() == v1::REPLY_KIND_QUESTION && next.asking() == "red_flags";
    std::string wrong;
    if (IsSlotQuestion(row.question)) {
      if (row.meaning != "unsure" && row.meaning != "none" && asked_again) {
        wrong = "asked again";
      }
    } else if (row.meaning == "yes") {
      ++tally.yes;
      if (asked_again) {
        wrong = "asked again";
      } else if (!(raised || flagged)) {
        wrong = "not acted on";
      }
      if (!wrong.empty()) ++tally.yes_missed;
    } else if (row.meaning == "no") {
      ++tally.no;
      if (asked_again) wrong = "asked again";
      if (raised) {
        wrong = "level raised";
        ++tally.no_raised;
      }
    } else if (row.meaning == "unsure") {
      if (!(asked_again || raised || about_signs)) wrong = "read as a no";
    } else if (raised) {
      wrong = "level raised";
    }
    if (wrong.empty()) ++tally.right;
    return wrong;
  }

  Tally Run(const std::string& path) {
    Tally tally;
    for (const auto& j : ReadJsonl(path)) {
      Row row{j.at("q"), j.at("answer"), j.at("meaning")};
      const std::string wrong = Play(row, tally);
      if (!wrong.empty()) {
        std::cout << "  " << row.question << " [" << row.meaning << "] "
                  << wrong << ": " << row.answer << "\n";
      }
    }
    std::cout << path << ": " << tally.right << " of " << tally.scored
              << " right; yes missed " << tally.yes_missed << " of "
              << tally.yes << "; no raised " << tally.no_raised << " of "
              << tally.no << "; question never asked " << tally.setup_failed
              << "\n";
    return tally;
  }

  FakeClock clock_;
  std::unique_ptr<Engine> engine_;
  std::map<std::string, Opening> openings_;
  int counter_ = 0;
};

TEST_F(AnswersTest, RepliesInOwnWordsAreRead) {
  if (const char* cases = std::getenv("KNEECHAT_ANSWER_CASES")) {
    Run(cases);  // a held-aside set: measured, not gated
    return;
  }
  const Tally t = Run(std::string(KNEECHAT_SOURCE_DIR) +
                      "/tests/triage/answers_tune.jsonl");
  EXPECT_EQ(t.setup_failed, 0);
  ASSERT_GT(t.scored, 0);
  EXPECT_GE(t.right, t.scored * 90 / 100) << "fewer than 90% read right";
  EXPECT_LE(t.yes_missed * 20, t.yes) << "more than 5% of signs missed";
  EXPECT_LE(t.no_raised * 20, t.no) << "more than 5% of no's raised a level";
}

}  // namespace
}  // namespace kneechat
