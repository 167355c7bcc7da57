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

std::optional<Term> narrow_sum_tree(GraphBuilder& g, std::vector<Term> terms,
                                    std::optional<int> max_depth) {
  if (terms.empty()) return std::nullopt;
  struct Narrow {
    int top, low, seq;
    Term term;
    bool operator<(const Narrow& o) const {
      return std::tie(top, low, seq) < std::tie(o.top, o.low, o.seq);
    }
  };
  std::vector<Narrow> items;  // kept sorted by magnitude
  int seq = 0;
  for (const Term& t : terms) items.push_back(Narrow{g.top_bit(t), g.low_bit(t), seq++, t});
  std::sort(items.begin(), items.end());
  // Whether merging items i and j keeps the column summable within max_depth.
  const auto fits = [&](std::size_t i, std::size_t j) {
    if (!max_depth) return true;
    std::vector<int> depths;
    for (std::size_t k = 0; k < items.size(); ++k)
      if (k != i && k != j) depths.push_back(g.depth(items[k].term.operand));
    depths.push_back(1 + std::max(g.depth(items[i].term.operand), g.depth(items[j].term.operand)));
    return tree_depth(depths) <= *max_depth;
  };
  constexpr std::size_t kWindow = 6;  // pairs tried among the narrowest terms
  while (items.size() > 1) {
    std::size_t bi = 0, bj = 0;
    bool found = false;
    for (std::size_t i = 0; !found && i < std::min(items.size(), kWindow); ++i)
      for (std::size_t j = i + 1; !found && j < std::min(items.size(), kWindow); ++j)
        if (fits(i, j)) {
          bi = i;
          bj = j;
          found = true;
        }
    if (!found) {
      // Huffman's step (the two shallowest) never makes the least depth worse.
      std::vector<std::size_t> order(items.size());
      for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
      std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        return g.depth(items[x].term.operand) < g.depth(items[y].term.operand);
      });
      bi = std::min(order[0], order[1]);
      bj = std::max(order[0], order[1]);
    }
    const Term r = g.add(items[bi].term, items[bj].term);
    items.erase(items.begin() + static_cast<std::ptrdiff_t>(bj));
    items.erase(items.begin() + static_cast<std::ptrdiff_t>(bi));
    const Narrow merged{g.top_bit(r), g.low_bit(r), seq++, r};
    items.insert(std::upper_bound(items.begin(), items.end(), merged), merged);
  }
  return items.front().term;
}

}  // namespace dagen::cmvm::detail
