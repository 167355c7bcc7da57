// Digit-serial designs (--ii K > 1): the timing plan beside an AdderGraph.
//
// Every add/sub and negation becomes a d-bit adder with a carry flip-flop that
// handles one digit of its operands per cycle, least significant digit first
// (digit-serial arithmetic: Hartley & Parhi, "Digit-Serial Computation",
// Kluwer 1995; multiple-constant multiplication in this form: Johansson,
// Gustafsson & Wanhammar, "Multiple constant multiplication for digit-serial
// implementation of low power FIR filters", WSEAS Trans. Circuits Syst., 2006).
// A value is a frame of `frame` digits: its code modulo 2^(frame * digit), which
// is exact because no value is wider.  A shift by s bits is a delay of s / d
// digits plus s mod d bits taken from the previous digit; the digits of a frame
// that a shift moves in from below are masked to zero.  Inputs are loaded into
// parallel-to-serial registers in the x_valid cycle; every other node kind (relu,
// quantize, comparisons, muxes, lookups) works on words re-assembled by
// serial-to-parallel registers and, where a serial node reads it, is loaded
// into a parallel-to-serial register again.  All control comes from x_valid
// delayed cycle by cycle, so inputs may arrive with any gap of at least `ii`
// cycles.  Times below count cycles after the x_valid cycle (cycle 0).
#pragma once

#include <string>
#include <vector>

#include "dagen/adder_graph.hpp"
#include "dagen/target.hpp"

namespace dagen {

struct SerialNode {
  bool serial = false;  // an adder or negation computed digit by digit
  // Digit 0 of the node's stream is on its wire in cycle stream_time (serial
  // nodes: their output register; others: a parallel-to-serial register).
  bool has_stream = false;
  int stream_time = 0;
  int stream_depth = 0;  // taps of the stream's delay line (0: none)
  // Serial nodes: digit 0 is computed in cycle stream_time - 1.
  // The word is valid in cycle word_time (a word node's operands all are, or a
  // serial node's serial-to-parallel register is full).
  bool has_word = false;
  int word_time = 0;
  int word_depth = 0;       // taps of the word's delay line (0: none)
  bool registered = false;  // word nodes: computed in cycle word_time - 1 into a register
  int word_digits = 0;      // serial nodes: digits the serial-to-parallel register collects
  int gather_delay = 0;     // serial nodes: the stream tap that register reads
};

struct SerialPlan {
  int digit = 1;  // bits per digit
  int frame = 1;  // digits per value
  int ii = 1;     // the initiation interval built: a divisor of the K asked for, >= frame
  int latency = 0;
  int control_depth = 0;  // taps of the x_valid delay line
  std::vector<SerialNode> nodes;
  double period_ns = 0;  // estimated (register overhead included)
  int flip_flops = 0;    // every register bit the design holds
  int luts = 0;          // estimated: adders, conversions, control and word-level nodes
  int word_luts = 0;     // the word-level nodes' part of it (one LUT per output bit)
  int serial_adders = 0;
};

// Whether a node of this kind is computed digit by digit.
bool is_serial_kind(NodeKind kind);

namespace serial {

int ceil_div(int a, int b);
// The least divisor of k that is at least m (k itself when none below it is).
int divisor_at_least(int k, int m);
// Its interval decides its value: a literal word, a digit pattern in a stream.
bool is_literal(const Node& n);

// Where operand o sits in serial node n's digits: its bit 0 at bit `part` of
// digit `whole` (operand_offset() split by the digit size).
struct OperandDigits {
  int whole = 0;
  int part = 0;
};
OperandDigits operand_digits(const AdderGraph& g, const Node& n, const Operand& o, int digit);

// The cycle in which serial node `id` computes its digit 0.
int compute_time(const SerialPlan& p, int id);

// The tap of operand o's stream (0: its own wire) that serial node `reader` reads
// as the operand's current digit; the previous digit is the next tap.
int stream_tap(const SerialPlan& p, const AdderGraph& g, int reader, const Operand& o);

// The digits of code * 2^offset (modulo 2^(frame * digit)) before only its sign
// fill remains: the length of the register that plays it as a stream.
int pattern_digits(i128 code, int offset, int digit, int frame, bool negative);

}  // namespace serial

// The cheapest digit size whose frame fits `k` cycles, and the times of every
// node.  Throws OptionError when k < 2.
SerialPlan plan_serial(const AdderGraph& g, int k, const Target& target);

}  // namespace dagen
