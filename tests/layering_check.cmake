# Fails when a pure layer (no syscalls: base parsing helpers aside) includes a
# syscall header or calls into the kernel. Run by ctest (label unit).
#   cmake -DSRC=<src dir> -P layering_check.cmake
set(pure_layers elf btf spec insn reloc codegen)
set(forbidden "<sys/syscall.h>" "syscall(" "<linux/bpf.h>" "<sys/ioctl.h>" "ioctl(" "perf_event_open"
              "<sys/mman.h>" "<linux/perf_event.h>" "sys/bpf.hpp" "<unistd.h>")
set(failures "")
foreach(layer ${pure_layers})
  file(GLOB_RECURSE files ${SRC}/${layer}/*.cpp ${SRC}/${layer}/*.hpp)
  foreach(f ${files})
    file(READ ${f} text)
    foreach(pattern ${forbidden})
      string(FIND "${text}" "${pattern}" pos)
      if(NOT pos EQUAL -1)
        string(APPEND failures "${f}: uses '${pattern}', but ${layer}/ must make no syscalls\n")
      endif()
    endforeach()
  endforeach()
endforeach()
if(failures)
  message(FATAL_ERROR "${failures}")
endif()
message(STATUS "pure layers make no syscalls: ${pure_layers}")
