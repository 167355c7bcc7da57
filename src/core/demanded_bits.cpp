// Backward demanded-bits analysis over the AdderGraph (see demanded_bits.hpp).  The
// bit positions follow the emitter (src/emit/verilog.cpp): an operand's bit j sits at
// bit j + (node frac - operand frac) of the node that reads it.
#include "dagen/demanded_bits.hpp"

#include "dagen/ternary.hpp"

namespace dagen {
namespace {

class Demand {
 public:
  explicit Demand(const AdderGraph& g) : g_(g), span_(g.nodes.size()), seen_(g.nodes.size()) {}

  std::vector<BitSpan> run() && {
    for (const Operand& o : g_.outputs) need(o, 0, g_.at(o.node).type.width(), 0);
    for (int id = static_cast<int>(g_.nodes.size()) - 1; id >= 0; --id)
      if (seen_[static_cast<std::size_t>(id)]) propagate(id);
    return std::move(span_);
  }

 private:
  // The reader needs bits [low, top) of operand `o`, given in the reader's bit
  // positions where the operand's bit 0 sits at `offset`; bits above the operand's
  // width are copies of its sign bit (or zeros, which need nothing).
  void need(const Operand& o, int low, int top, int offset) {
    const Node& n = g_.at(o.node);
    const int w = n.type.width();
    if (w == 0) return;
    low = std::max(low - offset, 0);
    top = std::min(top - offset, w);
    if (n.type.is_signed && low >= w && top == w) low = w - 1;  // sign copies only
    if (top <= low) return;
    BitSpan& s = span_[static_cast<std::size_t>(o.node)];
    auto seen = seen_[static_cast<std::size_t>(o.node)];
    if (!seen) s = {low, top};
    s = {std::min(s.low, low), std::max(s.top, top)};
    seen = true;
  }

  void propagate(int id) {
    const Node& n = g_.at(id);
    const BitSpan s = span_[static_cast<std::size_t>(id)];
    if (is_constant_value(n)) return;  // emitted as a literal: reads nothing
    switch (n.kind) {
      case NodeKind::Input:
      case NodeKind::Const:
        return;
      case NodeKind::Add: {
        if (n.ternary_inner >= 0) {
          ternary(id, n, s);
          return;
        }
        // Passed-through low bits are needed only where demanded; above them every
        // operand bit below the top feeds the carry chain.
        const int low = std::min(s.low, passed_through_bits(g_, n));
        need(n.a(), low, s.top, operand_offset(g_, n, n.a()));
        need(n.b(), low, s.top, operand_offset(g_, n, n.b()));
        return;
      }
      case NodeKind::Neg:
        need(n.a(), 0, s.top, operand_offset(g_, n, n.a()));
        return;
      case NodeKind::Relu: {
        const Node& a = g_.at(n.a().node);
        const int oa = operand_offset(g_, n, n.a());
        need(n.a(), s.low, s.top, oa);
        if (a.type.is_signed) need(n.a(), a.type.width() - 1 + oa, a.type.width() + oa, oa);
        return;
      }
      case NodeKind::Quantize:
        quantize(n, s);
        return;
      case NodeKind::Ge: {
        // The sign of a - b on b's grid: every bit of b, a's from its lowest kept bit
        // (emit_compare in src/emit/verilog.cpp).
        const Comparison c = comparison(g_, n);
        need(n.a(), 0, c.width, c.a_offset);
        need(n.b(), 0, c.width, 0);
        return;
      }
      case NodeKind::Mux: {
        // Each output bit is the same bit of the picked operand (a sign copy above a
        // narrower signed one); a known select picks one operand without a mux.
        const Node& sel = g_.at(n.operand(0).node);
        if (sel.lo != sel.hi) need(n.operand(0), 0, 1, 0);
        for (std::size_t k = 1; k <= 2; ++k)
          if (sel.lo != sel.hi || (sel.lo != 0) == (k == 1))
            need(n.operand(k), s.low, s.top, operand_offset(g_, n, n.operand(k)));
        return;
      }
      case NodeKind::Lookup:
        // Every output bit depends on the whole index.
        need(n.a(), 0, g_.at(n.a().node).type.width(), 0);
        return;
    }
  }

  // A fused pair adds its three terms in one chain at the outer node's width
  // (src/emit/verilog.cpp, emit_ternary): every term must be right up to the
  // outer's demanded top, even where the inner adder alone would have wrapped at
  // its narrower width.  Below the chain's low end one term is wired through.  The
  // inner adder itself is not built, so it demands nothing (an empty span).
  void ternary(int id, const Node& n, const BitSpan& s) {
    const TernaryChain chain = ternary_chain(g_, id, n.ternary_inner, s.top);
    const int low = std::min(s.low, chain.low);
    for (const TernaryTerm& t : ternary_terms(g_, id, n.ternary_inner))
      need(t.operand, low, s.top, operand_offset(g_, n, t.operand));
  }

  // emit_quantize: r = the operand rounded onto the target grid (its k low bits
  // dropped, after adding half of the last kept bit for RND), then saturated or
  // wrapped; operand bit j is bit j - k of r.  Saturation compares all of r.
  void quantize(const Node& n, const BitSpan& s) {
    const Node& a = g_.at(n.a().node);
    const int k = a.type.frac_bits - n.a().shift - n.quant_to.frac_bits;
    const bool saturates = n.overflow != Overflow::WRAP;
    const bool rounds = n.rounding == Rounding::RND && k > 0;
    const int low = rounds ? k - 1 : saturates ? std::max(k, 0) : s.low + k;
    const int top = saturates ? a.type.width() : s.top + k;
    need(n.a(), low, top, 0);
  }

  const AdderGraph& g_;
  std::vector<BitSpan> span_;
  std::vector<bool> seen_;
};

}  // namespace

std::vector<BitSpan> demanded_bits(const AdderGraph& g) { return Demand(g).run(); }

}  // namespace dagen
