#include "services/retrieval/searcher.h"

#include <unistd.h>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/limits.h"
#include "services/common/paths.h"

namespace kneechat {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class SearcherTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const DataPaths paths = DefaultDataPaths();
    absl::StatusOr<std::unique_ptr<Searcher>> searcher =
        Searcher::Open(paths.index_dir, paths.corpus_dir);
    ASSERT_TRUE(searcher.ok()) << searcher.status();
    searcher_ = searcher->release();
  }
  static void TearDownTestSuite() { delete searcher_; }

  static std::vector<PassageHit> Search(const std::string& query, int limit = 5,
                                        double min_coverage = 0) {
    SearchOptions options;
    options.limit = limit;
    options.min_coverage = min_coverage;
    absl::StatusOr<std::vector<PassageHit>> hits =
        searcher_->Search(query, options);
    EXPECT_TRUE(hits.ok()) << hits.status();
    return hits.ok() ? *hits : std::vector<PassageHit>();
  }

  static std::vector<std::string> Ids(const std::vector<PassageHit>& hits) {
    std::vector<std::string> ids;
    for (const PassageHit& hit : hits) ids.push_back(hit.passage_id);
    return ids;
  }

  static Searcher* searcher_;
};

Searcher* SearcherTest::searcher_ = nullptr;

