// The top module of a streamed convolution (include/dagen/stream.hpp).
#pragma once

#include <string>
#include <vector>

#include "dagen/stream.hpp"
#include "dagen/target.hpp"
#include "dagen/verilog.hpp"

namespace dagen {

// What the top module joins: the split, the kernel's and the tail's own designs
// (their files are among the returned ones), and the whole model's ports.
struct StreamParts {
  const StreamSplit& split;
  // The prefix's design (combinational, x in, the image out), or none.
  std::string prefix_top;
  const EmittedDesign* prefix = nullptr;
  std::string kernel_top;
  const EmittedDesign& kernel;
  int kernel_latency = 0;
  bool kernel_clocked = false;
  std::string tail_top;
  const EmittedDesign& tail;
  bool tail_clocked = false;
  // The cycle after x_valid in which the tail takes the gathered feature map (the
  // one after the last position leaves the kernel).
  int tail_start = 1;
  const AdderGraph& whole;  // the model's graph: x and y are packed as its ports
};

// Ports clk, x_valid, x, y_valid, y; x and y in the formats of the whole graph's ports.
EmittedDesign emit_stream_verilog(const StreamParts& parts, const Target& target,
                                  const std::string& top, const std::string& header);

}  // namespace dagen
