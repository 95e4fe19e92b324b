#include "services/understanding/spelling_corrector.h"

#include <filesystem>

#include "gtest/gtest.h"
#include "services/common/paths.h"

namespace kneechat::understanding_internal {
namespace {

constexpr char kEnglish[] = "/usr/share/hunspell/en_GB";

TEST(CollectPatternWordsTest, WholeWordsOnly) {
  std::set<std::string> words;
  CollectPatternWords(R"(\b(calf|calves|arthroscop\w*|swell(ing)?) (is|hot)\b)",
                      &words);
  EXPECT_EQ(words, (std::set<std::string>{"calf", "calves"}));
}

class SpellingCorrectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(std::string(kEnglish) + ".dic")) {
      GTEST_SKIP() << "hunspell-en-gb is not installed";
    }
    const std::string corpus = DefaultDataPaths().corpus_dir;
    auto made = SpellingCorrector::Create(
        std::string(kEnglish) + ".aff", std::string(kEnglish) + ".dic",
        corpus + "/understanding/domain.aff",
        corpus + "/understanding/domain.dic",
        {"toddler", "plaster", "replacement", "temperature", "knee", "wise",
         "worse"});
    ASSERT_TRUE(made.ok()) << made.status();
    corrector_ = *std::move(made);
  }
  std::unique_ptr<SpellingCorrector> corrector_;
};

TEST_F(SpellingCorrectorTest, MisspelledDomainWordsAreCorrected) {
  EXPECT_EQ(corrector_->Correct("todler"), "toddler");
  EXPECT_EQ(corrector_->Correct("plastor"), "plaster");
  EXPECT_EQ(corrector_->Correct("replacment"), "replacement");
  EXPECT_EQ(corrector_->Correct("clopidogral"), "clopidogrel");  // domain.dic
  EXPECT_EQ(corrector_->Correct("shakin"), "shaking");           // a dropped g
  EXPECT_EQ(corrector_->Correct("splittin"), "splitting");
  // Of two words one edit away, the one with a letter left out ("wise"
  // changes a letter).
  EXPECT_EQ(corrector_->Correct("wose"), "worse");
}

TEST_F(SpellingCorrectorTest, RealWordsAndStrangersAreLeftAlone) {
  EXPECT_EQ(corrector_->Correct("toddle"), std::nullopt);  // an English word
  EXPECT_EQ(corrector_->Correct("within"), std::nullopt);  // not a dropped g
  EXPECT_EQ(corrector_->Correct("knee"), std::nullopt);    // known
  EXPECT_EQ(corrector_->Correct("xqzvbn"), std::nullopt);  // nothing close
  EXPECT_EQ(corrector_->Correct("kne"), std::nullopt);     // too short
}

TEST(SpellingCorrectorCreateTest, MissingDictionaryIsNotFound) {
  auto made = SpellingCorrector::Create("/nope.aff", "/nope.dic", "/nope.aff",
                                        "/nope.dic", {});
  EXPECT_EQ(made.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace kneechat::understanding_internal
