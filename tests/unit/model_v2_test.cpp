// model.json version 2: the document's rules, each refused in one line naming
// its JSON location.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "dagen/diag.hpp"
#include "dagen/model_json.hpp"

namespace dagen {
namespace {

using nlohmann::json;

json base() {
  return json::parse(R"({"version": 2, "name": "cnn",
    "inputs": [{"name": "img", "shape": [4, 4, 2], "type": {"signed": false, "int_bits": 3, "frac_bits": 1}}],
    "outputs": ["cls"],
    "nodes": [
      {"op": "conv2d", "name": "c1", "input": "img", "kernel": [[[[1, 0], [0, 1]], [[1, 1], [0, 0]]],
        [[[0.5, 0], [0, -1]], [[1, 0], [0, 1]]]], "bias": [0, 0.5], "strides": [1, 1], "padding": "same"},
      {"op": "relu", "name": "r1", "input": "c1"},
      {"op": "quantize", "name": "q1", "input": "r1", "to": {"signed": false, "int_bits": 3, "frac_bits": 1}, "rounding": "RND", "overflow": "SAT"},
      {"op": "max_pool2d", "name": "p1", "input": "q1", "pool": [2, 2]},
      {"op": "flatten", "name": "f", "input": "p1"},
      {"op": "dense", "name": "d", "input": "f", "weights": [[1, -1], [0, 1], [1, 1], [0.5, 0], [1, 0], [0, 1], [1, 1], [-1, 0]]},
      {"op": "argmax", "name": "cls", "input": "d"}]})");
}

std::string error_of(const json& doc) {
  try {
    parse_model(doc);
  } catch (const ModelError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ModelV2, ParsesTheIssueExample) {
  const Model m = parse_model(base());
  EXPECT_EQ(m.version, 2);
  ASSERT_EQ(m.nodes.size(), 7u);
  EXPECT_EQ(m.nodes[0].shape, (Shape{4, 4, 2}));
  EXPECT_EQ(m.nodes[3].shape, (Shape{2, 2, 2}));
  EXPECT_EQ(m.nodes[4].shape, (Shape{8}));
  EXPECT_EQ(m.nodes[6].shape, (Shape{}));
  EXPECT_EQ(m.input_types.size(), 32u);
  EXPECT_EQ(m.outputs, (std::vector<int>{7}));
}

TEST(ModelV2, Errors) {
  struct Case {
    std::function<void(json&)> edit;
    std::string message;
  };
  const std::vector<Case> cases = {
      {[](json& d) { d["nodes"][1]["input"] = "nope"; }, "nodes[1].input: unknown tensor 'nope'"},
      {[](json& d) { d["nodes"][1]["input"] = "q1"; },
       "nodes[1].input: tensor 'q1' is used before its definition (nodes[2])"},
      {[](json& d) { d["nodes"][2]["name"] = "c1"; },
       "nodes[2].name: duplicate name 'c1' (also nodes[0])"},
      {[](json& d) { d["nodes"][2]["name"] = "img"; },
       "nodes[2].name: duplicate name 'img' (also inputs[0])"},
      {[](json& d) { d["outputs"] = {"zz"}; }, "outputs[0]: unknown tensor 'zz'"},
      {[](json& d) { d["nodes"][0]["op"] = "conv3d"; },
       "nodes[0].op: unknown op 'conv3d' (dense, conv1d, conv2d, relu, quantize, lookup, scale, "
       "add, sub, max, min, max_pool1d, max_pool2d, avg_pool1d, avg_pool2d, global_max_pool, "
       "global_avg_pool, sum, concat, reshape, flatten, transpose, argmax)"},
      {[](json& d) {
         d["nodes"][0]["kernel"][0][1] = {{1, 0}};
       },
       "nodes[0].kernel[0][1]: has 1 entries, expected 2 (shape [2, 2, 2, 2])"},
      {[](json& d) {
         d["inputs"][0]["shape"] = {4, 4, 3};
       },
       "nodes[0].kernel: has 2 input channels but the input has 3 (shape [4, 4, 3])"},
      {[](json& d) { d["nodes"][5]["weights"].erase(0); },
       "nodes[5].weights: has 7 rows but the layer has 8 inputs (weights are [n_in][n_out])"},
      {[](json& d) {
         d["nodes"][6] = {{"op", "add"}, {"name", "cls"}, {"inputs", {"d", "f"}}};
       },
       "nodes[6]: inputs must have the same shape: input 0 is [2], input 1 is [8]"},
      {[](json& d) {
         d["nodes"][6] = {
             {"op", "transpose"}, {"name", "cls"}, {"input", "p1"}, {"perm", {0, 0, 1}}};
       },
       "nodes[6].perm[1]: axis 0 appears twice"},
      {[](json& d) {
         d["nodes"][6] = {{"op", "transpose"}, {"name", "cls"}, {"input", "p1"}, {"perm", {0, 1}}};
       },
       "nodes[6].perm: expected a permutation of the 3 axes of shape [2, 2, 2]"},
      {[](json& d) {
         d["nodes"][3] = {{"op", "avg_pool2d"},
                          {"name", "p1"},
                          {"input", "q1"},
                          {"pool", {3, 1}},
                          {"strides", 1}};
       },
       "nodes[3]: the mean of a window of 3 elements is not an exact binary fraction; average "
       "pooling needs a power-of-two window (use sum + scale)"},
      {[](json& d) {
         d["nodes"][3] = {{"op", "avg_pool2d"},
                          {"name", "p1"},
                          {"input", "q1"},
                          {"pool", 2},
                          {"padding", "same"}};
       },
       "nodes[3].padding: average pooling is exact only with valid padding; use sum + scale"},
      {[](json& d) {
         d["nodes"][6] = json::parse(R"({"op": "lookup", "name": "cls", "input": "d",
             "domain": {"signed": false, "int_bits": 2, "frac_bits": 0}, "table": [0, 1, 2],
             "to": {"signed": false, "int_bits": 2, "frac_bits": 0}})");
       },
       "nodes[6].table: expected 4 entries (2^2, one per code of the domain u2.0), got 3"},
      {[](json& d) {
         d["nodes"][6] = json::parse(R"({"op": "lookup", "name": "cls", "input": "d",
             "domain": {"signed": false, "int_bits": 2, "frac_bits": 0}, "table": [0, 1, 2, 4],
             "to": {"signed": false, "int_bits": 2, "frac_bits": 0}})");
       },
       "nodes[6].table[3]: 4 is not representable in the output type u2.0"},
      {[](json& d) { d["nodes"][1].erase("input"); },
       "nodes[1]: needs exactly one of 'input' (a tensor) and 'inputs' (a list)"},
      {[](json& d) {
         d["nodes"][1]["inputs"] = {"c1", "c1"};
         d["nodes"][1].erase("input");
       },
       "nodes[1]: takes 1 input, got 2"},
      {[](json& d) { d["nodes"][0]["padding"] = "full"; },
       "nodes[0].padding: unknown padding 'full' (valid or same)"},
      {[](json& d) {
         d["nodes"][0]["strides"] = {1, 0};
       },
       "nodes[0].strides[1]: 0 is out of range [1, 4096]"},
      {[](json& d) {
         d["nodes"][0]["padding"] = "valid";
         d["nodes"][0]["dilation"] = 4;
       },
       "nodes[0]: a window of 2 (dilation 4) does not fit axis 0 of length 4 with valid padding"},
      {[](json& d) { d["version"] = 3; },
       "version: unsupported format version 3 (this da-gen reads versions 1 and 2)"},
      {[](json& d) { d["nodes"][4]["foo"] = 1; }, "nodes[4].foo: unknown key 'foo'"},
      {[](json& d) {
         d["inputs"][0]["shape"] = {4, 0, 2};
       },
       "inputs[0].shape[1]: 0 is out of range [1, 65536]"},
      {[](json& d) {
         d["nodes"][4] = {{"op", "reshape"}, {"name", "f"}, {"input", "p1"}, {"shape", {3, -1}}};
       },
       "nodes[4].shape: cannot reshape 8 elements (shape [2, 2, 2]) to [3,-1]"},
      {[](json& d) {
         d["nodes"][6] = {{"op", "sum"}, {"name", "cls"}, {"input", "d"}, {"axes", {1}}};
       },
       "nodes[6].axes[0]: 1 is out of range [-1, 0]"},
      {[](json& d) {
         d["nodes"][6] = {{"op", "concat"}, {"name", "cls"}, {"inputs", {"p1", "c1"}}};
       },
       "nodes[6]: input 1 has shape [4, 4, 2], which does not match input 0's [2, 2, 2] on every "
       "axis but 2"},
  };
  for (std::size_t k = 0; k < cases.size(); ++k) {
    json doc = base();
    cases[k].edit(doc);
    EXPECT_EQ(error_of(doc), cases[k].message) << "case " << k;
  }
}

}  // namespace
}  // namespace dagen
