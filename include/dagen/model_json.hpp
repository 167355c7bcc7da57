// Reading model.json (format versions 1 and 2, docs/model-format.md) into a validated Model.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "dagen/fixed.hpp"
#include "dagen/json_fields.hpp"
#include "dagen/model.hpp"

namespace dagen {

// Parse and validate; throws ModelError naming the JSON location on any problem.
Model read_model_file(const std::string& path);
// The same for a model's text; `source` names it in JSON syntax errors.
Model read_model_text(const std::string& text, const std::string& source);
Model parse_model(const nlohmann::json& document);


// Input vectors for --eval: {"inputs": [[...], ...]}, each value exactly representable.
std::vector<std::vector<i128>> read_input_vectors(const std::string& path,
                                                  const std::vector<FixedType>& types);

}  // namespace dagen
