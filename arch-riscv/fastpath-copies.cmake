cmake_minimum_required(VERSION 3.20)
# The fast path object (fastpath.c) after compilation: keep what its
# entries need, check that it has no storage of its own that its code
# would use, and make every symbol it defines but the entries weak, so
# that the kernel's own definitions of the functions and tables compiled
# into it again prevail.
#   cmake -DLD=... -DNM=... -DOBJCOPY=... -DOBJDUMP=... -DIN=fastpath.o
#         -DOUT=fastpath-weak.o -P fastpath-copies.cmake
set(entries user_fastpath_call user_fastpath_reply_recv user_fastpath_signal)
list(LENGTH entries n_entries)

# run(<output variable> <command>...): run it, stop the build if it fails.
function(run var)
  execute_process(COMMAND ${ARGN} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "fastpath-copies: failed (${rc}): ${cmd}")
  endif()
  set(${var} "${out}" PARENT_SCOPE)
endfunction()

# 1. Only the sections the entries reach (-ffunction-sections): the other
#    functions of the copies go, and with them their references to the
#    rest of the kernel (which would keep LTO from localising those).
list(TRANSFORM entries PREPEND "-u" OUTPUT_VARIABLE keep)
run(out ${LD} -r --gc-sections ${keep} -o ${OUT}.gc ${IN})

#    ld -r keeps the undefined symbols of what it dropped: drop every
#    symbol that no relocation needs (the debug sections stay).
run(out ${OBJCOPY} --strip-unneeded --keep-section=.debug* ${OUT}.gc)

# 2. No local data (a copy the kernel would not see) and no reference
#    relative to a data section (a section anchor) instead of a symbol.
run(out ${NM} ${OUT}.gc)
if(out MATCHES "\n[0-9a-f]+ [bdgsc] ([^\n]+)")
  message(FATAL_ERROR "${IN}: local data ${CMAKE_MATCH_1}: a copy the kernel would not see")
endif()
run(out ${OBJDUMP} -r ${OUT}.gc)
if(out MATCHES "R_RISCV_[A-Z0-9_]+[ \t]+(\\.s?bss|\\.s?data)[^\n]*")
  message(FATAL_ERROR "${IN}: a reference relative to a data section (${CMAKE_MATCH_0})")
endif()

# 3. Weaken every defined symbol but the entries. Undefined references
#    stay strong (objcopy --weaken would weaken them too, and a weak
#    reference may resolve to 0); common symbols (-fcommon) merge with
#    the kernel's definitions by themselves.
run(out ${NM} -g --defined-only ${OUT}.gc)
string(REPLACE "\n" ";" lines "${out}")
set(list "")
set(found 0)
foreach(line ${lines})
  if(line MATCHES "^[0-9a-f]+ ([A-Za-z]) (.+)$")
    set(sym "${CMAKE_MATCH_2}")
    if(sym IN_LIST entries)
      math(EXPR found "${found} + 1")
    elseif(NOT CMAKE_MATCH_1 STREQUAL "C")
      string(APPEND list "${sym}\n")
    endif()
  endif()
endforeach()
if(NOT found EQUAL n_entries)
  message(FATAL_ERROR "${IN}: not every fast path entry (${entries}) is defined")
endif()
file(WRITE ${OUT}.syms "${list}")
run(out ${OBJCOPY} --weaken-symbols=${OUT}.syms ${OUT}.gc ${OUT})
