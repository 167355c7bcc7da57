// Streamed convolutions (--ii K): one instance of a convolution's kernel serves
// every output position, one position per cycle, as hls4ml's io_stream
// convolutions do (line buffers feeding one kernel instance).
//
// The input image is loaded in the x_valid cycle into a shift register of
// pixels (all channels of one position) in raster order of the zero-padded
// image; every cycle it moves by one pixel, so the window of the next output
// position sits at fixed taps (a line buffer of the whole image).  The kernel
// (the convolution's weights as a dense layer over the window, with the ReLUs
// and uniform quantizers that follow it) is an ordinary word-parallel design;
// its result of each valid position is caught in that position's register
// (a clock enable from the x_valid delay line).  When the last position is
// caught, the rest of the network (the tail) takes the gathered feature map as
// its input, through the same x_valid interface: it is built for the same K,
// so it may itself be digit-serial or stream its own first convolution.
//
// This header is the model-level split and the timing of the shift register;
// src/flow/stream_design.cpp builds the parts, src/emit/stream_verilog.cpp the
// top module that joins them.
#pragma once

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "dagen/model.hpp"

namespace dagen {

struct StreamSplit {
  // The nodes without adders (pooling by max, element-wise ops, rearrangements)
  // that compute the convolution's image from the model's input, computed in the
  // x_valid cycle and loaded into the shift register; no nodes when the
  // convolution reads the input itself.
  Model prefix;
  Model kernel;         // input "window" [taps * cin], one dense node and its element-wise chain
  Model tail;           // input: the chain's last tensor, gathered; the rest of the network
  int conv_node = 0;    // index in the original model's nodes
  int chain_nodes = 0;  // the convolution and the element-wise nodes streamed with it

  // The shift register: `slots` pixels of `channels.size()` channels each, slot q
  // holding padded pixel q + c - 1 in cycle c >= 1 (pixel q after the load).
  int slots = 0;
  std::vector<FixedType> channels;  // the format every pixel's channel is held in
  // Per slot, per channel: the element of the image loaded there (-1: padding, 0).
  std::vector<std::vector<long long>> load;
  std::vector<int> taps;  // the slot of each kernel tap of instance 0, in the kernel's tap order
  // Kernel instance j reads the taps moved up by j * instance_offset slots, so the
  // instances share the positions: K shorter than the positions needs several.
  int instances = 1;
  int instance_offset = 0;
  // Per output position (C order over the output's spatial axes): the instance that
  // computes it and the cycle in which its window is on that instance's taps (>= 1).
  std::vector<int> position_instance;
  std::vector<int> position_cycle;
  int cycles = 0;  // the last position's cycle: the design needs a gap of at least this

  int positions() const { return static_cast<int>(position_cycle.size()); }
  // Whether instance j computes any position (a stride may leave one without).
  bool instance_used(int j) const {
    return std::find(position_instance.begin(), position_instance.end(), j) !=
           position_instance.end();
  }
  int used_instances() const;
  int shift_register_bits() const;
};

// The first convolution the design can stream: one whose image is the model's only
// input or is computed from it by a prefix (both read by nothing else), with the
// ReLUs, per-channel scales, quantizers and tables that follow it when each is its
// predecessor's only reader, applies one format per channel and makes no output of
// the model.  Its kernel model's input formats are per channel the
// union over the image (and zero for padding); the tail's input formats are
// `gathered` per channel, one per kernel output (none yet: call split_stream
// again with the kernel design's output formats).  The fewest kernel instances
// whose positions fit `max_cycles` share them.
std::optional<StreamSplit> split_stream(const Model& model,
                                        const std::vector<FixedType>& gathered = {},
                                        int max_cycles = std::numeric_limits<int>::max());

// The narrowest format holding every value of both.
FixedType union_type(const FixedType& a, const FixedType& b);

}  // namespace dagen
