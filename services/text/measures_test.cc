// Durations, ages and temperatures, through the public Tokenize().
#include <cmath>
#include <optional>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"
#include "services/text/tokenizer.h"

namespace kneechat {
namespace {

std::optional<Measure> First(std::string_view text, MeasureKind kind) {
  auto t = Tokenize(text);
  EXPECT_TRUE(t.ok()) << t.status();
  if (!t.ok()) return std::nullopt;
  for (const Measure& m : t->measures) {
    if (m.kind == kind) return m;
  }
  return std::nullopt;
}

struct DurationCase {
  const char* text;
  double days;
  DurationAnchor anchor;
};

void PrintTo(const DurationCase& c, std::ostream* os) { *os << c.text; }

class TextDurationTest : public ::testing::TestWithParam<DurationCase> {};

TEST_P(TextDurationTest, ReadsDays) {
  const DurationCase& c = GetParam();
  auto m = First(c.text, MeasureKind::kDuration);
  ASSERT_TRUE(m.has_value()) << c.text;
  EXPECT_NEAR(m->value, c.days, 1e-6) << c.text;
  EXPECT_EQ(m->anchor, c.anchor) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Phrasings, TextDurationTest,
    ::testing::Values(
        DurationCase{"3 weeks", 21, DurationAnchor::kBare},
        DurationCase{"for six months", 180, DurationAnchor::kFor},
        DurationCase{"a couple of days", 2, DurationAnchor::kBare},
        DurationCase{"since yesterday", 1, DurationAnchor::kSince},
        DurationCase{"since yday", 1, DurationAnchor::kSince},
        DurationCase{"since lst nite", 1, DurationAnchor::kSince},
        DurationCase{"started yesterday", 1, DurationAnchor::kAgo},
        DurationCase{"for about 3 hours", 0.125, DurationAnchor::kFor},
        DurationCase{"twenty one days now", 21, DurationAnchor::kFor},
        DurationCase{"2 days ago", 2, DurationAnchor::kAgo},
        DurationCase{"2-3 weeks", 21, DurationAnchor::kBare},
        DurationCase{"a week and a half", 10.5, DurationAnchor::kBare},
        DurationCase{"one and a half weeks", 10.5, DurationAnchor::kBare},
        DurationCase{"a day or two", 2, DurationAnchor::kBare},
        DurationCase{"3wks", 21, DurationAnchor::kBare},
        DurationCase{"the past fortnight", 14, DurationAnchor::kFor},
        DurationCase{"a few weeks", 21, DurationAnchor::kBare},
        DurationCase{"since last week", 7, DurationAnchor::kSince},
        DurationCase{"for the last month", 30, DurationAnchor::kFor},
        DurationCase{"since this morning", 0, DurationAnchor::kSince},
        DurationCase{"for the first couple of days", 2,
                     DurationAnchor::kWithin},
        DurationCase{"the first 2 weeks", 14, DurationAnchor::kWithin},
        DurationCase{"for ages", 180, DurationAnchor::kVague},
        DurationCase{"a long time", 180, DurationAnchor::kVague},
        DurationCase{"for months", 60, DurationAnchor::kVague},
        DurationCase{"half an hour", 1.0 / 48, DurationAnchor::kBare},
        DurationCase{"the day before yesterday", 2, DurationAnchor::kAgo},
        DurationCase{"been like this a month", 30, DurationAnchor::kFor}));

// A range counts its upper end and keeps its lower end ("when did it
// happen?" reads the lower, the safe side); a single time has both alike.
TEST(TextDurationTest, ARangeKeepsBothEnds) {
  for (const auto& [text, low, high] :
       std::vector<std::tuple<const char*, double, double>>{
           {"a week or two", 7, 14},
           {"6-8 days ago", 6, 8},
           {"2 to 3 weeks ago", 14, 21},
           {"one or two weeks", 7, 14},
           {"three weeks ago", 21, 21},
           {"a week and a half", 10.5, 10.5}}) {
    auto m = First(text, MeasureKind::kDuration);
    ASSERT_TRUE(m.has_value()) << text;
    EXPECT_NEAR(m->low, low, 1e-6) << text;
    EXPECT_NEAR(m->value, high, 1e-6) << text;
  }
}

TEST(TextDurationTest, FrequencyIsNotDuration) {
  EXPECT_FALSE(First("I run 5 days a week", MeasureKind::kDuration));
}

struct ValueCase {
  const char* text;
  double value;
};

void PrintTo(const ValueCase& c, std::ostream* os) { *os << c.text; }

class TextAgeTest : public ::testing::TestWithParam<ValueCase> {};

TEST_P(TextAgeTest, ReadsYears) {
  auto m = First(GetParam().text, MeasureKind::kAge);
  ASSERT_TRUE(m.has_value()) << GetParam().text;
  EXPECT_EQ(m->value, GetParam().value) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Phrasings, TextAgeTest,
    ::testing::Values(
        ValueCase{"I'm 67", 67}, ValueCase{"67 yo", 67},
        ValueCase{"67yo female", 67}, ValueCase{"67 years old", 67},
        ValueCase{"a 67-year-old", 67}, ValueCase{"aged 67", 67},
        ValueCase{"62 here, both knees", 62},
        ValueCase{"im 24, recently began couch to 5k", 24},
        ValueCase{"I am forty five", 45}, ValueCase{"my 15 yo son", 15},
        ValueCase{"age: 31", 31}, ValueCase{"in my 40s", 45},
        ValueCase{"in her late sixties", 68}, ValueCase{"just turned 55", 55},
        ValueCase{"mid 40s", 45}, ValueCase{"shes 13", 13},
        ValueCase{"my son is 9", 9}, ValueCase{"dad's 78, he had a fall", 78},
        ValueCase{"my nana is 90", 90}, ValueCase{"my daughter (7) fell", 7},
        ValueCase{"my grandad, 81, tripped", 81},
        ValueCase{"coach of an under-10s team", 9},
        ValueCase{"he plays for the under 12s", 11},
        ValueCase{"an under 14 player", 13}, ValueCase{"my son 5", 5},
        ValueCase{"my daughter 7, limping", 7},
        ValueCase{"Hello, I have 58 years. Yesterday I fall", 58},
        ValueCase{"My daughter Hodan is 4 years. She limps", 4},
        ValueCase{"I am 70 years, the knee is bad", 70},
        ValueCase{"my son Kacper, 13 years, have pain", 13},
        ValueCase{"15M, knee aching for weeks", 15},
        ValueCase{"27 f here, sore kneecap", 27},
        ValueCase{"knee ache, 13, play a lot of netball", 13},
        ValueCase{"Fell again today. 74. Walking on it as usual", 74},
        ValueCase{"writing for my mum who is 84", 84}));

TEST(TextAgeTest, NotAges) {
  EXPECT_FALSE(First("y.o. 50", MeasureKind::kAge));
  EXPECT_FALSE(First("I'm 6 weeks pregnant", MeasureKind::kAge));
  EXPECT_FALSE(First("im 6 foot", MeasureKind::kAge));
  EXPECT_FALSE(First("im 8/10 pain", MeasureKind::kAge));
  EXPECT_FALSE(First("done 62 squats here", MeasureKind::kAge));
  EXPECT_FALSE(First("I have 3 kids", MeasureKind::kAge));
  EXPECT_FALSE(First("back in the 90s", MeasureKind::kAge));
  EXPECT_FALSE(First("pain is 8 out of 10", MeasureKind::kAge));
  EXPECT_FALSE(First("my sons 3 weeks into training", MeasureKind::kAge));
  EXPECT_FALSE(First("my son, 3 weeks ago, fell", MeasureKind::kAge));
  EXPECT_FALSE(First("under 10 minutes of walking", MeasureKind::kAge));
  EXPECT_FALSE(First("I ran under 25 today", MeasureKind::kAge));
  EXPECT_FALSE(First("I have 2 years of knee pain", MeasureKind::kAge));
  EXPECT_FALSE(First("my son 5 days ago fell", MeasureKind::kAge));
  EXPECT_FALSE(First("jogged 15m then it twinged", MeasureKind::kAge));
  EXPECT_FALSE(First("3 sets, 10, 12 reps", MeasureKind::kAge));
  EXPECT_FALSE(First("pain, 7, 8 out of 10", MeasureKind::kAge));
  EXPECT_FALSE(First("fell on the ice this morning, pain, 9, walking fine",
                     MeasureKind::kAge));
  EXPECT_FALSE(First("pain is about, 7, out of 10", MeasureKind::kAge));
  EXPECT_FALSE(First("squats, 12, reps", MeasureKind::kAge));
  EXPECT_FALSE(
      First("walked to the shops and back this morning, 20, then "
            "it ached",
            MeasureKind::kAge));
  EXPECT_FALSE(First("Reps per set: 45. Then it hurt", MeasureKind::kAge));
  EXPECT_FALSE(First("Pain out of 100? 70. Worse at night", MeasureKind::kAge));
  EXPECT_FALSE(First("Had a fever last night. 101.", MeasureKind::kAge));
  EXPECT_FALSE(
      First("I did the knee score questionnaire again today, 70, much better",
            MeasureKind::kAge));
  EXPECT_FALSE(
      First("Sore at night. Fifty-odd years of farming", MeasureKind::kAge));
  EXPECT_FALSE(
      First("Bad knee, 60, 70 metres and it aches", MeasureKind::kAge));
  EXPECT_FALSE(
      First("Knee went. 45 minutes later it swelled", MeasureKind::kAge));
  EXPECT_FALSE(First("How many squats? 30. Then it hurt", MeasureKind::kAge));
  EXPECT_FALSE(First("60m, and my knee popped", MeasureKind::kAge));
  EXPECT_FALSE(First("I ran the 100m, then it went", MeasureKind::kAge));
}

class TextTemperatureTest : public ::testing::TestWithParam<ValueCase> {};

TEST_P(TextTemperatureTest, ReadsCelsius) {
  auto m = First(GetParam().text, MeasureKind::kTemperature);
  ASSERT_TRUE(m.has_value()) << GetParam().text;
  EXPECT_NEAR(m->value, GetParam().value, 0.05) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Phrasings, TextTemperatureTest,
    ::testing::Values(
        ValueCase{"temperature was 38.9 earlier today", 38.9},
        ValueCase{"39C", 39}, ValueCase{"39 °C", 39},
        ValueCase{"temp of 38", 38}, ValueCase{"101F", 38.33},
        ValueCase{"fever of 102", 38.89}, ValueCase{"temperature: 37", 37},
        ValueCase{"about 38 degrees", 38}, ValueCase{"it says 37.2", 37.2},
        ValueCase{"he was flushed last night, 38 and a bit", 38.1},
        ValueCase{"she was shivery at bedtime, 39 point something", 39.1}));

TEST(TextTemperatureTest, NotTemperatures) {
  EXPECT_FALSE(First("I'm 38", MeasureKind::kTemperature));
  EXPECT_FALSE(First("38 steps", MeasureKind::kTemperature));
  EXPECT_FALSE(First("it's a 40 degree room", MeasureKind::kTemperature));
  EXPECT_FALSE(First("got a race in five weeks", MeasureKind::kDuration));
  EXPECT_TRUE(First("sore for five weeks", MeasureKind::kDuration));
  EXPECT_EQ(First("my daughter 7 years has pain", MeasureKind::kAge)->value, 7);
  EXPECT_EQ(First("one of our 4-year-olds limps", MeasureKind::kAge)->value, 4);
  EXPECT_FALSE(First("my knee 7 years has hurt", MeasureKind::kAge));
  EXPECT_FALSE(First("played in 38 degree heat", MeasureKind::kTemperature));
  EXPECT_FALSE(First("the sauna was 39 degrees", MeasureKind::kTemperature));
  EXPECT_TRUE(First("temp was 39 degrees", MeasureKind::kTemperature));
  EXPECT_FALSE(First("38.5 hours", MeasureKind::kTemperature));
  EXPECT_FALSE(First("temp 500", MeasureKind::kTemperature));
  EXPECT_FALSE(First("stuck at 45 degrees", MeasureKind::kTemperature));
  EXPECT_FALSE(First("can only bend it 90 degrees", MeasureKind::kTemperature));
  // "and a bit" that does not end the clause, or after the writer's age.
  EXPECT_FALSE(First("I'm 38 and a bit overweight", MeasureKind::kTemperature));
  EXPECT_FALSE(
      First("I'm 38 and a bit, knee hurts", MeasureKind::kTemperature));
  EXPECT_EQ(First("I'm 38 and a bit, knee hurts", MeasureKind::kAge)->value,
            38);
  EXPECT_FALSE(First("ran 38 and a bit miles", MeasureKind::kTemperature));
  EXPECT_FALSE(First("she's 4 and a bit", MeasureKind::kTemperature));
  // Without a word for a body running hot, a number and a bit is not one.
  EXPECT_FALSE(First("BMI 40 and a bit", MeasureKind::kTemperature));
  EXPECT_FALSE(First("he's 38 and a bit", MeasureKind::kTemperature));
  EXPECT_FALSE(First("hot knee, she's 39 point something weeks pregnant",
                     MeasureKind::kTemperature));
}

TEST(TextMeasuresTest, SeveralInOneMessage) {
  auto t = Tokenize("im 67, had it for 3 weeks and temp is 38.2");
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->measures.size(), 3u);
  EXPECT_EQ(t->measures[0].kind, MeasureKind::kAge);
  EXPECT_EQ(t->measures[1].kind, MeasureKind::kDuration);
  EXPECT_EQ(t->measures[2].kind, MeasureKind::kTemperature);
  EXPECT_LE(t->measures[0].last_token, t->measures[1].first_token);
}

}  // namespace
}  // namespace kneechat
