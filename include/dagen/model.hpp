// The Model: what the user wrote in model.json (layers, weights, fixed-point types).
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "dagen/cmvm.hpp"
#include "dagen/fixed.hpp"

namespace dagen {

// Weights are exact binary fractions with at most this many fractional bits...
inline constexpr int kMaxWeightFracBits = 32;
// ...and, scaled to the layer's finest grid, integers below 2^kMaxWeightSpanBits.
inline constexpr int kMaxWeightSpanBits = 48;

// input.size: 65,536 plain wires take about 2 s and 0.4 GB (docs/limits.md).
inline constexpr int kMaxInputSize = 1 << 16;

struct DenseLayer {
  std::string name;
  // weight(i, j) = weights(i, j) * 2^-weight_frac; rows = inputs, columns = outputs.
  cmvm::IntMatrix weights;
  int weight_frac = 0;
  // bias_j = bias[j] * 2^-bias_frac (all zero when the layer has no bias).
  std::vector<i128> bias;
  int bias_frac = 0;
  int n_in() const { return static_cast<int>(weights.rows()); }
  int n_out() const { return static_cast<int>(weights.cols()); }
};

struct ReluLayer {};

struct QuantizeLayer {
  std::vector<FixedType> to;  // one per element
  Rounding rounding = Rounding::TRN;
  Overflow overflow = Overflow::WRAP;
};

using Layer = std::variant<DenseLayer, ReluLayer, QuantizeLayer>;

struct Model {
  std::string name;
  std::vector<FixedType> input_types;
  std::vector<Layer> layers;
  std::vector<std::string> layer_paths;  // "layers[k]" for messages
};

// Number of elements after layer k (k = -1: the input).
int size_after(const Model& model, int layer_index);

}  // namespace dagen
