#include "services/retrieval/answer_finder.h"

#include "gtest/gtest.h"

namespace kneechat {
namespace {

PassageHit Passage(const std::string& doc, int n, const std::string& heading,
                   const std::string& text) {
  PassageHit p;
  p.document_id = doc;
  p.passage_id = doc + "#" + std::to_string(n);
  p.title = "About " + doc;
  p.heading = heading;
  p.text = text;
  return p;
}

class AnswerFinderTest : public ::testing::Test {
 protected:
  AnswerFinderTest()
      : analyzer_(*Lexicon::FromLines({"painkillers\tibuprofen\tanti "
                                       "inflammatory",
                                       "squats\tsquats\tsquat\tknee bends"}),
                  {"a",    "do",     "does", "how",  "i",    "is",  "it",
                   "my",   "should", "the",  "what", "when", "why", "with",
                   "can",  "and",    "not",  "only", "on",   "of",  "to",
                   "your", "you",    "are",  "over"},
                  {"knee", "knees", "pain", "hurt", "help"}) {
    auto reader = QuestionReader::FromLines({
        "question\thow_to\t\\bhow (do|can|should) i\\b",
        "question\twhy\t\\bwhy\\b",
        "answer\thow_to\t^(make sure|keep|lie|lift)",
        "answer\twhy\t\\b(because|due to)\\b",
        "decision\tmedicine\t\\b(ibuprofen|tablets?)\\b",
        "refer\tmedicine\t\\b(alongside|with my)\\b",
        "incidental\t-\tleft",
        "incidental\t-\tright",
    });
    finder_ = std::make_unique<AnswerFinder>(
        std::vector<PassageHit>{
            Passage("squats", 1, "Knee bends",
                    "Knee bends are popular exercises that are easy to get "
                    "wrong. Make sure that your knees point straight out over "
                    "the toes and do not point inwards."),
            Passage("hips", 1, "Hip Exercises",
                    "Hip Exercises To Relieve Knee Pain\n"
                    "• When you bend your knee to squat\n"
                    "• Lie on one side with your knees bent and your legs "
                    "stacked.\n"
                    "• Lift the left leg slowly, then the right one."),
            Passage("drugs", 1, "Relieving pain",
                    "Rest, ice and anti-inflammatory drugs are commonly used "
                    "to relieve pain. Our bodies function like machines, and "
                    "stretching keeps them supple."),
            Passage("load", 1, "Load",
                    "Tendons adapt to load over weeks of training. This is "
                    "why a sudden increase in running hurts: the tendon has "
                    "not had time to adapt."),
        },
        analyzer_, *std::move(reader));
  }

  FoundAnswer Find(const std::string& question) const {
    return finder_->Find(question, AnswerContext());
  }

