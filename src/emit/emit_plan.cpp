#include "emit_plan.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "dagen/diag.hpp"

namespace dagen::emit {

EmitPlan::EmitPlan(const AdderGraph& g, const Schedule& s)
    : g_(g),
      stage_(s.stage),
      latency_(s.latency),
      last_use_(g.nodes.size()),
      fused_inner_(g.nodes.size()) {
  if (s.stage.size() != g.nodes.size())
    throw InternalError("emitter: a schedule of " + std::to_string(s.stage.size()) +
                        " stages for " + std::to_string(g.nodes.size()) + " nodes");
  for (std::size_t id = 0; id < g.nodes.size(); ++id) {
    const int inner = g.nodes[id].ternary_inner;
    if (inner >= 0 && s.stage[static_cast<std::size_t>(inner)] != s.stage[id])
      throw InternalError("emitter: a fused adder pair straddles a register");
  }
  demanded_ = demanded_bits(g);
  for (const Node& n : g.nodes)
    if (n.ternary_inner >= 0) fused_inner_[static_cast<std::size_t>(n.ternary_inner)] = true;
  for (std::size_t id = 0; id < g.nodes.size(); ++id) last_use_[id] = stage_[id];
  auto use = [&](const Operand& o, int stage) {
    auto& u = last_use_[static_cast<std::size_t>(o.node)];
    u = std::max(u, stage);
  };
  for (const Node& n : g.nodes) for_each_operand(n, [&](const Operand& o) { use(o, stage_of(n)); });
  for (const Operand& o : g.outputs) use(o, s.latency);
  // Offsets summed once: per input they made the emitter quadratic in input.size.
  for (const FixedType& t : g.input_types)
    input_offset_.push_back(input_offset_.back() + t.width());
}

int EmitPlan::delay_depth(int id) const {
  const Node& n = g_.at(id);
  if (is_constant_value(n)) return 0;
  return std::max(last_use_[static_cast<std::size_t>(id)] - stage_of(n), 0);
}

bool EmitPlan::uses_add3() const {
  return std::any_of(g_.nodes.begin(), g_.nodes.end(),
                     [](const Node& n) { return n.ternary_inner >= 0; });
}

bool EmitPlan::uses_delay() const {
  for (std::size_t id = 0; id < g_.nodes.size(); ++id)
    if (delay_depth(static_cast<int>(id)) > 0) return true;
  return false;
}

Ref EmitPlan::ref(const Operand& o, int stage) const {
  const Node& n = g_.at(o.node);
  Ref r{"n" + std::to_string(o.node), 0, n.type.width(), n.type.is_signed,
        n.type.frac_bits - o.shift};
  if (!is_constant_value(n) && stage > stage_of(n)) {
    r.name += "_t";
    r.base = (stage - stage_of(n) - 1) * r.width;
  }
  return r;
}

void print_node(int input_offset, int id, const Node& n, const std::string& name, int w,
                NodePrinter& p) {
  switch (n.kind) {
    case NodeKind::Input:
      p.input(name, input_offset, w);
      break;
    case NodeKind::Const:
      p.constant(name, n.const_code, w);
      break;
    case NodeKind::Add:
      if (n.ternary_inner >= 0)
        p.ternary(id, n, name, w);
      else
        p.add(n, name, w);
      break;
    case NodeKind::Neg:
      p.neg(n, name, w);
      break;
    case NodeKind::Relu:
      p.relu(n, name, w);
      break;
    case NodeKind::Quantize:
      p.quantize(n, name, w);
      break;
    case NodeKind::Ge:
      p.compare(n, name);
      break;
    case NodeKind::Mux:
      p.mux(n, name, w);
      break;
    case NodeKind::Lookup:
      p.lookup(n, name, w);
      break;
  }
}

void print_nodes(const EmitPlan& plan, NodePrinter& p) {
  const AdderGraph& g = plan.graph();
  for (std::size_t k = 0; k < g.nodes.size(); ++k) {
    const int id = static_cast<int>(k);
    const Node& n = g.at(id);
    const int w = n.type.width();
    if (w == 0) continue;                // constant zero: consumers read zeros
    if (plan.fused_inner(id)) continue;  // part of its reader's three-input adder
    const std::string name = "n" + std::to_string(id);
    p.declare(name, w);
    if (n.kind != NodeKind::Const && is_constant_value(n)) {  // a value its interval decides
      p.constant(name, n.lo, w);
      continue;
    }
    print_node(n.kind == NodeKind::Input ? plan.input_offset(n.input_index) : 0, id, n, name, w, p);
    if (const int depth = plan.delay_depth(id); depth > 0) p.delay_line(name, w, depth);
  }
}

ComparePlan compare_plan(const EmitPlan& plan, const Node& n) {
  return compare_plan(plan.graph(), n, plan.ref(n.a(), plan.stage_of(n)),
                      plan.ref(n.b(), plan.stage_of(n)));
}

ComparePlan compare_plan(const AdderGraph& g, const Node& n, const Ref& a, const Ref& b) {
  const Comparison c = comparison(g, n);
  Ref kept = a;
  if (c.a_bits == 0)
    kept = {a.name, 0, 0, false, c.frac};
  else if (a.frac > c.frac)  // floored: its bits from -a_offset on
    kept = {a.name, a.base - c.a_offset, c.a_bits, a.is_signed, c.frac};
  return {c, kept, b};
}

PortLayout port_layout(const AdderGraph& g) {
  PortLayout p;
  for (const FixedType& t : g.input_types) {
    p.inputs.push_back({p.x_width, t.width(), t.is_signed, t.frac_bits});
    p.x_width += t.width();
  }
  for (const Operand& o : g.outputs) {
    const FixedType t = operand_type(g, o);
    p.outputs.push_back({p.y_width, t.width(), t.is_signed, t.frac_bits});
    p.y_width += t.width();
  }
  return p;
}

LookupCases lookup_cases(const AdderGraph& g, const Node& n) {
  const LookupTable& t = g.tables[static_cast<std::size_t>(n.table)];
  const Node& x = g.at(n.a().node);
  const auto first = static_cast<std::size_t>(x.lo - t.in_lo);
  const auto last = static_cast<std::size_t>(x.hi - t.in_lo);
  std::map<i128, std::size_t> count;
  LookupCases c{t.values[first], {}};
  for (std::size_t k = first; k <= last; ++k) {
    const std::size_t seen = ++count[t.values[k]];
    if (seen > count[c.fallback]) c.fallback = t.values[k];
  }
  for (std::size_t k = first; k <= last; ++k)
    if (t.values[k] != c.fallback)
      c.cases.emplace_back(t.in_lo + static_cast<i128>(k), t.values[k]);
  return c;
}

namespace {

// Whether code * 2^up lies above hi (>= 0) or below low (<= 0), without forming a
// product wider than an i128: such a product is beyond every limit of a 120-bit type.
bool shifted_above(i128 code, int up, i128 hi) {
  if (code <= 0) return false;
  return bit_length(code) + up > 126 || shift_left(code, up) > hi;
}
bool shifted_below(i128 code, int up, i128 low) {
  if (code >= 0) return false;
  return bit_length(code) + up > 126 || shift_left(code, up) < low;
}

}  // namespace

QuantizePlan quantize_plan(const AdderGraph& g, const Node& n, const Ref& a) {
  const Node& src = g.at(n.a().node);
  const FixedType& t = n.quant_to;
  const int ft = t.frac_bits;
  // Rounded to the target grid.  An up-shifted code may pass 127 bits (a source
  // on grid 2^47 quantized to 2^-168): then the type comes from the source's type
  // and the saturation tests from shifted_above/below.
  const int up = std::max(ft - a.frac, 0);
  i128 rlo = 0, rhi = 0;
  FixedType rt;
  bool wide = false;
  try {
    rlo = round_to_frac({src.lo, a.frac}, ft, n.rounding);
    rhi = round_to_frac({src.hi, a.frac}, ft, n.rounding);
    rt = type_for_codes(rlo, rhi, ft);
  } catch (const std::overflow_error&) {  // only when up > 0: rounding down cannot overflow
    wide = true;
    rt = {a.is_signed, a.width - (a.is_signed ? 1 : 0) - a.frac, ft};  // width + up bits
  }
  QuantizePlan q;
  q.r = {"", 0, rt.width(), rt.is_signed, ft};
  if (ft < a.frac) {
    q.drop = a.frac - ft;
    q.wx = q.r.width + q.drop;
    q.round = n.rounding == Rounding::RND;
  }
  q.hi = t.max_code();
  q.low = (n.overflow == Overflow::SAT_SYM && t.is_signed) ? -q.hi : t.min_code();
  const bool sat = n.overflow != Overflow::WRAP;
  q.need_hi = sat && (wide ? shifted_above(src.hi, up, q.hi) : rhi > q.hi);
  q.need_lo = sat && (wide ? shifted_below(src.lo, up, q.low) : rlo < q.low);
  q.wc = std::max(q.r.width, n.type.width()) + 1;
  return q;
}

}  // namespace dagen::emit
