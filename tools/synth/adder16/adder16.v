// Faithfulness check (a): one 16-bit two-input adder, 17-bit result.
// Expected on UltraScale+: ~16 LUTs + 2 CARRY8; on iCE40: ~16 LUT4 + ~15 SB_CARRY.
module adder16 (
    input  wire [31:0] x,   // x[15:0] = a, x[31:16] = b (da-gen packing)
    output wire [16:0] y
);
    wire [15:0] a = x[15:0];
    wire [15:0] b = x[31:16];
    assign y = a + b;
endmodule
