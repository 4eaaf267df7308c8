# bpfxx_add_bpf_object(<target> SOURCE <file.bpf.c> [BIG_ENDIAN] [OUTPUT_NAME <name>]
#                      [TARGET_ARCH <arch>] [INCLUDES <dir>...] [DEFINES <def>...])
#
# Compiles one BPF C source with clang -target bpf -g -O2 into
# ${CMAKE_CURRENT_BINARY_DIR}/<name>.bpf.o (or <name>.bpfeb.o for BIG_ENDIAN)
# and adds a target <target> that builds it. The property BPF_OBJECT on the
# target holds the object's path. bpfxx's own BPF headers come first on the
# include path, so <bpf/bpf_helpers.h> and friends resolve to them and never
# to libbpf-dev's. TARGET_ARCH (default x86) is the architecture whose
# struct pt_regs bpf_tracing.h uses: -D__TARGET_ARCH_<arch>.
find_program(BPFXX_CLANG NAMES clang clang-14 REQUIRED)

set(BPFXX_BPF_INCLUDE_DIR ${CMAKE_CURRENT_LIST_DIR}/../bpf/include CACHE INTERNAL "")

function(bpfxx_add_bpf_object target)
  cmake_parse_arguments(B "BIG_ENDIAN" "SOURCE;OUTPUT_NAME;TARGET_ARCH" "INCLUDES;DEFINES" ${ARGN})
  if(NOT B_TARGET_ARCH)
    set(B_TARGET_ARCH x86)
  endif()
  if(NOT B_SOURCE)
    message(FATAL_ERROR "bpfxx_add_bpf_object(${target}): SOURCE is required")
  endif()
  get_filename_component(src ${B_SOURCE} ABSOLUTE)
  if(NOT B_OUTPUT_NAME)
    get_filename_component(B_OUTPUT_NAME ${B_SOURCE} NAME_WE)
  endif()
  if(B_BIG_ENDIAN)
    set(bpf_target bpfeb)
    set(out ${CMAKE_CURRENT_BINARY_DIR}/${B_OUTPUT_NAME}.bpfeb.o)
  else()
    set(bpf_target bpfel)
    set(out ${CMAKE_CURRENT_BINARY_DIR}/${B_OUTPUT_NAME}.bpf.o)
  endif()
  set(incs -I${BPFXX_BPF_INCLUDE_DIR} -I${BPFXX_BPF_GEN_INCLUDE})
  foreach(dir ${B_INCLUDES})
    list(APPEND incs -I${dir})
  endforeach()
  set(defs)
  foreach(def ${B_DEFINES})
    list(APPEND defs -D${def})
  endforeach()
  # The multiarch include dir supplies <asm/types.h> for <linux/types.h>.
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${BPFXX_CLANG} -g -O2 -target ${bpf_target} -D__TARGET_ARCH_${B_TARGET_ARCH}
            ${incs} ${defs} -I/usr/include/${CMAKE_LIBRARY_ARCHITECTURE}
            -Wall -Wno-unused-function -Werror=implicit-function-declaration
            -MD -MF ${out}.d -c ${src} -o ${out}
    DEPENDS ${src} bpfxx_bpf_headers
    DEPFILE ${out}.d
    COMMENT "BPF ${B_OUTPUT_NAME} (${bpf_target})"
    VERBATIM)
  add_custom_target(${target} ALL DEPENDS ${out})
  set_target_properties(${target} PROPERTIES BPF_OBJECT ${out})
endfunction()
