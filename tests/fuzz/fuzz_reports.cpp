// libFuzzer target: arbitrary bytes as every vendor report the reader parses
// (include/dagen/vendor_report.hpp).  A refused report must be a one-line ToolError;
// anything else that escapes (another exception, a sanitizer report) is a crash.
// fuzz_reports_replay (ctest) replays tests/vendor/'s samples and the model corpus.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "dagen/diag.hpp"
#include "dagen/vendor_report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dagen::vendor;
  const std::string text(reinterpret_cast<const char*>(data), size);
  // Every report as this text, and as the matching half of a valid pair (the bytes
  // split at the first NUL, if any, give two different reports).
  const std::size_t nul = text.find('\0');
  const std::string a = text.substr(0, nul),
                    b = nul == std::string::npos ? text : text.substr(nul + 1);
  for (int which = 0; which < 2; ++which) {
    try {
      if (which == 0)
        parse_vivado({"u", a}, {"t", b});
      else
        parse_quartus({"f", a}, {"s", b}, ReportFile{"r", text}, 4.0);
    } catch (const dagen::ToolError& e) {
      if (std::string(e.what()).find('\n') != std::string::npos) std::abort();
    }
  }
  return 0;
}
