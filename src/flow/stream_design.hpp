// --ii K: the streamed-convolution design (include/dagen/stream.hpp) and the LUT
// estimates the flow chooses between designs by.
#pragma once

#include <optional>
#include <string>

#include "dagen/flow.hpp"
#include "dagen/target.hpp"

namespace dagen {

// One LUT per output bit of every node that is not an adder, an input or a constant
// (ReLUs, quantizers, comparisons, muxes, lookups), as the serial planner counts them.
int word_level_luts(const AdderGraph& g);

// What a built design is estimated to take: its plan's estimate for serial and
// streamed designs, else its adders' LUTs plus word_level_luts().
int estimated_luts(const Design& d);

// The streamed design for `options.ii`, or nothing when the model has no
// convolution to stream, K is shorter than its positions, or its kernel cannot
// meet --clock-period.  `whole` is the model's graph (its ports are the design's).
std::optional<Design> build_stream_design(const Model& model, const FlowOptions& options,
                                          const std::string& top, const AdderGraph& whole,
                                          const Target& target);

}  // namespace dagen
