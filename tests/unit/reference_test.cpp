// The reference model against hand-computed outputs, and the graph interpreter
// against the reference on every shipped test model.
#include "dagen/reference.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "dagen/interpret.hpp"
#include "dagen/lower.hpp"
#include "dagen/model_json.hpp"
#include "dagen/passes.hpp"
#include "dagen/vectors.hpp"

namespace dagen {
namespace {

TEST(Reference, DenseReluQuantizeByHand) {
  const Model m = parse_model(nlohmann::json::parse(R"({"name": "m",
      "input": {"size": 2, "type": {"signed": true, "int_bits": 3, "frac_bits": 4}},
      "layers": [{"type": "dense", "weights": [[0.5, -1.25], [1, 0.75]], "bias": [0.25, -1]},
                 {"type": "relu"},
                 {"type": "quantize", "to": {"signed": false, "int_bits": 2, "frac_bits": 1},
                  "rounding": "RND", "overflow": "SAT"}]})"));
  // x = (1.5, -0.5): y0 = 0.75 - 0.5 + 0.25 = 0.5 -> 0.5; y1 = -1.875 - 0.375 - 1 < 0 -> 0.
  auto y = evaluate_reference(m, {24, -8});
  EXPECT_EQ(compare(y[0], {1, 1}), 0);
  EXPECT_EQ(compare(y[1], {0, 0}), 0);
  // x = (7.9375, 7.9375): y0 = 3.96875 + 7.9375 + 0.25 = 12.15625 -> saturates to 3.5.
  y = evaluate_reference(m, {127, 127});
  EXPECT_EQ(compare(y[0], {7, 1}), 0);
}

class ShippedModels : public testing::TestWithParam<std::string> {};

TEST_P(ShippedModels, GraphInterpreterMatchesReference) {
  const Model model = read_model_file(GetParam());
  for (const std::optional<int> dc :
       {std::optional<int>{}, std::optional<int>{0}, std::optional<int>{2}}) {
    LowerOptions options;
    options.cmvm.depth_slack = dc;
    AdderGraph g = lower_model(model, options);
    remove_dead_nodes(g);
    ASSERT_EQ(check_graph(g), "");
    for (const auto& x : make_input_vectors(model.input_types, 300, 7)) {
      const auto expected = evaluate_reference(model, x);
      const auto got = interpret(g, x);
      ASSERT_EQ(expected.size(), got.size());
      for (std::size_t k = 0; k < got.size(); ++k)
        ASSERT_EQ(compare(expected[k], got[k]), 0) << "output " << k;
    }
  }
}

std::vector<std::string> shipped_models() {
  std::vector<std::string> paths;
  for (const char* dir : {DAGEN_TEST_MODELS, DAGEN_EXAMPLES})
    for (const auto& e : std::filesystem::directory_iterator(dir))
      if (e.path().extension() == ".json") paths.push_back(e.path().string());
  std::sort(paths.begin(), paths.end());
  return paths;
}

INSTANTIATE_TEST_SUITE_P(All, ShippedModels, testing::ValuesIn(shipped_models()),
                         [](const auto& info) {
                           std::string n = std::filesystem::path(info.param).stem().string();
                           for (char& c : n)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

}  // namespace
}  // namespace dagen
