// Line-by-line reading of report text for the vendor report parsers.
#pragma once

#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dagen/diag.hpp"
#include "dagen/vendor_report.hpp"

namespace dagen::vendor::detail {

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

inline std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    out.push_back(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

inline std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (;;) {
    const std::size_t at = s.find(sep);
    out.push_back(trim(s.substr(0, at)));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

inline std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t k = 0;
  while (k < s.size()) {
    while (k < s.size() && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r')) ++k;
    std::size_t e = k;
    while (e < s.size() && s[e] != ' ' && s[e] != '\t' && s[e] != '\r') ++e;
    if (e > k) out.push_back(s.substr(k, e - k));
    k = e;
  }
  return out;
}

// A decimal number ("1,234" with thousands separators too); nullopt if `s` is not one.
inline std::optional<double> number(std::string_view s) {
  std::string digits;
  for (const char c : trim(s))
    if (c != ',') digits += c;
  if (digits.empty() || digits.size() > 40) return std::nullopt;
  double v = 0;
  const char* end = digits.data() + digits.size();
  const auto [ptr, ec] = std::from_chars(digits.data(), end, v);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return v;
}

// "FILE:LINE: problem" (LINE counted from 1; 0: the whole file).
[[noreturn]] inline void fail(const ReportFile& f, std::size_t line, const std::string& problem) {
  throw ToolError(
      escaped(f.name + (line ? ":" + std::to_string(line) : std::string()) + ": " + problem, "",
              false, "\\x"));
}

// Text from a report for a message: at most 40 bytes.
inline std::string shown(std::string_view s) {
  return std::string(s.substr(0, 40)) + (s.size() > 40 ? "..." : "");
}

}  // namespace dagen::vendor::detail
