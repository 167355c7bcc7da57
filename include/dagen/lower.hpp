// Lowering: Model -> AdderGraph (src/passes/lower.cpp).  Linear ops become
// CMVM problems solved by the optimizer; the other ops build their own nodes.
#pragma once

#include "dagen/adder_graph.hpp"
#include "dagen/cmvm.hpp"
#include "dagen/model.hpp"

namespace dagen {

struct LowerOptions {
  cmvm::Options cmvm;
};

// Size limits of one CMVM problem (a row of a dense or conv layer), checked before any optimisation (docs/limits.md):
// digit pairs the shared optimiser counts, sum over outputs of (CSD digits)^2...
inline constexpr double kMaxLayerDigitPairs = 134217728;  // 2^27: dense 256 x 256, 33 s, 1.5 GB
// ...and coefficient entries, CSD digits x inputs (also without sharing).
inline constexpr double kMaxLayerCoefficients = 134217728;  // 2^27

// Throws ModelError (naming the layer) when a layer exceeds the width or size limits.
AdderGraph lower_model(const Model& model, const LowerOptions& options);

}  // namespace dagen
