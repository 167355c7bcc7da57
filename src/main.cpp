// da-gen command line: options -> flow -> exit code.
#include <csignal>
#include <cxxopts.hpp>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "dagen/cli_options.hpp"
#include "dagen/diag.hpp"
#include "dagen/flow.hpp"
#include "dagen/interrupt.hpp"
#include "dagen/model_json.hpp"
#include "dagen/progress.hpp"
#include "dagen/reference.hpp"
#include "dagen/vendor_report.hpp"

namespace {

using namespace dagen;

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Every value is read as text and converted by flow_options_from(), so that a
// bad value names its option (cxxopts' own conversion errors do not).
cxxopts::Options make_options() {
  cxxopts::Options o("da-gen",
                     "Quantized neural network (model.json) -> pipelined shift-add Verilog");
  o.positional_help("MODEL.json").show_positional_help();
  using Text = std::string;
  auto add = o.add_options();
  add("model", "model.json to compile", cxxopts::value<Text>());
  for (const BuildOption& b : build_options()) {
    const std::string spec = *b.short_name ? std::string(b.short_name) + "," + b.name : b.name;
    if (b.flag)
      add(spec, b.help);
    else if (b.default_value)
      add(spec, b.help, cxxopts::value<Text>()->default_value(b.default_value));
    else
      add(spec, b.help, cxxopts::value<Text>());
  }
  add("eval",
      "evaluate the reference model on {\"inputs\": [[...]]}, print the exact "
      "outputs, write nothing",
      cxxopts::value<Text>());
  add("version", "print the version");
  add("h,help", "print this help");
  o.parse_positional({"model"});
  return o;
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
  std::set<std::string> flags = {"version", "help"};
  for (const BuildOption& b : build_options())
    if (b.flag) flags.insert(b.name);
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto eq = arg.find('=');
    if (arg.starts_with("--") && eq != std::string::npos && flags.contains(arg.substr(2, eq - 2)))
      throw OptionError(arg.substr(0, eq) + " takes no value");
  }
}

// Rules of the command line itself (how often, --eval); flow_options_from() has the others.
void check_command_line(const cxxopts::Options& options, const cxxopts::ParseResult& r) {
  for (const auto& option : options.group_help("").options) {
    const std::string& name = option.l.empty() ? option.s : option.l.front();
    if (r.count(name) > 1)
      throw OptionError(spelled_option(name) + " is given " + std::to_string(r.count(name)) +
                        " times; give it once");
  }
  if (r.count("eval")) {
    for (const BuildOption& b : build_options())
      if (r.count(b.name))
        throw OptionError(spelled_option(b.name) +
                          " does nothing with --eval: it evaluates the model and writes nothing");
  }
}

GivenOptions given_options(const cxxopts::ParseResult& r) {
  GivenOptions given;
  for (const BuildOption& b : build_options())
    if (r.count(b.name)) given[b.name] = b.flag ? "" : r[b.name].as<std::string>();
  return given;
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
  check_command_line(options, r);
  const FlowOptions flow = flow_options_from(given_options(r));
  const int vectors = int_option("vectors", r["vectors"].as<std::string>());
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
  const std::string architecture = design.report["architecture"];
  std::cout << "da-gen: wrote " << out << "/" << design.top
            << (flow.hdl == "vhdl" ? ".vhd: " : ".v: ");
  if (architecture == "word-parallel")
    std::cout << stats["adders"] << " adders (" << stats["adder_bits"] << " bits, "
              << stats["adder_luts"] << " LUTs" << ternary_note(stats) << "), adder depth "
              << stats["adder_depth"];
  else  // the word-parallel graph's adder counts would mislead: the estimate of what is built
    std::cout << architecture << ", a new input at most every " << design.initiation_interval
              << " cycles, about "
              << design.report[architecture == "streamed" ? "stream" : "serial"]["estimated_luts"]
              << " LUTs estimated";
  std::cout << ", latency " << design.schedule.latency << ", estimated period "
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
