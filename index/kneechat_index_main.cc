// kneechat-index: builds the passage index from a corpus directory.
//
//   kneechat-index --corpus DIR --out DIR     build (atomically replace) DIR
//   kneechat-index --corpus DIR --explain     print what cleaning removed
//   kneechat-index --corpus DIR --passages    print the passages
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "index/corpus_loader.h"
#include "index/index_writer.h"

ABSL_FLAG(std::string, corpus, "",
          "corpus directory (manifest.tsv, articles/, cleaning/)");
ABSL_FLAG(std::string, out, "", "index directory to create or replace");
ABSL_FLAG(bool, explain, false,
          "print every piece of text cleaning removed, with the reason");
ABSL_FLAG(bool, passages, false, "print the passages that would be indexed");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Builds the kneechat Xapian index: kneechat-index --corpus DIR --out "
      "DIR");
  absl::ParseCommandLine(argc, argv);
  const std::string corpus_dir = absl::GetFlag(FLAGS_corpus);
  const std::string out_dir = absl::GetFlag(FLAGS_out);
  if (corpus_dir.empty() || (out_dir.empty() && !absl::GetFlag(FLAGS_explain) &&
                             !absl::GetFlag(FLAGS_passages))) {
    std::cerr << "usage: kneechat-index --corpus DIR (--out DIR | --explain | "
                 "--passages)\n";
    return 2;
  }
  absl::StatusOr<kneechat::LoadedCorpus> corpus =
      kneechat::LoadCorpus(corpus_dir);
  if (!corpus.ok()) {
    std::cerr << "kneechat-index: " << corpus.status() << "\n";
    return 1;
  }
  if (absl::GetFlag(FLAGS_explain)) {
    for (size_t i = 0; i < corpus->articles.size(); ++i) {
      for (const kneechat::DroppedText& dropped : corpus->dropped[i]) {
        std::cout << corpus->articles[i].document_id << ":"
                  << dropped.line_number << "\t" << dropped.why << "\t["
                  << dropped.rule << "]\t" << dropped.text << "\n";
      }
    }
  }
  if (absl::GetFlag(FLAGS_passages)) {
    for (const kneechat::Passage& passage : corpus->passages) {
      std::cout << "== " << passage.passage_id << " | " << passage.heading
                << "\n"
                << passage.text << "\n\n";
    }
  }
  if (!out_dir.empty()) {
    const absl::Status status = kneechat::WriteIndex(corpus->passages, out_dir);
    if (!status.ok()) {
      std::cerr << "kneechat-index: " << status << "\n";
      return 1;
    }
    std::cerr << "kneechat-index: " << corpus->passages.size()
              << " passages from " << corpus->articles.size()
              << " articles written to " << out_dir << "\n";
  }
  return 0;
}
