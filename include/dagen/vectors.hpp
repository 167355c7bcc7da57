// Test vectors: corner and seeded random inputs, their reference outputs, and
// the packed-bit text file the Verilator harness (sim/) replays.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dagen/fixed.hpp"
#include "dagen/model.hpp"
#include "dagen/verilog.hpp"

namespace dagen {

// Corners (all zero, all min, all max, each element alone at min/max, alternating
// patterns) followed by `random_count` seeded uniform random vectors.
std::vector<std::vector<i128>> make_input_vectors(const std::vector<FixedType>& types,
                                                  int random_count, std::uint64_t seed);

// Pack element codes into a bit string (hex, most significant digit first).
std::string pack_hex(const std::vector<i128>& codes, const std::vector<PortElement>& layout);

// The code of an exact value in an output element's format; throws ToolError
// if the value is not representable there (a tool bug, never a user error).
i128 output_code(const Fixed& value, const PortElement& element);

// Writes "dagen-vectors 1\n<x bits> <y bits> <latency> <count>\n" then one
// "<x hex> <y hex>" line per vector, expected outputs from the reference model.
void write_vector_file(const std::string& path, const Model& model,
                       const std::vector<std::vector<i128>>& inputs,
                       const std::vector<PortElement>& in_layout,
                       const std::vector<PortElement>& out_layout, int latency);

}  // namespace dagen
