/*
 * plic.h: the platform-level interrupt controller, as the kernel drives it
 * for user-level drivers (issue 15, docs/DEVICES.md). The kernel keeps the
 * PLIC for itself: it claims a source's interrupt, signals the source's
 * handler (kernel/irq.c decides which notification), and completes the
 * claim when the driver acknowledges. Until then the PLIC's gateway holds
 * the source: the claim is the mask.
 */
#ifndef ARCH_RISCV_PLIC_H
#define ARCH_RISCV_PLIC_H

#include <stdint.h>
#include "fdt.h"

/* Find the boot hart's S-mode context in the device tree's PLIC; every
 * source disabled, threshold 0. The number of sources + 1 (the core's
 * irq_sources: sources 1 .. n - 1), or 0 if there is no usable PLIC. */
uint32_t plic_init(const struct fdt_info *fdt, uint64_t hartid);
uint32_t plic_context(void);     /* the context plic_init chose */
void     plic_enable(uint32_t src);
void     plic_disable(uint32_t src);
uint32_t plic_claim(void);       /* 0: nothing pending */
void     plic_complete(uint32_t src);

#endif
