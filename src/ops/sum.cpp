// sum: the exact sum over `axes` (negative counts from the end), which are removed.
#include <algorithm>

#include "op_common.hpp"

namespace dagen {

using namespace ops;

SumOp SumOp::parse(const ParseContext& c, Shape& out) {
  check_op_keys(c, {"axes"});
  require_inputs(c, 1);
  const Shape& in = c.inputs[0];
  const std::string at = json_path(c.at, "axes");
  const nlohmann::json& axes = require(c.node, "axes", c.at);
  if (!axes.is_array() || axes.empty()) throw ModelError(at, "expected a non-empty list of axes");
  SumOp op;
  for (std::size_t k = 0; k < axes.size(); ++k) {
    const int a = parse_axis(axes[k], static_cast<int>(in.size()), json_path(at, k));
    if (std::find(op.axes.begin(), op.axes.end(), a) != op.axes.end())
      throw ModelError(json_path(at, k), "axis " + std::to_string(a) + " appears twice");
    op.axes.push_back(a);
  }
  std::sort(op.axes.begin(), op.axes.end());
  out.clear();
  for (std::size_t a = 0; a < in.size(); ++a)
    if (!std::binary_search(op.axes.begin(), op.axes.end(), static_cast<int>(a)))
      out.push_back(in[a]);
  return op;
}

namespace {

// The output element each input element adds into.
std::size_t target_of(const SumOp& op, const Shape& in, const Shape& out, std::size_t e) {
  const std::vector<int> idx = multi_index(in, e);
  std::vector<int> kept;
  for (std::size_t a = 0; a < in.size(); ++a)
    if (!std::binary_search(op.axes.begin(), op.axes.end(), static_cast<int>(a)))
      kept.push_back(idx[a]);
  return flat_index(out, kept);
}

}  // namespace

std::vector<Fixed> SumOp::reference(const ValueInputs& in, const NodeContext& n) const {
  std::vector<Fixed> y(element_count(n.shape));
  for (std::size_t e = 0; e < in[0]->values.size(); ++e) {
    Fixed& t = y[target_of(*this, in[0]->shape, n.shape, e)];
    t = add_at(t, in[0]->values[e], n.at);
  }
  return y;
}

LinearMap SumOp::linear(const NodeContext& n) const {
  LinearMap map(element_count(n.shape));
  for (std::size_t e = 0; e < element_count(n.inputs[0]); ++e)
    map[target_of(*this, n.inputs[0], n.shape, e)].terms.push_back(
        {0, static_cast<int>(e), Fixed{1, 0}});
  return map;
}

}  // namespace dagen
