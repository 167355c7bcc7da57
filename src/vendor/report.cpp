// da-gen report DIR: finds the Vivado or Quartus reports and prints one row.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

#include "dagen/diag.hpp"
#include "dagen/vendor_report.hpp"
#include "report_text.hpp"

namespace dagen::vendor {

namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxReportBytes = 256u << 20;

ReportFile read_report(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) throw ToolError(path.string() + ": cannot read it (" + ec.message() + ")");
  if (size > kMaxReportBytes)
    throw ToolError(path.string() + ": larger than 256 MiB, not a report");
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in && !in.eof()) throw ToolError(path.string() + ": cannot read it");
  return {path.string(), std::move(text)};
}

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

std::vector<fs::path> with_suffix(const fs::path& dir, const std::string& suffix) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename().string().ends_with(suffix) && is_file(it->path()))
      out.push_back(it->path());
  std::sort(out.begin(), out.end());
  return out;
}

// The clock period of create_clock in an .sdc da-gen wrote ("-period X").
std::optional<double> sdc_period(const fs::path& sdc) {
  if (!is_file(sdc)) return std::nullopt;
  const ReportFile f = read_report(sdc);
  for (const std::string_view line : detail::lines_of(f.text)) {
    const auto w = detail::words(line);
    if (w.empty() || w[0] != "create_clock") continue;
    for (std::size_t k = 1; k + 1 < w.size(); ++k)
      if (w[k] == "-period") return detail::number(w[k + 1]);
  }
  return std::nullopt;
}

Row vivado_row(const fs::path& dir) {
  const fs::path u = dir / "utilization.rpt", t = dir / "timing_summary.rpt";
  for (const fs::path& p : {u, t})
    if (!is_file(p))
      throw ToolError(p.string() + ": missing (build_vivado.tcl writes it after route_design)");
  return parse_vivado(read_report(u), read_report(t));
}

Row quartus_row(const fs::path& dir, const fs::path& fit) {
  const std::string name = fit.filename().string();
  const std::string top = name.substr(0, name.size() - std::string(".fit.summary").size());
  const fs::path sta = dir / (top + ".sta.summary"), rpt = dir / (top + ".sta.rpt");
  if (!is_file(sta))
    throw ToolError(sta.string() + ": missing (Quartus' timing analyzer writes it)");
  std::optional<ReportFile> sta_rpt;
  if (is_file(rpt)) sta_rpt = read_report(rpt);
  std::optional<double> period = sdc_period(dir.parent_path() / (top + ".sdc"));
  if (!period) period = sdc_period(dir / (top + ".sdc"));
  return parse_quartus(read_report(fit), read_report(sta), sta_rpt, period);
}

}  // namespace

Row read_reports(const fs::path& given) {
  std::error_code ec;
  if (!fs::is_directory(given, ec)) throw ToolError(given.string() + ": not a directory");
  const fs::path dir = fs::absolute(given).lexically_normal();
  // The reports directory: DIR itself, else DIR/vivado or DIR/quartus.
  std::vector<std::pair<fs::path, bool>> found;  // (directory, is Vivado)
  for (const fs::path& d : {dir, dir / "vivado", dir / "quartus"}) {
    if (is_file(d / "utilization.rpt") || is_file(d / "timing_summary.rpt"))
      found.emplace_back(d, true);
    if (!with_suffix(d, ".fit.summary").empty()) found.emplace_back(d, false);
    if (!found.empty()) break;
  }
  if (found.empty())
    throw ToolError(given.string() +
                    ": no Vivado reports (utilization.rpt, timing_summary.rpt) or Quartus "
                    "reports (<top>.fit.summary) here or in its vivado/ or quartus/");
  if (found.size() > 1)
    throw ToolError(found[0].first.string() +
                    " holds both Vivado and Quartus reports: name vivado/ or quartus/ alone");
  const auto [reports, vivado] = found.front();
  Row r;
  if (vivado) {
    r = vivado_row(reports);
  } else {
    const auto fits = with_suffix(reports, ".fit.summary");
    if (fits.size() > 1)
      throw ToolError(reports.string() + " holds " + std::to_string(fits.size()) +
                      " .fit.summary files: one project's reports per directory");
    r = quartus_row(reports, fits.front());
  }
  // The design: the directory the project files are in (yosys_report.py: DIR's name).
  const fs::path design = reports.filename() == "vivado" || reports.filename() == "quartus"
                              ? reports.parent_path()
                              : reports;
  r["design"] = design.filename().string();
  return r;
}

namespace {

std::string cell(const Row& v, const char* format) {
  if (v.is_null()) return "-";
  char text[64];
  if (v.is_number_integer())
    std::snprintf(text, sizeof text, "%lld", v.get<long long>());
  else if (v.is_number())
    std::snprintf(text, sizeof text, format, v.get<double>());
  else
    return v.is_string() ? escaped(v.get<std::string>(), "|", true, "\\x") : v.dump();
  return text;
}

}  // namespace

// tools/yosys_report.py's columns (its last, Yosys seconds, aside), then the timing.
std::string markdown_header() {
  return "| top | LUT | FF | CARRY | SRL | DSP | WNS ns | Fmax MHz |\n"
         "|---|---:|---:|---:|---:|---:|---:|---:|";
}

std::string markdown_row(const Row& r) {
  std::string row = "| " + cell(r.value("top", Row()), "%g");
  for (const char* key : {"lut", "ff", "carry", "srl", "dsp"})
    row += " | " + cell(r.value(key, Row()), "%g");
  row += " | " + cell(r.value("wns_ns", Row()), "%.3f");
  row += " | " + cell(r.value("fmax_mhz", Row()), "%.1f") + " |";
  return row;
}

}  // namespace dagen::vendor
