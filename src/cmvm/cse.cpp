// Greedy common-subexpression elimination over two-term patterns.
//
// Every column is a list of signed, shifted terms.  A pattern is a pair of terms
// normalised by relative shift and relative sign: x_a * 2^sa +- x_b * 2^sb with
// min(sa, sb) = 0.  The most frequent pattern (non-overlapping occurrences, and
// with a depth bound only occurrences that keep the column's Kraft sum
// sum_k 2^depth_k <= 2^D_j) becomes a new adder and replaces its occurrences;
// this repeats until no pattern occurs twice.  Pair counts are kept
// incrementally in a hash map; a lazy bucket queue holds upper bounds that are
// verified (exact count) when they reach the top.
#include <algorithm>
#include <cassert>
#include <cstdint>
#include <cstdlib>
#include <tuple>

#include "internal.hpp"
#include "pair_counts.hpp"

namespace dagen::cmvm::detail {
namespace {

constexpr int kOperandBits = 22;
constexpr int kShiftBits = 19;
constexpr std::uint64_t kOperandMask = (std::uint64_t{1} << kOperandBits) - 1;
constexpr std::uint64_t kShiftMask = (std::uint64_t{1} << kShiftBits) - 1;
constexpr int kShiftOffset = 1 << (kShiftBits - 1);

struct Pattern {
  int a;
  int b;
  int d;      // shift of b minus shift of a
  bool diff;  // the two terms have opposite signs
};

std::uint64_t pack(const Pattern& p) {
  return (static_cast<std::uint64_t>(p.a) << (kOperandBits + kShiftBits + 1)) |
         (static_cast<std::uint64_t>(p.b) << (kShiftBits + 1)) |
         (static_cast<std::uint64_t>(p.d + kShiftOffset) << 1) | (p.diff ? 1 : 0);
}

Pattern unpack(std::uint64_t k) {
  Pattern p;
  p.diff = k & 1;
  p.d = static_cast<int>((k >> 1) & kShiftMask) - kShiftOffset;
  p.b = static_cast<int>((k >> (kShiftBits + 1)) & kOperandMask);
  p.a = static_cast<int>((k >> (kOperandBits + kShiftBits + 1)) & kOperandMask);
  return p;
}

// The pattern of a pair of terms, ordered so that (a, shift) is the smaller.
Pattern pattern_of(const Term& u, const Term& v) {
  const bool u_first = std::tie(u.operand, u.shift) < std::tie(v.operand, v.shift);
  const Term& x = u_first ? u : v;
  const Term& y = u_first ? v : u;
  return Pattern{x.operand, y.operand, y.shift - x.shift, x.negative != y.negative};
}

std::uint64_t kraft_weight(int depth) { return std::uint64_t{1} << std::min(depth, 62); }

// A lazy bucket queue of pattern keys by priority (count major, tie rule minor).
// Entries may be stale (their pattern's priority fell since): the caller re-queues
// them when they surface.  Within the top bucket the seed picks the entry.
class BucketQueue {
 public:
  explicit BucketQueue(std::uint64_t seed) : seed_(seed) {}

  void push(int prio, std::uint64_t key) {
    if (prio >= static_cast<int>(buckets_.size())) buckets_.resize(prio + 1);
    buckets_[prio].push_back(key);
    top_ = std::max(top_, prio);
  }

  // Removes one entry of the highest priority; false when empty.
  bool pop(int& prio, std::uint64_t& key) {
    while (top_ >= 0 && buckets_[top_].empty()) --top_;
    if (top_ < 0) return false;
    auto& b = buckets_[top_];
    const std::size_t i = b.size() == 1 ? 0 : mix64(seed_ + ++draws_) % b.size();
    key = b[i];
    b[i] = b.back();
    b.pop_back();
    prio = top_;
    return true;
  }

