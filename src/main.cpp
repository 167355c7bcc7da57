// da-gen command line: options -> flow -> exit code.
#include <charconv>
#include <csignal>
#include <cxxopts.hpp>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "dagen/diag.hpp"
#include "dagen/flow.hpp"
#include "dagen/interrupt.hpp"
#include "dagen/model_json.hpp"
#include "dagen/progress.hpp"
#include "dagen/reference.hpp"
#include "dagen/vendor.hpp"
#include "dagen/vendor_report.hpp"

namespace {

using namespace dagen;

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Every value is read as text and converted here, so that a bad value names its
// option (cxxopts' own conversion errors do not).
cxxopts::Options make_options() {
  cxxopts::Options o("da-gen",
                     "Quantized neural network (model.json) -> pipelined shift-add Verilog");
  o.positional_help("MODEL.json").show_positional_help();
  using Text = std::string;
  // clang-format off
  o.add_options()
      ("model", "model.json to compile", cxxopts::value<Text>())
      ("o,output", "output directory", cxxopts::value<Text>()->default_value("out"))
      ("pipeline", "latency in clock cycles (0: combinational)",
       cxxopts::value<Text>()->default_value("0"))
      ("clock-period", "every stage meets this period (ns); without --pipeline, the "
       "smallest latency that does",
       cxxopts::value<Text>())
      ("top", "top module name (default: the model's name)", cxxopts::value<Text>())
      ("target", "delay model: xcup (UltraScale+ -2) or ice40",
       cxxopts::value<Text>()->default_value("xcup"))
      ("dc", "depth control: each output's adder depth <= its minimum + K",
       cxxopts::value<Text>())
      ("objective", "CMVM objective: adders or bits",
       cxxopts::value<Text>()->default_value("adders"))
      ("stage-slack", "with --pipeline: let stages be up to (1 + X) times the least "
       "worst-stage delay, for fewer register bits", cxxopts::value<Text>()->default_value("0"))
      ("valid", "add x_valid / y_valid, delayed with the data")
      ("hdl", "verilog or vhdl (VHDL-2008; --verify runs GHDL)", cxxopts::value<Text>()->default_value("verilog"))
      ("ternary", "fuse adder pairs into ternary adders: one LUT6_2 + CARRY8 chain (xcup only)")
      ("no-share", "no common subexpressions: one CSD adder tree per output (a baseline)")
      ("seed", "optimizer and test-vector seed",
       cxxopts::value<Text>()->default_value("1"))
      ("verify", "verilate the design and compare it with the reference model")
      ("vectors", "random vectors for --verify (corners are always added)",
       cxxopts::value<Text>()->default_value("1000"))
      ("force", "also write into a non-empty directory da-gen did not write (no file "
       "there is replaced)")
      ("dump-graph", "also write the adder graph (<top>.graph.json, <top>.dot)")
      ("vivado", "also write build_vivado.tcl and constraints.xdc for this Xilinx part",
       cxxopts::value<Text>())
      ("quartus", "also write a Quartus project (<top>.qsf, .sdc, build_quartus.tcl) for "
       "this Intel device", cxxopts::value<Text>())
      ("eval", "evaluate the reference model on {\"inputs\": [[...]]}, print the exact "
       "outputs, write nothing", cxxopts::value<Text>())
      ("version", "print the version")
      ("h,help", "print this help");
  // clang-format on
  o.parse_positional({"model"});
  return o;
}

// Options that shape or write a design: they do nothing with --eval.
const char* const kBuildOptions[] = {
    "output",      "pipeline",   "clock-period", "top",      "target", "dc",     "objective",
    "stage-slack", "valid",      "ternary",      "no-share", "seed",   "verify", "vectors",
    "force",       "dump-graph", "vivado",       "quartus",  "hdl"};

std::string text_of(const cxxopts::ParseResult& r, const std::string& name) {
  return r[name].as<std::string>();
}

// The whole text must be the number: "12abc", "0x10" and "" are refused.
template <typename T>
T number_of(const cxxopts::ParseResult& r, const std::string& name, const char* what) {
  const std::string text = text_of(r, name);
  T value{};
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec == std::errc::result_out_of_range)
    throw OptionError("--" + name + ": '" + text + "' is out of range");
  if (ec != std::errc() || ptr != end || text.empty())
    throw OptionError("--" + name + ": '" + text + "' is not " + what);
  return value;
}

int int_of(const cxxopts::ParseResult& r, const std::string& name) {
  return number_of<int>(r, name, "an integer");
}

double double_of(const cxxopts::ParseResult& r, const std::string& name) {
  return number_of<double>(r, name, "a number");
}

