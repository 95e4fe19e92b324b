// `kneechat review` on real builds of the data: a copy of the corpus with
// one article paragraph changed, indexed by kneechat-index into a temporary
// directory, against the build's own index and corpus.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/child_process.h"

namespace kneechat {
namespace {

namespace fs = std::filesystem;
using ::kneechat::testing::CommandResult;
using ::kneechat::testing::RunCommand;
using ::testing::HasSubstr;
using ::testing::Not;

// The paragraph changed, in corpus/articles/ (knee-pain-after-exercise),
// and the words put in.
constexpr char kArticle[] = "articles/002_81220ba62b1062be.txt";
constexpr char kOldWords[] = "is a common condition among athletes";
constexpr char kNewWords[] = "is a frequent complaint of athletes";

// Two conversations: one whose answer quotes that paragraph, one referred
// before any answer (so the change cannot touch it).
constexpr char kScenarios[] =
    R"({"id": "front-runner", "turns": ["running gives me a dull ache round my kneecap"], )"
    R"("profile": {"duration": "three weeks", "age": "34", "onset": "gradually", )"
    R"("swelling": "no", "weight_bearing": "yes", "red_flags": "no, none of those"}, )"
    R"("expect": {"level": "SELF_CARE"}})"
    "\n"
    R"({"id": "hot-knee", "turns": ["my knee is hot, red and swollen and I have a fever"], )"
    R"("expect": {"level": "URGENT"}})"
    "\n";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class ReviewTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::path(::testing::TempDir()) /
                        absl::StrCat("kneechat-review-", getpid()));
    fs::remove_all(*dir_);
    fs::create_directories(*dir_);
    fs::copy(KNEECHAT_CORPUS_DIR, *dir_ / "corpus",
             fs::copy_options::recursive);
    const fs::path article = *dir_ / "corpus" / kArticle;
    std::string text = ReadFile(article);
    const size_t at = text.find(kOldWords);
    ASSERT_NE(at, std::string::npos) << "the paragraph to change is gone";
    text.replace(at, std::string(kOldWords).size(), kNewWords);
    std::ofstream(article, std::ios::trunc) << text;
    std::ofstream(*dir_ / "scenarios.jsonl") << kScenarios;

    auto built = RunCommand(
        {KNEECHAT_INDEX_BINARY, "--corpus", (*dir_ / "corpus").string(),
         "--out", (*dir_ / "index").string()},
        "", absl::Seconds(120));
    ASSERT_TRUE(built.ok()) << built.status();
    ASSERT_EQ(built->exit_code, 0) << built->err;
  }
  static void TearDownTestSuite() {
    if (dir_ == nullptr) return;
    fs::remove_all(*dir_);
    delete dir_;
    dir_ = nullptr;
  }

  static CommandResult Review(std::vector<std::string> args) {
    args.insert(args.begin(), {KNEECHAT_CLI_BINARY, "review"});
    args.push_back((*dir_ / "scenarios.jsonl").string());
    auto result = RunCommand(args, "", absl::Seconds(120));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : CommandResult();
  }

  static fs::path* dir_;
};

fs::path* ReviewTest::dir_ = nullptr;

TEST_F(ReviewTest, IdenticalBuildsReportNothing) {
  const CommandResult result =
      Review({"--before", KNEECHAT_INDEX_DIR, "--after", KNEECHAT_INDEX_DIR});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(result.out, "");
  EXPECT_THAT(result.err, HasSubstr("2 conversations replayed: no changes"));
}

TEST_F(ReviewTest, AChangedParagraphIsReportedWhereItIsQuoted) {
  const std::string corpus = (*dir_ / "corpus").string();
  const CommandResult result = Review(
      {"--before", KNEECHAT_INDEX_DIR, "--before_corpus", KNEECHAT_CORPUS_DIR,
       "--after", (*dir_ / "index").string(), "--after_corpus", corpus});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  // The conversation that quotes the paragraph, the quote, and the text.
  EXPECT_THAT(result.out, HasSubstr("front-runner turn "));
  EXPECT_THAT(result.out, HasSubstr("quote of knee-pain-after-exercise#"));
  EXPECT_THAT(result.out, HasSubstr(kNewWords));
  EXPECT_THAT(result.out, HasSubstr(kOldWords));
  EXPECT_THAT(result.out, HasSubstr("text:\n"));
  // Nothing else moved: the referral is untouched, the answer still cites
  // the same passages at the same level.
  EXPECT_THAT(result.out, Not(HasSubstr("hot-knee")));
  EXPECT_THAT(result.out, Not(HasSubstr("citations:")));
  EXPECT_THAT(result.out, Not(HasSubstr("triage:")));
  EXPECT_THAT(result.out, Not(HasSubstr("kind:")));
}

TEST_F(ReviewTest, AMissingIndexIsAnError) {
  const CommandResult result =
      Review({"--before", KNEECHAT_INDEX_DIR, "--after",
              (*dir_ / "no-such-index").string()});
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_THAT(result.err, HasSubstr("error: after:"));
  EXPECT_EQ(result.out, "");
}

TEST_F(ReviewTest, WithoutBothIndexesItIsAUsageError) {
  const CommandResult result = Review({"--before", KNEECHAT_INDEX_DIR});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("--before INDEX and --after INDEX"));
}

}  // namespace
}  // namespace kneechat
