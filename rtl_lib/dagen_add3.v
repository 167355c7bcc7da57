// dagen_add3: s = a + b + c modulo 2^WIDTH, with b and/or c subtracted instead
// (NEG_B, NEG_C), as ONE carry chain fed by one LUT per bit: the ternary adder of
// Xilinx FPGAs (LUT6_2 + CARRY8; Kumm et al., "Pipelined adder graph optimization
// for high speed multiple constant multiplication", ISCAS 2012, and the Xilinx
// ternary-adder scheme they build on).  Two chained two-input adders need two
// LUTs per bit; this needs one.
//
// Bit i's LUT sees a_i, b_i, c_i and m_i, the majority of bit i-1's three
// inputs (carry-save: a + b + c = (a ^ b ^ c) + 2 * maj(a, b, c)).  O5 gives
// m_(i+1) = maj(a_i, b_i, c_i) to the next bit; O6 gives the chain's propagate
// signal a_i ^ b_i ^ c_i ^ m_i, whose generate input is m_i.  A subtracted
// operand enters inverted (folded into INIT): -b = ~b + 1, and the +1s are the
// chain's carry-in and m_0.
//
// Synthesis (Yosys, Vivado) and simulators with the Xilinx primitive library
// get LUT6_2 and CARRY8 instances; Verilator and Icarus Verilog get the
// arithmetic they compute (tests/tools/test_dagen_add3.sh proves the two equal
// for every sign combination with Yosys' SAT solver).
`ifdef VERILATOR
`define DAGEN_ADD3_MODEL
`elsif __ICARUS__
`define DAGEN_ADD3_MODEL
`endif
`ifdef SYNTHESIS
`undef DAGEN_ADD3_MODEL
`endif
module dagen_add3 #(
    parameter WIDTH = 8,
    parameter NEG_B = 0,
    parameter NEG_C = 0
) (
    input wire [WIDTH-1:0] a,
    input wire [WIDTH-1:0] b,
    input wire [WIDTH-1:0] c,
    output wire [WIDTH-1:0] s
);
`ifdef DAGEN_ADD3_MODEL
  // Simulation: the sum itself, which keeps large designs quick to verilate;
  // tests/tools/test_dagen_add3.sh proves the netlist below equal to it.
  wire [WIDTH-1:0] b_term = NEG_B != 0 ? {WIDTH{1'b0}} - b : b;
  wire [WIDTH-1:0] c_term = NEG_C != 0 ? {WIDTH{1'b0}} - c : c;
  assign s = a + b_term + c_term;
`else
  // INIT[31:0] (O5, I4 = 0): maj(a, b', c'); INIT[63:32] (O6, I5 = 1): a ^ b' ^ c' ^ m.
  function [63:0] lut_init(input integer neg_b, input integer neg_c);
    integer k;
    reg x, y, z, q;
    begin
      for (k = 0; k < 32; k = k + 1) begin
        x = k[0];
        y = k[1] ^ (neg_b != 0);
        z = k[2] ^ (neg_c != 0);
        q = k[3];
        lut_init[k] = (x & y) | (x & z) | (y & z);
        lut_init[32+k] = x ^ y ^ z ^ q;
      end
    end
  endfunction
  localparam [63:0] INIT = lut_init(NEG_B, NEG_C);
  localparam integer CORRECTIONS = (NEG_B != 0 ? 1 : 0) + (NEG_C != 0 ? 1 : 0);
  localparam integer BLOCKS = (WIDTH + 7) / 8;
  wire [WIDTH:0] m;  // m[i]: carry-save carry into bit i
  wire [8*BLOCKS-1:0] prop, gen, sum, cout;
  assign m[0] = CORRECTIONS == 2;
  genvar i;
  generate
    for (i = 0; i < 8 * BLOCKS; i = i + 1) begin : g_bit
      if (i < WIDTH) begin : g_lut
        LUT6_2 #(
            .INIT(INIT)
        ) lut (
            .O6(prop[i]),
            .O5(m[i+1]),
            .I0(a[i]),
            .I1(b[i]),
            .I2(c[i]),
            .I3(m[i]),
            .I4(1'b0),
            .I5(1'b1)
        );
        assign gen[i] = m[i];
      end else begin : g_pad
        assign prop[i] = 1'b0;
        assign gen[i]  = 1'b0;
      end
    end
    for (i = 0; i < BLOCKS; i = i + 1) begin : g_chain
      CARRY8 #(
          .CARRY_TYPE("SINGLE_CY8")
      ) chain (
          .CO(cout[8*i+:8]),
          .O(sum[8*i+:8]),
          .CI(i == 0 ? CORRECTIONS >= 1 : cout[8*i-1]),
          .CI_TOP(1'b0),
          .DI(gen[8*i+:8]),
          .S(prop[8*i+:8])
      );
    end
  endgenerate
  assign s = sum[WIDTH-1:0];
`endif
endmodule
`ifdef DAGEN_ADD3_MODEL
`undef DAGEN_ADD3_MODEL
`endif
