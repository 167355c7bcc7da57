// dense: y[..., j] = sum_i x[..., i] * weights[i][j] + bias[j] on the last axis
// (einsum "...c,cd->...d"); every leading position is one row of the same CMVM.
#include "op_common.hpp"

namespace dagen {

using namespace ops;

DenseOp DenseOp::parse(const ParseContext& c, Shape& out) {
  check_op_keys(c, {"weights", "bias"});
  require_inputs(c, 1);
  require_rank(c, 1, true, "an input with at least one axis");
  const auto n_in = static_cast<std::size_t>(c.inputs[0].back());
  const std::string wat = json_path(c.at, "weights");
  const nlohmann::json& w = require(c.node, "weights", c.at);
  // The shape checks of version 1, with its messages.
  if (!w.is_array()) throw ModelError(wat, "expected a list of rows (one per input)");
  if (w.size() != n_in)
    throw ModelError(wat, "has " + std::to_string(w.size()) + " rows but the layer has " +
                              std::to_string(n_in) + " inputs (weights are [n_in][n_out])");
  std::size_t n_out = 0;
  for (std::size_t i = 0; i < n_in; ++i) {
    const std::string rat = json_path(wat, i);
    if (!w[i].is_array()) throw ModelError(rat, "expected a list of numbers (one per output)");
    if (i == 0) n_out = w[i].size();
    if (n_out == 0) throw ModelError(rat, "a dense layer needs at least one output");
    if (w[i].size() != n_out)
      throw ModelError(rat, "has " + std::to_string(w[i].size()) + " entries, row 0 has " +
                                std::to_string(n_out));
  }
  DenseOp d;
  d.n_in = static_cast<int>(n_in);
  d.n_out = static_cast<int>(n_out);
  d.weights = parse_weights(w, {d.n_in, d.n_out}, wat);
  d.bias.assign(n_out, Fixed{});
  if (c.node.contains("bias")) {
    const std::string bat = json_path(c.at, "bias");
    const nlohmann::json& b = c.node.at("bias");
    if (!b.is_array()) throw ModelError(bat, "expected a list of numbers (one per output)");
    if (b.size() != n_out)
      throw ModelError(bat, "has " + std::to_string(b.size()) + " entries but the layer has " +
                                std::to_string(n_out) + " outputs");
    d.bias = parse_number_array(b, {d.n_out}, bat, kMaxWeightFracBits);
  }
  out = c.inputs[0];
  out.back() = d.n_out;
  if (element_count(out) > c.max_elements)
    throw ModelError(c.at, "output shape " + to_string(out) + " exceeds the limit of " +
                               std::to_string(c.max_elements) + " elements (docs/limits.md)");
  return d;
}

std::vector<Fixed> DenseOp::reference(const ValueInputs& in, const NodeContext& n) const {
  const std::vector<Fixed>& x = in[0]->values;
  const std::size_t rows = element_count(n.shape) / static_cast<std::size_t>(n_out);
  std::vector<Fixed> y;
  y.reserve(element_count(n.shape));
  for (std::size_t r = 0; r < rows; ++r) {
    for (int j = 0; j < n_out; ++j) {
      Fixed sum = bias[static_cast<std::size_t>(j)];
      for (int i = 0; i < n_in; ++i) {
        const Fixed& w = weights[static_cast<std::size_t>(i * n_out + j)];
        const Fixed& xi = x[r * static_cast<std::size_t>(n_in) + static_cast<std::size_t>(i)];
        if (w.code == 0 || xi.code == 0) continue;
        sum = add_at(sum, mul_at(w, xi, n.at, "a product of a weight and an input"), n.at);
      }
      y.push_back(sum);
    }
  }
  return y;
}

LinearMap DenseOp::linear(const NodeContext& n) const {
  const std::size_t rows = element_count(n.shape) / static_cast<std::size_t>(n_out);
  LinearMap map;
  map.reserve(element_count(n.shape));
  for (std::size_t r = 0; r < rows; ++r) {
    for (int j = 0; j < n_out; ++j) {
      LinearForm f;
      f.bias = bias[static_cast<std::size_t>(j)];
      for (int i = 0; i < n_in; ++i)
        f.terms.push_back(
            {0, static_cast<int>(r) * n_in + i, weights[static_cast<std::size_t>(i * n_out + j)]});
      map.push_back(std::move(f));
    }
  }
  return map;
}

}  // namespace dagen
