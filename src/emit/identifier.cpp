#include "identifier.hpp"

#include <cctype>

namespace dagen::emit {

namespace {
// <top>.graph.json must fit a file name (255 bytes on common file systems).
constexpr std::size_t kMaxTopLength = 128;

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// VHDL allows no "__", no leading and no trailing '_'.
std::string vhdl_underscores(const std::string& id) {
  std::string out;
  for (char c : id)
    if (c != '_' || (!out.empty() && out.back() != '_')) out.push_back(c);
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}
}  // namespace

std::string hdl_identifier(const std::string& name, std::string_view reserved,
                           IdentifierRules rules) {
  const bool vhdl = rules == IdentifierRules::Vhdl;
  std::string id;
  for (char c : name) id.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  if (vhdl) id = vhdl_underscores(id);
  if (id.empty() || is_digit(id[0])) id = "m_" + id;
  if (id.size() > kMaxTopLength) id.resize(kMaxTopLength);
  if (vhdl) id = vhdl_underscores(id);
  std::string key = id;
  if (vhdl)
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (reserved.find(" " + key + " ") != std::string_view::npos) id += "_top";
  return id;
}

}  // namespace dagen::emit