  QueryAnalyzer analyzer_;
  std::unique_ptr<AnswerFinder> finder_;
};

TEST_F(AnswerFinderTest, QuotesTheSentenceThatAnswersNotTheFirst) {
  const FoundAnswer a = Find("how should I point my knees when I squat?");
  ASSERT_EQ(a.verdict, AnswerVerdict::kAnswered);
  ASSERT_FALSE(a.quotes.empty());
  EXPECT_EQ(a.quotes[0].passage.passage_id, "squats#1");
  EXPECT_EQ(a.quotes[0].excerpt.rfind("Make sure", 0), 0u)
      << a.quotes[0].excerpt;
}

TEST_F(AnswerFinderTest, NeverQuotesHeadingsFragmentsOrBulletMarks) {
  const FoundAnswer a = Find("how can i work my hips when lying on the floor?");
  ASSERT_EQ(a.verdict, AnswerVerdict::kAnswered);
  for (const QuotedSentences& q : a.quotes) {
    EXPECT_NE(q.excerpt, "Hip Exercises To Relieve Knee Pain");
    EXPECT_EQ(q.excerpt.find("When you bend"), std::string::npos);
    EXPECT_EQ(q.excerpt.find("\xE2\x80\xA2"), std::string::npos);
  }
  EXPECT_EQ(a.quotes[0].excerpt.rfind("Lie on one side", 0), 0u)
      << a.quotes[0].excerpt;
}

TEST_F(AnswerFinderTest, AddsTheSentenceThatCarriesTheAnswerOn) {
  const FoundAnswer a = Find("do tendons adapt to training load?");
  ASSERT_EQ(a.verdict, AnswerVerdict::kAnswered);
  EXPECT_NE(a.quotes[0].excerpt.find("This is why"), std::string::npos)
      << a.quotes[0].excerpt;
}

TEST_F(AnswerFinderTest, AQuestionWhoseMainWordNoArticleHoldsIsNotCovered) {
  const FoundAnswer a = Find("could a vibration machine ease it?");
  EXPECT_EQ(a.verdict, AnswerVerdict::kNotCovered) << a.best_score;
}

TEST_F(AnswerFinderTest, InteractionsGoToAProfessional) {
  const FoundAnswer a =
      Find("ibuprofen alongside my heart pills, any problem?");
  EXPECT_EQ(a.verdict, AnswerVerdict::kProfessional);
  EXPECT_EQ(a.reading.decision, "medicine");
  const FoundAnswer b = Find("does ibuprofen help?");
  EXPECT_EQ(b.verdict, AnswerVerdict::kAnswered) << b.best_score;
}

TEST_F(AnswerFinderTest, WordsNoArticleHoldsAreUnrelated) {
  EXPECT_EQ(Find("banana bread recipe").verdict, AnswerVerdict::kUnrelated);
}

TEST_F(AnswerFinderTest, ATypingSlipStillFindsTheWord) {
  const FoundAnswer a = Find("does stretchng help?");
  ASSERT_EQ(a.verdict, AnswerVerdict::kAnswered);
  EXPECT_NE(a.quotes[0].excerpt.find("stretching"), std::string::npos);
}

TEST_F(AnswerFinderTest, IncidentalWordsDoNotMakeAnAnswer) {
  // "left" and "right" are all this question shares with the hip passage.
  const FoundAnswer a = Find("why the left and not the right?");
  EXPECT_NE(a.verdict, AnswerVerdict::kAnswered);
}

TEST_F(AnswerFinderTest, ALongMessageIsReadByItsStart) {
  std::string question = "how should I point my knees when I squat?";
  for (int i = 0; i < 600; ++i) question += " blah";
  const FoundAnswer a = Find(question);
  ASSERT_EQ(a.verdict, AnswerVerdict::kAnswered);
  EXPECT_EQ(a.quotes[0].passage.passage_id, "squats#1");
}

// Passages built for one mechanism each: an announcement and what it
// announces, a comparison, and a question whose point is "who".
class AnswerShapeTest : public ::testing::Test {
 protected:
  AnswerShapeTest()
      : analyzer_(
            *Lexicon::FromLines({"squats\tsquats\tsquat"}),
            {"a",    "do",  "does", "how",   "i",   "is",   "it",   "my", "the",
             "what", "why", "who",  "could", "can", "more", "than", "to", "and",
             "for",  "you", "your", "with",  "on",  "of",   "at"},
            {"knee", "knees", "pain", "hurt"}) {
    auto reader = QuestionReader::FromLines({
        "question\thow_to\t\\bhow (do|can) i\\b",
        "question\twhy\t\\bwhy\\b",
        "question\tsee_someone\t\\bwho\\b",
        "focus\tsee_someone\t^who\\b",
        "question\thow_long\t\\bhow long\\b",
        "focus\thow_long\t\\bhow long\\b",
        "frame\t-\t\\bhow long\\b",
        "answer\thow_long\t\\b\\d+ weeks\\b",
        "answer\thow_often\t\\b\\d+ times\\b",
        "answer\thow_to\t^(lift|keep)",
        "answer\twhy\t\\b(because|strains)\\b",
        "answer\tsee_someone\t\\b(personal trainer|physiotherapist)\\b",
        "announce\t-\t\\bseveral [a-z ]*exercises\\b",
        "incidental\t-\tjudge",
    });
    finder_ = std::make_unique<AnswerFinder>(
        std::vector<PassageHit>{
            Passage("walking", 1, "Walking",
                    "Walking hurts less because walking keeps the knee "
                    "straight and the load low."),
            Passage("squats", 1, "Squats",
                    "Squats press the kneecap hard because the knee bends "
                    "deeply under load."),
            Passage("chair", 1, "At home",
                    "There are several easy exercises that make thighs "
                    "stronger. One is done sitting on a chair with your "
                    "back straight."),
            Passage("rowing", 1, "Rowing",
                    "Row gently for ten minutes, then stop and rest the "
                    "knee. Pull the handle 20 times between rests."),
            Passage("rowing", 2, "Back to rowing",
                    "Most people row hard again within 6 weeks."),
            Passage("technique", 1, "Technique",
                    "Poor squat technique strains the kneecap and the thigh. "
                    "A personal trainer can look at it for you."),
        },
        analyzer_, *std::move(reader));
  }

  FoundAnswer Find(const std::string& question) const {
    return finder_->Find(question, AnswerContext());
  }

  QueryAnalyzer analyzer_;
  std::unique_ptr<AnswerFinder> finder_;
};

TEST_F(AnswerShapeTest, AnAnnouncementIsQuotedWithWhatItAnnounces) {
  const FoundAnswer a = Find("how can i make my thighs stronger?");
  ASSERT_EQ(a.verdict, AnswerVerdict::kAnswered);
  EXPECT_EQ(a.quotes[0].passage.passage_id, "chair#1");
  EXPECT_NE(a.quotes[0].excerpt.find("on a chair"), std::string::npos)
      << a.quotes[0].excerpt;
}

TEST_F(AnswerShapeTest, WhatAQuestionComparesWithWeighsLittle) {
  // Both sentences give a cause; the question is about squats, not walking.
  const FoundAnswer a = Find("why do squats hurt more than walking?");
  ASSERT_EQ(a.verdict, AnswerVerdict::kAnswered);
  EXPECT_EQ(a.quotes[0].passage.passage_id, "squats#1") << a.quotes[0].excerpt;
}

TEST_F(AnswerShapeTest, AWhoQuestionIsAnsweredWithAPerson) {
  // The first sentence holds the question's words, the second answers it.
  const FoundAnswer a = Find("who could judge my squat technique?");
  ASSERT_EQ(a.verdict, AnswerVerdict::kAnswered);
  EXPECT_EQ(a.reading.focus, static_cast<uint32_t>(kSeeSomeone));
  EXPECT_NE(a.quotes[0].excerpt.find("personal trainer"), std::string::npos)
      << a.quotes[0].excerpt;
}

TEST_F(AnswerShapeTest, AHowLongQuestionIsAnsweredWithADurationNotACount) {
  const FoundAnswer a = Find("how long before I can row hard?");
  ASSERT_EQ(a.verdict, AnswerVerdict::kAnswered);
  EXPECT_EQ(a.reading.focus, static_cast<uint32_t>(kHowLong));
  EXPECT_EQ(a.quotes[0].passage.passage_id, "rowing#2") << a.quotes[0].excerpt;
}

TEST_F(AnswerShapeTest, APersonAloneDoesNotAnswerAWhoQuestion) {
  // Nothing about saddles: naming a person is not enough.
  EXPECT_NE(Find("who could adjust my saddle?").verdict,
            AnswerVerdict::kAnswered);
}

}  // namespace
}  // namespace kneechat
