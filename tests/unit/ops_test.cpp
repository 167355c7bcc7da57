// Each op's reference semantics against outputs computed by hand (model.json v2).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "dagen/model_json.hpp"
#include "dagen/reference.hpp"

namespace dagen {
namespace {

using nlohmann::json;

// A one-input model: `shape` of integers of `type`, then `nodes`.
Model model_of(const Shape& shape, const json& type, const json& nodes) {
  return parse_model(
      json{{"version", 2},
           {"inputs", json::array({{{"name", "x"}, {"shape", shape}, {"type", type}}})},
           {"nodes", nodes}});
}

const json kInt8 = {{"signed", true}, {"int_bits", 7}, {"frac_bits", 0}};

std::vector<double> run(const Model& m, const std::vector<i128>& x) {
  std::vector<double> out;
  for (const Fixed& v : evaluate_reference(m, x)) out.push_back(to_double(v));
  return out;
}

TEST(Ops, Conv1dSamePaddingStride2) {
  // out = ceil(5 / 2) = 3, total pad = (3 - 1) * 2 + 3 - 5 = 2, one before:
  // windows (pad, x0, x1), (x1, x2, x3), (x3, x4, pad).
  const Model m = model_of({5, 1}, kInt8, json::parse(R"([{"op": "conv1d", "name": "c",
      "input": "x", "kernel": [[[1]], [[2]], [[3]]], "strides": 2, "padding": "same"}])"));
  EXPECT_EQ(m.nodes[0].shape, (Shape{3, 1}));
  EXPECT_EQ(run(m, {1, 2, 3, 4, 5}), (std::vector<double>{8, 20, 14}));
}

TEST(Ops, Conv1dDilationAndChannels) {
  // Two input channels, two filters, dilation 2, valid: out length 5 - 2 = 3.
  const Model m = model_of({5, 2}, kInt8, json::parse(R"([{"op": "conv1d", "name": "c",
      "input": "x", "kernel": [[[1, 0], [0, 1]], [[-1, 0], [0, 0.5]]], "dilation": 2,
      "bias": [0.25, 0]}])"));
  // filter 0: x[p][0] - x[p+2][0] + 0.25; filter 1: x[p][1] + 0.5 x[p+2][1].
  EXPECT_EQ(run(m, {1, 10, 2, 20, 3, 30, 4, 40, 5, 50}),
            (std::vector<double>{-1.75, 25, -1.75, 40, -1.75, 55}));
}

TEST(Ops, Conv2dValid) {
  // 3x3 image, one 2x2 filter of ones: each output is a window's sum.
  const Model m = model_of({3, 3, 1}, kInt8, json::parse(R"([{"op": "conv2d", "name": "c",
      "input": "x", "kernel": [[[[1]], [[1]]], [[[1]], [[1]]]]}])"));
  EXPECT_EQ(m.nodes[0].shape, (Shape{2, 2, 1}));
  EXPECT_EQ(run(m, {1, 2, 3, 4, 5, 6, 7, 8, 9}), (std::vector<double>{12, 16, 24, 28}));
}

TEST(Ops, MaxPoolSameIgnoresPadding) {
  // 3x3 of negative values, pool 2, same: the padded row and column never win.
  const Model m = model_of({3, 3, 1}, kInt8, json::parse(R"([{"op": "max_pool2d", "name": "p",
      "input": "x", "pool": 2, "padding": "same"}])"));
  EXPECT_EQ(m.nodes[0].shape, (Shape{2, 2, 1}));
  EXPECT_EQ(run(m, {-1, -2, -3, -4, -5, -6, -7, -8, -9}), (std::vector<double>{-1, -3, -7, -9}));
}

