/* tables.h: how the kernel's tables indexed by frame are declared.
 *
 * The proofs (Frama-C) and the host builds see each table as an array of
 * MAXFRAMES rows. The kernel manages as many frames as the machine's RAM
 * holds (nframes, param.h), which it learns only at boot from the device
 * tree; so in the kernel build (KERNEL_BOOT_TABLES) each table is a
 * pointer to its first row, set once at boot, before any kernel
 * operation and never again, to nframes rows carved from RAM beside the
 * managed frames (arch-riscv/ktables.c). The C indexes both alike, and
 * every index it uses is proved below NFRAMES (SIZES_OK), so the rows
 * the kernel has are the only rows it touches (proofs/ASSUMPTIONS.md §7).
 *
 *   extern FRAME_TABLE(type, name);     type name[MAXFRAMES]
 *   extern FRAME_ROWS(type, name, n);   type name[MAXFRAMES * n]: n a frame
 *   extern FRAME_TABLE2(type, name, n); type name[MAXFRAMES][n]
 *
 * Each table is defined once with FRAME_TABLE_DEF / FRAME_ROWS_DEF /
 * FRAME_TABLE2_DEF, which in the kernel also lists it (name, bytes per
 * frame) in the section .frame_tables that boot walks to size and place
 * them all: a table defined so cannot be forgotten by the boot code.
 *
 * In the kernel the pointers sit beside the global pointer (kernel.ld,
 * section .sdata.frame_tables): a table's base is one gp-relative load,
 * where an array's address took two instructions (auipc + addi). */
#ifndef TABLES_H
#define TABLES_H

#include <stdint.h>
#include "param.h"

#ifdef KERNEL_BOOT_TABLES

/* one entry of .frame_tables: where the table's pointer is, and the bytes
 * of one frame's row */
struct frame_table {
  void    *base;        /* the table's pointer variable (a T **) */
  uint32_t row_bytes;
};

/* The pointer variables are defined in assembly (FRAME_TABLE_STORAGE_) and
 * declared const to the C: the compiler sees no definition, so it cannot
 * assume their value, and as they are const it may keep or reload them
 * at will, as it would an array's address (no reload after every byte
 * store, no register held for them across a function: measured on the
 * IPC paths). Only ktables_fit writes them, once, at boot, through the
 * address the .frame_tables entry records. */
#define FRAME_TABLE(type, name)      type *const name
#define FRAME_ROWS(type, name, n)    type *const name
#define FRAME_TABLE2(type, name, n)  type (*const name)[n]

#define FRAME_TABLE_STORAGE_(name)                                       \
  __asm__(".pushsection .sdata.frame_tables, \"aw\"\n"                   \
          ".balign 8\n.globl " #name "\n.type " #name ", @object\n"       \
          ".size " #name ", 8\n" #name ":\n.dword 0\n.popsection")
#define FRAME_TABLE_LIST_(name, bytes)                                   \
  static const struct frame_table frame_table_##name                      \
    __attribute__((section(".frame_tables"), used)) = { (void *)&name, bytes }
#define FRAME_TABLE_DEF(type, name)                                      \
  extern FRAME_TABLE(type, name);                                        \
  FRAME_TABLE_STORAGE_(name);                                            \
  FRAME_TABLE_LIST_(name, sizeof(type))
#define FRAME_ROWS_DEF(type, name, n)                                    \
  extern FRAME_ROWS(type, name, n);                                      \
  FRAME_TABLE_STORAGE_(name);                                            \
  FRAME_TABLE_LIST_(name, sizeof(type) * (n))
#define FRAME_TABLE2_DEF(type, name, n)                                  \
  extern FRAME_TABLE2(type, name, n);                                    \
  FRAME_TABLE_STORAGE_(name);                                            \
  FRAME_TABLE_LIST_(name, sizeof(type) * (n))

#else

#define FRAME_TABLE(type, name)          type name[MAXFRAMES]
#define FRAME_ROWS(type, name, n)        type name[MAXFRAMES * n]
#define FRAME_TABLE2(type, name, n)      type name[MAXFRAMES][n]
#define FRAME_TABLE_DEF(type, name)      type name[MAXFRAMES]
#define FRAME_ROWS_DEF(type, name, n)    type name[MAXFRAMES * n]
#define FRAME_TABLE2_DEF(type, name, n)  type name[MAXFRAMES][n]

#endif

#endif
