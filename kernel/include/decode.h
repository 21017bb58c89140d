/* decode.h: a syscall's arguments, checked in the proved core (decode.c).
 *
 * The architecture layer (arch-riscv/syscall.c) reads a syscall's number
 * and arguments from the caller's saved registers and writes the results
 * back; every decision about what an argument names, and with which
 * authority, is taken here, under contracts: the caller's own capability
 * space, a destination capability space, a process argument (SLOT_SELF
 * included), packed rights, page permissions, and the truncation of a
 * 64-bit register to a 32-bit slot number. docs/SYSCALLS.md describes the
 * encodings; docs/MODEL.md the guard order.
 */
#ifndef DECODE_H
#define DECODE_H
#include <stdint.h>
#include "proc.h"

/* An object an argument names (obj), or why it names none (err != E_OK,
 * obj = NFRAMES). */
struct obj_ret {
  kerr_t   err;
  uint32_t obj;
};

/* Packed rights read + 2*write + 4*grant, unpacked. */
struct rights_ret {
  kerr_t   err;
  uint32_t read, write, grant;
};

/* The forwarders a capability resolves through, outermost first, each
 * with its generation: what a mapping made through the capability
 * depends on (arch-riscv/uvm.c records it; the mapping dies with any of
 * them). */
uint32_t          caller_cspace(uint32_t cur);
struct obj_ret    dst_cspace(uint32_t cs, uint64_t slot);
struct obj_ret    proc_arg(uint32_t cur, uint32_t cs, uint64_t slot);
uint32_t          slot32(uint64_t x);
struct rights_ret rights_unpack(uint64_t x);
kerr_t            sys_map(uint32_t cur, uint32_t cs, uint64_t proc, uint64_t frame,
                          uint64_t va, uint64_t perm);
struct resolve_ret frame_write_lookup(uint32_t cs, uint32_t slot, uint64_t off,
                                      uint64_t len);
kerr_t            sys_unmap(uint32_t cur, uint32_t cs, uint64_t proc, uint64_t va);
kerr_t            sys_cap_copy(uint32_t cs, uint64_t a0, uint64_t a1, uint64_t a2,
                               uint64_t a3);
kerr_t            sys_cap_mint(uint32_t cs, uint64_t a0, uint64_t a1, uint64_t a2,
                               uint64_t a3, uint64_t a4);
kerr_t            sys_cap_delete(uint32_t cs, uint64_t a0);
void              obj_gone(uint32_t o, uint32_t t);
kerr_t            sys_cap_move(uint32_t cs, uint64_t a0, uint64_t a1, uint64_t a2);
void              sys_set_recv_slots(uint32_t cur, uint64_t a0, uint64_t a1);
void              sys_yield(uint32_t cur);
kerr_t            perm_check(uint64_t perm);
struct resolve_ret map_frame_lookup(uint32_t cs, uint32_t slot, uint64_t perm);

#include "decode.acsl"
#endif
