/*
 * plic.c: the PLIC's registers (RISC-V PLIC specification 1.0.0): a
 * priority word per source at base + 4 * src; per context an enable bit
 * array at base + 0x2000 + 0x80 * ctx, a threshold at base + 0x200000 +
 * 0x1000 * ctx and the claim / complete register 4 bytes after it. The
 * PLIC is reached through the kernel's direct map of physical memory.
 */
#include "plic.h"
#include "memlayout.h"

#define PLIC_ENABLE    0x2000u
#define PLIC_ENABLE_CTX 0x80u
#define PLIC_CONTEXT   0x200000u
#define PLIC_CONTEXT_CTX 0x1000u
#define CAUSE_S_EXT    9u          /* a hart's S-mode external interrupt */

static volatile uint32_t *plic;    /* its registers, 32-bit words */
static uint32_t ctx, sources;      /* sources 1 .. sources - 1 */

static volatile uint32_t *reg(uint64_t off) { return plic + off / 4; }

uint32_t plic_init(const struct fdt_info *fdt, uint64_t hartid)
{
  const struct fdt_plic *p = &fdt->plic;
  uint32_t intc = 0, c;
  if (p->size == 0 || p->ndev == 0)
    return 0;
  for (unsigned i = 0; i < fdt->nharts; i++)
    if (fdt->harts[i].hartid == hartid)
      intc = fdt->harts[i].intc_phandle;
  for (c = 0; c < p->nctx; c++)
    if (intc != 0 && p->ctx_phandle[c] == intc && p->ctx_cause[c] == CAUSE_S_EXT)
      break;
  if (c == p->nctx)
    return 0;
  plic = pa_to_kva(p->base);
  ctx = c;
  sources = p->ndev + 1 > 1024 ? 1024 : p->ndev + 1;
  for (uint32_t w = 0; w < (sources + 31) / 32; w++)
    *reg(PLIC_ENABLE + PLIC_ENABLE_CTX * ctx + 4 * w) = 0;
  *reg(PLIC_CONTEXT + PLIC_CONTEXT_CTX * ctx) = 0;          /* threshold */
  /* anything left claimed by the firmware: complete it */
  for (uint32_t s = 1; s < sources; s++)
    *reg(PLIC_CONTEXT + PLIC_CONTEXT_CTX * ctx + 4) = s;
  return sources;
}

uint32_t plic_context(void) { return ctx; }

void plic_enable(uint32_t src)
{
  *reg(4ul * src) = 1;                                       /* priority */
  volatile uint32_t *e = reg(PLIC_ENABLE + PLIC_ENABLE_CTX * ctx + 4 * (src / 32));
  *e = *e | (1u << (src % 32));
}

void plic_disable(uint32_t src)
{
  volatile uint32_t *e = reg(PLIC_ENABLE + PLIC_ENABLE_CTX * ctx + 4 * (src / 32));
  *e = *e & ~(1u << (src % 32));
}

uint32_t plic_claim(void) { return *reg(PLIC_CONTEXT + PLIC_CONTEXT_CTX * ctx + 4); }

void plic_complete(uint32_t src) { *reg(PLIC_CONTEXT + PLIC_CONTEXT_CTX * ctx + 4) = src; }
