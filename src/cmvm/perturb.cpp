// Iterated greedy: dissolves a seeded random part of the shared adders back into
// the terms they replaced, so that CSE can be re-run on the partial solution.
#include <algorithm>

#include "internal.hpp"

namespace dagen::cmvm::detail {
namespace {

void expand(const GraphBuilder& g, const std::vector<bool>& gone, const Term& t,
            std::vector<Term>& out) {
  if (t.operand < g.n_inputs() || !gone[t.operand]) {
    out.push_back(t);
    return;
  }
  const Op& op = g.op(t.operand);
  expand(g, gone, Term{op.a.operand, op.a.shift + t.shift, t.negative}, out);
  expand(g, gone, Term{op.b.operand, op.b.shift + t.shift, t.negative != op.b.negative}, out);
}

}  // namespace

void dissolve(const GraphBuilder& g, std::vector<std::vector<Term>>& cols, int first_op,
              int per_mille, std::uint64_t seed) {
  const int n = g.n_operands();
  std::vector<bool> gone(n, false);
  for (int k = std::max(first_op, g.n_inputs()); k < n; ++k) {
    const Op& op = g.op(k);
    // Users of a dissolved adder dissolve too (else it would stay alive for them).
    gone[k] = static_cast<int>(mix64(seed + k) % 1000) < per_mille || gone[op.a.operand] ||
              gone[op.b.operand];
  }
  for (auto& c : cols) {
    std::vector<Term> out;
    out.reserve(c.size() * 2);
    for (const Term& t : c) expand(g, gone, t, out);
    c = std::move(out);
  }
}

int live_cost(const GraphBuilder& g, const std::vector<std::vector<Term>>& cols) {
  const int n = g.n_operands();
  std::vector<bool> live(n, false);
  int cost = 0;
  for (const auto& c : cols) {
    cost += std::max<int>(0, static_cast<int>(c.size()) - 1);
    for (const Term& t : c) live[t.operand] = true;
  }
  for (int k = n - 1; k >= g.n_inputs(); --k) {
    if (!live[k]) continue;
    ++cost;
    live[g.op(k).a.operand] = true;
    live[g.op(k).b.operand] = true;
  }
  return cost;
}

}  // namespace dagen::cmvm::detail
