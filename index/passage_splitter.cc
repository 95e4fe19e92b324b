#include "index/passage_splitter.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/text/text_normalize.h"

namespace kneechat {
namespace {

struct Draft {
  std::string heading;
  std::vector<const TextBlock*> blocks;
  int words = 0;
};

std::string Render(const Draft& draft) {
  std::string text;
  for (const TextBlock* block : draft.blocks) {
    if (!text.empty()) text.push_back('\n');
    if (block->kind == TextBlock::Kind::kBullet) text.append("• ");
    text.append(block->text);
  }
  return text;
}

}  // namespace

std::vector<Passage> SplitPassages(const ArticleEntry& article,
                                   const std::vector<TextBlock>& blocks,
                                   const SplitOptions& options) {
  std::vector<Draft> drafts;
  std::string heading;
  Draft current;
  size_t section_start = 0;  // first draft of the current section

  auto flush = [&]() {
    if (current.blocks.empty()) return;
    const bool short_tail = current.words < options.min_words;
    if (short_tail && drafts.size() > section_start &&
        drafts.back().words + current.words <= options.max_words) {
      Draft& previous = drafts.back();
      previous.blocks.insert(previous.blocks.end(), current.blocks.begin(),
                             current.blocks.end());
      previous.words += current.words;
    } else {
      drafts.push_back(std::move(current));
    }
    current = Draft{heading, {}, 0};
  };

  for (const TextBlock& block : blocks) {
    if (block.kind == TextBlock::Kind::kHeading) {
      flush();
      heading = block.text;
      current.heading = heading;
      section_start = drafts.size();
      continue;
    }
    const int words = CountWords(block.text);
    if (!current.blocks.empty()) {
      const TextBlock& last = *current.blocks.back();
      const bool continues_list = block.kind == TextBlock::Kind::kBullet &&
                                  (last.kind == TextBlock::Kind::kBullet ||
                                   absl::EndsWith(last.text, ":"));
      const bool long_enough = current.words >= options.min_words;
      const bool too_long = current.words + words > options.max_words;
      if ((long_enough && !continues_list) || too_long) {
        // Only a complete passage is closed here; a short one that would
        // overflow is closed too rather than grown past max_words.
        drafts.push_back(std::move(current));
        current = Draft{heading, {}, 0};
      }
    }
    current.blocks.push_back(&block);
    current.words += words;
  }
  flush();

  std::vector<Passage> passages;
  passages.reserve(drafts.size());
  for (const Draft& draft : drafts) {
    Passage passage;
    passage.document_id = article.document_id;
    passage.passage_id =
        absl::StrCat(article.document_id, "#", passages.size() + 1);
    passage.title = article.title;
    passage.heading = draft.heading;
    passage.text = Render(draft);
    passages.push_back(std::move(passage));
  }
  return passages;
}

}  // namespace kneechat
