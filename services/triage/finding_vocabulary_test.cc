#include "services/triage/finding_vocabulary.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kneechat {
namespace {

using ::testing::HasSubstr;

TEST(FindingVocabularyTest, ParsesIdsSkippingCommentsAndHeader) {
  auto ids = ParseFindingIds(
      "# "
      "comment\nid\tgroup\tmeaning\nhot\tjoint\twarm\nfever\tsystemic\ttemp\n",
      "f.tsv");
  ASSERT_TRUE(ids.ok()) << ids.status();
  EXPECT_EQ(*ids, (std::set<std::string>{"hot", "fever"}));
}

TEST(FindingVocabularyTest, RejectsDuplicatesAndMalformedLines) {
  EXPECT_THAT(
      ParseFindingIds("hot\tj\tm\nhot\tj\tm\n", "f.tsv").status().message(),
      HasSubstr("f.tsv:2: duplicate finding id 'hot'"));
  EXPECT_THAT(ParseFindingIds("Hot Knee\tj\n", "f.tsv").status().message(),
              HasSubstr("f.tsv:1:"));
}

TEST(FindingVocabularyTest, LoadsTheProjectVocabulary) {
  auto ids = LoadFindingIds(std::string(KNEECHAT_SOURCE_DIR) +
                            "/corpus/understanding/findings.tsv");
  ASSERT_TRUE(ids.ok()) << ids.status();
  EXPECT_GT(ids->size(), 40u);
  EXPECT_EQ(ids->count("cant_weight_bear"), 1u);
}

}  // namespace
}  // namespace kneechat
