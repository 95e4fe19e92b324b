#include "services/retrieval/lexicon.h"

#include <xapian.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/paths.h"

namespace kneechat {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Stems(const std::vector<std::string>& words) {
  Xapian::Stem stem("en");
  std::vector<std::string> stems;
  for (const std::string& word : words) stems.push_back(stem(word));
  return stems;
}

TEST(LexiconTest, MatchesTheLongestTypedPhrase) {
  absl::StatusOr<Lexicon> lexicon = Lexicon::FromLines(
      {"kneecap\tkneecap\tknee cap\tpatella",
       "runners_knee\trunner's knee\tpatellofemoral pain\t[kneecap pain]"});
  ASSERT_TRUE(lexicon.ok()) << lexicon.status();
  const std::vector<std::string> query =
      Stems({"my", "runners", "knee", "and", "knee", "caps"});
  size_t length = 0;
  EXPECT_TRUE(lexicon->MatchAt(query, 0, &length).empty());
  EXPECT_EQ(length, 0u);
  std::vector<const LexiconGroup*> groups = lexicon->MatchAt(query, 1, &length);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0]->concept_id, "runners_knee");
  EXPECT_EQ(length, 2u);
  groups = lexicon->MatchAt(query, 4, &length);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0]->concept_id, "kneecap");
  EXPECT_EQ(length, 2u);
}

TEST(LexiconTest, SearchOnlyPhrasesAreNotTriggers) {
  absl::StatusOr<Lexicon> lexicon =
      Lexicon::FromLines({"it_band\tit band\tiliotibial\t[running knee]"});
  ASSERT_TRUE(lexicon.ok()) << lexicon.status();
  size_t length = 0;
  EXPECT_TRUE(lexicon->MatchAt(Stems({"running", "knee"}), 0, &length).empty());
  ASSERT_EQ(lexicon->groups().size(), 1u);
  const LexiconGroup& group = lexicon->groups()[0];
  ASSERT_EQ(group.phrases.size(), 3u);
  EXPECT_TRUE(group.phrases[2].search_only);
  EXPECT_THAT(group.phrases[2].stems, ElementsAre("run", "knee"));
}

TEST(LexiconTest, RejectsMalformedLines) {
  EXPECT_EQ(Lexicon::FromLines({"lonely\tone phrase"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Lexicon::FromLines({"a\tx\ty", "a\tz\tw"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::Status status = Lexicon::FromLines({"a\tx\t[ ! ]"}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr(":1:"));
}

TEST(LexiconTest, LoadsTheCorpusLexicon) {
  absl::StatusOr<Lexicon> lexicon =
      Lexicon::Load(DefaultDataPaths().corpus_dir + "/lexicon.tsv");
  ASSERT_TRUE(lexicon.ok()) << lexicon.status();
  EXPECT_GE(lexicon->groups().size(), 14u);
  absl::Status missing = Lexicon::Load("/nonexistent/lexicon.tsv").status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.message(), HasSubstr("/nonexistent/lexicon.tsv"));
}

}  // namespace
}  // namespace kneechat
