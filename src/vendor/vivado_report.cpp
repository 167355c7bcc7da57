// Vivado's text reports (UG835 report_utilization, report_timing_summary; the
// layout UG906 shows): site-type tables "| Name | Used | Fixed | ... |" and the
// "Design Timing Summary" / "Clock Summary" sections.
#include <cmath>
#include <map>

#include "dagen/vendor_report.hpp"
#include "report_text.hpp"

namespace dagen::vendor {

namespace {

using namespace detail;

// A count as JSON: an integer when it is one (Block RAM tiles come in halves).
nlohmann::ordered_json count_json(double v) {
  if (v == std::floor(v) && std::fabs(v) < 9e15) return static_cast<long long>(v);
  return v;
}

struct Utilization {
  std::map<std::string, double, std::less<>> used;  // first row of each site type
  std::map<std::string, std::string, std::less<>> header;
};

Utilization read_utilization(const ReportFile& f) {
  static const char* const kWanted[] = {"CLB LUTs",
                                        "Slice LUTs",
                                        "CLB Registers",
                                        "Slice Registers",
                                        "CARRY8",
                                        "CARRY4",
                                        "F7 Muxes",
                                        "F8 Muxes",
                                        "F9 Muxes",
                                        "LUT as Shift Register",
                                        "Register as Latch",
                                        "DSPs",
                                        "Block RAM Tile",
                                        "URAM"};
  Utilization u;
  const auto lines = lines_of(f.text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = trim(lines[i]);
    if (!line.starts_with("|")) continue;
    const auto cells = split(line, '|');
    if (cells.size() == 2) {  // "| Design       : top"
      const std::size_t colon = cells[1].find(':');
      if (colon != std::string_view::npos)
        u.header.emplace(std::string(trim(cells[1].substr(0, colon))),
                         std::string(trim(cells[1].substr(colon + 1))));
      continue;
    }
    if (cells.size() < 4) continue;
    std::string_view name = cells[1];
    while (!name.empty() && name.back() == '*') name.remove_suffix(1);  // post-synthesis note
    name = trim(name);
    bool wanted = false;
    for (const char* w : kWanted) wanted = wanted || name == w;
    if (!wanted || u.used.contains(name)) continue;
    const auto v = number(cells[2]);
    if (!v || *v < 0)
      fail(f, i + 1, "'" + std::string(name) + "' has Used '" + shown(cells[2]) + "', not a count");
    u.used.emplace(std::string(name), *v);
  }
  return u;
}

bool is_rule(std::string_view line) {
  line = trim(line);
  return !line.empty() && line.find_first_not_of("- ") == std::string_view::npos;
}

struct Timing {
  double wns = 0, period = 0;
  std::string clock;
};

Timing read_timing(const ReportFile& f) {
  const auto lines = lines_of(f.text);
  Timing t;
  bool have_wns = false, have_clock = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto head = words(lines[i]);
    if (head.empty()) continue;
    const bool wns_table = !have_wns && head[0] == "WNS(ns)";
    const bool clock_table = !have_clock && head[0] == "Clock" && head.size() >= 3 &&
                             lines[i].find("Period(ns)") != std::string_view::npos;
    if (!wns_table && !clock_table) continue;
    std::size_t k = i + 1;
    while (k < lines.size() && (is_rule(lines[k]) || trim(lines[k]).empty())) ++k;
    if (k >= lines.size()) fail(f, i + 1, "the table has no rows");
    if (wns_table) {
      const auto row = words(lines[k]);
      const auto v = number(row.at(0));
      if (!v) fail(f, k + 1, "WNS '" + shown(row.at(0)) + "' is not a number");
      if (!std::isfinite(*v))
        fail(f, k + 1, "WNS is '" + shown(row.at(0)) + "': no path was timed (no clock?)");
      t.wns = *v;
      have_wns = true;
    } else {
      // "clk  {0.000 2.000}  4.000  250.000": the period follows the waveform.
      const std::string_view row = lines[k];
      const std::size_t close = row.find('}');
      const auto name = words(row);
      const auto rest =
          close == std::string_view::npos ? decltype(name){} : words(row.substr(close + 1));
      const auto v = rest.empty() ? std::nullopt : number(rest[0]);
      if (name.empty() || !v || !std::isfinite(*v) || *v <= 0)
        fail(f, k + 1,
             "a clock row is 'NAME {WAVEFORM} PERIOD FREQUENCY', not '" + shown(trim(row)) + "'");
      t.clock = std::string(name[0]);
      t.period = *v;
      have_clock = true;
    }
  }
  if (!have_wns)
    fail(f, 0, "no Design Timing Summary (a 'WNS(ns)' table): not a report_timing_summary report");
  if (!have_clock) fail(f, 0, "no Clock Summary (a 'Clock ... Period(ns)' table)");
  return t;
}

}  // namespace

Row parse_vivado(const ReportFile& utilization, const ReportFile& timing) {
  const Utilization u = read_utilization(utilization);
  const Timing t = read_timing(timing);
  auto first = [&](std::initializer_list<const char*> names) -> std::optional<double> {
    for (const char* n : names)
      if (auto it = u.used.find(std::string_view(n)); it != u.used.end()) return it->second;
    return std::nullopt;
  };
  const auto lut = first({"CLB LUTs", "Slice LUTs"});
  const auto ff = first({"CLB Registers", "Slice Registers"});
  if (!lut)
    fail(utilization, 0, "no 'CLB LUTs' or 'Slice LUTs' row: not a report_utilization report");
  if (!ff) fail(utilization, 0, "no 'CLB Registers' or 'Slice Registers' row");
  const double carry8 = first({"CARRY8"}).value_or(0), carry4 = first({"CARRY4"}).value_or(0);
  const double muxf = first({"F7 Muxes"}).value_or(0) + first({"F8 Muxes"}).value_or(0) +
                      first({"F9 Muxes"}).value_or(0);
  auto header = [&](const char* key) -> nlohmann::ordered_json {
    const auto it = u.header.find(std::string_view(key));
    return it == u.header.end() ? nlohmann::ordered_json(nullptr)
                                : nlohmann::ordered_json(it->second);
  };
  Row r;
  r["design"] = nullptr;
  r["top"] = header("Design");
  r["flow"] = "vivado out_of_context synth_design, opt_design, place_design, route_design";
  r["lut"] = count_json(*lut);
  r["ff"] = count_json(*ff);
  r["carry"] = count_json(carry8 + carry4);
  r["srl"] = count_json(first({"LUT as Shift Register"}).value_or(0));
  r["dsp"] = count_json(first({"DSPs"}).value_or(0));
  r["muxf"] = count_json(muxf);
  r["bram"] = count_json(first({"Block RAM Tile"}).value_or(0));
  r["latch"] = count_json(first({"Register as Latch"}).value_or(0));
  r["other"] = nlohmann::ordered_json::object();
  r["carry_bits"] = count_json(8 * carry8 + 4 * carry4);
  r["uram"] = count_json(first({"URAM"}).value_or(0));
  r["part"] = header("Device");
  r["clock"] = t.clock;
  r["period_ns"] = t.period;
  r["wns_ns"] = t.wns;
  // Achieved: the clock the worst path would just meet.
  const double achieved = t.period - t.wns;
  r["fmax_mhz"] = achieved > 0 ? nlohmann::ordered_json(std::round(1e6 / achieved) / 1e3)
                               : nlohmann::ordered_json(nullptr);
  r["tool_version"] = header("Tool Version");
  return r;
}

}  // namespace dagen::vendor