 private:
  std::uint64_t seed_;
  std::uint64_t draws_ = 0;
  int top_ = -1;
  std::vector<std::vector<std::uint64_t>> buckets_;
};

class Cse {
 public:
  Cse(GraphBuilder& g, std::vector<std::vector<Term>>& cols, const std::vector<int>* budget,
      const std::vector<std::uint64_t>* reserve, std::uint64_t seed, int tie_mode)
      : g_(g), cols_(cols), budget_(budget), seed_(seed), tie_mode_(tie_mode), queue_(seed) {
    std::size_t pairs = 0;
    for (const auto& c : cols_) pairs += c.size() * c.size() / 2;
    counts_ = PairCounts(std::min<std::size_t>(pairs, std::size_t{1} << 24));
    kraft_.assign(cols_.size(), 0);
    if (reserve) kraft_ = *reserve;
    for (std::size_t j = 0; j < cols_.size(); ++j) {
      const auto& c = cols_[j];
      for (const Term& t : c) {
        kraft_[j] += kraft_weight(g_.depth(t.operand));
        note_column(t.operand, static_cast<int>(j));
      }
      for (std::size_t x = 0; x < c.size(); ++x)
        for (std::size_t y = x + 1; y < c.size(); ++y) counts_.add(pack(pattern_of(c[x], c[y])), 1);
      work_ += c.size() * c.size() / 2;
    }
    counts_.for_each([&](std::uint64_t key, int c) {
      if (c >= 2) queue_.push(priority(key, c), key);
    });
  }

  std::uint64_t work() const { return work_; }

  void run() {
    int prio = 0;
    std::uint64_t key = 0;
    while (queue_.pop(prio, key)) {
      ++work_;
      const int now = counts_.get(key);
      if (now < 2) continue;  // stale
      if (const int cur = priority(key, now); cur < prio) {
        queue_.push(cur, key);  // the count fell since: re-queue with the current bound
        continue;
      }
      const Pattern p = unpack(key);
      const int exact = apply(p, /*commit=*/false);
      if (exact < 2) continue;  // pairs remain but cannot be shared: drop until counts change
      if (const int cur = priority(key, exact); cur < prio) {
        queue_.push(cur, key);
        continue;
      }
      apply(p, /*commit=*/true);
    }
  }

 private:
  void note_column(int operand, int col) {
    if (static_cast<int>(cols_of_.size()) <= operand) cols_of_.resize(operand + 1);
    auto& v = cols_of_[operand];
    if (v.empty() || v.back() != col) v.push_back(col);
  }

  int pattern_depth(const Pattern& p) const { return 1 + std::max(g_.depth(p.a), g_.depth(p.b)); }

  // Queue priority of a pattern occurring `count` times: count major, then the tie
  // rule's preference in [0, 64).
  int priority(std::uint64_t key, int count) const {
    const Pattern p = unpack(key);
    const int depth = std::min(pattern_depth(p), 63);
    const int d7 = std::min(depth, 7);
    int pref = 0;  // larger is preferred
    switch (tie_mode_) {
      case 1:  // shallow first
        pref = 63 - depth;
        break;
      case -1:  // deep first
        pref = depth;
        break;
      case 2:
      case 3: {  // least Kraft weight growth, then shallow (2) or deep (3)
        const int da = std::min(g_.depth(p.a), 20), db = std::min(g_.depth(p.b), 20);
        const int kc = (1 << (1 + std::max(da, db))) - (1 << da) - (1 << db);
        pref = (7 - std::min(kc, 7)) * 8 + (tie_mode_ == 2 ? 7 - d7 : d7);
        break;
      }
      case 6:  // small relative shift (narrow adder), then shallow
        pref = (7 - std::min(std::abs(p.d), 7)) * 8 + 7 - d7;
        break;
      default:
        break;
    }
    return std::min(count, 1 << 24) * 64 + pref;
  }

  // Counts only grow through here with a heap push; a fall leaves a stale (higher)
  // entry behind, which is re-queued lazily when it reaches the top.
  void bump(const Pattern& p, int delta) {
    const std::uint64_t key = pack(p);
    const int c = counts_.add(key, delta);
    ++work_;
    if (delta > 0 && c >= 2) queue_.push(priority(key, c), key);
  }

  // Whether replacing terms of depths da, db by one of depth dp keeps column j feasible.
  bool fits(int j, int da, int db, int dp) const {
    if (!budget_) return true;
    const std::uint64_t k = kraft_[j] - kraft_weight(da) - kraft_weight(db) + kraft_weight(dp);
    return k <= kraft_weight((*budget_)[j]);
  }

  void remove_term(int j, std::size_t idx) {
    auto& c = cols_[j];
    const Term t = c[idx];
    for (std::size_t x = 0; x < c.size(); ++x)
      if (x != idx) bump(pattern_of(t, c[x]), -1);
    kraft_[j] -= kraft_weight(g_.depth(t.operand));
    c[idx] = c.back();
    c.pop_back();
  }

