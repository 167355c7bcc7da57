// relu: max(x, 0) element-wise.
#include <algorithm>

#include "dagen/graph_builder.hpp"
#include "op_common.hpp"

namespace dagen {

using namespace ops;

ReluOp ReluOp::parse(const ParseContext& c, Shape& out) {
  check_op_keys(c, {});
  require_inputs(c, 1);
  out = c.inputs[0];
  return {};
}

std::vector<Fixed> ReluOp::reference(const ValueInputs& in, const NodeContext&) const {
  std::vector<Fixed> y = in[0]->values;
  for (Fixed& v : y) v.code = std::max<i128>(v.code, 0);
  return y;
}

std::vector<Operand> ReluOp::lower(GraphBuilder& b, const OperandInputs& in,
                                   const NodeContext&) const {
  std::vector<Operand> y;
  for (const Operand& x : in[0]->elements) y.push_back(b.relu(x));
  return y;
}

}  // namespace dagen
