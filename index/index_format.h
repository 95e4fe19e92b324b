// The layout of a kneechat Xapian index, shared by the builder and the
// searcher. One Xapian document per passage:
//   data       JSON {"document_id","passage_id","title","heading","text"}
//   terms      title, heading and text through TermGenerator (English
//              stemmer, STEM_SOME_FULL_POS: stemmed "Z" terms keep positions
//              so multi-word lay phrases match stemmed text); title and
//              heading also under their own prefixes, with extra weight
//   booleans   Q<passage_id>, XD<document_id>
// Document ids follow passage order (manifest order, then passage number).
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "index/passage.h"

namespace kneechat {
namespace index_format {

inline constexpr char kStemmerLanguage[] = "en";
inline constexpr char kStemPrefix[] = "Z";
inline constexpr char kPassageIdPrefix[] = "Q";
inline constexpr char kDocumentIdPrefix[] = "XD";
inline constexpr char kTitlePrefix[] = "S";
inline constexpr char kHeadingPrefix[] = "XH";
// Within-document frequency given to each word of the title and heading
// (text words count 1): a passage's heading says what it is about.
inline constexpr Xapian::termcount kTitleWeight = 1;
inline constexpr Xapian::termcount kHeadingWeight = 2;

// Metadata marking a complete kneechat index of this layout.
inline constexpr char kFormatKey[] = "kneechat.format";
inline constexpr char kFormatValue[] = "kneechat-passages-1";

// The TermGenerator settings used for passages.
Xapian::TermGenerator MakeTermGenerator();

// Adds `passage` to `document` (data, terms, boolean terms) with `generator`.
void FillDocument(const Passage& passage, Xapian::TermGenerator& generator,
                  Xapian::Document& document);

std::string EncodePassageData(const Passage& passage);
// kInternal if `data` is not a passage written by EncodePassageData.
absl::StatusOr<Passage> DecodePassageData(std::string_view data);

}  // namespace index_format
}  // namespace kneechat
