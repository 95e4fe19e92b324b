#include "services/retrieval/question_reader.h"

#include "gtest/gtest.h"

namespace kneechat {
namespace {

std::unique_ptr<QuestionReader> Reader() {
  auto reader = QuestionReader::FromLines({
      "kind\tname\tpattern",
      "question\thow_to\t\\bhow (do|can) i\\b",
      "question\twhy\t\\bwhy\\b",
      "question\tworsening\t\\bworse\\b",
      "answer\thow_to\t^(make sure|keep)",
      "answer\twhy\t\\bbecause\\b",
      "decision\tmedicine\t\\b(ibuprofen|tablets?)\\b",
      "refer\tmedicine\t\\b(with my|dose)\\b",
      "incidental\t-\tleft",
      "followup\ty\twhy",
      "focus\thow_long\t\\bhow long\\b",
      "announce\t-\t\\bseveral [a-z ]*tips\\b",
  });
  EXPECT_TRUE(reader.ok()) << reader.status();
  return *std::move(reader);
}

TEST(QuestionReaderTest, ReadsTypesAfterExpandingShortForms) {
  auto reader = Reader();
  const QuestionReading r = reader->Read("Y is it worse on stairs?");
  EXPECT_EQ(r.text, "why is it worse on stairs ?");
  EXPECT_EQ(r.types, static_cast<uint32_t>(kWhy | kWorsening));
  EXPECT_EQ(reader->Read("How do I squat?").types,
            static_cast<uint32_t>(kHowTo));
  EXPECT_EQ(reader->Read("stairs").types, 0u);
}

TEST(QuestionReaderTest, MedicinesAreDecisionsAndInteractionsAreReferred) {
  auto reader = Reader();
  QuestionReading r = reader->Read("does ibuprofen help?");
  EXPECT_EQ(r.decision, "medicine");
  EXPECT_FALSE(r.refer);
  r = reader->Read("ibuprofen ok with my water tablets?");
  EXPECT_EQ(r.decision, "medicine");
  EXPECT_TRUE(r.refer);
  // "with my" refers only within a medicine question.
  EXPECT_FALSE(reader->Read("can I run with my dog?").refer);
}

TEST(QuestionReaderTest, AnswerShapesAndIncidentalWords) {
  auto reader = Reader();
  EXPECT_EQ(reader->AnswerShapes("Make sure your knees point over the toes."),
            static_cast<uint32_t>(kHowTo));
  EXPECT_EQ(reader->AnswerShapes("It hurts because the tendon is irritated."),
            static_cast<uint32_t>(kWhy));
  EXPECT_TRUE(reader->IsIncidental("left"));
  EXPECT_FALSE(reader->IsIncidental("tendon"));
}

TEST(QuestionReaderTest, ThePointOfAQuestionIsOneOfItsTypes) {
  auto reader = Reader();
  const QuestionReading r = reader->Read("how long before I can run?");
  EXPECT_EQ(r.focus, static_cast<uint32_t>(kHowLong));
  EXPECT_NE(r.types & kHowLong, 0u);
  EXPECT_EQ(reader->Read("how do I run?").focus, 0u);
}

TEST(QuestionReaderTest, SentencesThatAnnounceTheNextOne) {
  auto reader = Reader();
  EXPECT_TRUE(reader->Announces("There are several easy tips for this."));
  EXPECT_FALSE(reader->Announces("Lift one leg at a time."));
}

TEST(QuestionReaderTest, RejectsUnknownKindsTypesAndBadPatterns) {
  EXPECT_FALSE(QuestionReader::FromLines({"question\tsideways\tx"}).ok());
  EXPECT_FALSE(QuestionReader::FromLines({"guess\twhy\tx"}).ok());
  EXPECT_FALSE(QuestionReader::FromLines({"answer\twhy\t(unclosed"}).ok());
  EXPECT_FALSE(QuestionReader::FromLines({"answer\twhy"}).ok());
  EXPECT_FALSE(QuestionReader::FromLines({"focus\tsideways\tx"}).ok());
}

}  // namespace
}  // namespace kneechat
