// The bit-exact reference model: evaluates a Model straight from the semantics
// of model.json (docs/model-format.md), independently of the adder graph.
#pragma once

#include <vector>

#include "dagen/fixed.hpp"
#include "dagen/model.hpp"

namespace dagen {

// Input codes (one per input element, in the input types) -> exact output values.
std::vector<Fixed> evaluate_reference(const Model& model, const std::vector<i128>& input_codes);

}  // namespace dagen
