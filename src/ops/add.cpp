// add (two or more inputs) and sub (a - b), element-wise on identical shapes.
#include "op_common.hpp"

namespace dagen {

using namespace ops;

AddOp AddOp::parse_add(const ParseContext& c, Shape& out) {
  check_op_keys(c, {});
  require_inputs(c, 2, true);
  require_same_shapes(c);
  out = c.inputs[0];
  return {};
}

AddOp AddOp::parse_sub(const ParseContext& c, Shape& out) {
  check_op_keys(c, {});
  require_inputs(c, 2);
  require_same_shapes(c);
  out = c.inputs[0];
  return {true};
}

std::vector<Fixed> AddOp::reference(const ValueInputs& in, const NodeContext& n) const {
  std::vector<Fixed> y = in[0]->values;
  for (std::size_t k = 1; k < in.size(); ++k)
    for (std::size_t e = 0; e < y.size(); ++e) {
      Fixed v = in[k]->values[e];
      if (subtract) v.code = -v.code;
      y[e] = add_at(y[e], v, n.at);
    }
  return y;
}

LinearMap AddOp::linear(const NodeContext& n) const {
  LinearMap map(element_count(n.shape));
  for (std::size_t e = 0; e < map.size(); ++e)
    for (std::size_t k = 0; k < n.inputs.size(); ++k)
      map[e].terms.push_back(
          {static_cast<int>(k), static_cast<int>(e), Fixed{subtract && k == 1 ? -1 : 1, 0}});
  return map;
}

}  // namespace dagen
