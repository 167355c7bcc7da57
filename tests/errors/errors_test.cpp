// Every kind of bad input, run through the real binary: the exit code, ONE line
// on stderr that names the JSON location (or the option / path), nothing on
// stdout, and no output directory or stray file (hidden staging directories
// included) left behind.  Each case's message is also documented in
// docs/errors.md (checked below).
#include <gtest/gtest.h>

#include <regex>

#include "cli.hpp"

namespace dagen {
namespace {

namespace fs = std::filesystem;

#define T3 R"({"signed": true, "int_bits": 3, "frac_bits": 0})"
#define OK_INPUT R"("input": {"size": 2, "type": )" T3 "}"

struct Case {
  const char* name;
  const char* model;  // written to m.json (nullptr: no model file)
  std::vector<std::string> args;
  int exit_code;
  const char* message;  // the exact stderr line; {dir} = the scratch directory
  const char* setup =
      "";  // "userdir": a non-empty directory of the user; "file": a plain file "afile"
  const char* vectors = nullptr;  // written to v.json (an --eval input file)
};

const char* const kDense =
    "{" OK_INPUT R"(, "layers": [{"type": "dense", "weights": [[1], [2]]}]})";

// A 512 x 512 layer of weights 127 (two CSD digits each): 512 * 1024^2 digit pairs.
const std::string& large_layer_model() {
  static const std::string text = [] {
    std::string row = "[";
    for (int j = 0; j < 512; ++j) row += j ? ", 127" : "127";
    row += "]";
    std::string m =
        R"({"input": {"size": 512, "type": )" T3 R"(}, "layers": [{"type": "dense", "weights": [)";
    for (int i = 0; i < 512; ++i) m += (i ? ", " : "") + row;
    return m + "]}]}";
  }();
  return text;
}

const std::vector<Case>& cases() {
  static const std::vector<Case> k = {
      // --- invalid model: exit 1 -------------------------------------------------
      {"syntax-error",
       R"({"input": )",
       {"m.json"},
       1,
       "da-gen: error: m.json: invalid JSON: [json.exception.parse_error.101] parse error at line "
       "1, column 11: "
       "syntax error while parsing value - unexpected end of input; expected '[', '{', or a "
       "literal"},
      {"number-overflow",
       "{" OK_INPUT R"(, "layers": [{"type": "dense", "weights": [[1], [1e400]]}]})",
       {"m.json"},
       1,
       "da-gen: error: m.json: invalid JSON: [json.exception.out_of_range.406] number overflow "
       "parsing '1e400'"},
      {"missing-file",
       nullptr,
       {"nonexistent.json"},
       1,
       "da-gen: error: nonexistent.json: cannot open the model file"},
      {"top-level-not-object",
       "[1]",
       {"m.json"},
       1,
       "da-gen: error: (top level): expected an object"},
      {"missing-key",
       R"({"layers": []})",
       {"m.json"},
       1,
       "da-gen: error: (top level): missing required key 'input'"},
      {"missing-type-key",
       R"({"input": {"size": 2, "type": {"signed": true, "int_bits": 3}}, "layers": []})",
       {"m.json"},
       1,
       "da-gen: error: input.type: missing required key 'frac_bits'"},
      {"wrong-type-integer",
       R"({"input": {"size": "2", "type": )" T3 R"(}, "layers": []})",
       {"m.json"},
       1,
       "da-gen: error: input.size: expected an integer, got \"2\""},
      {"wrong-type-bool",
       R"({"input": {"size": 2, "type": {"signed": 1, "int_bits": 3, "frac_bits": 0}}, "layers": []})",
       {"m.json"},
       1,
       "da-gen: error: input.type.signed: expected true or false"},
      {"unknown-key",
       "{" OK_INPUT R"(, "layers": [], "extra": 1})",
       {"m.json"},
       1,
       "da-gen: error: extra: unknown key 'extra'"},
      {"unknown-layer-key",
       "{" OK_INPUT R"(, "layers": [{"type": "relu", "alpha": 0.1}]})",
       {"m.json"},
       1,
       "da-gen: error: layers[0].alpha: unknown key 'alpha'"},
      {"unknown-layer-type",
       "{" OK_INPUT R"(, "layers": [{"type": "conv2d"}]})",
       {"m.json"},
       1,
       "da-gen: error: layers[0].type: unknown layer type 'conv2d' (dense, relu or quantize)"},
      // Found by the fuzzer: a control character in a string must not break the line.
      {"control-character",
       "{" OK_INPUT R"(, "layers": [{"type": "de\nse\t"}]})",
       {"m.json"},
       1,
       "da-gen: error: layers[0].type: unknown layer type 'de\\nse\\t' (dense, relu or quantize)"},
      {"layers-not-a-list",
       "{" OK_INPUT R"(, "layers": {}})",
       {"m.json"},
       1,
       "da-gen: error: layers: expected a list of layers"},
      {"weight-rows",
       "{" OK_INPUT R"(, "layers": [{"type": "dense", "weights": [[1, 2]]}]})",
       {"m.json"},
       1,
       "da-gen: error: layers[0].weights: has 1 rows but the layer has 2 inputs (weights are "
       "[n_in][n_out])"},
      {"weight-ragged",
       "{" OK_INPUT R"(, "layers": [{"type": "dense", "weights": [[1, 2], [3]]}]})",
       {"m.json"},
       1,
       "da-gen: error: layers[0].weights[1]: has 1 entries, row 0 has 2"},
      {"weight-no-outputs",
       "{" OK_INPUT R"(, "layers": [{"type": "dense", "weights": [[], []]}]})",
       {"m.json"},
       1,
       "da-gen: error: layers[0].weights[0]: a dense layer needs at least one output"},
      {"weight-not-exact",
       "{" OK_INPUT R"(, "layers": [{"type": "dense", "weights": [[1], [0.1]]}]})",
       {"m.json"},
       1,
       "da-gen: error: layers[0].weights[1][0]: 0.1 is not an exact binary fraction with at most "
       "32 fractional bits"},
      {"weight-33-frac-bits",
       "{" OK_INPUT
       R"(, "layers": [{"type": "dense", "weights": [[1], [1.16415321826934814453125e-10]]}]})",
       {"m.json"},
       1,
       "da-gen: error: layers[0].weights[1][0]: 1.1641532182693481e-10 is not an exact binary "
       "fraction with at most 32 "
       "fractional bits"},
      {"weight-span",
       "{" OK_INPUT
       R"(, "layers": [{"type": "dense", "weights": [[1099511627776], [0.0009765625]]}]})",
       {"m.json"},
       1,
       "da-gen: error: layers[0].weights[0][0]: weight needs 51 bits on the layer's finest grid "
       "(2^-10); the limit is 48"},
      {"weight-not-number",
       "{" OK_INPUT R"(, "layers": [{"type": "dense", "weights": [[1], ["2"]]}]})",
       {"m.json"},
       1,
       "da-gen: error: layers[0].weights[1][0]: expected a number, got \"2\""},
      {"weight-too-large",
       "{" OK_INPUT R"(, "layers": [{"type": "dense", "weights": [[1], [18446744073709551615]]}]})",
       {"m.json"},
       1,
       "da-gen: error: layers[0].weights[1][0]: number is too large"},
      {"bias-length",
       "{" OK_INPUT R"(, "layers": [{"type": "dense", "weights": [[1], [2]], "bias": [1, 2]}]})",
       {"m.json"},
       1,
       "da-gen: error: layers[0].bias: has 2 entries but the layer has 1 outputs"},
      {"type-too-wide",
       R"({"input": {"size": 2, "type": {"signed": true, "int_bits": 100, "frac_bits": 20}}, "layers": []})",
       {"m.json"},
       1,
       "da-gen: error: input.type: width 121 exceeds the limit of 120 bits"},
      {"negative-width",
       R"({"input": {"size": 2, "type": {"signed": false, "int_bits": -5, "frac_bits": 3}}, "layers": []})",
       {"m.json"},
       1,
       "da-gen: error: input.type: width -2 is negative"},
      {"exponent-range",
       R"({"input": {"size": 2, "type": {"signed": false, "int_bits": 600, "frac_bits": 3}}, "layers": []})",
       {"m.json"},
       1,
       "da-gen: error: input.type.int_bits: 600 is out of range [-512, 512]"},
      {"integer-above-int64",
       R"({"input": {"size": 2, "type": {"signed": true, "int_bits": 18446744073709551615, "frac_bits": 1}}, "layers": []})",
       {"m.json"},
       1,
       "da-gen: error: input.type.int_bits: 18446744073709551615 is out of range [-512, 512]"},
      {"type-list-length",
       R"({"input": {"size": 2, "type": [)" T3 R"(]}, "layers": []})",
       {"m.json"},
       1,
       "da-gen: error: input.type: has 1 types but the layer has 2 elements"},
      {"quantize-list-length",
       "{" OK_INPUT R"(, "layers": [{"type": "quantize", "to": [)" T3 "," T3 "," T3 R"(]}]})",
       {"m.json"},
       1,
       "da-gen: error: layers[0].to: has 3 types but the layer has 2 elements"},
      {"bad-rounding",
       "{" OK_INPUT R"(, "layers": [{"type": "quantize", "to": )" T3 R"(, "rounding": "RNE"}]})",
       {"m.json"},
       1,
       "da-gen: error: layers[0].rounding: unknown rounding 'RNE' (TRN or RND)"},
      {"bad-overflow",
       "{" OK_INPUT R"(, "layers": [{"type": "quantize", "to": )" T3
       R"(, "overflow": "SATURATE"}]})",
       {"m.json"},
       1,
       "da-gen: error: layers[0].overflow: unknown overflow 'SATURATE' (WRAP, SAT or SAT_SYM)"},
      {"rounding-not-string",
       "{" OK_INPUT R"(, "layers": [{"type": "quantize", "to": )" T3 R"(, "rounding": 1}]})",
       {"m.json"},
       1,
       "da-gen: error: layers[0].rounding: expected a string, got 1"},
      {"input-size-zero",
       R"({"input": {"size": 0, "type": )" T3 R"(}, "layers": []})",
       {"m.json"},
       1,
       "da-gen: error: input.size: 0 is out of range [1, 65536]"},
      {"version",
       R"({"version": 3, )" OK_INPUT R"(, "layers": []})",
       {"m.json"},
       1,
       "da-gen: error: version: unsupported format version 3 (this da-gen reads versions 1 and 2)"},
      {"version-2-layout",
       R"({"version": 2, )" OK_INPUT R"(, "layers": []})",
       {"m.json"},
       1,
       "da-gen: error: version: a version 2 document has 'inputs' and 'nodes' ('input' and "
       "'layers' are version 1; see docs/model-format.md)"},
      {"v2-unknown-tensor",
       R"({"version": 2, "inputs": [{"name": "x", "shape": [2, 2], "type": {"signed": true, "int_bits": 3, "frac_bits": 0}}], "nodes": [{"op": "relu", "name": "r", "input": "y"}]})",
       {"m.json"},
       1,
       "da-gen: error: nodes[0].input: unknown tensor 'y'"},
      {"v2-use-before-definition",
       R"({"version": 2, "inputs": [{"name": "x", "shape": [2, 2], "type": {"signed": true, "int_bits": 3, "frac_bits": 0}}], "nodes": [{"op": "relu", "name": "r", "input": "q"}, {"op": "relu", "name": "q", "input": "x"}]})",
       {"m.json"},
       1,
       "da-gen: error: nodes[0].input: tensor 'q' is used before its definition (nodes[1])"},
      {"v2-duplicate-name",
       R"({"version": 2, "inputs": [{"name": "x", "shape": [2, 2], "type": {"signed": true, "int_bits": 3, "frac_bits": 0}}], "nodes": [{"op": "relu", "name": "x", "input": "x"}]})",
       {"m.json"},
       1,
       "da-gen: error: nodes[0].name: duplicate name 'x' (also inputs[0])"},
      {"v2-shape-mismatch",
       R"({"version": 2, "inputs": [{"name": "x", "shape": [2, 2], "type": {"signed": true, "int_bits": 3, "frac_bits": 0}}], "nodes": [{"op": "flatten", "name": "f", "input": "x"}, {"op": "add", "name": "s", "inputs": ["x", "f"]}]})",
       {"m.json"},
       1,
       "da-gen: error: nodes[1]: inputs must have the same shape: input 0 is [2, 2], input 1 is "
       "[4]"},
      {"v2-kernel-channels",
       R"({"version": 2, "inputs": [{"name": "x", "shape": [2, 2], "type": {"signed": true, "int_bits": 3, "frac_bits": 0}}], "nodes": [{"op": "conv1d", "name": "c", "input": "x", "kernel": [[[1], [1], [1]]]}]})",
       {"m.json"},
       1,
       "da-gen: error: nodes[0].kernel: has 3 input channels but the input has 2 (shape [2, 2])"},
      {"v2-table-length",
       R"({"version": 2, "inputs": [{"name": "x", "shape": [2, 2], "type": {"signed": true, "int_bits": 3, "frac_bits": 0}}], "nodes": [{"op": "lookup", "name": "t", "input": "x", "domain": {"signed": true, "int_bits": 3, "frac_bits": 0}, "table": [0, 1], "to": {"signed": false, "int_bits": 1, "frac_bits": 0}}]})",
       {"m.json"},
       1,
       "da-gen: error: nodes[0].table: expected 16 entries (2^4, one per code of the domain s3.0), "
       "got 2"},
      {"v2-pool-two-inputs",
       R"({"version": 2, "inputs": [{"name": "x", "shape": [2, 2], "type": {"signed": true, "int_bits": 3, "frac_bits": 0}}], "nodes": [{"op": "avg_pool1d", "name": "p", "input": "x", "pool": 2, "strides": 1}, {"op": "global_avg_pool", "name": "g", "inputs": ["x", "x"]}]})",
       {"m.json"},
       1,
       "da-gen: error: nodes[1]: takes 1 input, got 2"},
      {"v2-average-window",
       R"({"version": 2, "inputs": [{"name": "x", "shape": [2, 2], "type": {"signed": true, "int_bits": 3, "frac_bits": 0}}], "nodes": [{"op": "reshape", "name": "r", "input": "x", "shape": [4, 1]}, {"op": "avg_pool1d", "name": "p", "input": "r", "pool": 3}]})",
       {"m.json"},
       1,
       "da-gen: error: nodes[1]: the mean of a window of 3 elements is not an exact binary "
       "fraction; average pooling needs a power-of-two window (use sum + scale)"},
      {"v2-bad-perm",
       R"({"version": 2, "inputs": [{"name": "x", "shape": [2, 2], "type": {"signed": true, "int_bits": 3, "frac_bits": 0}}], "nodes": [{"op": "transpose", "name": "t", "input": "x", "perm": [1, 1]}]})",
       {"m.json"},
       1,
       "da-gen: error: nodes[0].perm[1]: axis 1 appears twice"},
      {"v2-lookup-domain",
       R"({"version": 2, "inputs": [{"name": "x", "shape": [2, 2], "type": {"signed": true, "int_bits": 3, "frac_bits": 0}}], "nodes": [{"op": "lookup", "name": "t", "input": "x", "domain": {"signed": false, "int_bits": 1, "frac_bits": 0}, "table": [0, 1], "to": {"signed": false, "int_bits": 1, "frac_bits": 0}}]})",
       {"m.json"},
       1,
       "da-gen: error: nodes[0]: element 0 takes values in [-8, 7] on the grid 2^0, not all of "
       "them values of the domain u1.0"},
      {"layer-too-wide",
       R"({"input": {"size": 1, "type": {"signed": false, "int_bits": 60, "frac_bits": 0}}, "layers": [)"
       R"({"type": "dense", "weights": [[1099511627776, 1]]}, {"type": "dense", "weights": [[1099511627776], [3]]}]})",
       {"m.json"},
       1,
       "da-gen: error: layers[1]: node 1: operands are too far apart in scale"},
      // Strict JSON: nothing is silently changed on the way in.
      {"duplicate-key",
       "{" OK_INPUT
       R"(, "layers": [{"type": "dense", "weights": [[1], [2]], "weights": [[3], [4]]}]})",
       {"m.json"},
       1,
       "da-gen: error: layers[0].weights: duplicate key 'weights'"},
      {"duplicate-top-level-key",
       R"({"name": "a", "name": "b", )" OK_INPUT R"(, "layers": []})",
       {"m.json"},
       1,
       "da-gen: error: name: duplicate key 'name'"},
      {"weight-underflows",
       "{" OK_INPUT R"(, "layers": [{"type": "dense", "weights": [[1], [1e-400]]}]})",
       {"m.json"},
       1,
       "da-gen: error: layers[0].weights[1][0]: 1e-400 is not exactly representable (it rounds to "
       "0)"},
      {"weight-rounds",
       "{" OK_INPUT
       R"(, "layers": [{"type": "dense", "weights": [[1], [0.50000000000000000001]]}]})",
       {"m.json"},
       1,
       "da-gen: error: layers[0].weights[1][0]: 0.50000000000000000001 is not exactly "
       "representable (it rounds to 0.5)"},
      {"weight-above-2-64",
       "{" OK_INPUT R"(, "layers": [{"type": "dense", "weights": [[1], [18446744073709551617]]}]})",
       {"m.json"},
       1,
       "da-gen: error: layers[0].weights[1][0]: 18446744073709551617 is not exactly representable "
       "(it rounds to 18446744073709551616)"},
      {"model-is-directory",
       nullptr,
       {"userdir"},
       1,
       "da-gen: error: userdir: is a directory, expected the model file",
       "userdir"},
      {"eval-is-directory",
       kDense,
       {"m.json", "--eval", "userdir"},
       1,
       "da-gen: error: userdir: is a directory, expected the input vectors file",
       "userdir"},
      {"eval-duplicate-key",
       kDense,
       {"m.json", "--eval", "v.json"},
       1,
       "da-gen: error: inputs: duplicate key 'inputs'",
       "",
       R"({"inputs": [[1, 2]], "inputs": [[3, 4]]})"},
      {"eval-inexact",
       kDense,
       {"m.json", "--eval", "v.json"},
       1,
       "da-gen: error: inputs[1][0]: 1.0000000000000000001 is not an exact binary fraction",
       "",
       R"({"inputs": [[1, 2], [1.0000000000000000001, 2]]})"},
      {"eval-underflow",
       kDense,
       {"m.json", "--eval", "v.json"},
       1,
       "da-gen: error: inputs[0][1]: 1e-400 is not an exact binary fraction",
       "",
       R"({"inputs": [[1, 1e-400]]})"},
      {"eval-missing-file",
       kDense,
       {"m.json", "--eval", "nope.json"},
       1,
       "da-gen: error: nope.json: cannot open the input vectors file"},
      // --- bad command line: exit 2 ----------------------------------------------
      {"no-model",
       nullptr,
       {"-o", "out"},
       2,
       "da-gen: usage: no model given (da-gen MODEL.json [options]; --help)"},
      {"unknown-option",
       kDense,
       {"m.json", "--bogus"},
       2,
       "da-gen: usage: unknown option '--bogus' (--help lists the options)"},
      {"missing-value",
       kDense,
       {"m.json", "-o", "out", "--pipeline"},
       2,
       "da-gen: usage: --pipeline needs a value"},
      {"flag-with-value",
       kDense,
       {"m.json", "--valid=yes"},
       2,
       "da-gen: usage: --valid takes no value"},
      {"pipeline-range",
       kDense,
       {"m.json", "--pipeline", "-1"},
       2,
       "da-gen: usage: --pipeline must be in [0, 1000]"},
      {"pipeline-not-int",
       kDense,
       {"m.json", "--pipeline", "abc"},
       2,
       "da-gen: usage: --pipeline: 'abc' is not an integer"},
      {"pipeline-trailing-text",
       kDense,
       {"m.json", "--pipeline", "3x"},
       2,
       "da-gen: usage: --pipeline: '3x' is not an integer"},
      {"period-not-number",
       kDense,
       {"m.json", "--clock-period", "fast"},
       2,
       "da-gen: usage: --clock-period: 'fast' is not a number"},
      {"seed-negative",
       kDense,
       {"m.json", "--seed", "-1"},
       2,
       "da-gen: usage: --seed: '-1' is not a non-negative integer"},
      {"repeated-option",
       kDense,
       {"m.json", "--pipeline", "1", "--pipeline", "2"},
       2,
       "da-gen: usage: --pipeline is given 2 times; give it once"},
      {"repeated-flag",
       kDense,
       {"m.json", "--valid", "--valid"},
       2,
       "da-gen: usage: --valid is given 2 times; give it once"},
      {"slack-without-pipeline",
       kDense,
       {"m.json", "--stage-slack", "0.5"},
       2,
       "da-gen: usage: --stage-slack needs --pipeline N (N > 0): it balances the delays of "
       "pipeline stages"},
      {"slack-combinational",
       kDense,
       {"m.json", "--pipeline", "0", "--stage-slack", "0.5"},
       2,
       "da-gen: usage: --stage-slack needs --pipeline N (N > 0): it balances the delays of "
       "pipeline stages"},
      {"vectors-without-verify",
       kDense,
       {"m.json", "--vectors", "10"},
       2,
       "da-gen: usage: --vectors needs --verify: it sets how many random vectors --verify runs"},
      {"output-with-eval",
       kDense,
       {"m.json", "--eval", "v.json", "-o", "out"},
       2,
       "da-gen: usage: -o/--output does nothing with --eval: it evaluates the model and writes "
       "nothing",
       "",
       R"({"inputs": [[1, 2]]})"},
      {"build-option-with-eval",
       kDense,
       {"m.json", "--eval", "v.json", "--pipeline", "2"},
       2,
       "da-gen: usage: --pipeline does nothing with --eval: it evaluates the model and writes "
       "nothing",
       "",
       R"({"inputs": [[1, 2]]})"},
      {"top-not-identifier",
       kDense,
       {"m.json", "--top", "../evil"},
       2,
       "da-gen: usage: --top '../evil' is not a usable module name (letters, digits and _, not "
       "starting with a digit, not a Verilog keyword); '___evil' would be"},
      {"top-keyword",
       kDense,
       {"m.json", "--top", "module"},
       2,
       "da-gen: usage: --top 'module' is not a usable module name (letters, digits and _, not "
       "starting with a digit, not a Verilog keyword); 'module_top' would be"},
      {"hdl",
       kDense,
       {"m.json", "--hdl", "verilog2001"},
       2,
       "da-gen: usage: --hdl must be verilog or vhdl, not 'verilog2001'"},
      {"top-not-vhdl-identifier",
       kDense,
       {"m.json", "--hdl", "vhdl", "--top", "my__top_"},
       2,
       "da-gen: usage: --top 'my__top_' is not a usable VHDL entity name (a letter first, then "
       "letters, digits and single _, not ending in _, not a VHDL reserved word); 'my_top' would "
       "be"},
      {"top-vhdl-keyword",
       kDense,
       {"m.json", "--hdl", "vhdl", "--top", "Signal"},
       2,
       "da-gen: usage: --top 'Signal' is not a usable VHDL entity name (a letter first, then "
       "letters, digits and single _, not ending in _, not a VHDL reserved word); 'Signal_top' "
       "would be"},
      {"hdl-with-eval",
       kDense,
       {"m.json", "--hdl", "vhdl", "--eval", "in.json"},
       2,
       "da-gen: usage: --hdl does nothing with --eval: it evaluates the model and writes nothing"},
      {"ii-range",
       kDense,
       {"m.json", "--ii", "0"},
       2,
       "da-gen: usage: --ii must be in [1, 1000000]"},
      {"ii-not-int",
       kDense,
       {"m.json", "--ii", "two"},
       2,
       "da-gen: usage: --ii: 'two' is not an integer"},
      {"ii-with-pipeline",
       kDense,
       {"m.json", "--ii", "4", "--pipeline", "2"},
       2,
       "da-gen: usage: --pipeline cannot be combined with --ii K > 1: a digit-serial design's "
       "latency follows from its digit size (the report's latency_cycles); --clock-period bounds "
       "its clock"},
      {"ii-ternary",
       kDense,
       {"m.json", "--ii", "4", "--ternary"},
       2,
       "da-gen: usage: --ternary cannot be combined with --ii K > 1: serial adders are two-input"},
      {"ii-vhdl",
       kDense,
       {"m.json", "--ii", "4", "--hdl", "vhdl"},
       2,
       "da-gen: usage: --ii K > 1 is emitted as Verilog only (give --hdl verilog)"},
      {"period-and-slack",
       kDense,
       {"m.json", "--clock-period", "3", "--stage-slack", "0.5"},
       2,
       "da-gen: usage: give --stage-slack or --clock-period, not both: each sets the stage delay"},
      {"clock-period",
       kDense,
       {"m.json", "--clock-period", "-1"},
       2,
       "da-gen: usage: --clock-period must be positive"},
      {"objective",
       kDense,
       {"m.json", "--objective", "speed"},
       2,
       "da-gen: usage: --objective must be adders or bits"},
      {"ternary-target",
       kDense,
       {"m.json", "--ternary", "--target", "ice40"},
       2,
       "da-gen: usage: --ternary needs --target xcup: ternary adders are Xilinx LUT6_2 + CARRY8"},
      {"target",
       kDense,
       {"m.json", "--target", "asic"},
       2,
       "da-gen: usage: --target: unknown target 'asic' (xcup or ice40)"},
      {"dc", kDense, {"m.json", "--dc", "-1"}, 2, "da-gen: usage: --dc must be >= 0"},
      {"vectors",
       kDense,
       {"m.json", "--verify", "--vectors", "-5"},
       2,
       "da-gen: usage: --vectors must be >= 0"},
      {"extra-argument",
       kDense,
       {"m.json", "other.json"},
       2,
       "da-gen: usage: unexpected argument 'other.json'"},
      {"empty-top", kDense, {"m.json", "--top", ""}, 2, "da-gen: usage: --top must not be empty"},
      // --- tool errors: exit 4 ---------------------------------------------------
      {"clock-period-too-short",
       kDense,
       {"m.json", "--clock-period", "0.01"},
       4,
       "da-gen: error: no pipeline meets a 0.01 ns clock on xcup: its slowest operator between "
       "registers needs 0.805 ns"},
      {"pipeline-misses-period",
       kDense,
       {"m.json", "--pipeline", "0", "--clock-period", "0.4"},
       4,
       "da-gen: error: --pipeline 0 cannot meet a 0.4 ns clock on xcup (its least estimated period "
       "is 0.485 ns); no latency meets it (its slowest operator "
       "between registers needs 0.805 ns)"},
      {"ii-misses-period",
       kDense,
       {"m.json", "--ii", "4", "--clock-period", "0.1"},
       4,
       "da-gen: error: no pipeline meets a 0.1 ns clock on xcup: its slowest operator between "
       "registers needs 0.805 ns"},
      // --- output directory: exit 4 (an empty -o: exit 2) -------------------------
      {"output-not-ours",
       kDense,
       {"m.json", "-o", "userdir"},
       4,
       "da-gen: error: {dir}/userdir is not empty and was not written by da-gen; use --force to "
       "add da-gen's files beside the files there (none is replaced)",
       "userdir"},
      {"output-foreign-file",
       kDense,
       {"m.json", "-o", "userdir", "--force"},
       4,
       "da-gen: error: {dir}/userdir/model.v exists and was not written by da-gen; da-gen never "
       "replaces it, even with --force",
       "collision"},
      {"output-old-marker",
       kDense,
       {"m.json", "-o", "userdir"},
       4,
       "da-gen: error: {dir}/userdir was written by an older da-gen that kept no list of its "
       "files; remove them, or use --force to add the new files beside them",
       "oldmarker"},
      {"output-bad-manifest",
       kDense,
       {"m.json", "-o", "userdir", "--force"},
       4,
       "da-gen: error: {dir}/userdir/.da-gen-output is not a da-gen manifest; da-gen never "
       "replaces it, even with --force",
       "badmanifest"},
      {"output-is-file",
       kDense,
       {"m.json", "-o", "afile"},
       4,
       "da-gen: error: {dir}/afile exists and is not a directory",
       "file"},
      {"output-parent-missing",
       kDense,
       {"m.json", "-o", "nodir/sub"},
       4,
       "da-gen: error: parent directory {dir}/nodir does not exist"},
      {"output-working-dir",
       kDense,
       {"m.json", "-o", "."},
       4,
       "da-gen: error: -o .: refusing to write into the working directory"},
      {"output-working-dir-forced",
       kDense,
       {"m.json", "-o", "./", "--force"},
       4,
       "da-gen: error: -o ./: refusing to write into the working directory"},
      {"output-parent-of-working-dir",
       kDense,
       {"m.json", "-o", ".."},
       4,
       "da-gen: error: -o ..: refusing to write into a parent of the working directory"},
      {"output-root",
       kDense,
       {"m.json", "-o", "/"},
       4,
       "da-gen: error: -o /: refusing to write "
       "into the root directory"},
      {"output-empty",
       kDense,
       {"m.json", "-o", ""},
       2,
       "da-gen: usage: -o/--output must not be empty"},
      // --- limits and resources ----------------------------------------------------
      {"input-size-too-large",
       R"({"input": {"size": 65537, "type": )" T3 R"(}, "layers": []})",
       {"m.json"},
       1,
       "da-gen: error: input.size: 65537 is out of range [1, 65536]"},
      {"constant-fold-too-wide",
       R"({"input":{"size":1,"type":{"signed":false,"int_bits":1,"frac_bits":0}},
        "layers":[{"type":"dense","weights":[[0]],"bias":[2048]},
        {"type":"quantize","to":{"signed":false,"int_bits":10,"frac_bits":109},"overflow":"SAT"},
        {"type":"dense","weights":[[140737488355327]]}]})",
       {"m.json"},
       1,
       "da-gen: error: layers[2]: a constant input times its weight needs 166 bits, more than "
       "the limit of 120 bits"},
      {"layer-too-large",
       large_layer_model().c_str(),
       {"m.json"},
       1,
       "da-gen: error: layers[0]: 512 x 512 weights need 5.37e+08 digit pairs in the optimiser, "
       "more than the limit of 1.34e+08; see docs/limits.md"},
  };
  return k;
}