// cxxopts names the option as ‘name’; say it as it is typed, in ASCII.
std::string reworded(const cxxopts::exceptions::exception& e) {
  namespace x = cxxopts::exceptions;
  const std::string m = e.what(), lq = "\u2018", rq = "\u2019";
  const auto a = m.find(lq), b = m.find(rq);
  if (a == std::string::npos || b == std::string::npos || b < a) return m;
  const std::string name = m.substr(a + lq.size(), b - a - lq.size());
  const std::string option = (name.size() == 1 ? "-" : "--") + name;
  if (dynamic_cast<const x::no_such_option*>(&e))
    return "unknown option '" + option + "' (--help lists the options)";
  if (dynamic_cast<const x::missing_argument*>(&e) ||
      dynamic_cast<const x::option_requires_argument*>(&e))
    return option + " needs a value";
  if (dynamic_cast<const x::gratuitous_argument_for_option*>(&e)) return option + " takes no value";
  return m;
}

// cxxopts reads "--valid=false" as a given --valid (count 1): a flag takes no value.
void refuse_flag_values(int argc, char** argv) {
  static const std::set<std::string> flags = {"valid", "ternary",    "no-share", "verify",
                                              "force", "dump-graph", "version",  "help"};
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto eq = arg.find('=');
    if (arg.starts_with("--") && eq != std::string::npos && flags.contains(arg.substr(2, eq - 2)))
      throw OptionError(arg.substr(0, eq) + " takes no value");
  }
}

std::string spelled(const std::string& name) {
  return name == "output" ? "-o/--output" : "--" + name;
}

// Rules of the command line itself (which options were given); the values are
// checked by FlowOptions::validate().
void check_combinations(const cxxopts::Options& options, const cxxopts::ParseResult& r) {
  for (const auto& option : options.group_help("").options) {
    const std::string& name = option.l.empty() ? option.s : option.l.front();
    if (r.count(name) > 1)
      throw OptionError(spelled(name) + " is given " + std::to_string(r.count(name)) +
                        " times; give it once");
  }
  if (r.count("eval")) {
    for (const char* name : kBuildOptions)
      if (r.count(name))
        throw OptionError(spelled(name) +
                          " does nothing with --eval: it evaluates the model and writes nothing");
  }
  if (r.count("clock-period") && r.count("stage-slack"))
    throw OptionError("give --stage-slack or --clock-period, not both: each sets the stage delay");
  if (r.count("stage-slack") && !r.count("pipeline"))
    throw OptionError(
        "--stage-slack needs --pipeline N (N > 0): it balances the delays of pipeline stages");
  if (r.count("vectors") && !r.count("verify"))
    throw OptionError("--vectors needs --verify: it sets how many random vectors --verify runs");
}

FlowOptions flow_options(const cxxopts::ParseResult& r) {
  FlowOptions f;
  f.pipeline = int_of(r, "pipeline");
  if (r.count("clock-period")) {
    f.pipeline_given = r.count("pipeline") > 0;
    f.clock_period_ns = double_of(r, "clock-period");
  }
  if (r.count("top")) {
    f.top = text_of(r, "top");
    if (f.top.empty()) throw OptionError("--top must not be empty");
  }
  f.target = text_of(r, "target");
  if (r.count("dc")) f.cmvm.depth_slack = int_of(r, "dc");
  const std::string objective = text_of(r, "objective");
  if (objective == "adders")
    f.cmvm.objective = cmvm::Objective::Adders;
  else if (objective == "bits")
    f.cmvm.objective = cmvm::Objective::AdderBits;
  else
    throw OptionError("--objective must be adders or bits");
  f.cmvm.seed = number_of<std::uint64_t>(r, "seed", "a non-negative integer");
  f.cmvm.share = r.count("no-share") == 0;
  f.ternary = r.count("ternary") > 0;
  f.hdl = text_of(r, "hdl");
  f.dump_graph = r.count("dump-graph") > 0;
  f.valid = r.count("valid") > 0;
  f.stage_slack = double_of(r, "stage-slack");
  if (r.count("vivado")) vendor::check_part_name("--vivado", f.vivado_part = text_of(r, "vivado"));
  if (r.count("quartus"))
    vendor::check_part_name("--quartus", f.quartus_device = text_of(r, "quartus"));
  f.validate();
  return f;
}

std::string ternary_note(const nlohmann::json& stats) {
  const int fused = stats["ternary_adders"].get<int>();
  return fused > 0 ? ", " + std::to_string(fused) + " ternary" : "";
}

int run_eval(const Model& model, const std::string& path) {
  const auto vectors = read_input_vectors(path, model.input_types);
  // Written by hand: nlohmann would print doubles, which lose bits beyond 53.
  std::string text = "{\"outputs\":[";
  for (std::size_t v = 0; v < vectors.size(); ++v) {
    text += v ? ",[" : "[";
    const auto y = evaluate_reference(model, vectors[v]);
    for (std::size_t k = 0; k < y.size(); ++k) text += (k ? "," : "") + to_decimal_string(y[k]);
    text += "]";
  }
  std::cout << text << "]}\n";
  return kExitOk;
}