  void add_term(int j, const Term& t) {
    auto& c = cols_[j];
    for (const Term& o : c) bump(pattern_of(t, o), +1);
    kraft_[j] += kraft_weight(g_.depth(t.operand));
    c.push_back(t);
    note_column(t.operand, j);
  }

  static int find(const std::vector<Term>& c, int operand, int shift) {
    for (std::size_t i = 0; i < c.size(); ++i)
      if (c[i].operand == operand && c[i].shift == shift) return static_cast<int>(i);
    return -1;
  }

  // Counts (commit = false) or substitutes (commit = true) the non-overlapping,
  // feasible occurrences of p in all columns.  Returns the number of occurrences.
  int apply(const Pattern& p, bool commit) {
    const int da = g_.depth(p.a);
    const int db = g_.depth(p.b);
    const int dp = 1 + std::max(da, db);
    int new_op = -1;
    int total = 0;
    // Columns that may hold operand a (a copy: add_term appends to cols_of_).
    const std::vector<int> cand =
        p.a < static_cast<int>(cols_of_.size()) ? cols_of_[p.a] : std::vector<int>{};
    for (int j : cand) {
      // Terms of operands a and b in column j; a-terms by increasing shift (greedy
      // chain matching when a == b: a digit serves at most one occurrence).
      as_.clear();
      bs_.clear();
      for (const Term& t : cols_[j]) {
        if (t.operand == p.a) as_.push_back(t);
        if (t.operand == p.b && p.a != p.b) bs_.push_back(t);
      }
      if (as_.empty()) continue;
      if (p.a == p.b) {
        std::sort(as_.begin(), as_.end(),
                  [](const Term& x, const Term& y) { return x.shift < y.shift; });
        bs_ = as_;
      } else if (bs_.empty()) {
        continue;
      }
      used_.clear();  // shifts of a-terms consumed as the b side (a == b)
      const std::uint64_t saved_kraft = kraft_[j];
      for (const Term& u : as_) {
        if (p.a == p.b && std::find(used_.begin(), used_.end(), u.shift) != used_.end()) continue;
        const auto iv = std::find_if(bs_.begin(), bs_.end(),
                                     [&](const Term& t) { return t.shift == u.shift + p.d; });
        if (iv == bs_.end()) continue;
        const Term v = *iv;
        if ((u.negative != v.negative) != p.diff) continue;
        if (!fits(j, da, db, dp)) continue;
        if (p.a == p.b) used_.push_back(v.shift);
        ++total;
        const int base = std::min(u.shift, v.shift);
        if (commit) {
          if (new_op < 0) {
            Op op;
            op.a = Term{p.a, std::max(0, -p.d), false};
            op.b = Term{p.b, std::max(0, p.d), p.diff};
            new_op = g_.push(op);
          }
          remove_term(j, find(cols_[j], u.operand, u.shift));
          remove_term(j, find(cols_[j], v.operand, v.shift));
          add_term(j, Term{new_op, base, u.negative});
        } else {
          kraft_[j] = kraft_[j] - kraft_weight(da) - kraft_weight(db) + kraft_weight(dp);
        }
      }
      if (!commit) kraft_[j] = saved_kraft;
    }
    return total;
  }

  GraphBuilder& g_;
  std::vector<std::vector<Term>>& cols_;
  const std::vector<int>* budget_;
  std::uint64_t seed_;
  int tie_mode_;
  std::uint64_t work_ = 0;  // deterministic effort measure: hash updates and heap pops
  PairCounts counts_;
  std::vector<std::uint64_t> kraft_;
  std::vector<std::vector<int>> cols_of_;
  BucketQueue queue_;
  std::vector<Term> as_, bs_;  // scratch of apply()
  std::vector<int> used_;
};

}  // namespace

std::uint64_t greedy_cse(GraphBuilder& g, std::vector<std::vector<Term>>& cols,
                         const std::vector<int>* budget, const std::vector<std::uint64_t>* reserve,
                         std::uint64_t seed, int tie_mode) {
  Cse cse(g, cols, budget, reserve, seed, tie_mode);
  cse.run();
  return cse.work();
}

}  // namespace dagen::cmvm::detail
