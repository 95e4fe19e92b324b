#include "index/passage_splitter.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "index/corpus_loader.h"
#include "services/text/text_normalize.h"
#include "services/common/paths.h"

namespace kneechat {
namespace {

using Kind = TextBlock::Kind;

const ArticleEntry kArticle{"a.txt", "doc", "A title"};

std::string Words(int n, const std::string& word = "word") {
  std::string text;
  for (int i = 0; i < n; ++i) absl::StrAppend(&text, i ? " " : "", word);
  return text + ".";
}

TEST(PassageSplitterTest, LongParagraphsStandAloneAndIdsCount) {
  const std::vector<TextBlock> blocks = {{Kind::kHeading, "Head", 1},
                                         {Kind::kParagraph, Words(40, "a"), 2},
                                         {Kind::kParagraph, Words(40, "b"), 3}};
  const std::vector<Passage> passages = SplitPassages(kArticle, blocks);
  ASSERT_EQ(passages.size(), 2u);
  EXPECT_EQ(passages[0].passage_id, "doc#1");
  EXPECT_EQ(passages[1].passage_id, "doc#2");
  EXPECT_EQ(passages[0].document_id, "doc");
  EXPECT_EQ(passages[0].title, "A title");
  EXPECT_EQ(passages[0].heading, "Head");
  EXPECT_EQ(passages[1].text, Words(40, "b"));
}

TEST(PassageSplitterTest, ShortParagraphsMergeUntilLongEnough) {
  const std::vector<TextBlock> blocks = {{Kind::kParagraph, Words(10, "a"), 1},
                                         {Kind::kParagraph, Words(10, "b"), 2},
                                         {Kind::kParagraph, Words(15, "c"), 3},
                                         {Kind::kParagraph, Words(40, "d"), 4},
                                         {Kind::kParagraph, Words(5, "e"), 5}};
  const std::vector<Passage> passages = SplitPassages(kArticle, blocks);
  ASSERT_EQ(passages.size(), 2u);
  EXPECT_EQ(passages[0].heading, "");
  EXPECT_EQ(passages[0].text,
            Words(10, "a") + "\n" + Words(10, "b") + "\n" + Words(15, "c"));
  // The short tail joins the passage before it.
  EXPECT_EQ(passages[1].text, Words(40, "d") + "\n" + Words(5, "e"));
}

TEST(PassageSplitterTest, ListStaysWithItsLeadIn) {
  const std::vector<TextBlock> blocks = {{Kind::kParagraph, Words(40, "a"), 1},
                                         {Kind::kParagraph, "It includes:", 2},
                                         {Kind::kBullet, "Cold packs", 3},
                                         {Kind::kBullet, Words(30, "b"), 4},
                                         {Kind::kBullet, "Rest", 5}};
  const std::vector<Passage> passages = SplitPassages(kArticle, blocks);
  ASSERT_EQ(passages.size(), 2u);
  EXPECT_EQ(passages[1].text,
            "It includes:\n• Cold packs\n• " + Words(30, "b") + "\n• Rest");
}

TEST(PassageSplitterTest, NeverCrossesAHeading) {
  const std::vector<TextBlock> blocks = {{Kind::kHeading, "One", 1},
                                         {Kind::kParagraph, Words(5, "a"), 2},
                                         {Kind::kHeading, "Two", 3},
                                         {Kind::kHeading, "Three", 4},
                                         {Kind::kParagraph, Words(5, "b"), 5}};
  const std::vector<Passage> passages = SplitPassages(kArticle, blocks);
  ASSERT_EQ(passages.size(), 2u);
  EXPECT_EQ(passages[0].heading, "One");
  EXPECT_EQ(passages[0].text, Words(5, "a"));
  // Of two headings in a row, the later one heads what follows.
  EXPECT_EQ(passages[1].heading, "Three");
}

TEST(PassageSplitterTest, RespectsMaxWords) {
  std::vector<TextBlock> blocks;
  for (int i = 0; i < 10; ++i) {
    blocks.push_back({Kind::kBullet, Words(25, "x"), i + 1});
  }
  SplitOptions options;
  options.max_words = 60;
  for (const Passage& passage : SplitPassages(kArticle, blocks, options)) {
    EXPECT_LE(CountWords(passage.text), 60) << passage.text;
  }
}

TEST(PassageSplitterTest, RealCorpusIdsAreStableAndWellFormed) {
  absl::StatusOr<LoadedCorpus> first =
      LoadCorpus(DefaultDataPaths().corpus_dir);
  absl::StatusOr<LoadedCorpus> second =
      LoadCorpus(DefaultDataPaths().corpus_dir);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(first->passages.size(), second->passages.size());
  std::set<std::string> ids;
  std::string document;
  int expected_number = 0;
  for (size_t i = 0; i < first->passages.size(); ++i) {
    const Passage& a = first->passages[i];
    const Passage& b = second->passages[i];
    EXPECT_EQ(a.passage_id, b.passage_id);
    EXPECT_EQ(a.heading, b.heading);
    EXPECT_EQ(a.text, b.text);
    EXPECT_TRUE(ids.insert(a.passage_id).second) << a.passage_id;
    expected_number = a.document_id == document ? expected_number + 1 : 1;
    document = a.document_id;
    EXPECT_EQ(a.passage_id, absl::StrCat(a.document_id, "#", expected_number));
    EXPECT_GE(CountWords(a.text), 3) << a.passage_id;
    EXPECT_LE(CountWords(a.text), 260) << a.passage_id;
  }
  // A few pinned passages: their ids are what citations point to.
  auto find = [&](const std::string& id) -> const Passage* {
    for (const Passage& passage : first->passages) {
      if (passage.passage_id == id) return &passage;
    }
    return nullptr;
  };
  const Passage* pfp = find("patellofemoral-pain#1");
  ASSERT_NE(pfp, nullptr);
  EXPECT_THAT(pfp->text, ::testing::StartsWith(
                             "Do you have pain “right inside” your knee?"));
  const Passage* knee_pit = find("knee-pain-during-exercise#4");
  ASSERT_NE(knee_pit, nullptr);
  EXPECT_EQ(knee_pit->heading, "Pain in the knee pit");
  const Passage* arthritis = find("what-is-knee-pain#10");
  ASSERT_NE(arthritis, nullptr);
  EXPECT_EQ(arthritis->heading, "Osteoarthritis");
}

}  // namespace
}  // namespace kneechat
