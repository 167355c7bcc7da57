// transpose: output axis k is input axis perm[k].
#include <algorithm>

#include "op_common.hpp"

namespace dagen {

using namespace ops;

TransposeOp TransposeOp::parse(const ParseContext& c, Shape& out) {
  check_op_keys(c, {"perm"});
  require_inputs(c, 1);
  const Shape& in = c.inputs[0];
  const std::string at = json_path(c.at, "perm");
  const nlohmann::json& p = require(c.node, "perm", c.at);
  if (!p.is_array() || p.size() != in.size())
    throw ModelError(at, "expected a permutation of the " + std::to_string(in.size()) +
                             " axes of shape " + to_string(in));
  TransposeOp op;
  std::vector<bool> seen(in.size(), false);
  for (std::size_t k = 0; k < p.size(); ++k) {
    const int a = static_cast<int>(
        parse_int(p[k], json_path(at, k), 0, static_cast<long long>(in.size()) - 1));
    if (seen[static_cast<std::size_t>(a)])
      throw ModelError(json_path(at, k), "axis " + std::to_string(a) + " appears twice");
    seen[static_cast<std::size_t>(a)] = true;
    op.perm.push_back(a);
  }
  out.clear();
  for (int a : op.perm) out.push_back(in[static_cast<std::size_t>(a)]);
  return op;
}

Gather TransposeOp::gather(const NodeContext& n) const {
  const Shape& in = n.inputs[0];
  Gather g;
  std::vector<int> src(in.size());
  for (std::size_t e = 0; e < element_count(n.shape); ++e) {
    const std::vector<int> idx = multi_index(n.shape, e);
    for (std::size_t k = 0; k < perm.size(); ++k) src[static_cast<std::size_t>(perm[k])] = idx[k];
    g.emplace_back(0, static_cast<int>(flat_index(in, src)));
  }
  return g;
}

}  // namespace dagen
