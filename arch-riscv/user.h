/*
 * user.h: running processes. user_start() builds the root task from its
 * embedded ELF image and never returns; user_trap() is called by
 * uentry.S for every trap from U-mode.
 */
#ifndef ARCH_RISCV_USER_H
#define ARCH_RISCV_USER_H

#include <stdint.h>
#include "boot.h"
#include "trap.h"
#include "proc.h"

#define USER_STACK_TOP   0x80000000ul
#define USER_STACK_PAGES 4u
#define SLICE_HZ         100u        /* time slice: 10 ms */

/* The root task's initial capabilities (docs/SYSCALLS.md). */
#define ROOT_SLOT_CONTAINER 0u
#define ROOT_SLOT_CSPACE    1u
#define ROOT_SLOT_PROCESS   2u
#define ROOT_FIRST_FREE     3u

void __attribute__((noreturn)) user_start(const struct boot_info *bi);

/* The register row of process p (p < NFRAMES), as uentry.S loads and
 * stores it: register i at row[i], the pc at row[REG_PC]. */
static inline uint64_t *regs_of(uint32_t p)
{
  return &p_regx(p, 0);          /* proc.h's IX: no zero-extension */
}
/* Called by uentry.S for a trap from U-mode, the trapped process's
 * registers already in p_regs; returns the p_regs row of the process to
 * run next. */
uint64_t *user_trap(uint64_t scause, uint64_t stval);
extern uint64_t user_kstack_top;
/* Process p stopped for good: it exited with code `why`, or (faulted) it
 * stopped on a fault with scause `why` and no fault endpoint. Only the
 * root task's end matters here: it decides the power-off status. */
void user_stopped(uint32_t p, int faulted, uint64_t why);
/* the fast paths, tried first by uentry.S (fastpath.c) */
uint64_t *user_fastpath_call(void);
uint64_t *user_fastpath_reply_recv(void);
uint64_t *user_fastpath_signal(void);
/* the process whose satp is loaded (uvm.c: p_satp) */
extern uint32_t loaded_proc;

/* uentry.S */
void user_vector(void);
/* load the registers in row and sret to U-mode (sstatus set up first) */
void __attribute__((noreturn)) user_return(uint64_t *row);

/* timers (issue 15): after an arming or a cancel, fire what is due and
 * program the SBI timer again; the woken process of highest priority, or
 * NO_PROC. clock_hz: ticks of `time` per second (the device tree's
 * timebase-frequency). */
uint32_t clock_update(void);
uint64_t clock_hz(void);

/* syscall.c: decode and run the syscall in cur's saved registers */
void syscall_dispatch(uint32_t cur);
/* a new process p, made by proc_make: the arch layer's part of its record
 * (uvm_process_new, the debug kernel's refusal log) */
void process_new(uint32_t p);
extern uint32_t ipc_partner;
const char *kerr_name(uint64_t e);

/* elf.c: load an ELF64 image into process p (frames from container c) */
uint32_t elf_load_kernel(uint32_t p, uint32_t c, const uint8_t *img,
                         uint64_t size, uint64_t *entry);

#endif
