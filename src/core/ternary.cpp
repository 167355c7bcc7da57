// Fusing adder pairs into ternary adders (include/dagen/ternary.hpp).
#include "dagen/ternary.hpp"

#include <algorithm>
#include <cstddef>

#include "dagen/demanded_bits.hpp"

namespace dagen {

std::array<TernaryTerm, 3> ternary_terms(const AdderGraph& g, int outer, int inner) {
  const Node& n = g.at(outer);
  const Node& m = g.at(inner);
  const bool inner_first = n.a().node == inner;
  const int shift = inner_first ? n.a().shift : n.b().shift;
  const Operand ma{m.a().node, m.a().shift + shift}, mb{m.b().node, m.b().shift + shift};
  if (inner_first) return {{{ma, false}, {mb, m.sub}, {n.b(), n.sub}}};
  return {{{n.a(), false}, {ma, n.sub}, {mb, n.sub != m.sub}}};
}

TernaryChain ternary_chain(const AdderGraph& g, int outer, int inner, int demanded_top) {
  const Node& n = g.at(outer);
  const int w = n.type.width();
  const auto terms = ternary_terms(g, outer, inner);
  // Where each term's lowest possibly nonzero bit sits (w: the term is zero).
  std::array<int, 3> offset{};
  for (std::size_t k = 0; k < 3; ++k)
    offset[k] = operand_type(g, terms[k].operand).width() == 0
                    ? w
                    : std::min(w, operand_offset(g, n, terms[k].operand));
  TernaryChain c;
  c.lowest_term = static_cast<int>(std::min_element(offset.begin(), offset.end()) - offset.begin());
  std::array<int, 3> sorted = offset;
  std::sort(sorted.begin(), sorted.end());
  c.low = sorted[1];  // two terms meet here
  // A subtracted term is inverted with a +1 at the chain's first bit: it must start there.
  for (std::size_t k = 0; k < 3; ++k)
    if (terms[k].negated) c.low = std::min(c.low, offset[k]);
  c.top = std::max(c.low, std::min(w, demanded_top));
  return c;
}

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

int fuse_ternary_adders(AdderGraph& g, const std::vector<int>& stage) {
  const auto pairs = ternary_pairs(g, stage);
  for (Node& n : g.nodes) n.ternary_inner = -1;
  for (const auto& [inner, outer] : pairs) g.at(outer).ternary_inner = inner;
  return static_cast<int>(pairs.size());
}

}  // namespace dagen
