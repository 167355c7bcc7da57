// Reading model.json (format version 1, docs/model-format.md) into a validated Model.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "dagen/fixed.hpp"
#include "dagen/model.hpp"

namespace dagen {

// Parse and validate; throws ModelError naming the JSON location on any problem.
Model read_model_file(const std::string& path);
// The same for a model's text; `source` names it in JSON syntax errors.
Model read_model_text(const std::string& text, const std::string& source);
Model parse_model(const nlohmann::json& document);

// A JSON number that must be an exact binary fraction with at most max_frac
// fractional bits; `location` names it in errors.
Fixed parse_exact_number(const nlohmann::json& value, const std::string& location, int max_frac);

// Input vectors for --eval: {"inputs": [[...], ...]}, each value exactly representable.
std::vector<std::vector<i128>> read_input_vectors(const std::string& path,
                                                  const std::vector<FixedType>& types);

}  // namespace dagen
