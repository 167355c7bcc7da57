// da-gen command line: options -> flow -> exit code.
#include <cxxopts.hpp>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "dagen/diag.hpp"
#include "dagen/flow.hpp"
#include "dagen/model_json.hpp"
#include "dagen/reference.hpp"

namespace {

using namespace dagen;

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

cxxopts::Options make_options() {
  cxxopts::Options o("da-gen",
                     "Quantized neural network (model.json) -> pipelined shift-add Verilog");
  o.positional_help("MODEL.json").show_positional_help();
  // clang-format off
  o.add_options()
      ("model", "model.json to compile", cxxopts::value<std::string>())
      ("o,output", "output directory", cxxopts::value<std::string>()->default_value("out"))
      ("pipeline", "latency in clock cycles (0: combinational)",
       cxxopts::value<int>()->default_value("0"))
      ("clock-period", "every stage meets this period (ns); without --pipeline, the "
       "smallest latency that does",
       cxxopts::value<double>())
      ("top", "top module name (default: the model's name)", cxxopts::value<std::string>())
      ("target", "delay model: xcup (UltraScale+ -2) or ice40",
       cxxopts::value<std::string>()->default_value("xcup"))
      ("dc", "depth control: each output's adder depth <= its minimum + K",
       cxxopts::value<int>())
      ("objective", "CMVM objective: adders or bits",
       cxxopts::value<std::string>()->default_value("adders"))
      ("stage-slack", "let stages be up to (1 + X) times the least worst-stage delay, "
       "for fewer register bits", cxxopts::value<double>()->default_value("0"))
      ("valid", "add x_valid / y_valid, delayed with the data")
      ("ternary", "fuse adder pairs into ternary adders: one LUT6_2 + CARRY8 chain (xcup only)")
      ("no-share", "no common subexpressions: one CSD adder tree per output (a baseline)")
      ("seed", "optimizer and test-vector seed",
       cxxopts::value<std::uint64_t>()->default_value("1"))
      ("verify", "verilate the design and compare it with the reference model")
      ("vectors", "random vectors for --verify (corners are always added)",
       cxxopts::value<int>()->default_value("1000"))
      ("force", "replace a non-empty output directory da-gen did not write")
      ("dump-graph", "also write the adder graph (<top>.graph.json, <top>.dot)")
      ("eval", "evaluate the reference model on {\"inputs\": [[...]]}, print the outputs, "
       "write nothing", cxxopts::value<std::string>())
      ("version", "print the version")
      ("h,help", "print this help");
  // clang-format on
  o.parse_positional({"model"});
  return o;
}

FlowOptions flow_options(const cxxopts::ParseResult& r) {
  FlowOptions f;
  f.pipeline = r["pipeline"].as<int>();
  if (f.pipeline < 0 || f.pipeline > 1000) throw UsageError("--pipeline must be in [0, 1000]");
  if (r.count("clock-period")) {
    f.pipeline_given = r.count("pipeline") > 0;
    f.clock_period_ns = r["clock-period"].as<double>();
    if (!(*f.clock_period_ns > 0)) throw UsageError("--clock-period must be positive");
    if (r.count("stage-slack"))
      throw UsageError("give --stage-slack or --clock-period, not both: each sets the stage delay");
  }
  if (r.count("top")) {
    f.top = r["top"].as<std::string>();
    if (f.top.empty()) throw UsageError("--top must not be empty");
  }
  f.target = r["target"].as<std::string>();
  try {
    delay_model(f.target);
  } catch (const ToolError& e) {
    throw UsageError(e.what());
  }
  if (r.count("dc")) {
    const int k = r["dc"].as<int>();
    if (k < 0) throw UsageError("--dc must be >= 0");
    f.cmvm.depth_slack = k;
  }
  const std::string objective = r["objective"].as<std::string>();
  if (objective == "adders")
    f.cmvm.objective = cmvm::Objective::Adders;
  else if (objective == "bits")
    f.cmvm.objective = cmvm::Objective::AdderBits;
  else
    throw UsageError("--objective must be adders or bits");
  f.cmvm.seed = r["seed"].as<std::uint64_t>();
  f.cmvm.share = r.count("no-share") == 0;
  f.ternary = r.count("ternary") > 0;
  if (f.ternary && f.target != "xcup")
    throw UsageError("--ternary needs --target xcup: ternary adders are Xilinx LUT6_2 + CARRY8");
  f.dump_graph = r.count("dump-graph") > 0;
  f.valid = r.count("valid") > 0;
  f.stage_slack = r["stage-slack"].as<double>();
  if (!(f.stage_slack >= 0 && f.stage_slack <= 10))
    throw UsageError("--stage-slack must be in [0, 10]");
  return f;
}

std::string ternary_note(const nlohmann::json& stats) {
  const int fused = stats["ternary_adders"].get<int>();
  return fused > 0 ? ", " + std::to_string(fused) + " ternary" : "";
}

int run_eval(const Model& model, const std::string& path) {
  const auto vectors = read_input_vectors(path, model.input_types);
  auto outputs = nlohmann::json::array();
  for (const auto& x : vectors) {
    auto row = nlohmann::json::array();
    for (const Fixed& y : evaluate_reference(model, x)) row.push_back(to_double(y));
    outputs.push_back(std::move(row));
  }
  std::cout << nlohmann::json{{"outputs", outputs}}.dump() << "\n";
  return kExitOk;
}

int run(int argc, char** argv) {
  auto options = make_options();
  cxxopts::ParseResult r;
  try {
    r = options.parse(argc, argv);
  } catch (const cxxopts::exceptions::exception& e) {
    throw UsageError(e.what());
  }
  if (r.count("help")) {
    std::cout << options.help()
              << "\nExit codes: 0 ok, 1 invalid model, 2 usage, 3 verification "
                 "mismatch, 4 tool error.\n";
    return kExitOk;
  }
  if (r.count("version")) {
    std::cout << "da-gen " << kVersion << "\n";
    return kExitOk;
  }
  if (!r.count("model")) throw UsageError("no model given (da-gen MODEL.json [options]; --help)");
  if (!r.unmatched().empty())
    throw UsageError("unexpected argument '" + r.unmatched().front() + "'");
  const FlowOptions flow = flow_options(r);
  const int vectors = r["vectors"].as<int>();
  if (vectors < 0) throw UsageError("--vectors must be >= 0");

  const Model model = read_model_file(r["model"].as<std::string>());
  if (r.count("eval")) return run_eval(model, r["eval"].as<std::string>());

  const Design design = build_design(model, flow);
  const std::filesystem::path out = r["output"].as<std::string>();
  std::optional<VerifyResult> verdict;
  std::function<void(const std::filesystem::path&)> verify_step;
  if (r.count("verify")) {
    verify_step = [&](const std::filesystem::path& staged) {
      verdict = verify_with_verilator(model, design, staged, vectors, flow.cmvm.seed, std::cerr);
    };
  }
  write_output_dir(out, design_files(design, flow), r.count("force") > 0, verify_step);

  const auto& stats = design.report["stats"];
  std::cout << "da-gen: wrote " << out.string() << "/" << design.top << ".v: " << stats["adders"]
            << " adders (" << stats["adder_bits"] << " bits, " << stats["adder_luts"] << " LUTs"
            << ternary_note(stats) << "), adder depth " << stats["adder_depth"] << ", latency "
            << design.graph.latency << ", estimated period "
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
  } catch (const ModelError& e) {
    std::cerr << "da-gen: error: " << e.what() << "\n";
    return kExitBadModel;
  } catch (const ToolError& e) {
    std::cerr << "da-gen: error: " << e.what() << "\n";
    return kExitTool;
  } catch (const std::exception& e) {
    std::cerr << "da-gen: internal error: " << e.what() << "\n";
    return kExitTool;
  }
}
