// What the Vivado and Quartus project files share: part names, Tcl quoting, the
// file list and the clock.
#include <algorithm>
#include <cmath>

#include "dagen/diag.hpp"
#include "dagen/vendor.hpp"

namespace dagen::vendor {

void check_part_name(const std::string& option, const std::string& value) {
  if (value.empty()) throw OptionError(option + " needs a part name");
  if (value.size() > 64)
    throw OptionError(option + ": '" + value + "' is longer than 64 characters");
  for (const char c : value) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok)
      throw OptionError(option + ": '" + value + "' has the character '" + std::string(1, c) +
                        "'; a part name has only letters, digits, '-', '_' and '.'");
  }
  if (value.front() == '-')
    throw OptionError(option + ": '" + value + "' starts with '-' (it would read as an option)");
}

std::string tcl_quote(const std::string& text) {
  return "\"" + escaped(text, "\\\"$[]{}", true, "\\x") + "\"";
}

namespace {

bool is_hdl(const std::string& name) {
  for (const char* ext : {".v", ".sv", ".vhd", ".vhdl"})
    if (name.size() > std::string_view(ext).size() && name.ends_with(ext)) return true;
  return false;
}

bool is_top_file(const std::string& name, const std::string& top) {
  return name.starts_with(top + ".") && name.find('.', top.size() + 1) == std::string::npos;
}

}  // namespace

std::vector<std::string> hdl_files(const std::vector<std::string>& files, const std::string& top) {
  std::vector<std::string> out;
  for (const std::string& f : files)
    if (is_hdl(f)) out.push_back(f);
  // Cells before the module that instantiates them: VHDL analyses in read order.
  std::sort(out.begin(), out.end(), [&](const std::string& a, const std::string& b) {
    const bool ta = is_top_file(a, top), tb = is_top_file(b, top);
    return ta != tb ? tb : a < b;
  });
  return out;
}

double project_period(const std::optional<double>& clock_period_ns, double estimated_ns) {
  const double ns = clock_period_ns ? *clock_period_ns : std::max(estimated_ns, kMinPeriodNs);
  return std::max(std::round(ns * 1000) / 1000, 0.001);
}

}  // namespace dagen::vendor
