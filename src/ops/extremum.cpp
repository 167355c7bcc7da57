// max / min: element-wise over two or more inputs of one shape; a comparator
// (a subtract's sign on the carry chain) and a mux per pair, as a balanced tree.
#include <algorithm>

#include "dagen/graph_builder.hpp"
#include "op_common.hpp"

namespace dagen {

using namespace ops;

namespace {

ExtremumOp parse_extremum(const ParseContext& c, Shape& out, bool maximum) {
  check_op_keys(c, {});
  require_inputs(c, 2, true);
  require_same_shapes(c);
  out = c.inputs[0];
  return {maximum};
}

}  // namespace

ExtremumOp ExtremumOp::parse_max(const ParseContext& c, Shape& out) {
  return parse_extremum(c, out, true);
}
ExtremumOp ExtremumOp::parse_min(const ParseContext& c, Shape& out) {
  return parse_extremum(c, out, false);
}

std::vector<Fixed> ExtremumOp::reference(const ValueInputs& in, const NodeContext&) const {
  std::vector<Fixed> y = in[0]->values;
  for (std::size_t k = 1; k < in.size(); ++k)
    for (std::size_t e = 0; e < y.size(); ++e) {
      const int c = compare(in[k]->values[e], y[e]);
      if (maximum ? c > 0 : c < 0) y[e] = in[k]->values[e];
    }
  return y;
}

std::vector<Operand> ExtremumOp::lower(GraphBuilder& b, const OperandInputs& in,
                                       const NodeContext&) const {
  std::vector<Operand> y;
  for (std::size_t e = 0; e < in[0]->elements.size(); ++e) {
    std::vector<Operand> xs;
    for (const TensorOperands* t : in) xs.push_back(t->elements[e]);
    y.push_back(b.extremum(xs, maximum));
  }
  return y;
}

}  // namespace dagen
