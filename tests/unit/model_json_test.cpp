// model.json parsing: valid documents, exact weights, and errors that name their location.
#include "dagen/model_json.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "dagen/diag.hpp"

namespace dagen {
namespace {

using nlohmann::json;

json base() {
  return json::parse(
      R"({"name": "m", "input": {"size": 2, "type": {"signed": true, "int_bits": 3, "frac_bits": 4}},
      "layers": [{"type": "dense", "weights": [[0.5, -1.25, 3], [1, 0, -0.375]], "bias": [0.25, 0, 1]},
                 {"type": "relu"},
                 {"type": "quantize", "to": {"signed": false, "int_bits": 3, "frac_bits": 3},
                  "rounding": "RND", "overflow": "SAT_SYM"}]})");
}

std::string error_of(const json& doc) {
  try {
    parse_model(doc);
  } catch (const ModelError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ModelJson, ParsesExactWeights) {
  const Model m = parse_model(base());
  ASSERT_EQ(m.nodes.size(), 3u);
  const auto& d = std::get<DenseOp>(m.nodes[0].op);
  EXPECT_EQ(compare(d.weights[1], Fixed{-10, 3}), 0);  // -1.25
  EXPECT_EQ(d.weights[1].frac, 2);                     // read as -5 * 2^-2
  EXPECT_EQ(compare(d.weights[1 * 3 + 2], Fixed{-3, 3}), 0);
  const auto& q = std::get<QuantizeOp>(m.nodes[2].op);
  EXPECT_EQ(q.to.size(), 3u);
  EXPECT_EQ(q.rounding, Rounding::RND);
  EXPECT_EQ(q.overflow, Overflow::SAT_SYM);
}

TEST(ModelJson, RejectsInexactWeightWithItsLocation) {
  json doc = base();
  doc["layers"][0]["weights"][1][2] = 0.1;
  EXPECT_EQ(error_of(doc),
            "layers[0].weights[1][2]: 0.1 is not an exact binary fraction with at most 32 "
            "fractional bits");
}

TEST(ModelJson, ErrorsNameTheLocation) {
  json doc = base();
  doc["layers"][0]["weights"][1] = json::array({1, 2});
  EXPECT_NE(error_of(doc).find("layers[0].weights[1]: has 2 entries"), std::string::npos);
  doc = base();
  doc["layers"][2]["overflow"] = "CLAMP";
  EXPECT_NE(error_of(doc).find("layers[2].overflow: unknown overflow 'CLAMP'"), std::string::npos);
  doc = base();
  doc["input"]["type"]["int_bits"] = -9;
  EXPECT_NE(error_of(doc).find("input.type: width -4 is negative"), std::string::npos);
  doc = base();
  doc["layers"][2]["to"] = json::array({doc["layers"][2]["to"]});
  EXPECT_NE(error_of(doc).find("layers[2].to: has 1 types but the layer has 3 elements"),
            std::string::npos);
  doc = base();
  doc["layers"][1]["type"] = "softmax";
  EXPECT_NE(error_of(doc).find("layers[1].type: unknown layer type 'softmax'"), std::string::npos);
  doc = base();
  doc["layers"][0]["wieghts"] = 1;
  EXPECT_NE(error_of(doc).find("layers[0].wieghts: unknown key"), std::string::npos);
}

TEST(ModelJson, PerElementTypesAndWidthZero) {
  json doc = base();
  doc["input"]["type"] = json::parse(
      R"([{"signed": false, "int_bits": 0, "frac_bits": 0}, {"signed": true, "int_bits": -2, "frac_bits": 7}])");
  const Model m = parse_model(doc);
  EXPECT_EQ(m.input_types[0].width(), 0);
  EXPECT_EQ(m.input_types[1].width(), 6);
}

}  // namespace
}  // namespace dagen
