// concat: inputs joined along `axis` (default -1); the other axes must agree.
#include "op_common.hpp"

namespace dagen {

using namespace ops;

ConcatOp ConcatOp::parse(const ParseContext& c, Shape& out) {
  check_op_keys(c, {"axis"});
  require_inputs(c, 1, true);
  const Shape& first = c.inputs[0];
  const int rank = static_cast<int>(first.size());
  ConcatOp op;
  op.axis = c.node.contains("axis") ? parse_axis(c.node.at("axis"), rank, json_path(c.at, "axis"))
                                    : parse_axis(nlohmann::json(-1), rank, c.at);
  out = first;
  for (std::size_t k = 1; k < c.inputs.size(); ++k) {
    const Shape& s = c.inputs[k];
    bool ok = s.size() == first.size();
    for (std::size_t a = 0; ok && a < s.size(); ++a)
      ok = static_cast<int>(a) == op.axis || s[a] == first[a];
    if (!ok)
      throw ModelError(c.at, "input " + std::to_string(k) + " has shape " + to_string(s) +
                                 ", which does not match input 0's " + to_string(first) +
                                 " on every axis but " + std::to_string(op.axis));
    // Each dimension is at most max_elements, so the sum cannot overflow.
    out[static_cast<std::size_t>(op.axis)] += s[static_cast<std::size_t>(op.axis)];
    if (element_count(out) > c.max_elements)
      throw ModelError(c.at, "output shape " + to_string(out) + " exceeds the limit of " +
                                 std::to_string(c.max_elements) + " elements (docs/limits.md)");
  }
  return op;
}

Gather ConcatOp::gather(const NodeContext& n) const {
  Gather g;
  const auto a = static_cast<std::size_t>(axis);
  for (std::size_t e = 0; e < element_count(n.shape); ++e) {
    std::vector<int> idx = multi_index(n.shape, e);
    int slot = 0;
    while (idx[a] >= n.inputs[static_cast<std::size_t>(slot)][a])
      idx[a] -= n.inputs[static_cast<std::size_t>(slot++)][a];
    g.emplace_back(slot,
                   static_cast<int>(flat_index(n.inputs[static_cast<std::size_t>(slot)], idx)));
  }
  return g;
}

}  // namespace dagen
