# bpfxx_generate_vmlinux_h(<out_var> [BTF <file>])
#
# Generates vmlinux.h at build time with bpfxx's own generator
# (`bpfxx btf dump <file> -o ...`), by default from the running kernel's
# /sys/kernel/btf/vmlinux, into ${CMAKE_BINARY_DIR}/vmlinux/vmlinux.h, and
# sets <out_var> to that directory (for -I). The target bpfxx_vmlinux_h
# builds it: BPF objects including the header depend on it, e.g.
#
#   bpfxx_generate_vmlinux_h(VMLINUX_DIR)
#   bpfxx_add_bpf_object(myprog_bpf SOURCE myprog.bpf.c INCLUDES ${VMLINUX_DIR})
#   add_dependencies(myprog_bpf bpfxx_vmlinux_h)
#
# Without the BTF file the build of the header fails, saying why; nothing
# that does not need it is affected. The header is never committed: it is
# the running kernel's.
function(bpfxx_generate_vmlinux_h out_var)
  cmake_parse_arguments(V "" "BTF" "" ${ARGN})
  if(NOT V_BTF)
    set(V_BTF /sys/kernel/btf/vmlinux)
  endif()
  set(dir ${CMAKE_BINARY_DIR}/vmlinux)
  set(header ${dir}/vmlinux.h)
  if(TARGET bpfxx_vmlinux_h)
    get_target_property(existing bpfxx_vmlinux_h BPFXX_BTF)
    if(NOT existing STREQUAL V_BTF)
      message(FATAL_ERROR "bpfxx_generate_vmlinux_h: already generating from ${existing}, not ${V_BTF}")
    endif()
    set(${out_var} ${dir} PARENT_SCOPE)
    return()
  endif()
  if(EXISTS ${V_BTF})
    add_custom_command(
      OUTPUT ${header}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
      COMMAND bpfxx_cli btf dump ${V_BTF} --output ${header}
      DEPENDS bpfxx_cli ${V_BTF}
      COMMENT "Generating vmlinux.h from ${V_BTF}"
      VERBATIM)
  else()
    message(WARNING "${V_BTF} does not exist: building vmlinux.h will fail "
                    "(the kernel needs CONFIG_DEBUG_INFO_BTF=y)")
    add_custom_command(
      OUTPUT ${header}
      COMMAND ${CMAKE_COMMAND} -E echo
              "error: cannot generate vmlinux.h: ${V_BTF} does not exist (the kernel needs CONFIG_DEBUG_INFO_BTF=y)"
      COMMAND ${CMAKE_COMMAND} -E false
      VERBATIM)
  endif()
  add_custom_target(bpfxx_vmlinux_h DEPENDS ${header})
  set_target_properties(bpfxx_vmlinux_h PROPERTIES BPFXX_BTF ${V_BTF})
  set(${out_var} ${dir} PARENT_SCOPE)
endfunction()
