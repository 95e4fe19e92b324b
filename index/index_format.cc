#include "index/index_format.h"

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace kneechat {
namespace index_format {

Xapian::TermGenerator MakeTermGenerator() {
  Xapian::TermGenerator generator;
  generator.set_stemmer(Xapian::Stem(kStemmerLanguage));
  generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME_FULL_POS);
  return generator;
}

void FillDocument(const Passage& passage, Xapian::TermGenerator& generator,
                  Xapian::Document& document) {
  // Gap between fields so that phrases never span title, heading and text.
  constexpr Xapian::termpos kFieldGap = 100;
  generator.set_document(document);
  generator.index_text(passage.title, kTitleWeight);
  generator.index_text(passage.title, 1, kTitlePrefix);
  generator.increase_termpos(kFieldGap);
  if (!passage.heading.empty()) {
    generator.index_text(passage.heading, kHeadingWeight);
    generator.index_text(passage.heading, 1, kHeadingPrefix);
    generator.increase_termpos(kFieldGap);
  }
  generator.index_text(passage.text);
  document.add_boolean_term(absl::StrCat(kPassageIdPrefix, passage.passage_id));
  document.add_boolean_term(
      absl::StrCat(kDocumentIdPrefix, passage.document_id));
  document.set_data(EncodePassageData(passage));
}

std::string EncodePassageData(const Passage& passage) {
  nlohmann::json json = {{"document_id", passage.document_id},
                         {"passage_id", passage.passage_id},
                         {"title", passage.title},
                         {"heading", passage.heading},
                         {"text", passage.text}};
  return json.dump();
}

absl::StatusOr<Passage> DecodePassageData(std::string_view data) {
  nlohmann::json json = nlohmann::json::parse(data, nullptr,
                                              /*allow_exceptions=*/false);
  if (!json.is_object()) {
    return absl::InternalError("index document data is not a JSON object");
  }
  Passage passage;
  const std::pair<const char*, std::string*> fields[] = {
      {"document_id", &passage.document_id},
      {"passage_id", &passage.passage_id},
      {"title", &passage.title},
      {"heading", &passage.heading},
      {"text", &passage.text}};
  for (const auto& [name, value] : fields) {
    auto it = json.find(name);
    if (it == json.end() || !it->is_string()) {
      return absl::InternalError(
          absl::StrCat("index document data lacks string \"", name, "\""));
    }
    *value = it->get<std::string>();
  }
  return passage;
}

}  // namespace index_format
}  // namespace kneechat
