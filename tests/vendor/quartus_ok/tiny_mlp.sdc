# tiny_mlp.sdc: written by da-gen 0.1.0.
create_clock -name clk -period 6.000 [get_ports clk]
derive_clock_uncertainty
