// PairCounts: a compact open-addressing hash map from a 64-bit pattern key to a count.
#pragma once

#include <cstdint>
#include <vector>

namespace dagen::cmvm::detail {

class PairCounts {
 public:
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};

  explicit PairCounts(std::size_t expected = 1024) {
    std::size_t cap = 16;
    while (cap < expected * 2) cap <<= 1;
    keys_.assign(cap, kEmpty);
    vals_.assign(cap, 0);
  }

  // Adds delta to key's count and returns the new count.
  int add(std::uint64_t key, int delta) {
    std::size_t i = slot(key);
    if (keys_[i] == kEmpty) {
      if ((size_ + 1) * 2 > keys_.size()) {
        grow();
        i = slot(key);
      }
      keys_[i] = key;
      ++size_;
    }
    vals_[i] += delta;
    return vals_[i];
  }

  int get(std::uint64_t key) const {
    const std::size_t i = slot(key);
    return keys_[i] == kEmpty ? 0 : vals_[i];
  }

  template <typename F>
  void for_each(F&& f) const {
    for (std::size_t i = 0; i < keys_.size(); ++i)
      if (keys_[i] != kEmpty) f(keys_[i], vals_[i]);
  }

  std::size_t size() const { return size_; }
  std::size_t capacity() const { return keys_.size(); }

 private:
  static std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 31;
    x *= 0x9e3779b97f4a7c15ull;
    x ^= x >> 29;
    return x;
  }

  std::size_t slot(std::uint64_t key) const {
    const std::size_t mask = keys_.size() - 1;
    std::size_t i = mix(key) & mask;
    while (keys_[i] != kEmpty && keys_[i] != key) i = (i + 1) & mask;
    return i;
  }

  void grow() {
    std::vector<std::uint64_t> old_keys;
    std::vector<int> old_vals;
    old_keys.swap(keys_);
    old_vals.swap(vals_);
    keys_.assign(old_keys.size() * 2, kEmpty);
    vals_.assign(old_keys.size() * 2, 0);
    for (std::size_t i = 0; i < old_keys.size(); ++i) {
      if (old_keys[i] == kEmpty) continue;
      const std::size_t j = slot(old_keys[i]);
      keys_[j] = old_keys[i];
      vals_[j] = old_vals[i];
    }
  }

  std::vector<std::uint64_t> keys_;
  std::vector<int> vals_;
  std::size_t size_ = 0;
};

}  // namespace dagen::cmvm::detail
