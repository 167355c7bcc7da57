// Depth-aware summation of a column's remaining terms: a Huffman-like tree that always
// adds the two shallowest terms, which reaches the least possible maximum depth.
#include <algorithm>
#include <queue>
#include <tuple>

#include "internal.hpp"

namespace dagen::cmvm::detail {
namespace {

struct Item {
  int depth;
  int seq;  // insertion order: deterministic tie-breaking
  Term term;
};

struct Deeper {
  bool operator()(const Item& x, const Item& y) const {
    // Shallowest first; among equals prefer positive terms (so that a mixed-sign
    // column never ends as a negated value), then insertion order.
    return std::tie(x.depth, x.term.negative, x.seq) > std::tie(y.depth, y.term.negative, y.seq);
  }
};

}  // namespace

int tree_depth(const std::vector<int>& depths) {
  if (depths.empty()) return 0;
  std::priority_queue<int, std::vector<int>, std::greater<int>> q(depths.begin(), depths.end());
  while (q.size() > 1) {
    const int a = q.top();
    q.pop();
    const int b = q.top();
    q.pop();
    q.push(1 + std::max(a, b));
  }
  return q.top();
}

std::optional<Term> sum_tree(GraphBuilder& g, std::vector<Term> terms) {
  if (terms.empty()) return std::nullopt;
  std::priority_queue<Item, std::vector<Item>, Deeper> q;
  int seq = 0;
  for (const Term& t : terms) q.push(Item{g.depth(t.operand), seq++, t});
  while (q.size() > 1) {
    const Item x = q.top();
    q.pop();
    const Item y = q.top();
    q.pop();
    const Term r = g.add(x.term, y.term);
    q.push(Item{g.depth(r.operand), seq++, r});
  }
  return q.top().term;
}

std::optional<Term> narrow_sum_tree(GraphBuilder& g, std::vector<Term> terms) {
  if (terms.empty()) return std::nullopt;
  struct Narrow {
    int top, low, seq;
    Term term;
    bool operator>(const Narrow& o) const {
      return std::tie(top, low, seq) > std::tie(o.top, o.low, o.seq);
    }
  };
  std::priority_queue<Narrow, std::vector<Narrow>, std::greater<>> q;
  int seq = 0;
  for (const Term& t : terms) q.push(Narrow{g.top_bit(t), g.low_bit(t), seq++, t});
  while (q.size() > 1) {
    const Narrow x = q.top();
    q.pop();
    const Narrow y = q.top();
    q.pop();
    const Term r = g.add(x.term, y.term);
    q.push(Narrow{g.top_bit(r), g.low_bit(r), seq++, r});
  }
  return q.top().term;
}

}  // namespace dagen::cmvm::detail
