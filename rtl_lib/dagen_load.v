// dagen_load: q = load ? d : s, bit by bit: the multiplexer in front of a shift
// register that takes a whole word in one cycle and shifts in every other (the
// pixel shift register of a streamed convolution, --ii K).
//
// On Xilinx two bits share ONE LUT6_2: its five inputs are load and both bits' d
// and s, O5 gives the lower bit and O6 the upper (what Vivado's LUT combining
// makes of two 3-input multiplexers; Yosys' mapper would count a LUT per bit).
// Synthesis gets the primitives, Verilator and Icarus Verilog the multiplexer
// (tests/tools/test_dagen_load.sh proves the two equal with Yosys' SAT solver).
`ifdef VERILATOR
`define DAGEN_LOAD_MODEL
`elsif __ICARUS__
`define DAGEN_LOAD_MODEL
`endif
`ifdef SYNTHESIS
`undef DAGEN_LOAD_MODEL
`endif
module dagen_load #(
    parameter WIDTH = 1,
    /* verilator lint_off UNUSEDPARAM */
    parameter XILINX = 1  // 0: a plain multiplexer in synthesis too (other devices)
    /* verilator lint_on UNUSEDPARAM */
) (
    input wire load,
    input wire [WIDTH-1:0] d,
    input wire [WIDTH-1:0] s,
    output wire [WIDTH-1:0] q
);
`ifdef DAGEN_LOAD_MODEL
  assign q = load ? d : s;
`else
  // I0 = load, I1 = d[i], I2 = s[i], I3 = d[i+1], I4 = s[i+1], I5 = 1:
  // INIT[31:0] (O5) is bit i's multiplexer, INIT[63:32] (O6) bit i+1's.
  function [63:0] lut_init(input integer unused);
    integer k;
    begin
      for (k = 0; k < 32; k = k + 1) begin
        lut_init[k] = k[0] ? k[1] : k[2];
        lut_init[32+k] = k[0] ? k[3] : k[4];
      end
    end
  endfunction
  genvar i;
  generate
    if (XILINX == 0) begin : g_generic
      assign q = load ? d : s;
    end else begin : g_xilinx
      for (i = 0; i + 1 < WIDTH; i = i + 2) begin : g_pair
        LUT6_2 #(
            .INIT(lut_init(0))
        ) lut (
            .O6(q[i+1]),
            .O5(q[i]),
            .I0(load),
            .I1(d[i]),
            .I2(s[i]),
            .I3(d[i+1]),
            .I4(s[i+1]),
            .I5(1'b1)
        );
      end
      if (WIDTH % 2 == 1) begin : g_odd
        assign q[WIDTH-1] = load ? d[WIDTH-1] : s[WIDTH-1];
      end
    end
  endgenerate
`endif
endmodule