TEST(Ops, AvgPoolAndGlobalPools) {
  const Model m = model_of({4, 2}, kInt8, json::parse(R"([
      {"op": "avg_pool1d", "name": "a", "input": "x", "pool": 2},
      {"op": "global_avg_pool", "name": "g", "input": "x"},
      {"op": "global_max_pool", "name": "h", "input": "x"},
      {"op": "reshape", "name": "g2", "input": "g", "shape": [1, 2]},
      {"op": "reshape", "name": "h2", "input": "h", "shape": [1, -1]},
      {"op": "concat", "name": "all", "inputs": ["a", "g2", "h2"], "axis": 0}])"));
  // a: [[1.5, -1], [3, 2.5]] per channel; g: means (2.25, 0.75); h: maxima (4, 5).
  EXPECT_EQ(m.nodes[1].shape, (Shape{2}));
  EXPECT_EQ(m.nodes[5].shape, (Shape{4, 2}));
  EXPECT_EQ(run(m, {1, 0, 2, -2, 2, 0, 4, 5}),
            (std::vector<double>{1.5, -1, 3, 2.5, 2.25, 0.75, 4, 5}));
}

TEST(Ops, ArgmaxTiesTakeTheLowestIndex) {
  const Model m = model_of({3, 4}, kInt8, json::parse(R"([{"op": "argmax", "name": "a",
      "input": "x"}])"));
  EXPECT_EQ(m.nodes[0].shape, (Shape{3}));
  EXPECT_EQ(run(m, {3, 5, 5, 1, -1, -1, -1, -1, 0, 0, 0, 7}), (std::vector<double>{1, 0, 3}));
}

TEST(Ops, LookupSignedDomain) {
  // Domain s1.0: codes -2, -1, 0, 1, entry 0 for the most negative.
  const Model m = model_of({4}, {{"signed", true}, {"int_bits", 1}, {"frac_bits", 0}},
                           json::parse(R"([{"op": "lookup", "name": "t", "input": "x",
      "domain": {"signed": true, "int_bits": 1, "frac_bits": 0}, "table": [0.5, -0.25, 0, 1.75],
      "to": {"signed": true, "int_bits": 1, "frac_bits": 2}}])"));
  EXPECT_EQ(run(m, {-2, -1, 0, 1}), (std::vector<double>{0.5, -0.25, 0, 1.75}));
}

TEST(Ops, ScaleSumTransposeReshape) {
  const Model m = model_of({2, 3}, kInt8, json::parse(R"([
      {"op": "scale", "name": "s", "input": "x", "factor": [1, 0.5, -2], "bias": 1},
      {"op": "transpose", "name": "t", "input": "s", "perm": [1, 0]},
      {"op": "sum", "name": "u", "input": "t", "axes": [-1]},
      {"op": "reshape", "name": "r", "input": "t", "shape": [-1]},
      {"op": "concat", "name": "c", "inputs": ["u", "r"]}])"));
  // s = [[2, 2, -3], [5, 3.5, -11]]; t = [[2, 5], [2, 3.5], [-3, -11]]; u = [7, 5.5, -14].
  EXPECT_EQ(run(m, {1, 2, 2, 4, 5, 6}), (std::vector<double>{7, 5.5, -14, 2, 5, 2, 3.5, -3, -11}));
}

TEST(Ops, MergesOfSeveralInputs) {
  const json t = kInt8;
  const Model m =
      parse_model(json{{"version", 2},
                       {"inputs", json::array({{{"name", "a"}, {"shape", {3}}, {"type", t}},
                                               {{"name", "b"}, {"shape", {3}}, {"type", t}},
                                               {{"name", "c"}, {"shape", {3}}, {"type", t}}})},
                       {"nodes", json::parse(R"([
          {"op": "add", "name": "s", "inputs": ["a", "b", "c"]},
          {"op": "sub", "name": "d", "inputs": ["a", "b"]},
          {"op": "max", "name": "mx", "inputs": ["a", "b", "c"]},
          {"op": "min", "name": "mn", "inputs": ["a", "b", "c"]}])")},
                       {"outputs", {"s", "d", "mx", "mn"}}});
  EXPECT_EQ(run(m, {1, -5, 3, 2, 0, -7, 0, 9, 3}),
            (std::vector<double>{3, 4, -1, -1, -5, 10, 2, 9, 3, 0, -5, -7}));
}

}  // namespace
}  // namespace dagen