TEST_F(SearcherTest, RejectsBadQueriesAndOptions) {
  const SearchOptions options;
  EXPECT_EQ(searcher_->Search("", options).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      searcher_->Search(std::string(kMaxRetrievalQueryBytes + 1, 'a'), options)
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(
      searcher_->Search(std::string(kMaxRetrievalQueryBytes, 'a'), options)
          .ok());
  EXPECT_EQ(searcher_->Search("knee \xff\xfe", options).status().code(),
            absl::StatusCode::kInvalidArgument);
  SearchOptions bad_limit;
  bad_limit.limit = 0;
  EXPECT_EQ(searcher_->Search("knee", bad_limit).status().code(),
            absl::StatusCode::kInvalidArgument);
  SearchOptions bad_coverage;
  bad_coverage.min_coverage = 1.5;
  EXPECT_EQ(searcher_->Search("knee", bad_coverage).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(SearcherTest, NothingForNonsenseOffTopicOrEmptyQueries) {
  EXPECT_THAT(Search("banana bread recipe"), IsEmpty());
  EXPECT_THAT(Search("xyzzy plugh"), IsEmpty());
  EXPECT_THAT(Search("what is it?"), IsEmpty());
  EXPECT_THAT(Search("!!! ???"), IsEmpty());
  // Nothing of the question's substance is in the articles.
  EXPECT_THAT(Search("chest pain"), IsEmpty());
  EXPECT_THAT(Search("inversion table for knees"), IsEmpty());
  for (const PassageHit& hit : Search("cellulite above the knees you might like")) {
    EXPECT_THAT(absl::AsciiStrToLower(hit.text),
                ::testing::Not(HasSubstr("cellulite")));
  }
}

TEST_F(SearcherTest, HitsCarryPassagesScoresAndCoverage) {
  const std::vector<PassageHit> hits = Search("knee brace");
  ASSERT_FALSE(hits.empty());
  EXPECT_LE(hits.size(), 5u);
  for (size_t i = 0; i < hits.size(); ++i) {
    const PassageHit& hit = hits[i];
    EXPECT_FALSE(hit.document_id.empty());
    EXPECT_FALSE(hit.title.empty());
    EXPECT_FALSE(hit.text.empty());
    EXPECT_GT(hit.score, 0);
    EXPECT_GT(hit.percent, 0);
    EXPECT_LE(hit.percent, 100);
    EXPECT_GE(hit.coverage, 0);
    EXPECT_LE(hit.coverage, 1);
    for (size_t j = 0; j < i; ++j) {
      // Among hits that cover the question equally, BM25 decides.
      if (hits[j].coverage == hit.coverage) EXPECT_LE(hit.score, hits[j].score);
      // A better-covered hit never ranks below a weaker one that scores less.
      if (hit.coverage > hits[j].coverage) EXPECT_LT(hit.score, hits[j].score);
    }
    absl::StatusOr<PassageHit> same = searcher_->GetPassage(hit.passage_id);
    ASSERT_TRUE(same.ok());
    EXPECT_EQ(same->text, hit.text);
  }
  EXPECT_EQ(hits[0].coverage, 1);
  EXPECT_THAT(absl::AsciiStrToLower(hits[0].text), HasSubstr("brace"));
}

TEST_F(SearcherTest, SynonymsFindPassagesWithoutTheTypedWords) {
  // "popliteal" never occurs in the articles; the lexicon knows it as the
  // knee pit.
  const std::vector<PassageHit> hits = Search("popliteal pain", 3);
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].document_id, "knee-pain-during-exercise");
  EXPECT_THAT(hits[0].text, HasSubstr("knee pit"));
  EXPECT_EQ(hits[0].coverage, 1);
  // "ITB" occurs nowhere either, so its synonyms carry the full weight.
  const std::vector<PassageHit> itb = Search("ITB syndrome", 1);
  ASSERT_EQ(itb.size(), 1u);
  EXPECT_THAT(itb[0].text, HasSubstr("outside of the knee"));
}

TEST_F(SearcherTest, CoverageTellsWeakMatchesApart) {
  // Half of this question ("zumba") is not in the articles.
  const std::vector<PassageHit> weak = Search("knee brace for zumba");
  ASSERT_FALSE(weak.empty());
  for (const PassageHit& hit : weak) EXPECT_LE(hit.coverage, 0.5);
  EXPECT_THAT(Search("knee brace for zumba", 5, 0.75), IsEmpty());
  for (const PassageHit& hit :
       Search("overstrained knee inflammation rest", 5, 0.6)) {
    EXPECT_GE(hit.coverage, 0.6);
  }
  EXPECT_EQ(Search("overstrained knee inflammation rest", 1)[0].coverage, 1);
}

TEST_F(SearcherTest, RespectsTheLimit) {
  EXPECT_EQ(Search("knee pain running", 2).size(), 2u);
  EXPECT_EQ(Search("knee pain running", 1).size(), 1u);
}

TEST_F(SearcherTest, GetPassageAndAllPassages) {
  EXPECT_EQ(searcher_->GetPassage("no-such-doc#1").status().code(),
            absl::StatusCode::kNotFound);
  absl::StatusOr<std::vector<PassageHit>> all = searcher_->AllPassages();
  ASSERT_TRUE(all.ok());
  ASSERT_GT(all->size(), 50u);
  EXPECT_EQ((*all)[0].passage_id, "what-is-knee-pain#1");
  EXPECT_EQ(all->back().document_id, "cure-knee-pain-from-running");
  for (const PassageHit& passage : *all) {
    absl::StatusOr<PassageHit> same = searcher_->GetPassage(passage.passage_id);
    ASSERT_TRUE(same.ok()) << passage.passage_id;
    EXPECT_EQ(same->heading, passage.heading);
  }
}

TEST_F(SearcherTest, ConcurrentSearchesGiveTheSameResults) {
  const std::vector<std::string> queries = {"knee brace",
                                            "runner's knee",
                                            "pain in the knee pit",
                                            "good running shoes",
                                            "osteoarthritis symptoms",
                                            "banana bread recipe",
                                            "squats hurt my knees",
                                            "IT band outside of the knee"};
  std::vector<std::vector<std::string>> expected;
  for (const std::string& query : queries)
    expected.push_back(Ids(Search(query)));

  constexpr int kThreads = 8;
  constexpr int kRounds = 40;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        const size_t q = (t + round) % queries.size();
        SearchOptions options;
        absl::StatusOr<std::vector<PassageHit>> hits =
            searcher_->Search(queries[q], options);
        if (!hits.ok() || Ids(*hits) != expected[q]) ++mismatches[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t)
    EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

TEST_F(SearcherTest, SeveralSearchersOnOneThread) {
  const DataPaths paths = DefaultDataPaths();
  for (int i = 0; i < 3; ++i) {
    absl::StatusOr<std::unique_ptr<Searcher>> other =
        Searcher::Open(paths.index_dir, paths.corpus_dir);
    ASSERT_TRUE(other.ok()) << other.status();
    SearchOptions options;
    absl::StatusOr<std::vector<PassageHit>> hits =
        (*other)->Search("knee brace", options);
    ASSERT_TRUE(hits.ok()) << hits.status();
    EXPECT_EQ(Ids(*hits), Ids(Search("knee brace")));
  }
}

class SearcherOpenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           absl::StrCat("kneechat_searcher_test_", ::getpid());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(SearcherOpenTest, ReportsWhatIsMissingOrWrong) {
  const DataPaths paths = DefaultDataPaths();
  absl::Status status =
      Searcher::Open((dir_ / "missing.xapian").string(), paths.corpus_dir)
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("missing.xapian"));

  status = Searcher::Open(dir_.string(), paths.corpus_dir).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr(dir_.string()));

  status = Searcher::Open(paths.index_dir, dir_.string()).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("lexicon.tsv"));
}

}  // namespace
}  // namespace kneechat
