/*
 * fdt.h: a small, bounds-checked reader for the flattened device tree
 * (DTB, version 17) the firmware hands the kernel in a1.
 *
 * It extracts only what boot needs: RAM regions, the regions the firmware
 * reserved (the header's memory reservation block and the children of
 * /reserved-memory), the console UART, the timebase frequency, the harts,
 * the QEMU test device and the kernel command line. Every read is checked
 * against the length the caller gives, so a truncated or corrupted blob
 * yields an error code, never a read outside it.
 *
 * Portable C without globals or pointer tables: the kernel runs it before
 * paging (at its physical load address) and the host unit test
 * (tests/boot/fdt_test.c) runs it under ASan/UBSan.
 */
#ifndef ARCH_RISCV_FDT_H
#define ARCH_RISCV_FDT_H

#include <stddef.h>
#include <stdint.h>
#include "abi.h"      /* enum device_kind */

#define FDT_MAGIC      0xd00dfeedu
#define FDT_HEADER_MIN 40u     /* a version 17 header */
#define FDT_MAX_DEPTH  16      /* deeper nesting is rejected */
#define FDT_MAX_MEM    16
#define FDT_MAX_RESV   32
#define FDT_MAX_HARTS  16
#define FDT_PATH_MAX   128
#define FDT_ARGS_MAX   128
#define FDT_MAX_DEV    16      /* devices handed to the root task; more are left out */

/* Errors, in this order; fdt_strerror() names them. */
enum fdt_err {
  FDT_OK = 0,
  FDT_ERR_SHORT,     /* 1: buffer shorter than the header or totalsize */
  FDT_ERR_MAGIC,     /* 2: no 0xd00dfeed magic */
  FDT_ERR_VERSION,   /* 3: version < 17, or last_comp_version > 17 */
  FDT_ERR_LAYOUT,    /* 4: a block is misaligned or outside totalsize */
  FDT_ERR_RSVMAP,    /* 5: reservation block runs past the blob, or an entry overflows */
  FDT_ERR_STRUCT,    /* 6: bad token, unterminated name, unbalanced nodes, missing END */
  FDT_ERR_DEPTH,     /* 7: nodes nested deeper than FDT_MAX_DEPTH */
  FDT_ERR_STRING,    /* 8: property name outside the strings block or unterminated */
  FDT_ERR_CELLS,     /* 9: #address-cells/#size-cells unusable for a reg we need */
  FDT_ERR_REG,       /* 10: reg length not a whole number of entries, or base+size overflows */
  FDT_ERR_FULL,      /* 11: more memory/reserved regions or harts than the tables hold */
  FDT_ERR_NOMEM,     /* 12: no usable /memory region */
  FDT_ERR_COUNT
};

enum uart_kind { UART_NONE = 0, UART_NS16550, UART_SIFIVE };

struct fdt_region {
  uint64_t base;
  uint64_t size;
};

/* where a reserved region came from */
enum resv_source { RESV_RSVMAP = 0, RESV_NODE = 1 };

struct fdt_hart {
  uint32_t hartid;
  uint8_t enabled;   /* status absent or "okay" */
  uint8_t has_mmu;   /* has an mmu-type other than "riscv,none" (can run S-mode) */
  uint32_t intc_phandle;  /* its interrupt controller's phandle, 0 if none */
  uint8_t sstc;      /* Sstc (stimecmp) in riscv,isa or riscv,isa-extensions */
};

/* The PLIC ("riscv,plic0"): where it is, how many sources, and its
 * contexts in order, each an (interrupt controller phandle, cause) pair
 * of its "interrupts-extended" (cause 9: a hart's S-mode external
 * interrupt, 11: M-mode's). */
#define FDT_MAX_PLIC_CTX 32
struct fdt_plic {
  uint64_t base, size;      /* size 0: no PLIC */
  uint32_t ndev;            /* "riscv,ndev": sources 1 .. ndev */
  uint32_t nctx;
  uint32_t ctx_phandle[FDT_MAX_PLIC_CTX];
  uint32_t ctx_cause[FDT_MAX_PLIC_CTX];
};

struct fdt_uart {
  enum uart_kind kind;
  uint64_t base;
  uint64_t size;
  uint32_t reg_shift;       /* register i is at base + (i << reg_shift) */
  uint32_t reg_io_width;    /* 1 or 4 bytes per access */
  uint8_t from_stdout_path; /* 1: named by /chosen stdout-path */
  char path[FDT_PATH_MAX];  /* node path, e.g. /soc/serial@10000000 */
};

/* A device the root task may drive (abi.h, DEVICE_KIND_LIST): its first
 * reg entry and its first interrupt source. */
struct fdt_device {
  uint64_t base;
  uint64_t size;
  uint32_t irq;             /* first cell of "interrupts", 0 if none */
  uint32_t kind;            /* enum device_kind */
};

struct fdt_info {
  uint32_t totalsize;       /* bytes of the blob: never touch them */
  struct fdt_region mem[FDT_MAX_MEM];
  unsigned nmem;
  struct fdt_region resv[FDT_MAX_RESV];
  uint8_t resv_source[FDT_MAX_RESV];
  unsigned nresv;
  struct fdt_uart uart;     /* kind UART_NONE if none was found */
  uint64_t timebase_hz;     /* 0 if absent */
  struct fdt_hart harts[FDT_MAX_HARTS];
  unsigned nharts;
  uint64_t test_dev;        /* "sifive,test0" base (QEMU's exit device), 0 if none */
  struct fdt_device dev[FDT_MAX_DEV];   /* in device-tree order */
  unsigned ndev;
  unsigned dev_dropped;     /* devices past FDT_MAX_DEV, left out */
  struct fdt_plic plic;
  char bootargs[FDT_ARGS_MAX];     /* /chosen bootargs, "" if none (cut at FDT_ARGS_MAX-1) */
  char stdout_path[FDT_PATH_MAX];  /* /chosen stdout-path resolved to a node path, "" if none */
};

/*
 * Read just the header's totalsize (0 on bad magic). The kernel uses this
 * to learn how many bytes it may give fdt_parse.
 */
uint32_t fdt_totalsize(const void *blob);

/*
 * Parse the blob of `len` readable bytes into *out (fully overwritten).
 * Returns FDT_OK or an enum fdt_err; on error *out holds no meaning.
 * Reads only blob[0 .. min(len, totalsize)).
 */
int fdt_parse(const void *blob, size_t len, struct fdt_info *out);

const char *fdt_strerror(int err);

#endif
