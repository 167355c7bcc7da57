// reshape (one -1 allowed) and flatten: the same elements in the same C order.
#include "op_common.hpp"

namespace dagen {

using namespace ops;

ReshapeOp ReshapeOp::parse_reshape(const ParseContext& c, Shape& out) {
  check_op_keys(c, {"shape"});
  require_inputs(c, 1);
  const std::size_t n = element_count(c.inputs[0]);
  const std::string at = json_path(c.at, "shape");
  const nlohmann::json& s = require(c.node, "shape", c.at);
  if (!s.is_array()) throw ModelError(at, "expected a list of dimensions");
  out.clear();
  int unknown = -1;
  std::size_t known = 1;
  for (std::size_t k = 0; k < s.size(); ++k) {
    const int d = static_cast<int>(parse_int(s[k], json_path(at, k), -1, kMaxTensorSize));
    if (d == 0) throw ModelError(json_path(at, k), "a dimension must be positive (or -1)");
    if (d == -1) {
      if (unknown >= 0) throw ModelError(json_path(at, k), "only one dimension may be -1");
      unknown = static_cast<int>(k);
    } else {
      known *= static_cast<std::size_t>(d);
      if (known > n) break;
    }
    out.push_back(d);
  }
  if (unknown >= 0 && known <= n && n % known == 0)
    out[static_cast<std::size_t>(unknown)] = static_cast<int>(n / known);
  if (out.size() != s.size() || (unknown < 0 && known != n) || (unknown >= 0 && n % known != 0))
    throw ModelError(at, "cannot reshape " + std::to_string(n) + " elements (shape " +
                             to_string(c.inputs[0]) + ") to " + s.dump());
  return {};
}

ReshapeOp ReshapeOp::parse_flatten(const ParseContext& c, Shape& out) {
  check_op_keys(c, {});
  require_inputs(c, 1);
  out = {static_cast<int>(element_count(c.inputs[0]))};
  return {};
}

Gather ReshapeOp::gather(const NodeContext& n) const {
  Gather g;
  for (std::size_t e = 0; e < element_count(n.shape); ++e) g.emplace_back(0, static_cast<int>(e));
  return g;
}

}  // namespace dagen
