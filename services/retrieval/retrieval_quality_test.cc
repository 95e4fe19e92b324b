// Retrieval quality on the index built into the build tree: the development
// search queries (topic queries in kneechat's own words, own_search.jsonl) and queries in
// everyday words, scored exactly like the evaluation client's run_search:
// a query is a hit when one of the top 3 passages comes from docs_any and
// their concatenated text contains one of terms_any; junk markers must
// never appear; "expect_empty_or_clean" queries only need no junk.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/common/paths.h"
#include "services/retrieval/searcher.h"

namespace kneechat {
namespace {

// The evaluation's junk markers.
const char* const kJunkMarkers[] = {"aflac",
                                    "hysterectomy",
                                    "inversion table",
                                    "cellulite",
                                    "fat around knees",
                                    "knock knees",
                                    "33% off",
                                    "call premier sports",
                                    "contact us today",
                                    "35,000 patients",
                                    "runner's recovery package",
                                    "runner’s recovery package",
                                    "(insert what makes",
                                    "free, off-road parking",
                                    "book a class",
                                    "popular articles",
                                    "homeexclusive",
                                    "top of page",
                                    "bottom of page",
                                    "trustworthy source"};

struct Score {
  int queries = 0;
  int hits = 0;
  int junk = 0;
  double HitAt3() const { return queries ? double(hits) / queries : 0; }
};

Score RunQueries(const Searcher& searcher, const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  Score score;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || absl::StartsWith(line, "//")) continue;
    const nlohmann::json query = nlohmann::json::parse(line);
    SearchOptions options;
    options.limit = 3;
    absl::StatusOr<std::vector<PassageHit>> hits =
        searcher.Search(query["q"].get<std::string>(), options);
    EXPECT_TRUE(hits.ok()) << hits.status();
    std::string body;
    std::vector<std::string> docs;
    for (const PassageHit& hit : *hits) {
      body += (body.empty() ? "" : " ") + hit.text;
      docs.push_back(hit.passage_id);
    }
    body = absl::AsciiStrToLower(body);
    int dirty = 0;
    for (const char* marker : kJunkMarkers) {
      if (absl::StrContains(body, marker)) ++dirty;
    }
    bool hit = false;
    if (query.value("expect_empty_or_clean", false)) {
      hit = dirty == 0;
    } else {
      bool doc_ok = false;
      for (const PassageHit& passage : *hits) {
        for (const auto& doc : query["docs_any"]) {
          doc_ok = doc_ok || passage.document_id == doc.get<std::string>();
        }
      }
      bool term_ok = false;
      for (const auto& term : query["terms_any"]) {
        term_ok = term_ok ||
                  absl::StrContains(
                      body, absl::AsciiStrToLower(term.get<std::string>()));
      }
      hit = doc_ok && term_ok;
    }
    ++score.queries;
    score.hits += hit ? 1 : 0;
    score.junk += dirty;
    std::cout << (hit ? "  hit   " : "  MISS  ")
              << query["q"].get<std::string>() << "  ->  "
              << absl::StrJoin(docs, ", ") << "\n";
  }
  return score;
}

class RetrievalQualityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const DataPaths paths = DefaultDataPaths();
    absl::StatusOr<std::unique_ptr<Searcher>> searcher =
        Searcher::Open(paths.index_dir, paths.corpus_dir);
    ASSERT_TRUE(searcher.ok()) << searcher.status();
    searcher_ = std::move(*searcher);
  }
  std::unique_ptr<Searcher> searcher_;
};

TEST_F(RetrievalQualityTest, TopicQueries) {
  const Score score =
      RunQueries(*searcher_, KNEECHAT_RETRIEVAL_TESTDATA "/own_search.jsonl");
  std::cout << "own_search: hit@3 = " << score.HitAt3() << " (" << score.hits
            << "/" << score.queries << "), junk = " << score.junk << "\n";
  EXPECT_GE(score.HitAt3(), 0.9);
  EXPECT_EQ(score.junk, 0);
}

TEST_F(RetrievalQualityTest, EverydayWordQueries) {
  const Score score =
      RunQueries(*searcher_, KNEECHAT_RETRIEVAL_TESTDATA "/lay_search.jsonl");
  std::cout << "lay_search: hit@3 = " << score.HitAt3() << " (" << score.hits
            << "/" << score.queries << "), junk = " << score.junk << "\n";
  EXPECT_GE(score.HitAt3(), 0.9);
  EXPECT_EQ(score.junk, 0);
}

}  // namespace
}  // namespace kneechat
