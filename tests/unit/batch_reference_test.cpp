// BatchReference (the Python package's predict) against evaluate_reference on every
// shipped model: equal values on corner and random vectors, the same errors.
#include "dagen/batch_reference.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "dagen/diag.hpp"
#include "dagen/model_json.hpp"
#include "dagen/reference.hpp"
#include "dagen/vectors.hpp"

namespace dagen {
namespace {

std::vector<std::filesystem::path> shipped_models() {
  std::vector<std::filesystem::path> paths;
  for (const char* dir : {DAGEN_TEST_MODELS, DAGEN_TEST_MODELS "/v2", DAGEN_SHIPPED_MODELS})
    for (const auto& e : std::filesystem::directory_iterator(dir))
      if (e.path().extension() == ".json" && !e.path().string().ends_with(".vectors.json"))
        paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  return paths;
}

TEST(BatchReference, EqualsTheReferenceOnEveryShippedModel) {
  int models = 0;
  for (const auto& path : shipped_models()) {
    SCOPED_TRACE(path.string());
    Model model;
    try {
      model = read_model_file(path.string());
    } catch (const ModelError&) {
      continue;  // a model that is meant to be refused
    }
    ++models;
    const BatchReference batch(model);
    for (const auto& x : make_input_vectors(model.input_types, 300, 7)) {
      std::vector<Fixed> want;
      std::string error;
      try {
        want = evaluate_reference(model, x);
      } catch (const ModelError& e) {
        error = e.what();
      }
      if (!error.empty()) {
        try {
          batch.evaluate(x);
          ADD_FAILURE() << "no error; the reference says " << error;
        } catch (const ModelError& e) {
          EXPECT_EQ(e.what(), error);
        }
        continue;
      }
      const auto got = batch.evaluate(x);
      ASSERT_EQ(got.size(), want.size());
      for (std::size_t k = 0; k < got.size(); ++k)
        ASSERT_EQ(compare_exact(got[k], want[k]), 0) << "output " << k;
    }
  }
  EXPECT_GE(models, 15);
}

}  // namespace
}  // namespace dagen
