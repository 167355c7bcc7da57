// Faithfulness check (c): 32 flip-flops, no logic. 4-bit input through an
// 8-stage pipeline (a shift register: SRL inference would hide the FFs).
// Expected: 32 FF, 0 LUT, 0 SRL (with -nosrl).
module regs32 (
    input  wire       clk,
    input  wire [3:0] x,
    output wire [3:0] y
);
    reg [3:0] r0, r1, r2, r3, r4, r5, r6, r7;
    always @(posedge clk) begin
        r0 <= x;  r1 <= r0; r2 <= r1; r3 <= r2;
        r4 <= r3; r5 <= r4; r6 <= r5; r7 <= r6;
    end
    assign y = r7;
endmodule
