// quantize: to a fixed-point type per element with TRN/RND rounding and
// WRAP/SAT/SAT_SYM overflow (docs/model-format.md).
#include "dagen/graph_builder.hpp"
#include "op_common.hpp"

namespace dagen {

using namespace ops;

QuantizeOp QuantizeOp::parse(const ParseContext& c, Shape& out) {
  check_op_keys(c, {"to", "rounding", "overflow"});
  require_inputs(c, 1);
  QuantizeOp q;
  q.to = parse_types(require(c.node, "to", c.at), element_count(c.inputs[0]), json_path(c.at, "to"),
                     c.version1 ? "the layer" : "the tensor");
  if (c.node.contains("rounding"))
    q.rounding = parse_rounding(c.node.at("rounding"), json_path(c.at, "rounding"));
  if (c.node.contains("overflow"))
    q.overflow = parse_overflow(c.node.at("overflow"), json_path(c.at, "overflow"));
  out = c.inputs[0];
  return q;
}

std::vector<Fixed> QuantizeOp::reference(const ValueInputs& in, const NodeContext&) const {
  std::vector<Fixed> y;
  for (std::size_t i = 0; i < in[0]->values.size(); ++i)
    y.push_back({quantize(in[0]->values[i], to[i], rounding, overflow), to[i].frac_bits});
  return y;
}

std::vector<Operand> QuantizeOp::lower(GraphBuilder& b, const OperandInputs& in,
                                       const NodeContext&) const {
  std::vector<Operand> y;
  for (std::size_t i = 0; i < in[0]->elements.size(); ++i)
    y.push_back(b.quantize(in[0]->elements[i], to[i], rounding, overflow));
  return y;
}

}  // namespace dagen
