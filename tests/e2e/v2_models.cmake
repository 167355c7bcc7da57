# End-to-end on the version 2 models (tests/models/v2/): every one through
# Verilator at pipeline 0 and 2, plus option variants on the ones whose logic
# they change (ternary adders beside comparators, the valid handshake with
# tables, depth control across a composed residual CMVM).
file(GLOB e2e_v2_models ${PROJECT_SOURCE_DIR}/tests/models/v2/*.json)
list(FILTER e2e_v2_models EXCLUDE REGEX "\\.vectors\\.json$")  # reference vectors, not models
list(SORT e2e_v2_models)
foreach(model IN LISTS e2e_v2_models)
  get_filename_component(name ${model} NAME_WE)
  dagen_add_model_test(NAME v2_${name} MODEL ${model} PIPELINES 0 2)
endforeach()
dagen_add_model_test(NAME v2_cnn2d_ternary MODEL ${PROJECT_SOURCE_DIR}/tests/models/v2/hand_cnn2d.json
                     PIPELINES 3 ARGS --ternary)
dagen_add_model_test(NAME v2_tanh_argmax_valid
                     MODEL ${PROJECT_SOURCE_DIR}/tests/models/v2/hand_tanh_argmax.json PIPELINES 3 ARGS --valid)
dagen_add_model_test(NAME v2_residual_dc0 MODEL ${PROJECT_SOURCE_DIR}/tests/models/v2/hand_residual_mlp.json
                     PIPELINES 2 ARGS --dc 0 --clock-period 5)
