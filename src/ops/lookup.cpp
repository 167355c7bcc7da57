// lookup: y = table[code_domain(x) - min code of domain] element-wise.  In
// hardware a truth table per element over only the codes its input can take
// (its exact interval); identical (table, input) pairs share one instance.
#include "dagen/graph_builder.hpp"
#include "op_common.hpp"

namespace dagen {

using namespace ops;

LookupOp LookupOp::parse(const ParseContext& c, Shape& out) {
  check_op_keys(c, {"domain", "table", "to"});
  require_inputs(c, 1);
  LookupOp op;
  const std::string dat = json_path(c.at, "domain");
  op.domain = parse_type(require(c.node, "domain", c.at), dat);
  if (op.domain.width() > kMaxLookupBits)
    throw ModelError(dat, "a domain of " + std::to_string(op.domain.width()) +
                              " bits is wider than the limit of " + std::to_string(kMaxLookupBits) +
                              " bits (docs/limits.md)");
  const std::size_t entries = std::size_t{1} << op.domain.width();
  const std::string tat = json_path(c.at, "table");
  const nlohmann::json& t = require(c.node, "table", c.at);
  if (!t.is_array() || t.size() != entries)
    throw ModelError(tat, "expected " + std::to_string(entries) + " entries (2^" +
                              std::to_string(op.domain.width()) + ", one per code of the domain " +
                              to_string(op.domain) + "), got " +
                              (t.is_array() ? std::to_string(t.size()) : t.dump()));
  op.table = parse_number_array(t, {static_cast<int>(entries)}, tat, kMaxExponent);
  op.to = parse_types(require(c.node, "to", c.at), element_count(c.inputs[0]),
                      json_path(c.at, "to"), "the tensor");
  for (std::size_t k = 0; k < entries; ++k) {
    for (std::size_t e = 0; e < op.to.size(); ++e) {
      const FixedType& to = op.to[e];
      if (e > 0 && to == op.to[e - 1]) continue;
      if (!on_grid(op.table[k], to.frac_bits) ||
          !code_in_type(code_on_grid(op.table[k], to.frac_bits), to))
        throw ModelError(
            json_path(tat, k),
            to_decimal_string(op.table[k]) + " is not representable in the output type " +
                to_string(to) +
                (c.node.at("to").is_array() ? " of element " + std::to_string(e) : ""));
    }
  }
  out = c.inputs[0];
  return op;
}

namespace {

// The table entry of value v, or nullopt when v is not a value of the domain.
const Fixed* entry_of(const LookupOp& op, const Fixed& v) {
  if (!on_grid(v, op.domain.frac_bits)) return nullptr;
  const Fixed n = normalized(v);
  if (n.code != 0 && bit_length(n.code) + (op.domain.frac_bits - n.frac) > kMaxWidth + 1)
    return nullptr;
  const i128 code = code_on_grid(v, op.domain.frac_bits);
  if (!code_in_type(code, op.domain)) return nullptr;
  return &op.table[static_cast<std::size_t>(code - op.domain.min_code())];
}

}  // namespace

std::vector<Fixed> LookupOp::reference(const ValueInputs& in, const NodeContext& n) const {
  std::vector<Fixed> y;
  for (std::size_t e = 0; e < in[0]->values.size(); ++e) {
    const Fixed* t = entry_of(*this, in[0]->values[e]);
    if (!t)
      throw ModelError(n.at, "element " + std::to_string(e) + " is " +
                                 to_decimal_string(in[0]->values[e]) +
                                 ", not a value of the domain " + to_string(domain));
    y.push_back(normalized(*t));
  }
  return y;
}

std::vector<Operand> LookupOp::lower(GraphBuilder& b, const OperandInputs& in,
                                     const NodeContext& n) const {
  std::vector<Operand> y;
  for (std::size_t e = 0; e < in[0]->elements.size(); ++e) {
    const Operand& x = in[0]->elements[e];
    const Fixed lo = b.lo(x), hi = b.hi(x);
    const Fixed* first = entry_of(*this, lo);
    const Fixed* last = entry_of(*this, hi);
    // Every value x can take must be a code of the domain: both ends inside it,
    // and x's grid no finer than the domain's unless x is one constant.
    if (!first || !last || (lo.code != b.graph().at(x.node).hi && lo.frac > domain.frac_bits))
      throw ModelError(n.at, "element " + std::to_string(e) + " takes values in [" +
                                 to_decimal_string(lo) + ", " + to_decimal_string(hi) +
                                 "] on the grid 2^" + std::to_string(-lo.frac) +
                                 ", not all of them values of the domain " + to_string(domain));
    if (b.is_constant(x)) {
      y.push_back(b.quantize(b.constant(*first), to[e], Rounding::TRN, Overflow::WRAP));
      continue;
    }
    LookupTable t;
    t.in_lo = b.graph().at(x.node).lo;
    t.out_frac = to[e].frac_bits;
    const int step = domain.frac_bits - lo.frac;  // x's grid in domain codes
    const i128 count = b.graph().at(x.node).hi - t.in_lo + 1;
    const i128 base = shift_left(t.in_lo, step) - domain.min_code();
    for (i128 k = 0; k < count; ++k)
      t.values.push_back(
          code_on_grid(table[static_cast<std::size_t>(base + shift_left(k, step))], t.out_frac));
    // The output has the `to` type (a port reads it so): an exact quantizer, only wiring.
    y.push_back(b.quantize(b.lookup(x, std::move(t)), to[e], Rounding::TRN, Overflow::WRAP));
  }
  return y;
}

}  // namespace dagen
