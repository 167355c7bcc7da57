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

# da-gen --eval against the exporter's independent numpy reference (refsim.py),
# bit for bit: every v2 model here (with the Keras-made vectors beside it) and
# 150 random v2 graphs (random_model_dump --graph).  Skipped without numpy.
set(DAGEN_NUMPY_PYTHON python3)
foreach(candidate /usr/bin/python3 python3)
  execute_process(COMMAND ${candidate} -c "import numpy" RESULT_VARIABLE missing OUTPUT_QUIET
                  ERROR_QUIET)
  if(missing EQUAL 0)
    set(DAGEN_NUMPY_PYTHON ${candidate})
    break()
  endif()
endforeach()
add_test(NAME v2.eval_vs_refsim
         COMMAND ${DAGEN_NUMPY_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/eval_vs_refsim.py
                 $<TARGET_FILE:da-gen> ${e2e_v2_models})
add_test(NAME v2.random_graphs_vs_refsim
         COMMAND sh -c "rm -rf \"$1\" && mkdir -p \"$1\" && \"$2\" --graph -o \"$1\" $(seq 1 150) && \"$3\" \"$4\" \"$5\" \"$1\"/*.json --vectors 40"
                 sh ${CMAKE_CURRENT_BINARY_DIR}/random_graphs $<TARGET_FILE:random_model_dump>
                 ${DAGEN_NUMPY_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/eval_vs_refsim.py $<TARGET_FILE:da-gen>)
set_tests_properties(v2.eval_vs_refsim v2.random_graphs_vs_refsim PROPERTIES
                     LABELS "v2" TIMEOUT 300 SKIP_RETURN_CODE 77 PASS_REGULAR_EXPRESSION "PASS: "
                     ENVIRONMENT "${DAGEN_PYTHONPATH}")
