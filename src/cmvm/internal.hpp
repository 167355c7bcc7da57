// Internal building blocks of the CMVM optimizer, shared by the files of src/cmvm/.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "dagen/cmvm.hpp"

namespace dagen::cmvm::detail {

// Canonical signed digits of v as terms of `operand`: v * x = sum of +-x * 2^shift.
// Digits come out in increasing shift order.
void append_csd_terms(std::int64_t v, int operand, std::vector<Term>& out);

// Grows a Solution one adder at a time and keeps the depth of every operand
// and a bound on its value (interval arithmetic over the input ranges).
class GraphBuilder {
 public:
  // Inputs without a spec (or all of them, when `inputs` is empty) are taken
  // as signed 8-bit integers.
  explicit GraphBuilder(int n_inputs, std::span<const InputSpec> inputs = {});

  int n_inputs() const { return n_inputs_; }
  int n_operands() const { return static_cast<int>(depth_.size()); }
  int depth(int operand) const { return depth_[operand]; }
  const Op& op(int operand) const { return ops_[operand - n_inputs_]; }
  // Whether the operand's signed-digit expansion has a positive / negative digit.
  bool has_positive(int operand) const { return pos_[operand]; }
  bool has_negative(int operand) const { return neg_[operand]; }

  // Bit positions of a term's value: just above its sign bit, and its lowest.
  int top_bit(const Term& t) const;
  int low_bit(const Term& t) const { return lsb_[t.operand] + t.shift; }

  // Emits one adder computing x + y and returns the term equal to x + y.  The
  // adder itself is normalised: its first input is positive and the smaller
  // shift of the two is factored out into the returned term's shift, so the
  // adder's own shifts are non-negative.
  Term add(const Term& x, const Term& y);

  // Appends an adder verbatim (a.negative must be false); returns its operand id.
  int push(const Op& op);

  Solution take(std::vector<std::optional<Term>> outputs) &&;

 private:
  int n_inputs_;
  std::vector<Op> ops_;
  std::vector<int> depth_;
  std::vector<bool> pos_;
  std::vector<bool> neg_;
  std::vector<long double> lo_, hi_;  // value bounds
  std::vector<int> lsb_;              // weight 2^lsb of the lowest bit that can be nonzero
};

// One CSD adder tree per column, nothing shared (unshared.cpp).
Solution solve_unshared(const IntMatrix& w);

// Removes ops that no output reaches and renumbers the rest (order kept).
void prune_dead(Solution& s);

// If every term is negative although the sum has a positive digit, rewrites the
// terms (flipping a subtraction, or splitting a shared sum) so one is positive.
// The least achievable depth of the terms does not grow.
void make_one_positive(GraphBuilder& g, std::vector<Term>& terms);

// Sums `terms` with a tree that always combines the two shallowest terms first
// (optimal maximum depth: ceil(log2(sum 2^depth))).  nullopt for no terms.
std::optional<Term> sum_tree(GraphBuilder& g, std::vector<Term> terms);

// Sums `terms` two of least magnitude first, so that wide values meet only at
// the last adders (fewer adder bits).  With max_depth, a pair is merged only if
// the column stays summable within it (the terms must be summable to begin with).
std::optional<Term> narrow_sum_tree(GraphBuilder& g, std::vector<Term> terms,
                                    std::optional<int> max_depth = std::nullopt);

// Least achievable depth of a sum of terms with these depths.
int tree_depth(const std::vector<int>& depths);

// Greedy CSE over two-term patterns across all columns (cse.cpp).  Emits the shared
// adders into g and leaves in cols the terms each column still has to sum.  With a
// budget, column j's terms stay summable within depth (*budget)[j].
// reserve[j] (if given) is Kraft weight already spoken for in column j (a term that
// joins the column after CSE, such as the parent column of a decomposition).
// Among equally frequent patterns, tie_mode picks: 1 the shallowest adder, -1 the
// deepest, 2 the least Kraft-weight growth then shallowest, 3 the same then deepest;
// the seed breaks the remaining ties.  Returns a deterministic work count.
std::uint64_t greedy_cse(GraphBuilder& g, std::vector<std::vector<Term>>& cols,
                         const std::vector<int>* budget, const std::vector<std::uint64_t>* reserve,
                         std::uint64_t seed, int tie_mode);

// W's columns as a spanning tree (decompose.cpp): column j = sign[j] * column
// parent[j] + diff.col(j); parent -1 means diff.col(j) = column j.  `order` lists
// columns parents first.  With depth bounds, budget[j] <= bound[j] is the depth
// column j must keep so that its children still meet theirs.
struct Decomposition {
  std::vector<int> parent;
  std::vector<int> sign;
  std::vector<int> order;
  std::vector<int> diff_digits;
  std::vector<int> budget;
  IntMatrix diff;
};
Decomposition decompose_columns(const IntMatrix& w, std::uint64_t seed,
                                const std::vector<int>* bound);

// Iterated greedy (perturb.cpp): replaces, in every column, the adders from
// first_op on that a seeded draw picks (per_mille of them, and their users) by the
// terms they summed.  The adders stay in g (dead unless still used).
void dissolve(const GraphBuilder& g, std::vector<std::vector<Term>>& cols, int first_op,
              int per_mille, std::uint64_t seed);

// Adders a CSE state will cost: live adders plus one tree adder per extra term.
int live_cost(const GraphBuilder& g, const std::vector<std::vector<Term>>& cols);

// A 64-bit mixing function (splitmix64 finaliser) for seeded tie-breaking.
inline std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// Sum over the column of csd_digit_count (the d_j of the depth bound).
int column_digit_count(const IntMatrix& w, int column);

}  // namespace dagen::cmvm::detail
