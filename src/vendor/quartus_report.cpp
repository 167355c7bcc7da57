// Quartus' summary files ("Key : Value" lines of <top>.fit.summary, "Type : ...
// Setup 'clk'" / "Slack : x" blocks of <top>.sta.summary) and the "Fmax Summary"
// tables of <top>.sta.rpt ("; 312.5 MHz ; 312.5 MHz ; clk ; ;").
#include <algorithm>
#include <cmath>
#include <map>

#include "dagen/vendor_report.hpp"
#include "report_text.hpp"

namespace dagen::vendor {

namespace {

using namespace detail;

struct Entry {
  std::string value;
  std::size_t line = 0;
};

std::map<std::string, Entry, std::less<>> key_values(const ReportFile& f) {
  std::map<std::string, Entry, std::less<>> out;
  const auto lines = lines_of(f.text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::size_t colon = lines[i].find(" : ");
    if (colon == std::string_view::npos) continue;
    out.emplace(std::string(trim(lines[i].substr(0, colon))),
                Entry{std::string(trim(lines[i].substr(colon + 3))), i + 1});
  }
  return out;
}

// "1,234 / 32,070 ( 4 % )" or "456": the used count.
std::optional<double> used_count(const ReportFile& f,
                                 const std::map<std::string, Entry, std::less<>>& kv,
                                 std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    const auto it = kv.find(std::string_view(key));
    if (it == kv.end()) continue;
    const std::string_view v = it->second.value;
    const auto n = number(v.substr(0, v.find('/')));
    if (!n || *n < 0)
      fail(f, it->second.line, std::string("'") + key + "' is '" + shown(v) + "', not a count");
    return n;
  }
  return std::nullopt;
}

nlohmann::ordered_json json_or_null(const std::optional<double>& v) {
  if (!v) return nullptr;
  return static_cast<long long>(*v);
}

}  // namespace

Row parse_quartus(const ReportFile& fit, const ReportFile& sta,
                  const std::optional<ReportFile>& sta_rpt, std::optional<double> period_ns) {
  const auto kv = key_values(fit);
  const auto lut = used_count(fit, kv, {"Logic utilization (in ALMs)", "Total logic elements"});
  const auto ff = used_count(fit, kv, {"Total registers", "Total logic registers"});
  if (!lut)
    fail(fit, 0,
         "no 'Logic utilization (in ALMs)' or 'Total logic elements' line: not a Quartus "
         "fit summary");
  if (!ff) fail(fit, 0, "no 'Total registers' line");
  const auto dsp = used_count(fit, kv, {"Total DSP Blocks", "Embedded Multiplier 9-bit elements"});
  const auto ram = used_count(fit, kv, {"Total RAM Blocks", "Total M9Ks"});
  auto text = [&](std::initializer_list<const char*> keys) -> nlohmann::ordered_json {
    for (const char* key : keys)
      if (const auto it = kv.find(std::string_view(key)); it != kv.end()) return it->second.value;
    return nullptr;
  };

  // The worst setup slack of every corner and clock.
  std::optional<double> wns;
  std::string clock;
  const auto lines = lines_of(sta.text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::size_t colon = lines[i].find(" : ");
    if (colon == std::string_view::npos || trim(lines[i].substr(0, colon)) != "Type") continue;
    const std::string_view type = lines[i].substr(colon + 3);
    if (type.find(" Setup ") == std::string_view::npos) continue;
    std::size_t k = i + 1;
    while (k < lines.size() && trim(lines[k]).empty()) ++k;
    const std::size_t c2 = k < lines.size() ? lines[k].find(" : ") : std::string_view::npos;
    if (c2 == std::string_view::npos || trim(lines[k].substr(0, c2)) != "Slack")
      fail(sta, k < lines.size() ? k + 1 : i + 1,
           "a Setup 'Type' line is not followed by 'Slack : X'");
    const auto v = number(lines[k].substr(c2 + 3));
    if (!v || !std::isfinite(*v))
      fail(sta, k + 1, "Slack '" + shown(trim(lines[k].substr(c2 + 3))) + "' is not a number");
    if (!wns || *v < *wns) {
      wns = *v;
      const std::size_t q = type.find('\'');
      const std::size_t q2 = q == std::string_view::npos ? q : type.find('\'', q + 1);
      clock = q2 == std::string_view::npos ? "" : std::string(type.substr(q + 1, q2 - q - 1));
    }
  }
  if (!wns)
    fail(sta, 0,
         "no setup slack ('Type : ... Setup ...' and 'Slack : X'): not a Quartus timing summary");

  // Restricted Fmax: the slowest corner's.
  std::optional<double> fmax;
  if (sta_rpt) {
    const auto rl = lines_of(sta_rpt->text);
    bool in_table = false;
    for (std::size_t i = 0; i < rl.size(); ++i) {
      if (rl[i].find("Fmax Summary") != std::string_view::npos) {
        in_table = true;
        continue;
      }
      if (!in_table) continue;
      const std::string_view line = trim(rl[i]);
      if (line.starts_with("+")) continue;
      if (!line.starts_with(";")) {
        in_table = false;
        continue;
      }
      const auto cells = split(line, ';');
      if (cells.size() < 4 || cells[1] == "Fmax") continue;  // the column names
      const std::string_view restricted = cells[2];
      const std::size_t unit = restricted.find("MHz");
      const auto v =
          unit == std::string_view::npos ? std::nullopt : number(restricted.substr(0, unit));
      if (!v || !(*v > 0) || !std::isfinite(*v))
        fail(*sta_rpt, i + 1, "Restricted Fmax '" + shown(restricted) + "' is not 'N MHz'");
      fmax = fmax ? std::min(*fmax, *v) : *v;
    }
  }
  if (!fmax && period_ns && *period_ns - *wns > 0) fmax = 1e3 / (*period_ns - *wns);

  Row r;
  r["design"] = nullptr;
  r["top"] = text({"Top-level Entity Name"});
  r["flow"] = "quartus execute_flow -compile";
  r["lut"] = json_or_null(lut);  // ALMs (or logic elements): Quartus' logic unit
  r["ff"] = json_or_null(ff);
  r["carry"] = nullptr;  // not in Quartus' summaries
  r["srl"] = nullptr;
  r["dsp"] = json_or_null(dsp);
  r["muxf"] = nullptr;
  r["bram"] = json_or_null(ram);
  r["latch"] = nullptr;
  r["other"] = nlohmann::ordered_json::object();
  r["carry_bits"] = nullptr;
  r["lut_unit"] = kv.contains(std::string_view("Logic utilization (in ALMs)")) ? "ALM" : "LE";
  r["part"] = text({"Device"});
  r["family"] = text({"Family"});
  r["clock"] = clock;
  r["period_ns"] = period_ns ? nlohmann::ordered_json(*period_ns) : nlohmann::ordered_json(nullptr);
  r["wns_ns"] = *wns;
  r["fmax_mhz"] = fmax ? nlohmann::ordered_json(std::round(*fmax * 1e3) / 1e3)
                       : nlohmann::ordered_json(nullptr);
  r["tool_version"] =
      text({"Quartus Prime Version", "Quartus II Version", "Quartus II 64-Bit Version"});
  return r;
}

}  // namespace dagen::vendor
