// Lowering: Model -> AdderGraph.  Each dense layer becomes a CMVM problem
// solved by the optimizer; ReLU and quantize become single nodes.
#pragma once

#include "dagen/adder_graph.hpp"
#include "dagen/cmvm.hpp"
#include "dagen/model.hpp"

namespace dagen {

struct LowerOptions {
  cmvm::Options cmvm;
};

// Throws ModelError (naming the layer) when a layer exceeds the width limits.
AdderGraph lower_model(const Model& model, const LowerOptions& options);

}  // namespace dagen
