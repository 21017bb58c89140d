/*
 * riscv.h: the RISC-V hardware facts the kernel uses, in one place.
 *
 * Control and status register (CSR) accessors, the sstatus/sie bits we
 * touch, trap cause codes, and the Sv39 page-table entry format. Every
 * CSR access in arch-riscv/ goes through a function here, so the rest of
 * the code reads as plain C.
 */
#ifndef ARCH_RISCV_RISCV_H
#define ARCH_RISCV_RISCV_H

#include <stdint.h>

/* sstatus bits */
#define SSTATUS_SIE  (1ul << 1)   /* supervisor interrupts enabled */
#define SSTATUS_SPIE (1ul << 5)   /* SIE before the trap */
#define SSTATUS_SPP  (1ul << 8)   /* trap came from S-mode (1) or U-mode (0) */
#define SSTATUS_SUM  (1ul << 18)  /* S-mode may access U pages */

/* sie / sip bits */
#define SIE_SSIE (1ul << 1)       /* software */
#define SIE_STIE (1ul << 5)       /* timer */
#define SIE_SEIE (1ul << 9)       /* external */

/* scause: the top bit marks an interrupt; the rest is the code. */
#define SCAUSE_INTERRUPT (1ul << 63)
#define SCAUSE_CODE(c)   ((c) & ~SCAUSE_INTERRUPT)

/* interrupt codes */
#define IRQ_S_SOFT  1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT   9

/* exception codes */
#define EXC_INST_MISALIGNED  0
#define EXC_INST_ACCESS      1
#define EXC_ILLEGAL_INST     2
#define EXC_BREAKPOINT       3
#define EXC_LOAD_MISALIGNED  4
#define EXC_LOAD_ACCESS      5
#define EXC_STORE_MISALIGNED 6
#define EXC_STORE_ACCESS     7
#define EXC_ECALL_U          8
#define EXC_ECALL_S          9
#define EXC_INST_PAGE_FAULT  12
#define EXC_LOAD_PAGE_FAULT  13
#define EXC_STORE_PAGE_FAULT 15

/*
 * Sv39: a 39-bit virtual address is three 9-bit table indices and a
 * 12-bit page offset:
 *
 *   38      30 29      21 20      12 11         0
 *   | VPN[2]  |  VPN[1]  |  VPN[0]  |   offset   |
 *
 * Bits 63..39 must all equal bit 38 (a "canonical" address). A page-table
 * entry holds the physical page number in bits 53..10 and flags below.
 * A valid entry with R, W or X set is a leaf: at level 2 it maps 1 GiB,
 * at level 1 2 MiB, at level 0 4 KiB.
 */
#define PAGE_SIZE   4096ul
#define PAGE_SHIFT  12
#define PTES_PER_PT 512

#define PTE_V (1ul << 0)   /* valid */
#define PTE_R (1ul << 1)   /* readable */
#define PTE_W (1ul << 2)   /* writable */
#define PTE_X (1ul << 3)   /* executable */
#define PTE_U (1ul << 4)   /* user accessible */
#define PTE_G (1ul << 5)   /* global (all address spaces) */
#define PTE_A (1ul << 6)   /* accessed */
#define PTE_D (1ul << 7)   /* dirty */
#define PTE_FLAGS 0x3fful

#define PA2PTE(pa)  ((((uint64_t)(pa)) >> PAGE_SHIFT) << 10)
#define PTE2PA(pte) ((((uint64_t)(pte)) >> 10 & ((1ul << 44) - 1)) << PAGE_SHIFT)
#define PTE_LEAF(pte) (((pte) & (PTE_R | PTE_W | PTE_X)) != 0)

/* index of va in the table at `level` (2 = root) */
#define VPN(va, level) ((((uint64_t)(va)) >> (PAGE_SHIFT + 9 * (level))) & 0x1ff)
/* bytes mapped by one leaf at `level` */
#define LEVEL_SIZE(level) (1ul << (PAGE_SHIFT + 9 * (level)))
#define MEGAPAGE    LEVEL_SIZE(1)       /* 2 MiB: a level-1 leaf */

#ifndef __ASSEMBLER__
/* x rounded up to a multiple of a (a power of two) */
static inline uint64_t align_up(uint64_t x, uint64_t a) { return (x + a - 1) & ~(a - 1); }
#endif

#define SATP_SV39 (8ul << 60)
#define MAKE_SATP(root_pa) (SATP_SV39 | (((uint64_t)(root_pa)) >> PAGE_SHIFT))
#define SATP_PPN_MASK ((1ul << 44) - 1)

#ifndef HOST_TEST   /* the CSR accessors exist only on the target */

static inline uint64_t r_sstatus(void) { uint64_t x; __asm__ volatile("csrr %0, sstatus" : "=r"(x)); return x; }
static inline void w_sstatus(uint64_t x) { __asm__ volatile("csrw sstatus, %0" : : "r"(x)); }
static inline void s_sstatus(uint64_t bits) { __asm__ volatile("csrs sstatus, %0" : : "r"(bits)); }
static inline void c_sstatus(uint64_t bits) { __asm__ volatile("csrc sstatus, %0" : : "r"(bits)); }

static inline uint64_t r_sie(void) { uint64_t x; __asm__ volatile("csrr %0, sie" : "=r"(x)); return x; }
static inline void s_sie(uint64_t bits) { __asm__ volatile("csrs sie, %0" : : "r"(bits)); }
static inline void c_sie(uint64_t bits) { __asm__ volatile("csrc sie, %0" : : "r"(bits)); }

static inline uint64_t r_sip(void) { uint64_t x; __asm__ volatile("csrr %0, sip" : "=r"(x)); return x; }

static inline uint64_t r_scause(void) { uint64_t x; __asm__ volatile("csrr %0, scause" : "=r"(x)); return x; }
static inline uint64_t r_stval(void) { uint64_t x; __asm__ volatile("csrr %0, stval" : "=r"(x)); return x; }
static inline uint64_t r_sepc(void) { uint64_t x; __asm__ volatile("csrr %0, sepc" : "=r"(x)); return x; }

static inline void w_stvec(uint64_t x) { __asm__ volatile("csrw stvec, %0" : : "r"(x)); }
static inline uint64_t r_stvec(void) { uint64_t x; __asm__ volatile("csrr %0, stvec" : "=r"(x)); return x; }
static inline void w_sscratch(uint64_t x) { __asm__ volatile("csrw sscratch, %0" : : "r"(x)); }

static inline uint64_t r_satp(void) { uint64_t x; __asm__ volatile("csrr %0, satp" : "=r"(x)); return x; }

/* the time CSR counts at the device tree's timebase-frequency */
static inline uint64_t r_time(void) { uint64_t x; __asm__ volatile("rdtime %0" : "=r"(x)); return x; }
static inline uint64_t r_instret(void) { uint64_t x; __asm__ volatile("rdinstret %0" : "=r"(x)); return x; }

/* flush all TLB entries of this hart */
static inline void sfence_vma_all(void) { __asm__ volatile("sfence.vma zero, zero" : : : "memory"); }

static inline void wait_for_interrupt(void) { __asm__ volatile("wfi"); }

static inline void intr_on(void) { s_sstatus(SSTATUS_SIE); }
static inline void intr_off(void) { c_sstatus(SSTATUS_SIE); }

#endif /* !HOST_TEST */

#endif
