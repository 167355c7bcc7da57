// GraphBuilder: appends normalised two-input adders to a Solution and tracks depths.
#include <algorithm>
#include <cassert>
#include <cmath>
#include <utility>

#include "internal.hpp"

namespace dagen::cmvm::detail {

namespace {

// Bounds of term t = +-operand * 2^shift.
std::pair<long double, long double> term_bounds(long double lo, long double hi, const Term& t) {
  const long double s = std::ldexp(1.0L, t.shift);
  return t.negative ? std::pair{-hi * s, -lo * s} : std::pair{lo * s, hi * s};
}

}  // namespace

GraphBuilder::GraphBuilder(int n_inputs, std::span<const InputSpec> inputs)
    : n_inputs_(n_inputs), depth_(n_inputs, 0), pos_(n_inputs, true), neg_(n_inputs, false) {
  for (int i = 0; i < n_inputs; ++i) {
    const InputSpec in = i < static_cast<int>(inputs.size()) ? inputs[static_cast<std::size_t>(i)]
                                                             : InputSpec{-128.0, 127.0, 0};
    lo_.push_back(in.lo);
    hi_.push_back(in.hi);
    lsb_.push_back(-in.frac_bits);
  }
}

int GraphBuilder::top_bit(const Term& t) const {
  const auto [lo, hi] = term_bounds(lo_[t.operand], hi_[t.operand], t);
  return value_top(lo, hi);
}

int GraphBuilder::push(const Op& op) {
  assert(!op.a.negative);
  assert(op.a.operand < n_operands() && op.b.operand < n_operands());
  ops_.push_back(op);
  depth_.push_back(1 + std::max(depth_[op.a.operand], depth_[op.b.operand]));
  const int a = op.a.operand;
  const int b = op.b.operand;
  pos_.push_back(pos_[a] || (op.b.negative ? neg_[b] : pos_[b]));
  neg_.push_back(neg_[a] || (op.b.negative ? pos_[b] : neg_[b]));
  const auto [al, ah] = term_bounds(lo_[a], hi_[a], op.a);
  const auto [bl, bh] = term_bounds(lo_[b], hi_[b], op.b);
  lo_.push_back(al + bl);
  hi_.push_back(ah + bh);
  lsb_.push_back(std::min(lsb_[a] + op.a.shift, lsb_[b] + op.b.shift));
  return n_operands() - 1;
}

Term GraphBuilder::add(const Term& x, const Term& y) {
  Term a = x;
  Term b = y;
  // Put a positive term first; if both are negative, compute -(|a| + |b|).
  bool result_negative = false;
  if (a.negative && b.negative) {
    a.negative = b.negative = false;
    result_negative = true;
  } else if (a.negative) {
    std::swap(a, b);
  }
  const int base = std::min(a.shift, b.shift);
  a.shift -= base;
  b.shift -= base;
  const int id = push(Op{a, b});
  return Term{id, base, result_negative};
}

Solution GraphBuilder::take(std::vector<std::optional<Term>> outputs) && {
  Solution s;
  s.n_inputs = n_inputs_;
  s.ops = std::move(ops_);
  s.outputs = std::move(outputs);
  return s;
}

void make_one_positive(GraphBuilder& g, std::vector<Term>& terms) {
  for (;;) {
    if (terms.empty()) return;
    for (const Term& t : terms)
      if (!t.negative) return;
    // All negative: find a term whose negation still holds a positive digit.
    auto it = std::find_if(terms.begin(), terms.end(), [&](const Term& t) {
      return t.operand >= g.n_inputs() && g.has_negative(t.operand);
    });
    if (it == terms.end()) return;  // every digit is negative: unavoidable
    const Term t = *it;
    const Op op = g.op(t.operand);  // copy: push() may reallocate
    if (op.b.negative) {
      // -(a - b) = b - a: one new adder of the same depth (the old one may die).
      const int id =
          g.push(Op{Term{op.b.operand, op.b.shift, false}, Term{op.a.operand, op.a.shift, true}});
      *it = Term{id, t.shift, false};
      return;
    }
    // -(a + b) = (-a) + (-b): two shallower terms instead of one.
    *it = Term{op.a.operand, op.a.shift + t.shift, true};
    terms.push_back(Term{op.b.operand, op.b.shift + t.shift, true});
  }
}

void prune_dead(Solution& s) {
  const int n = s.n_inputs;
  const int total = n + static_cast<int>(s.ops.size());
  std::vector<bool> live(total, false);
  for (const auto& o : s.outputs)
    if (o) live[o->operand] = true;
  for (int k = total - 1; k >= n; --k) {
    if (!live[k]) continue;
    live[s.ops[k - n].a.operand] = true;
    live[s.ops[k - n].b.operand] = true;
  }
  std::vector<int> id(total, -1);
  for (int i = 0; i < n; ++i) id[i] = i;
  std::vector<Op> kept;
  for (int k = n; k < total; ++k) {
    if (!live[k]) continue;
    Op op = s.ops[k - n];
    op.a.operand = id[op.a.operand];
    op.b.operand = id[op.b.operand];
    id[k] = n + static_cast<int>(kept.size());
    kept.push_back(op);
  }
  s.ops = std::move(kept);
  for (auto& o : s.outputs)
    if (o) o->operand = id[o->operand];
}

}  // namespace dagen::cmvm::detail
