// GraphBuilder: appends normalised two-input adders to a Solution and tracks depths.
#include <algorithm>
#include <cassert>
#include <utility>

#include "internal.hpp"

namespace dagen::cmvm::detail {

GraphBuilder::GraphBuilder(int n_inputs) : n_inputs_(n_inputs), depth_(n_inputs, 0) {}

int GraphBuilder::push(const Op& op) {
  assert(!op.a.negative);
  assert(op.a.operand < n_operands() && op.b.operand < n_operands());
  ops_.push_back(op);
  depth_.push_back(1 + std::max(depth_[op.a.operand], depth_[op.b.operand]));
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

}  // namespace dagen::cmvm::detail
