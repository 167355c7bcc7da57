# The Verilator runtime that every `da-gen --verify` of this build tree links instead of
# compiling it per run: the runtime's objects and a precompiled verilated.h in
# ${DAGEN_SIM_RUNTIME_DIR}, listed in its runtime.txt with the Verilator, the compiler and the
# flags that built them.  src/flow/verify.cpp reads runtime.txt (DAGEN_SIM_RUNTIME_DIR is
# compiled into da-gen; $DAGEN_SIM_RUNTIME overrides it) and compiles the runtime itself when
# there is none, or it is for another Verilator or compiler.
# Needs VERILATOR_ROOT (find_package(verilator)).
set(DAGEN_SIM_RUNTIME_DIR ${PROJECT_BINARY_DIR}/sim-runtime)
set(_rt ${DAGEN_SIM_RUNTIME_DIR})
set(_vinc ${VERILATOR_ROOT}/include)
file(STRINGS ${_vinc}/verilated_config.h _version REGEX "^#define VERILATOR_VERSION \"")
string(REGEX REPLACE "^#define VERILATOR_VERSION \"([^\"]*)\".*" "\\1" _version "${_version}")
# The flags of verify.cpp's own runtime build: the design is compiled with the same, at -O0
# (a few thousand vectors: compile time dominates).
set(_flags -std=gnu++20 -O0 -DVM_COVERAGE=0 -DVM_SC=0 -DVM_TRACE=0 -DVM_TRACE_FST=0
           -DVM_TRACE_VCD=0 -I${_vinc} -I${_vinc}/vltstd)
file(GLOB _headers ${_vinc}/*.h)

set(_manifest "dagen-sim-runtime 1\nverilator_root ${VERILATOR_ROOT}\n")
string(APPEND _manifest "verilator_version ${_version}\ncxx ${CMAKE_CXX_COMPILER}\n")
foreach(_flag IN LISTS _flags)
  string(APPEND _manifest "flag ${_flag}\n")
endforeach()
set(_outputs)
# What `verilator --cc` asks for (VM_GLOBAL_FAST/SLOW); verify.cpp compiles any other.
foreach(_src verilated verilated_threads)
  add_custom_command(OUTPUT ${_rt}/${_src}.o
                     COMMAND ${CMAKE_CXX_COMPILER_LAUNCHER} ${CMAKE_CXX_COMPILER} ${_flags}
                             -c ${_vinc}/${_src}.cpp -o ${_rt}/${_src}.o
                     DEPENDS ${_vinc}/${_src}.cpp ${_headers}
                     COMMENT "Verilator runtime for --verify: ${_src}.o" VERBATIM)
  list(APPEND _outputs ${_rt}/${_src}.o)
  string(APPEND _manifest "object ${_src} ${_rt}/${_src}.o\n")
endforeach()
configure_file(${CMAKE_CURRENT_LIST_DIR}/dagen_sim_pch.h ${_rt}/dagen_sim_pch.h COPYONLY)
add_custom_command(OUTPUT ${_rt}/dagen_sim_pch.h.gch
                   COMMAND ${CMAKE_CXX_COMPILER} ${_flags} -x c++-header ${_rt}/dagen_sim_pch.h
                           -o ${_rt}/dagen_sim_pch.h.gch
                   DEPENDS ${_rt}/dagen_sim_pch.h ${_headers}
                   COMMENT "Verilator runtime for --verify: precompiled verilated.h" VERBATIM)
string(APPEND _manifest "pch ${_rt}/dagen_sim_pch.h\n")
# runtime.txt appears only once everything it lists exists.
file(CONFIGURE OUTPUT ${_rt}/runtime.txt.in CONTENT "${_manifest}" @ONLY)
add_custom_command(OUTPUT ${_rt}/runtime.txt
                   COMMAND ${CMAKE_COMMAND} -E copy ${_rt}/runtime.txt.in ${_rt}/runtime.txt
                   DEPENDS ${_rt}/runtime.txt.in ${_outputs} ${_rt}/dagen_sim_pch.h.gch VERBATIM)
add_custom_target(dagen_sim_runtime ALL DEPENDS ${_rt}/runtime.txt)
