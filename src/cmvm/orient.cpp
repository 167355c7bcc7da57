// orient(): the sign each adder computes its value with (include/dagen/cmvm.hpp).
//
// Negating an adder's value is free for its readers: each one adds what it
// subtracted and vice versa, and a reader that would then subtract both of its
// operands negates its own value in turn.  What the sign does change is where the
// carry chain starts.  In x + (y << s) the s low bits are x's and pass through as
// wires; in (y << s) - x they are the low bits of -x, which cost a chain LUT
// each.  A local search over the signs (single flips, plus the readers a flip
// would leave with two subtracted operands) picks the cheaper orientation; it
// starts from the solver's, so it never costs more.
#include <algorithm>
#include <vector>

#include "internal.hpp"

namespace dagen::cmvm {
namespace {

constexpr long kInfeasible = 1L << 40;  // an adder subtracting both of its operands
constexpr int kMaxPasses = 16;

class Orientation {
 public:
  Orientation(const Solution& s, std::span<const InputSpec> inputs,
              const std::function<int(int, OperandBits)>& negated_output_cost)
      : s_(s),
        n_(s.n_inputs),
        bits_(operand_bits(s, inputs)),
        sign_(static_cast<std::size_t>(n_) + s.ops.size(), 1),
        readers_(sign_.size()),
        output_readers_(sign_.size()) {
    for (std::size_t k = 0; k < s.ops.size(); ++k) {
      const int self = n_ + static_cast<int>(k);
      for (const Term* t : {&s.ops[k].a, &s.ops[k].b}) {
        auto& r = readers_[static_cast<std::size_t>(t->operand)];
        if (r.empty() || r.back() != self) r.push_back(self);
      }
    }
    negated_cost_.resize(s.outputs.size(), 0);
    for (std::size_t j = 0; j < s.outputs.size(); ++j) {
      const auto& t = s.outputs[j];
      if (!t) continue;
      output_readers_[static_cast<std::size_t>(t->operand)].push_back(static_cast<int>(j));
      const OperandBits b = bits_[static_cast<std::size_t>(t->operand)];
      negated_cost_[j] = negated_output_cost(static_cast<int>(j), b.shifted(t->shift));
    }
  }

  void search() {
    for (int pass = 0; pass < kMaxPasses; ++pass) {
      bool improved = false;
      for (int v = static_cast<int>(sign_.size()) - 1; v >= n_; --v) improved |= try_flip(v);
      if (!improved) break;
    }
  }

  // The solution with every term's sign rewritten for the chosen orientation.
  Solution apply() const {
    Solution out = s_;
    for (std::size_t k = 0; k < out.ops.size(); ++k) {
      Op& op = out.ops[k];
      const int self = sign_[static_cast<std::size_t>(n_) + k];
      op.a.negative = term_sign(op.a, self) < 0;
      op.b.negative = term_sign(op.b, self) < 0;
      if (op.a.negative) std::swap(op.a, op.b);
    }
    for (auto& t : out.outputs)
      if (t) t->negative = term_sign(*t, 1) < 0;
    return out;
  }

 private:
  int term_sign(const Term& t, int reader_sign) const {
    return reader_sign * sign_[static_cast<std::size_t>(t.operand)] * (t.negative ? -1 : 1);
  }

  long op_cost(int v) const {
    const Op& op = s_.ops[static_cast<std::size_t>(v - n_)];
    const int self = sign_[static_cast<std::size_t>(v)];
    const int sa = term_sign(op.a, self), sb = term_sign(op.b, self);
    if (sa < 0 && sb < 0) return kInfeasible;
    const int la = bits_[static_cast<std::size_t>(op.a.operand)].lsb + op.a.shift;
    const int lb = bits_[static_cast<std::size_t>(op.b.operand)].lsb + op.b.shift;
    if (la < lb) return sa < 0 ? lb - la : 0;
    if (lb < la) return sb < 0 ? la - lb : 0;
    return 0;
  }

  long output_cost(int j) const {
    const Term& t = *s_.outputs[static_cast<std::size_t>(j)];
    return term_sign(t, 1) < 0 ? negated_cost_[static_cast<std::size_t>(j)] : 0;
  }

  // The cost of everything whose cost depends on the signs of `flipped`.
  long local_cost(const std::vector<int>& flipped) const {
    std::vector<int> ops, outs;
    for (int v : flipped) {
      ops.push_back(v);
      const auto& r = readers_[static_cast<std::size_t>(v)];
      ops.insert(ops.end(), r.begin(), r.end());
      const auto& o = output_readers_[static_cast<std::size_t>(v)];
      outs.insert(outs.end(), o.begin(), o.end());
    }
    std::sort(ops.begin(), ops.end());
    ops.erase(std::unique(ops.begin(), ops.end()), ops.end());
    std::sort(outs.begin(), outs.end());
    outs.erase(std::unique(outs.begin(), outs.end()), outs.end());
    long c = 0;
    for (int v : ops) c += op_cost(v);
    for (int j : outs) c += output_cost(j);
    return c;
  }

  // Flips v, and every reader the flip leaves subtracting both operands (and so
  // on); keeps the flips when they lower the cost.
  bool try_flip(int v) {
    std::vector<int> flipped{v};
    auto flip = [&](int u) { sign_[static_cast<std::size_t>(u)] *= -1; };
    flip(v);
    for (std::size_t k = 0; k < flipped.size() && flipped.size() < 64; ++k)
      for (int r : readers_[static_cast<std::size_t>(flipped[k])])
        if (op_cost(r) >= kInfeasible &&
            std::find(flipped.begin(), flipped.end(), r) == flipped.end()) {
          flip(r);
          flipped.push_back(r);
        }
    // The before-cost must cover the same adders and outputs as the after-cost.
    for (int u : flipped) flip(u);
    const long base = local_cost(flipped);
    for (int u : flipped) flip(u);
    const long after = local_cost(flipped);
    if (after < base) return true;
    for (int u : flipped) flip(u);
    return false;
  }

  const Solution& s_;
  int n_;
  std::vector<OperandBits> bits_;
  std::vector<int> sign_;
  std::vector<std::vector<int>> readers_;         // adders reading each operand
  std::vector<std::vector<int>> output_readers_;  // outputs reading each operand
  std::vector<long> negated_cost_;
};

}  // namespace

void orient(Solution& s, std::span<const InputSpec> inputs,
            const std::function<int(int, OperandBits)>& negated_output_cost) {
  if (s.ops.empty()) return;
  Orientation o(s, inputs, negated_output_cost);
  o.search();
  s = o.apply();
}

}  // namespace dagen::cmvm
