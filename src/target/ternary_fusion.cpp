// Which adder pairs fuse into ternary adders (Target::ternary_pairs, for a target
// with them): a maximum-weight matching by the LUTs each fusion saves.
#include "ternary_fusion.hpp"

#include <algorithm>
#include <cstddef>

#include "dagen/demanded_bits.hpp"
#include "dagen/ternary.hpp"

namespace dagen {

namespace {

bool has_constant_operand(const AdderGraph& g, const Node& n) {
  auto constant = [&](const Operand& o) {
    const Node& x = g.at(o.node);
    return is_constant_value(x);
  };
  return constant(n.a()) || constant(n.b());
}

// The carry-chain bits of a two-input adder below the demanded top (its
// passed-through low bits need none).
int binary_chain_bits(const AdderGraph& g, const Node& n, int top) {
  return std::max(0, std::min(n.type.width(), top) - passed_through_bits(g, n));
}

}  // namespace

namespace target_detail {

std::vector<std::pair<int, int>> ternary_pairs(const AdderGraph& g, const std::vector<int>& stage) {
  // The demanded bits below are those of the unfused graph.
  if (std::any_of(g.nodes.begin(), g.nodes.end(),
                  [](const Node& n) { return n.ternary_inner >= 0; })) {
    AdderGraph plain = g;
    for (Node& n : plain.nodes) n.ternary_inner = -1;
    return ternary_pairs(plain, stage);
  }
  const int count = static_cast<int>(g.nodes.size());
  const auto stage_of = [&](int id) { return stage[static_cast<std::size_t>(id)]; };
  std::vector<int> uses(g.nodes.size(), 0), reader(g.nodes.size(), -1);
  auto read = [&](const Operand& o, int by) {
    ++uses[static_cast<std::size_t>(o.node)];
    reader[static_cast<std::size_t>(o.node)] = by;
  };
  for (int id = 0; id < count; ++id)
    for_each_operand(g.at(id), [&](const Operand& o) { read(o, id); });
  for (const Operand& o : g.outputs) read(o, -1);

  const std::vector<BitSpan> demanded = demanded_bits(g);
  // The forest: parent[m] = the adder m may be fused into, weight[m] = LUTs saved.
  std::vector<int> parent(g.nodes.size(), -1), weight(g.nodes.size(), 0);
  std::vector<std::vector<int>> children(g.nodes.size());
  for (int m = 0; m < count; ++m) {
    const Node& inner = g.at(m);
    const int r = reader[static_cast<std::size_t>(m)];
    if (inner.kind != NodeKind::Add || uses[static_cast<std::size_t>(m)] != 1 || r < 0) continue;
    const Node& outer = g.at(r);
    if (outer.kind != NodeKind::Add || stage_of(r) != stage_of(m)) continue;
    if (has_constant_operand(g, inner) || has_constant_operand(g, outer)) continue;
    const TernaryChain chain = ternary_chain(g, r, m, demanded[static_cast<std::size_t>(r)].top);
    const int saved = binary_chain_bits(g, inner, demanded[static_cast<std::size_t>(m)].top) +
                      binary_chain_bits(g, outer, demanded[static_cast<std::size_t>(r)].top) -
                      chain.luts();
    if (saved <= 0) continue;
    parent[static_cast<std::size_t>(m)] = r;
    weight[static_cast<std::size_t>(m)] = saved;
    children[static_cast<std::size_t>(r)].push_back(m);
  }

  // Maximum-weight matching on a forest: best[v] over v's subtree, free_[v] the
  // same with v left unmatched to its children (so its parent may take it).
  std::vector<long long> best(g.nodes.size(), 0), free_(g.nodes.size(), 0);
  std::vector<int> choice(g.nodes.size(), -1);
  for (int v = 0; v < count; ++v) {  // operands precede readers
    const auto sv = static_cast<std::size_t>(v);
    for (int c : children[sv]) free_[sv] += best[static_cast<std::size_t>(c)];
    best[sv] = free_[sv];
    for (int c : children[sv]) {
      const auto sc = static_cast<std::size_t>(c);
      const long long with_c = free_[sv] - best[sc] + free_[sc] + weight[sc];
      if (with_c > best[sv]) {
        best[sv] = with_c;
        choice[sv] = c;
      }
    }
  }
  std::vector<bool> taken(g.nodes.size(), false);  // matched to its parent
  std::vector<std::pair<int, int>> pairs;
  for (int v = count; v-- > 0;) {
    const auto sv = static_cast<std::size_t>(v);
    if (taken[sv] || choice[sv] < 0) continue;
    pairs.emplace_back(choice[sv], v);
    taken[static_cast<std::size_t>(choice[sv])] = true;
  }
  std::reverse(pairs.begin(), pairs.end());
  return pairs;
}

}  // namespace target_detail

}  // namespace dagen
