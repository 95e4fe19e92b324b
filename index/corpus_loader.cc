#include "index/corpus_loader.h"

#include "absl/strings/str_cat.h"
#include "index/cleaning_rules.h"
#include "index/data_files.h"
#include "index/passage_splitter.h"
#include "services/common/utf8.h"

namespace kneechat {

absl::StatusOr<LoadedCorpus> LoadCorpus(const std::string& corpus_dir) {
  absl::StatusOr<std::vector<ArticleEntry>> articles =
      LoadManifest(corpus_dir + "/manifest.tsv");
  if (!articles.ok()) return articles.status();
  absl::StatusOr<CleaningRules> rules = CleaningRules::Load(corpus_dir);
  if (!rules.ok()) return rules.status();

  LoadedCorpus corpus;
  corpus.articles = std::move(*articles);
  for (const ArticleEntry& article : corpus.articles) {
    const std::string path = corpus_dir + "/articles/" + article.file;
    absl::StatusOr<std::string> raw = ReadFileToString(path);
    if (!raw.ok()) return raw.status();
    if (!IsValidUtf8(*raw)) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": not UTF-8"));
    }
    CleanedArticle cleaned = CleanArticle(*raw, *rules);
    std::vector<Passage> passages = SplitPassages(article, cleaned.blocks);
    if (passages.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": no text left after cleaning"));
    }
    corpus.passages.insert(corpus.passages.end(),
                           std::make_move_iterator(passages.begin()),
                           std::make_move_iterator(passages.end()));
    corpus.dropped.push_back(std::move(cleaned.dropped));
  }
  return corpus;
}

}  // namespace kneechat
