// One-line diagnostics with JSON locations.
#include "dagen/diag.hpp"

namespace dagen {

namespace {

// Control characters from the model (keys, strings) are escaped so that the
// message stays on one line.
std::string printable(const std::string& text) {
  static const char* const kHex = "0123456789abcdef";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

ModelError::ModelError(const std::string& location, const std::string& problem)
    : std::runtime_error(printable(location.empty() ? problem : location + ": " + problem)),
      location_(printable(location)) {}

OptionError::OptionError(const std::string& message) : std::runtime_error(printable(message)) {}

std::string json_path(const std::string& base, const std::string& key) {
  return base.empty() ? key : base + "." + key;
}

std::string json_path(const std::string& base, std::size_t index) {
  return base + "[" + std::to_string(index) + "]";
}

}  // namespace dagen
