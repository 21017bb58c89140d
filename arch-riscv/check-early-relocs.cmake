# Fail the build if code that runs before paging (boot.c and what it calls)
# contains an absolute address: such code runs at its physical load address
# while linked at KERNEL_VBASE, so only PC-relative references are right.
# An absolute relocation (R_RISCV_64/32, HI20/LO12) outside the debug
# sections means a pointer table, a jump table or a non-medany access.
#   cmake -DOBJDUMP=... -DOBJECTS="a.o|b.o" -P check-early-relocs.cmake
string(REPLACE "|" ";" objects "${OBJECTS}")
set(bad "")
foreach(obj ${objects})
  execute_process(COMMAND ${OBJDUMP} -r ${obj} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "objdump -r ${obj} failed")
  endif()
  string(REPLACE "\n" ";" lines "${out}")
  set(section "")
  foreach(line ${lines})
    if(line MATCHES "^RELOCATION RECORDS FOR \\[([^]]*)\\]")
      set(section "${CMAKE_MATCH_1}")
    elseif(NOT section MATCHES "^\\.debug" AND
           line MATCHES "R_RISCV_(64|32|HI20|LO12_I|LO12_S)[ \t]")
      string(APPEND bad "  ${obj} [${section}]: ${line}\n")
    endif()
  endforeach()
endforeach()
if(bad)
  message(FATAL_ERROR "absolute relocations in pre-paging code:\n${bad}")
endif()
