// alkaid's ternary_adder (alkaid 0.8.2, codegen/rtl/verilog/source/ternary_adder.v), same
// parameters, ports and function, built on da-gen's rtl_lib/dagen_add3.v (one LUT6_2 per bit
// on one CARRY8 chain) instead of the behavioural `term0 + term1 + term2`.
//
// Why: Yosys (as tools/yosys_report.py runs it) turns alkaid's `a + b + c` into two carry-chain
// adders, about two LUTs per bit, while da-gen's --ternary designs instantiate the one-LUT-per-bit
// ternary adder themselves; a vendor tool (Vivado) maps alkaid's three-input sum to a ternary
// adder too. benchmarks/alkaid_v2.py swaps this file in for alkaid's to count both tools'
// ternary adders with the same cells (issue 18, item 1). Used for synthesis counts only.
//
// Function (identical to alkaid's module): each input is sign- or zero-extended, shifted left by
// PADk, negated when NEGATEk, the three are summed and out = sum[DROP_LSBS +: BW_OUT].
// Bits of the aligned sum below S need no adder: below the smallest pad every term is zero;
// alkaid's "lowcopy" case (one non-negated term alone below the next pad) copies them. The sum of
// bits [S, DROP_LSBS + BW_OUT) is one dagen_add3 of that width (modular: the dropped high bits
// never feed lower ones). dagen_add3 computes a + (+/-b) + (+/-c), so a non-negated term goes to
// port a; if all three are negated the behavioural sum is kept (benchmarks/alkaid_v2.py counts
// such instances and reports them).
`timescale 1ns / 1ps
module ternary_adder #(
    parameter BW_INPUT0 = 32,
    parameter SIGNED0 = 0,
    parameter NEGATE0 = 0,
    parameter PAD0 = 0,
    parameter BW_INPUT1 = 32,
    parameter SIGNED1 = 0,
    parameter NEGATE1 = 0,
    parameter PAD1 = 0,
    parameter BW_INPUT2 = 32,
    parameter SIGNED2 = 0,
    parameter NEGATE2 = 0,
    parameter PAD2 = 0,
    parameter BW_OUT = 32,
    parameter DROP_LSBS = 0
) (
    input [BW_INPUT0-1:0] in0,
    input [BW_INPUT1-1:0] in1,
    input [BW_INPUT2-1:0] in2,
    output [BW_OUT-1:0] out
);
  function integer max2;
    input integer lhs;
    input integer rhs;
    begin
      max2 = (lhs > rhs) ? lhs : rhs;
    end
  endfunction
  function integer min2;
    input integer lhs;
    input integer rhs;
    begin
      min2 = (lhs < rhs) ? lhs : rhs;
    end
  endfunction
  function integer select3;
    input integer sel;
    input integer val0;
    input integer val1;
    input integer val2;
    begin
      select3 = (sel == 0) ? val0 : (sel == 1) ? val1 : val2;
    end
  endfunction

  // alkaid's own case analysis, unchanged
  localparam OUT_HIGH_ABS = DROP_LSBS + BW_OUT - 1;
  localparam MIN_PAD = min2(min2(PAD0, PAD1), PAD2);
  localparam LOW_COUNT = ((PAD0 == MIN_PAD) ? 1 : 0) + ((PAD1 == MIN_PAD) ? 1 : 0) + ((PAD2 == MIN_PAD) ? 1 : 0);
  localparam LOW_INPUT = (PAD0 == MIN_PAD) ? 0 : (PAD1 == MIN_PAD) ? 1 : 2;
  localparam LOW_NEGATE = select3(LOW_INPUT, NEGATE0, NEGATE1, NEGATE2);
  localparam NO_NEXT_PAD = OUT_HIGH_ABS + 2;
  localparam NEXT_PAD0 = (PAD0 > MIN_PAD) ? PAD0 : NO_NEXT_PAD;
  localparam NEXT_PAD1 = (PAD1 > MIN_PAD) ? PAD1 : NO_NEXT_PAD;
  localparam NEXT_PAD2 = (PAD2 > MIN_PAD) ? PAD2 : NO_NEXT_PAD;
  localparam UPPER_START = min2(min2(NEXT_PAD0, NEXT_PAD1), NEXT_PAD2);
  localparam LOW_COPY_ABS_LO = max2(DROP_LSBS, MIN_PAD);
  localparam LOW_COPY_ABS_HI = min2(OUT_HIGH_ABS, UPPER_START - 1);
  localparam LOWCOPY_ENABLE = (LOW_COUNT == 1) && (LOW_NEGATE == 0) && (UPPER_START != NO_NEXT_PAD) &&
                              (UPPER_START > DROP_LSBS) && (LOW_COPY_ABS_HI >= LOW_COPY_ABS_LO);

  localparam TOP = DROP_LSBS + BW_OUT;  // bits [0, TOP) of the aligned sum are needed
  localparam S = LOWCOPY_ENABLE ? UPPER_START : MIN_PAD;  // first bit that needs the adder
  localparam SL = min2(S, TOP);  // low bits [0, SL) that need no adder
  localparam W = TOP - S;
  localparam EXT = max2(max2(max2(BW_INPUT0 + PAD0, BW_INPUT1 + PAD1), BW_INPUT2 + PAD2), TOP) + 1;

  wire [EXT-1:0] e0, e1, e2;  // aligned, extended terms (before negation)
  generate
    if (SIGNED0 == 1) begin : s0
      assign e0 = {{(EXT - BW_INPUT0 - PAD0) {in0[BW_INPUT0-1]}}, in0, {PAD0{1'b0}}};
    end else begin : u0
      assign e0 = {{(EXT - BW_INPUT0 - PAD0) {1'b0}}, in0, {PAD0{1'b0}}};
    end
    if (SIGNED1 == 1) begin : s1
      assign e1 = {{(EXT - BW_INPUT1 - PAD1) {in1[BW_INPUT1-1]}}, in1, {PAD1{1'b0}}};
    end else begin : u1
      assign e1 = {{(EXT - BW_INPUT1 - PAD1) {1'b0}}, in1, {PAD1{1'b0}}};
    end
    if (SIGNED2 == 1) begin : s2
      assign e2 = {{(EXT - BW_INPUT2 - PAD2) {in2[BW_INPUT2-1]}}, in2, {PAD2{1'b0}}};
    end else begin : u2
      assign e2 = {{(EXT - BW_INPUT2 - PAD2) {1'b0}}, in2, {PAD2{1'b0}}};
    end
  endgenerate

  wire [TOP-1:0] full;  // the aligned sum, bits [0, TOP)
  generate
    if (SL > 0) begin : low
      if (LOWCOPY_ENABLE) begin : copy
        if (LOW_INPUT == 0) begin : c0
          assign full[SL-1:0] = e0[SL-1:0];
        end else if (LOW_INPUT == 1) begin : c1
          assign full[SL-1:0] = e1[SL-1:0];
        end else begin : c2
          assign full[SL-1:0] = e2[SL-1:0];
        end
      end else begin : zero
        assign full[SL-1:0] = {SL{1'b0}};
      end
    end
    if (W > 0) begin : add
      wire [W-1:0] t0 = e0[TOP-1:S];
      wire [W-1:0] t1 = e1[TOP-1:S];
      wire [W-1:0] t2 = e2[TOP-1:S];
      if (NEGATE0 == 0) begin : a0
        dagen_add3 #(.WIDTH(W), .NEG_B(NEGATE1), .NEG_C(NEGATE2)) u (.a(t0), .b(t1), .c(t2), .s(full[TOP-1:S]));
      end else if (NEGATE1 == 0) begin : a1
        dagen_add3 #(.WIDTH(W), .NEG_B(1), .NEG_C(NEGATE2)) u (.a(t1), .b(t0), .c(t2), .s(full[TOP-1:S]));
      end else if (NEGATE2 == 0) begin : a2
        dagen_add3 #(.WIDTH(W), .NEG_B(1), .NEG_C(1)) u (.a(t2), .b(t0), .c(t1), .s(full[TOP-1:S]));
      end else begin : all_negated
        assign full[TOP-1:S] = {W{1'b0}} - t0 - t1 - t2;
      end
    end
  endgenerate
  assign out = full[TOP-1:DROP_LSBS];
endmodule
