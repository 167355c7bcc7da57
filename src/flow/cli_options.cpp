// The build-option table and its interpretation: what src/main.cpp did with its
// cxxopts result, now on plain name -> text maps any front end can make.
#include "dagen/cli_options.hpp"

#include <charconv>
#include <cstdint>

#include "dagen/diag.hpp"
#include "dagen/vendor.hpp"

namespace dagen {

namespace {

// clang-format off
constexpr BuildOption kOptions[] = {
    {"output", "o", "output directory", false, "out", false},
    {"pipeline", "", "latency in clock cycles (0: combinational)", false, "0", true},
    {"clock-period", "", "every stage meets this period (ns); without --pipeline, the "
     "smallest latency that does", false, nullptr, true},
    {"top", "", "top module name (default: the model's name)", false, nullptr, true},
    {"target", "", "delay model: xcup (UltraScale+ -2) or ice40", false, "xcup", true},
    {"dc", "", "depth control: each output's adder depth <= its minimum + K", false, nullptr, true},
    {"objective", "", "CMVM objective: adders or bits", false, "adders", true},
    {"stage-slack", "", "with --pipeline: let stages be up to (1 + X) times the least "
     "worst-stage delay, for fewer register bits", false, "0", true},
    {"valid", "", "add x_valid / y_valid, delayed with the data", true, nullptr, true},
    {"ii", "", "initiation interval: a new input at most once every K cycles (K > 1: a "
     "digit-serial design with x_valid / y_valid, fewer LUTs)", false, "1", true},
    {"hdl", "", "verilog or vhdl (VHDL-2008; --verify runs GHDL)", false, "verilog", true},
    {"ternary", "", "fuse adder pairs into ternary adders: one LUT6_2 + CARRY8 chain (xcup only)",
     true, nullptr, true},
    {"no-share", "", "no common subexpressions: one CSD adder tree per output (a baseline)", true,
     nullptr, true},
    {"seed", "", "optimizer and test-vector seed", false, "1", true},
    {"verify", "", "verilate the design and compare it with the reference model", true, nullptr,
     false},
    {"vectors", "", "random vectors for --verify (corners are always added)", false, "1000", false},
    {"force", "", "also write into a non-empty directory da-gen did not write (no file "
     "there is replaced)", true, nullptr, false},
    {"dump-graph", "", "also write the adder graph (<top>.graph.json, <top>.dot)", true, nullptr,
     true},
    {"vivado", "", "also write build_vivado.tcl and constraints.xdc for this Xilinx part", false,
     nullptr, true},
    {"quartus", "", "also write a Quartus project (<top>.qsf, .sdc, build_quartus.tcl) for "
     "this Intel device", false, nullptr, true},
};
// clang-format on

const BuildOption* find_option(const std::string& name) {
  for (const BuildOption& o : kOptions)
    if (name == o.name) return &o;
  return nullptr;
}

// The given text, else the table's default.
std::string text_of(const GivenOptions& given, const std::string& name) {
  if (const auto it = given.find(name); it != given.end()) return it->second;
  return find_option(name)->default_value;
}

// The whole text must be the number: "12abc", "0x10" and "" are refused.
template <typename T>
T number_of(const std::string& name, const std::string& text, const char* what) {
  T value{};
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec == std::errc::result_out_of_range)
    throw OptionError("--" + name + ": '" + text + "' is out of range");
  if (ec != std::errc() || ptr != end || text.empty())
    throw OptionError("--" + name + ": '" + text + "' is not " + what);
  return value;
}

double double_option(const GivenOptions& given, const std::string& name) {
  return number_of<double>(name, text_of(given, name), "a number");
}

// Rules about which options were given; the values are checked by FlowOptions::validate().
void check_combinations(const GivenOptions& given) {
  const auto has = [&](const char* name) { return given.contains(name); };
  if (has("clock-period") && has("stage-slack"))
    throw OptionError("give --stage-slack or --clock-period, not both: each sets the stage delay");
  if (has("stage-slack") && !has("pipeline"))
    throw OptionError(
        "--stage-slack needs --pipeline N (N > 0): it balances the delays of pipeline stages");
  if (has("vectors") && !has("verify"))
    throw OptionError("--vectors needs --verify: it sets how many random vectors --verify runs");
}

}  // namespace

std::span<const BuildOption> build_options() { return kOptions; }

std::string spelled_option(const std::string& name) {
  return name == "output" ? "-o/--output" : "--" + name;
}

int int_option(const std::string& name, const std::string& text) {
  return number_of<int>(name, text, "an integer");
}

FlowOptions flow_options_from(const GivenOptions& given) {
  for (const auto& [name, text] : given)
    if (!find_option(name))
      throw OptionError("unknown option '--" + name + "' (--help lists the options)");
  check_combinations(given);
  const auto has = [&](const char* name) { return given.contains(name); };
  FlowOptions f;
  f.pipeline = int_option("pipeline", text_of(given, "pipeline"));
  if (has("clock-period")) {
    f.pipeline_given = has("pipeline");
    f.clock_period_ns = double_option(given, "clock-period");
  }
  if (has("top")) {
    f.top = text_of(given, "top");
    if (f.top.empty()) throw OptionError("--top must not be empty");
  }
  f.target = text_of(given, "target");
  if (has("dc")) f.cmvm.depth_slack = int_option("dc", text_of(given, "dc"));
  const std::string objective = text_of(given, "objective");
  if (objective == "adders")
    f.cmvm.objective = cmvm::Objective::Adders;
  else if (objective == "bits")
    f.cmvm.objective = cmvm::Objective::AdderBits;
  else
    throw OptionError("--objective must be adders or bits");
  f.cmvm.seed = number_of<std::uint64_t>("seed", text_of(given, "seed"), "a non-negative integer");
  f.cmvm.share = !has("no-share");
  f.ternary = has("ternary");
  f.dump_graph = has("dump-graph");
  f.valid = has("valid");
  f.ii = int_option("ii", text_of(given, "ii"));
  f.hdl = text_of(given, "hdl");
  f.stage_slack = double_option(given, "stage-slack");
  if (has("vivado")) vendor::check_part_name("--vivado", f.vivado_part = text_of(given, "vivado"));
  if (has("quartus"))
    vendor::check_part_name("--quartus", f.quartus_device = text_of(given, "quartus"));
  f.validate();
  return f;
}

}  // namespace dagen