std::string expand(std::string s, const fs::path& dir) {
  for (std::size_t p; (p = s.find("{dir}")) != std::string::npos;) s.replace(p, 5, dir.string());
  return s;
}

class Errors : public ::testing::TestWithParam<Case> {};

TEST_P(Errors, OneLineExitCodeNothingWritten) {
  const Case& c = GetParam();
  cli::Scratch dir("errors");
  if (c.model) cli::write_file(dir.path / "m.json", c.model);
  if (std::string(c.setup) == "userdir") {
    fs::create_directory(dir.path / "userdir");
    cli::write_file(dir.path / "userdir" / "keep.txt", "mine\n");
  }
  if (std::string(c.setup) == "file") cli::write_file(dir.path / "afile", "mine\n");
  // A user's file named like da-gen's output, an old marker without a file list, a foreign
  // manifest.
  if (std::string(c.setup) == "collision") {
    fs::create_directory(dir.path / "userdir");
    cli::write_file(dir.path / "userdir" / "model.v", "// my own model.v\n");
  }
  if (std::string(c.setup) == "oldmarker") {
    fs::create_directory(dir.path / "userdir");
    cli::write_file(dir.path / "userdir" / ".da-gen-output",
                    "written by da-gen; safe to replace\n");
    cli::write_file(dir.path / "userdir" / "model.v", "// maybe edited since\n");
  }
  if (std::string(c.setup) == "badmanifest") {
    fs::create_directory(dir.path / "userdir");
    cli::write_file(dir.path / "userdir" / ".da-gen-output", "my notes\n");
  }
  if (c.vectors) cli::write_file(dir.path / "v.json", c.vectors);
  const auto before = cli::listing(dir.path);
  std::vector<std::string> args = c.args;
  bool has_output = false;  // --eval takes no -o
  for (const auto& a : args) has_output |= a == "-o" || a == "--eval";
  if (!has_output) args.insert(args.end(), {"-o", "out"});
  const cli::Result r = cli::run(DAGEN_BIN, args, dir.path);
  EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
  EXPECT_EQ(r.err, expand(c.message, dir.path) + "\n");
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "not one line: " << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(cli::listing(dir.path), before) << "files were created or changed";
}

INSTANTIATE_TEST_SUITE_P(Cli, Errors, ::testing::ValuesIn(cases()), [](const auto& info) {
  return std::regex_replace(std::string(info.param.name), std::regex("-"), "_");
});

// docs/errors.md lists every case with its exact message.
TEST(ErrorsDoc, EveryCaseIsDocumented) {
  const std::string doc = cli::slurp(fs::path(DAGEN_SOURCE_DIR) / "docs" / "errors.md");
  ASSERT_FALSE(doc.empty()) << "docs/errors.md is missing";
  for (const Case& c : cases()) {
    EXPECT_NE(doc.find("`" + std::string(c.name) + "`"), std::string::npos)
        << c.name << " is not in docs/errors.md";
    std::string msg = expand(c.message, "DIR");
    for (std::size_t p = 0; (p = msg.find('|', p)) != std::string::npos; p += 2)
      msg.replace(p, 1, "\\|");
    EXPECT_NE(doc.find(msg), std::string::npos)
        << c.name << ": message not in docs/errors.md: " << msg;
  }
}

}  // namespace
}  // namespace dagen
