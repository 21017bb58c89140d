/*
 * uvm.h: the managed frames' memory and user (Sv39) address spaces.
 *
 * The kernel core manages NFRAMES frames by index; this file gives them
 * their 4 KiB of physical memory: up to four runs of free RAM, each from a
 * 2 MiB boundary, the frame indices following one another across them
 * (frame_pa), all mapped one after another in the frame window, frame f
 * at FWIN_BASE + f * 4096 (frame_kva).
 *
 * A process's address space is decided in the proved core
 * (kernel/vspace.c, kernel/include/vspace.h): its page tables, map, unmap
 * and the removal of mappings whose frame, process or forwarder died.
 * This file gives the core what only the architecture knows (a frame's
 * physical page number and back: frame_ppn, ppn_frame; the kernel's half
 * of every root table: uvm_init) and does what the core cannot: fence
 * the TLB after a change and load a new root's satp (uvm_map,
 * uvm_unmap, uvm_reap), and copy between the kernel and user memory
 * through the core's walk (uvm_copy_in, uvm_copy_out).
 */
#ifndef ARCH_RISCV_UVM_H
#define ARCH_RISCV_UVM_H

#include <stdint.h>
#include "boot.h"
#include "param.h"
#include "decode.h"
#include "state.h"

#define USER_VA_MIN 0x1000ul          /* page 0 stays unmapped            */
#define USER_VA_END 0x4000000000ul    /* lower half (LOWER_HALF_END)      */

/* the page-permission argument of SYS_MAP: read + 2*write + 4*exec */
#define UPERM_R 1u
#define UPERM_W 2u
#define UPERM_X 4u

/* The fewest frames the kernel manages: the root task's test suite was
 * written for these 4 MiB */
#define MINFRAMES 1024u

/* What frames_init chose (user_start prints it). */
struct frames_plan {
  uint64_t free_total;    /* all the free RAM (boot_free_ranges)          */
  uint64_t run_base;      /* the largest free run inside the direct map    */
  uint64_t run_size;
  uint64_t need_min;      /* bytes that run needs for MINFRAMES frames     */
  uint64_t frames_pa;     /* frame 0: its run's first 2 MiB boundary       */
  uint32_t frame_runs;    /* how many runs of RAM the frames take          */
  uint64_t tables_bytes;  /* the kernel's tables (ktables.c)               */
  uint32_t table_runs;    /* how many free runs hold them                  */
  uint32_t nframes;       /* the managed frames: NFRAMES from now on       */
  uint32_t capped;        /* 1: the run holds more than MAXFRAMES frames   */
  uint32_t device_pages;  /* frames 0 .. device_pages - 1: device pages    */
  uint32_t device_pages_dropped;  /* device pages past MAX_DEVICE_PAGES    */
};

/* Size the object universe from the RAM the device tree reports: the
 * largest free run inside the direct map holds the frames (at most
 * MAXFRAMES), as many as leave room for their tables in the rest of it
 * and in the other free runs; the frames are mapped at FWIN_BASE, the
 * tables placed and zeroed, nframes set. 0 on success; -1: not even
 * MINFRAMES fit (plan->need_min says what one run would need); -2: the
 * frame window could not be mapped. */
int      frames_init(const struct boot_info *bi, struct frames_plan *plan);
uint64_t frame_pa(uint32_t f);
/* The device pages: frames device_first() .. + device_pages() - 1, right
 * after the root container's and its cspace's (issue 15). For frame
 * f one of them, its device's kind (abi.h), physical page and interrupt
 * source; 0 if f is not a device frame. */
uint32_t device_pages(void);
uint32_t device_first(void);
int      device_page_info(uint32_t f, uint32_t *kind, uint64_t *pa, uint32_t *irq);
void    *frame_kva(uint32_t f);
void     frame_zero(uint32_t f);

void     uvm_init(uint64_t kernel_root_pa);
int      ppn_check(void);                          /* 0: ppn_wf holds */
void     uvm_process_new(uint32_t p);                 /* new process p */
/* The boot's mappings of the root task's image (elf.c, user.c): no
 * capability and no forwarder (vs_map's cs NFRAMES), so they live as
 * long as the frame and the process. */
uint32_t uvm_boot_map(uint32_t p, uint32_t frame, uint64_t va, uint32_t perm);
/* After the core changed process cur's mappings (sys_map, sys_unmap,
 * and vs_slot_gone after cap_delete): its new root loaded if its satp
 * changed (satp_before: the one before the call), then the TLB fenced. */
void     uvm_changed(uint32_t cur, uint64_t satp_before);
void     uvm_reap(void);
void     uvm_fence(void);
uint64_t uvm_satp(uint32_t p);
/* Process p's satp, as switch_to loads it (uvm_satp): p_satp, a field of
 * p's record that the core sets (vspace.h): its root page table's once it
 * has one, else the kernel's root. */

/* copy between kernel and process p's memory; E_FAULT unless every byte
 * is mapped user-accessible with the needed permission */
uint32_t uvm_copy_in(uint32_t p, void *dst, uint64_t va, uint64_t len);
uint32_t uvm_copy_out(uint32_t p, uint64_t va, const void *src, uint64_t len);
/* SYS_FRAME_WRITE's copy into frame f from byte off (checked by the core:
 * frame_write_lookup); the whole source checked first: E_FAULT writes
 * nothing */
uint32_t uvm_copy_to_frame(uint32_t p, uint32_t f, uint64_t off, uint64_t va,
                           uint64_t len);

#endif
