/* host_ppn.c: the architecture's half of the address-space core
 * (kernel/include/vspace.h) for the host tests. The host has no physical
 * pages; frame f is given the page number HOST_PPN0 + f, as the RISC-V
 * layer gives RAM frames their place after the kernel (arch-riscv/uvm.c),
 * and a number outside that range names no managed frame. */
#include "vspace.h"

#define HOST_PPN0 0x80000u

uint64_t frame_ppn(uint32_t f) { return HOST_PPN0 + (uint64_t)f; }

uint32_t ppn_frame(uint64_t ppn)
{
  if (ppn < HOST_PPN0 || ppn - HOST_PPN0 >= NFRAMES)
    return NFRAMES;
  return (uint32_t)(ppn - HOST_PPN0);
}
