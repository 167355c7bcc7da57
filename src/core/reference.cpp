// Reference evaluation of a model, written from the specification: each op's
// exact semantics (src/ops/<op>.cpp, `reference`), node by node in document
// order.  It never looks at the adder graph.
#include "dagen/reference.hpp"

#include "dagen/diag.hpp"

namespace dagen {

namespace {

// Rearranging ops copy elements: their reference is their gather.
template <class T>
std::vector<Fixed> evaluate(const T& op, const ValueInputs& in, const NodeContext& n) {
  if constexpr (RearrangingOperation<T>) {
    std::vector<Fixed> y;
    for (const auto& [slot, e] : op.gather(n))
      y.push_back(in[static_cast<std::size_t>(slot)]->values[static_cast<std::size_t>(e)]);
    return y;
  } else {
    return op.reference(in, n);
  }
}

}  // namespace

std::vector<Fixed> evaluate_reference(const Model& model, const std::vector<i128>& input_codes) {
  std::vector<TensorValues> tensors;
  std::size_t next = 0;
  for (const ModelInput& in : model.inputs) {
    TensorValues t{in.shape, {}};
    for (const FixedType& type : in.types)
      t.values.push_back({input_codes.at(next++), type.frac_bits});
    tensors.push_back(std::move(t));
  }
  for (const ModelNode& node : model.nodes) {
    ValueInputs in;
    for (int t : node.inputs) in.push_back(&tensors[static_cast<std::size_t>(t)]);
    const NodeContext n = model.context_of(node);
    tensors.push_back(
        {node.shape, std::visit([&](const auto& op) { return evaluate(op, in, n); }, node.op)});
  }
  std::vector<Fixed> out;
  for (int t : model.outputs) {
    const auto& v = tensors[static_cast<std::size_t>(t)].values;
    out.insert(out.end(), v.begin(), v.end());
  }
  return out;
}

}  // namespace dagen
