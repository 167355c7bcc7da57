// One-line diagnostics with JSON locations.
#include "dagen/diag.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>

namespace dagen {

std::string escaped(const std::string& text, std::string_view special, bool ascii_only,
                    std::string_view hex_escape) {
  static const char* const kHex = "0123456789abcdef";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (special.find(c) != std::string_view::npos) {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f || (ascii_only && u > 0x7f)) {
      out += hex_escape;
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

// Control characters from the model (keys, strings) are escaped so that the
// message stays on one line.
std::string printable(const std::string& text) { return escaped(text, "", false, "\\x"); }

}  // namespace

ModelError::ModelError(const std::string& location, const std::string& problem)
    : std::runtime_error(printable(location.empty() ? problem : location + ": " + problem)),
      location_(printable(location)) {}

OptionError::OptionError(const std::string& message) : std::runtime_error(printable(message)) {}
std::string out_of_memory_message(const std::string& step) {
  const auto gib = [](double bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f GiB", bytes / (1024.0 * 1024.0 * 1024.0));
    return std::string(text);
  };
  std::string limit;
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGE_SIZE);
  if (pages > 0 && page > 0)
    limit = "this machine has " + gib(static_cast<double>(pages) * static_cast<double>(page)) +
            " of memory";
  rlimit as{};
  if (::getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY)
    limit += (limit.empty() ? "" : ", ") + std::string("the address-space limit (ulimit -v) is ") +
             gib(static_cast<double>(as.rlim_cur));
  return "out of memory" + (step.empty() ? "" : " while " + step) + " (" +
         (limit.empty() ? "" : limit + "; ") + "see docs/limits.md)";
}

std::string json_path(const std::string& base, const std::string& key) {
  return base.empty() ? key : base + "." + key;
}

std::string json_path(const std::string& base, std::size_t index) {
  return base + "[" + std::to_string(index) + "]";
}

}  // namespace dagen