int run(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]) == "report")  // the subcommand: da-gen report DIR
    return vendor::report_command({argv + 2, argv + argc}, std::cout, std::cerr);
  auto options = make_options();
  cxxopts::ParseResult r;
  refuse_flag_values(argc, argv);
  try {
    r = options.parse(argc, argv);
  } catch (const cxxopts::exceptions::exception& e) {
    throw UsageError(reworded(e));
  }
  if (r.count("help")) {
    std::cout << options.help()
              << "\nExit codes: 0 ok, 1 invalid model, 2 usage, 3 verification "
                 "mismatch, 4 tool error.\n"
              << "da-gen report DIR [--format json|markdown]: the Vivado or Quartus reports of "
                 "--vivado / --quartus projects as one resource row.\n";
    return kExitOk;
  }
  if (r.count("version")) {
    std::cout << "da-gen " << kVersion << "\n";
    return kExitOk;
  }
  if (!r.count("model")) throw UsageError("no model given (da-gen MODEL.json [options]; --help)");
  if (!r.unmatched().empty())
    throw UsageError("unexpected argument '" + r.unmatched().front() + "'");
  check_combinations(options, r);
  const FlowOptions flow = flow_options(r);
  const int vectors = int_of(r, "vectors");
  if (vectors < 0) throw OptionError("--vectors must be >= 0");

  const Model model = read_model_file(r["model"].as<std::string>());
  if (r.count("eval")) return run_eval(model, r["eval"].as<std::string>());

  // -o matters only now (--eval writes nothing); refused before the long work.
  const std::string out = r["output"].as<std::string>();
  if (out.empty()) throw UsageError("-o/--output must not be empty");
  const OutputDir dir = resolve_output_dir(out, r["model"].as<std::string>());
  if (r.count("verify")) require_simulation_tools(flow.hdl);  // before the long work, like -o
  Design design = build_design(model, flow);
  std::optional<VerifyResult> verdict;
  OutputCheck verify_step;
  if (r.count("verify")) {
    // A mismatch keeps the new design, marked "verified": false; a failure to
    // verify at all (ToolError, Interrupted) writes nothing.
    verify_step = [&](const std::filesystem::path& staged) {
      verdict = verify_design(model, design, staged, vectors, flow.cmvm.seed, std::cerr);
      design.report["verified"] = verdict->passed;
      return design_files(design, flow);
    };
  }
  write_output_dir(dir, design_files(design, flow), r.count("force") > 0, verify_step);

  const auto& stats = design.report["stats"];
  std::cout << "da-gen: wrote " << out << "/" << design.top
            << (flow.hdl == "vhdl" ? ".vhd: " : ".v: ") << stats["adders"] << " adders ("
            << stats["adder_bits"] << " bits, " << stats["adder_luts"] << " LUTs"
            << ternary_note(stats) << "), adder depth " << stats["adder_depth"] << ", latency "
            << design.schedule.latency << ", estimated period "
            << design.report["pipeline"]["estimated_period_ns"] << " ns, " << stats["register_bits"]
            << " register bits\n";
  if (verdict) {
    std::cout << verdict->summary;
    return verdict->passed ? kExitOk : kExitMismatch;
  }
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  // Progress of long steps, only on a terminal; gone before any message below.
  auto progress = dagen::progress::Terminal::if_stderr_is_a_terminal();
  try {
    return run(argc, argv);
  } catch (const InternalError& e) {
    std::cerr << "da-gen: internal error: " << e.what() << "\n";
    return kExitTool;
  } catch (const std::bad_alloc&) {
    std::cerr << "da-gen: error: " << out_of_memory_message("") << "\n";
    return kExitTool;
  } catch (const UsageError& e) {
    std::cerr << "da-gen: usage: " << e.what() << "\n";
    return kExitUsage;
  } catch (const OptionError& e) {
    std::cerr << "da-gen: usage: " << e.what() << "\n";
    return kExitUsage;
  } catch (const ModelError& e) {
    std::cerr << "da-gen: error: " << e.what() << "\n";
    return kExitBadModel;
  } catch (const ToolError& e) {
    std::cerr << "da-gen: error: " << e.what() << "\n";
    return kExitTool;
  } catch (const Interrupted& e) {
    // Cleaned up by now; die of the signal so a calling shell stops too ($? = 128 + signal).
    std::cerr << "da-gen: interrupted\n";
    std::signal(e.signal, SIG_DFL);
    std::raise(e.signal);
    return 128 + e.signal;
  } catch (const std::exception& e) {
    std::cerr << "da-gen: internal error: " << e.what() << "\n";
    return kExitTool;
  }
}
