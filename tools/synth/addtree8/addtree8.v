// Faithfulness check (b): 8 signed 16-bit values summed in a balanced tree of
// separate two-input adders (7 adders: 4x17-bit, 2x18-bit, 1x19-bit = 124 adder bits).
// A vendor flow builds 7 carry-chain adders: ~124 LUTs. Yosys' default alumacc
// merges the tree into one $macc (carry-save) and costs roughly twice that.
module addtree8 (
    input  wire [127:0] x,
    output wire [18:0]  y
);
    wire signed [15:0] e0 = x[15:0],    e1 = x[31:16],  e2 = x[47:32],   e3 = x[63:48];
    wire signed [15:0] e4 = x[79:64],   e5 = x[95:80],  e6 = x[111:96],  e7 = x[127:112];
    wire signed [16:0] s0 = e0 + e1;
    wire signed [16:0] s1 = e2 + e3;
    wire signed [16:0] s2 = e4 + e5;
    wire signed [16:0] s3 = e6 + e7;
    wire signed [17:0] t0 = s0 + s1;
    wire signed [17:0] t1 = s2 + s3;
    assign y = t0 + t1;
endmodule
