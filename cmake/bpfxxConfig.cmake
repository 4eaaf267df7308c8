# find_package(bpfxx) support for installed copies: defines bpfxx::bpfxx
# (static) and bpfxx::bpfxx_shared. BPF programs compile against the BPF
# headers with -I${bpfxx_BPF_INCLUDE_DIR}.
include(CMakeFindDependencyMacro)
find_dependency(ZLIB)
include(${CMAKE_CURRENT_LIST_DIR}/bpfxxTargets.cmake)
get_filename_component(bpfxx_PREFIX "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
set(bpfxx_BPF_INCLUDE_DIR "${bpfxx_PREFIX}/include/bpfxx")
