#include "services/retrieval/sentence_index.h"

#include "gtest/gtest.h"

namespace kneechat {
namespace {

class SentenceIndexTest : public ::testing::Test {
 protected:
  SentenceIndexTest()
      : reader_(*QuestionReader::FromLines(
            {"answer\thow_to\t^(lie|keep)", "answer\twhy\t\\bbecause\\b"})),
        index_(Passages(), *Lexicon::FromLines({"brace\tbrace\tknee support"}),
               *reader_) {}

  static std::vector<PassageHit> Passages() {
    PassageHit a;
    a.document_id = "a";
    a.passage_id = "a#1";
    a.title = "Hip work";
    a.heading = "Side lying";
    a.text =
        "Exercises To Do At Home\n"
        "You might notice it:\n"
        "\xE2\x80\xA2 When you bend your knee\n"
        "\xE2\x80\xA2 Lie on one side with your knees bent and stacked.\n"
        "A knee support helps some people because it steadies the kneecap. "
        "Why does it hurt?";
    return {a};
  }

  std::vector<std::string> Texts() const {
    std::vector<std::string> out;
    for (const auto& s : index_.sentences()) {
      out.emplace_back(index_.Text(s));
    }
    return out;
  }

  std::unique_ptr<QuestionReader> reader_;
  SentenceIndex index_;
};

TEST_F(SentenceIndexTest, SplitsIntoSentencesWithoutBulletMarks) {
  EXPECT_EQ(Texts(),
            (std::vector<std::string>{
                "Exercises To Do At Home",
                "You might notice it:", "When you bend your knee",
                "Lie on one side with your knees bent and stacked.",
                "A knee support helps some people because it steadies the "
                "kneecap.",
                "Why does it hurt?"}));
}

TEST_F(SentenceIndexTest, OnlyWholeSentencesAreQuotable) {
  const auto& s = index_.sentences();
  ASSERT_EQ(s.size(), 6u);
  EXPECT_FALSE(s[0].quotable);  // a heading
  EXPECT_FALSE(s[1].quotable);  // a lead-in ...
  EXPECT_TRUE(s[1].lead_in);    // ... quoted only with what follows
  EXPECT_FALSE(s[2].quotable);  // a list fragment
  EXPECT_TRUE(s[2].list_item);
  EXPECT_TRUE(s[3].quotable);  // a list item that is a sentence
  EXPECT_TRUE(s[4].quotable);
  EXPECT_FALSE(s[5].quotable);  // a question
  EXPECT_TRUE(s[4].line_start);
  EXPECT_FALSE(s[5].line_start);
}

TEST_F(SentenceIndexTest, AnswerShapesAndStemsAreComputedOnce) {
  const auto& s = index_.sentences();
  EXPECT_EQ(s[3].shapes, static_cast<uint32_t>(kHowTo));
  EXPECT_EQ(s[4].shapes, static_cast<uint32_t>(kWhy));
  EXPECT_EQ(s[3].stems.front(), "lie");
}

TEST_F(SentenceIndexTest, StemIdsNameEachStemByOneNumber) {
  for (const IndexedSentence& s : index_.sentences()) {
    ASSERT_EQ(s.stem_ids.size(), s.stems.size());
    for (size_t k = 0; k < s.stems.size(); ++k) {
      EXPECT_EQ(s.stem_ids[k], index_.StemId(s.stems[k])) << s.stems[k];
    }
  }
  const auto& s = index_.sentences();
  EXPECT_EQ(s[2].stem_ids.back(), s[4].stem_ids[1]);  // "knee"
  EXPECT_NE(s[3].stem_ids[0], s[4].stem_ids[1]);
  const std::vector<uint32_t>& heading = index_.HeadingStemIds(0);
  ASSERT_EQ(heading.size(), index_.HeadingStems(0).size());
  EXPECT_EQ(heading.front(), index_.StemId(index_.HeadingStems(0).front()));
  EXPECT_EQ(index_.StemId("saddl"), SentenceIndex::kUnknownStem);
}

TEST_F(SentenceIndexTest, HoldingFindsStemsAndLexiconPhrases) {
  EXPECT_EQ(index_.Holding({"knee", "support"}), std::vector<uint32_t>{4});
  EXPECT_EQ(index_.Holding({"bent"}), std::vector<uint32_t>{3});
  EXPECT_TRUE(index_.Holding({"saddl"}).empty());
  // A phrase the lexicon does not list is looked for too.
  EXPECT_EQ(index_.Holding({"one", "side"}), std::vector<uint32_t>{3});
}

TEST_F(SentenceIndexTest, CorrectsSlipsButNotRealInflectedWords) {
  EXPECT_EQ(index_.Correct("kneecapp"), "kneecap");
  EXPECT_EQ(index_.Correct("stacking"), "");  // inflected: left alone
  EXPECT_EQ(index_.Correct("bend"), "");      // known, and short
  EXPECT_EQ(index_.Correct("zzzzzzz"), "");
}

}  // namespace
}  // namespace kneechat
