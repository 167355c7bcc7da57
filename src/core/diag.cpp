// One-line diagnostics with JSON locations.
#include "dagen/diag.hpp"

namespace dagen {

ModelError::ModelError(const std::string& location, const std::string& problem)
    : std::runtime_error(location.empty() ? problem : location + ": " + problem),
      location_(location) {}

std::string json_path(const std::string& base, const std::string& key) {
  return base.empty() ? key : base + "." + key;
}

std::string json_path(const std::string& base, std::size_t index) {
  return base + "[" + std::to_string(index) + "]";
}

}  // namespace dagen
