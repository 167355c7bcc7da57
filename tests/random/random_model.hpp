// Seeded generator of random VALID model.json documents for property tests,
// the fuzz seed corpus and the Verilator sample.  The same seed always gives
// the same document.  Models exercise per-element input types with negative
// int or frac bits, zero-width and 1-bit elements, unsigned types and values
// up to 40 bits; sparse and dense weights with zero rows/columns, duplicate
// and negated columns and powers of two; relu; quantizers with every rounding
// and overflow mode and per-element types.  Widths are tracked while
// generating (quantizers are inserted when sums would grow too wide) so that
// every document parses and lowers within kMaxWidth.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

namespace dagen::testing {

struct RandomModelConfig {
  int min_dense = 1;
  int max_dense = 4;
  int max_size = 24;            // inputs / outputs of every layer: 1 .. max_size
  int max_input_width = 40;     // widest input or quantizer element
  int max_width_estimate = 96;  // insert a quantizer before a dense layer whose sums would be wider
};

nlohmann::json random_model(std::uint64_t seed, const RandomModelConfig& config = {});

}  // namespace dagen::testing
