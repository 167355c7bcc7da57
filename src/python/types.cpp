// The element types of a model's and a design's outputs.
#include "bindings.hpp"
#include "dagen/lower.hpp"

namespace dagen::python {

const std::vector<FixedType>& PyModel::output_types() const {
  std::call_once(once_, [&] {
    // Without sharing every output is one sum of its terms, so its interval is the
    // rules' (a built design may prove a tighter one: its report says).
    cmvm::Options plain;
    plain.share = false;
    const AdderGraph g = lower_model(*model, {plain});
    for (const Operand& o : g.outputs) output_types_.push_back(operand_type(g, o));
  });
  return output_types_;
}

const BatchReference& PyModel::batch_reference() const {
  std::call_once(batch_once_, [&] { batch_ = std::make_unique<BatchReference>(*model); });
  return *batch_;
}

pybind11::list PyDesign::output_types() const {
  pybind11::list l;
  for (const PortElement& e : design.emitted.outputs) {
    pybind11::dict d;
    d["width"] = e.width;
    d["signed"] = e.is_signed;
    d["frac_bits"] = e.frac_bits;
    d["offset"] = e.offset;
    l.append(d);
  }
  return l;
}

}  // namespace dagen::python
