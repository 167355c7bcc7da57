// scale: y = x * factor_c + bias_c per channel of the last axis (an unfolded
// BatchNormalization).  Linear, so it joins the CMVM of the op before it.
#include "op_common.hpp"

namespace dagen {

using namespace ops;

namespace {

// A number for every channel, or a list of one per channel.
std::vector<Fixed> per_channel(const nlohmann::json& v, int channels, const std::string& at) {
  if (v.is_array()) return parse_weights(v, {channels}, at);
  return std::vector<Fixed>(static_cast<std::size_t>(channels),
                            parse_exact_number(v, at, kMaxWeightFracBits));
}

}  // namespace

ScaleOp ScaleOp::parse(const ParseContext& c, Shape& out) {
  check_op_keys(c, {"factor", "bias"});
  require_inputs(c, 1);
  const int channels = last_axis(c.inputs[0]);
  ScaleOp op;
  op.factor = per_channel(require(c.node, "factor", c.at), channels, json_path(c.at, "factor"));
  op.bias = c.node.contains("bias")
                ? per_channel(c.node.at("bias"), channels, json_path(c.at, "bias"))
                : std::vector<Fixed>(static_cast<std::size_t>(channels), Fixed{});
  out = c.inputs[0];
  return op;
}

std::vector<Fixed> ScaleOp::reference(const ValueInputs& in, const NodeContext& n) const {
  std::vector<Fixed> y;
  const auto channels = static_cast<std::size_t>(last_axis(n.shape));
  for (std::size_t e = 0; e < in[0]->values.size(); ++e) {
    const std::size_t ch = e % channels;
    y.push_back(
        add_at(mul_at(in[0]->values[e], factor[ch], n.at, "a product of a factor and an input"),
               bias[ch], n.at));
  }
  return y;
}

LinearMap ScaleOp::linear(const NodeContext& n) const {
  LinearMap map;
  const auto channels = static_cast<std::size_t>(last_axis(n.shape));
  for (std::size_t e = 0; e < element_count(n.shape); ++e)
    map.push_back({{{0, static_cast<int>(e), factor[e % channels]}}, bias[e % channels]});
  return map;
}

}  // namespace dagen
