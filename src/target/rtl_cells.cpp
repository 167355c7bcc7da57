// The rtl_lib cells, embedded at build time (rtl_lib_sources.hpp.in), by target.
#include <algorithm>
#include <array>

#include "dagen/diag.hpp"
#include "dagen/target.hpp"
#include "rtl_lib_sources.hpp"

namespace dagen {
namespace {

struct RtlCell {
  std::string_view module;
  std::string_view source;
};

constexpr std::array<RtlCell, 4> kCells{{
    {"dagen_delay", rtl_lib::kDagenDelay},
    {"dagen_add3", rtl_lib::kDagenAdd3},
    {"dagen_sadd", rtl_lib::kDagenSadd},
    {"dagen_load", rtl_lib::kDagenLoad},
}};

}  // namespace

std::string_view Target::rtl_cell(std::string_view module) const {
  const auto& mine = spec_.rtl_cells;
  if (std::find(mine.begin(), mine.end(), module) != mine.end())
    for (const RtlCell& c : kCells)
      if (c.module == module) return c.source;
  throw InternalError("target " + std::string(name()) + " has no RTL cell " + std::string(module));
}

}  // namespace dagen
