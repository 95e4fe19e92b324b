// A set of passages of the index, as one bit per Xapian docid.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace kneechat {

// Holds docids 0 .. size - 1 (`size` given at construction); adding a docid
// beyond is ignored and it is never held. A value type; not thread-safe to
// change while read.
class DocSet {
 public:
  explicit DocSet(size_t size) : size_(size), words_((size + 63) / 64, 0) {}

  void Add(size_t docid) {
    if (docid < size_) words_[docid / 64] |= Bit(docid);
  }
  bool Has(size_t docid) const {
    return docid < size_ && (words_[docid / 64] & Bit(docid));
  }
  // Whether any docid is held.
  bool Any() const {
    for (uint64_t word : words_) {
      if (word != 0) return true;
    }
    return false;
  }
  // Adds every docid of `other` that this set can hold.
  void AddAll(const DocSet& other) {
    const size_t shared = std::min(words_.size(), other.words_.size());
    for (size_t i = 0; i < shared; ++i) words_[i] |= other.words_[i];
    if (size_ % 64 != 0 && shared == words_.size()) {
      words_.back() &= Bit(size_) - 1;  // nothing beyond size_
    }
  }

 private:
  static uint64_t Bit(size_t docid) { return uint64_t{1} << (docid % 64); }

  size_t size_;
  std::vector<uint64_t> words_;
};

}  // namespace kneechat
