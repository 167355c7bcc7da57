// What a fused adder pair computes (include/dagen/ternary.hpp): its three terms and
// the span of its carry chain.  This is the meaning of the IR's ternary marks, read by
// demanded_bits() and the emitter; which pairs to fuse is device knowledge
// (src/target/ternary_fusion.cpp).
#include "dagen/ternary.hpp"

#include <algorithm>
#include <cstddef>

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

}  // namespace dagen
