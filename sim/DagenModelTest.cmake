# dagen_add_model_test(NAME <name> MODEL <model.json> [PIPELINES 0 1 3] [ARGS ...])
# Adds one ctest per pipeline depth: da-gen generates the design, --verify
# co-simulates it with Verilator against the reference model, and the design
# must lint clean and be read by Icarus and Yosys (sim/check_design.sh).
# Works in this source tree (target da-gen) and from an installed package
# (find_package(da-gen) gives the imported target dagen::da-gen).
set(DAGEN_SIM_DIR ${CMAKE_CURRENT_LIST_DIR})
function(dagen_add_model_test)
  cmake_parse_arguments(T "" "NAME;MODEL" "PIPELINES;ARGS" ${ARGN})
  if(TARGET da-gen)
    set(exe $<TARGET_FILE:da-gen>)
  else()
    set(exe $<TARGET_FILE:dagen::da-gen>)
  endif()
  if("${T_PIPELINES}" STREQUAL "")  # not if(NOT ...): "PIPELINES 0" is false
    set(T_PIPELINES 0 1 3)
  endif()
  foreach(p IN LISTS T_PIPELINES)
    set(test e2e.${T_NAME}.p${p})
    add_test(NAME ${test}
             COMMAND ${DAGEN_SIM_DIR}/check_design.sh ${exe} ${T_MODEL} ${p}
                     ${CMAKE_CURRENT_BINARY_DIR}/${T_NAME}_p${p} ${T_ARGS})
    # The script's last line, not the --verify harness's PASS that precedes lint, Icarus and Yosys.
    set_tests_properties(${test} PROPERTIES LABELS e2e TIMEOUT 900
                         PASS_REGULAR_EXPRESSION "PASS: [^ ]+ pipeline [0-9]+ \\(verilator"
                         SKIP_RETURN_CODE 77)
  endforeach()
endfunction()
