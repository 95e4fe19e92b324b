#include "services/understanding/crisis_scorer.h"

#include <unistd.h>

#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace kneechat::understanding_internal {
namespace {

std::string Write(const std::string& name, const std::string& body) {
  // The process id keeps concurrent runs (a build tree and its sanitizer
  // twin) apart.
  const std::string path =
      ::testing::TempDir() + "/" + std::to_string(getpid()) + "_" + name;
  std::ofstream(path) << body;
  return path;
}

TEST(CrisisScorerTest, SumsWordsAndPairsOnceAgainstTheThreshold) {
  auto scorer = CrisisScorer::Load(
      Write("w.tsv",
            "# comment\nfeature\tweight\nthreshold\t2.5\nnot\t1\nhere\t1\n"
            "not_here\t1\nknee\t-3\n"));
  ASSERT_TRUE(scorer.ok()) << scorer.status();
  EXPECT_DOUBLE_EQ((*scorer)->Score("I'd rather NOT be here, not here."), 3);
  EXPECT_TRUE((*scorer)->Flags("not here"));
  EXPECT_FALSE((*scorer)->Flags("my knee is not here"));      // 3 - 3
  EXPECT_DOUBLE_EQ((*scorer)->Score("don\xE2\x80\x99t"), 0);  // "dont"
}

TEST(CrisisScorerTest, PairsNeedBothWordsInOrderAndOddFeaturesNeverCount) {
  auto scorer = CrisisScorer::Load(
      Write("p.tsv",
            "threshold\t1\ngive_up\t2\nup\t0.5\ngive_up_now\t9\n"
            "_now\t9\nnow_\t9\n"));
  ASSERT_TRUE(scorer.ok()) << scorer.status();
  EXPECT_DOUBLE_EQ((*scorer)->Score("I give up"), 2.5);
  EXPECT_DOUBLE_EQ((*scorer)->Score("up, give"), 0.5);
  EXPECT_DOUBLE_EQ((*scorer)->Score("give up now, give up"), 2.5);
  EXPECT_DOUBLE_EQ((*scorer)->Score("now"), 0);
}

// A long message scores its best window of kWindow words; the last window
// ends at the last word, so words after the last full step still count.
TEST(CrisisScorerTest, ALongMessageIsReadToItsLastWord) {
  auto scorer =
      CrisisScorer::Load(Write("t.tsv", "threshold\t1.5\npointless\t2\n"));
  ASSERT_TRUE(scorer.ok()) << scorer.status();
  std::string message;
  for (size_t i = 0; i < CrisisScorer::kWindow + 4; ++i) message += "knee ";
  EXPECT_FALSE((*scorer)->Flags(message));
  EXPECT_TRUE((*scorer)->Flags(message + "pointless"));
  EXPECT_TRUE((*scorer)->Flags("pointless " + message));
}

TEST(CrisisScorerTest, BadFilesAreErrors) {
  EXPECT_EQ(CrisisScorer::Load("/no/such/file").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(CrisisScorer::Load(Write("a.tsv", "x\t1\n")).status().code(),
            absl::StatusCode::kInvalidArgument);  // no threshold
  EXPECT_EQ(CrisisScorer::Load(Write("b.tsv", "threshold\t1\nx\tone\n"))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace kneechat::understanding_internal
