/*
 * fdt_test.c: host tests of arch-riscv/fdt.c and memmap.c, built with
 * ASan and UBSan so any read outside the blob fails the test.
 *
 *   fdt_test summary BLOB        print what the reader found, one fact a
 *                                line (check_fdt.py compares it with dtc)
 *   fdt_test robust BLOB         truncations, header corruptions, token
 *                                corruptions, random bit flips: every
 *                                damaged blob must be rejected or parsed
 *                                sanely, never read out of bounds
 *   fdt_test expect-error BLOB N the blob must be rejected with error N
 *   fdt_test memmap              free-range computation cases
 *
 * Each mode exits 0 on success, 1 with a message on the first failure.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fdt.h"
#include "memmap.h"

static int failures;

#define CHECK(cond, ...)                                                   \
  do {                                                                     \
    if (!(cond)) {                                                         \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                 \
      fprintf(stderr, __VA_ARGS__);                                        \
      fprintf(stderr, "\n");                                               \
      failures++;                                                          \
    }                                                                      \
  } while (0)

static uint8_t *read_file(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    perror(path);
    exit(2);
  }
  size_t cap = 1 << 16, n = 0;
  uint8_t *buf = malloc(cap);
  size_t got;
  while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap)
      buf = realloc(buf, cap *= 2);
  }
  fclose(f);
  *len = n;
  return buf;
}

static uint32_t get32(const uint8_t *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }
static void put32(uint8_t *p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }

/* Parse exactly `len` bytes held in their own heap block (ASan sees overruns). */
static int parse_exact(const uint8_t *src, size_t len, struct fdt_info *out)
{
  uint8_t *copy = malloc(len ? len : 1);
  memcpy(copy, src, len);
  int err = fdt_parse(copy, len, out);
  free(copy);
  return err;
}

/* A successful parse must respect every table bound. */
static void check_sane(const struct fdt_info *f, const char *what)
{
  CHECK(f->nmem >= 1 && f->nmem <= FDT_MAX_MEM, "%s: nmem %u", what, f->nmem);
  CHECK(f->nresv <= FDT_MAX_RESV, "%s: nresv %u", what, f->nresv);
  CHECK(f->nharts <= FDT_MAX_HARTS, "%s: nharts %u", what, f->nharts);
  CHECK(memchr(f->bootargs, 0, FDT_ARGS_MAX) != NULL, "%s: bootargs unterminated", what);
  CHECK(memchr(f->stdout_path, 0, FDT_PATH_MAX) != NULL, "%s: stdout_path unterminated", what);
  CHECK(memchr(f->uart.path, 0, FDT_PATH_MAX) != NULL, "%s: uart path unterminated", what);
  for (unsigned i = 0; i < f->nmem && i < FDT_MAX_MEM; i++)
    CHECK(f->mem[i].size > 0 && f->mem[i].base + f->mem[i].size > f->mem[i].base,
          "%s: bad memory region %u", what, i);
}

/* ---- summary ------------------------------------------------------------------ */

static int mode_summary(const char *path)
{
  size_t len;
  uint8_t *blob = read_file(path, &len);
  struct fdt_info f;
  int err = parse_exact(blob, len, &f);
  if (err != FDT_OK) {
    printf("error %d %s\n", err, fdt_strerror(err));
    return 1;
  }
  check_sane(&f, path);
  for (unsigned i = 0; i < f.nmem; i++)
    printf("mem 0x%llx 0x%llx\n", (unsigned long long)f.mem[i].base,
           (unsigned long long)f.mem[i].size);
  for (unsigned i = 0; i < f.nresv; i++)
    printf("resv 0x%llx 0x%llx %s\n", (unsigned long long)f.resv[i].base,
           (unsigned long long)f.resv[i].size,
           f.resv_source[i] == RESV_NODE ? "node" : "rsvmap");
  if (f.uart.kind != UART_NONE)
    printf("uart %s 0x%llx 0x%llx shift %u width %u %s %s\n",
           f.uart.kind == UART_NS16550 ? "ns16550" : "sifive",
           (unsigned long long)f.uart.base, (unsigned long long)f.uart.size,
           f.uart.reg_shift, f.uart.reg_io_width,
           f.uart.from_stdout_path ? "stdout" : "first", f.uart.path);
  else
    printf("uart none\n");
  printf("timebase %llu\n", (unsigned long long)f.timebase_hz);
  for (unsigned i = 0; i < f.nharts; i++)
    printf("hart %u enabled %u mmu %u intc %u sstc %u\n", f.harts[i].hartid,
           f.harts[i].enabled, f.harts[i].has_mmu, f.harts[i].intc_phandle, f.harts[i].sstc);
  printf("testdev 0x%llx\n", (unsigned long long)f.test_dev);
  for (unsigned i = 0; i < f.ndev; i++)
    printf("device %u 0x%llx 0x%llx irq %u\n", f.dev[i].kind,
           (unsigned long long)f.dev[i].base, (unsigned long long)f.dev[i].size, f.dev[i].irq);
  if (f.dev_dropped)
    printf("devices dropped %u\n", f.dev_dropped);
  if (f.plic.size) {
    printf("plic 0x%llx 0x%llx ndev %u\n", (unsigned long long)f.plic.base,
           (unsigned long long)f.plic.size, f.plic.ndev);
    for (unsigned i = 0; i < f.plic.nctx; i++)
      printf("plic-ctx %u %u %u\n", i, f.plic.ctx_phandle[i], f.plic.ctx_cause[i]);
  }
  printf("bootargs \"%s\"\n", f.bootargs);
  printf("stdout-path \"%s\"\n", f.stdout_path);
  free(blob);
  return failures != 0;
}

/* ---- robustness -------------------------------------------------------------- */

/* offset of the first structure-block token of `kind` at or after `from` */
static size_t find_token(const uint8_t *b, uint32_t kind, size_t from)
{
  size_t off = get32(b + 8), end = off + get32(b + 36);
  while (off + 4 <= end) {
    uint32_t t = get32(b + off);
    if (t == kind && off >= from)
      return off;
    if (t == 1) {                            /* BEGIN_NODE name */
      size_t n = strlen((const char *)b + off + 4);
      off += 4 + ((n + 1 + 3) & ~(size_t)3);
    } else if (t == 3) {                     /* PROP len nameoff value */
      off += 12 + ((get32(b + off + 4) + 3) & ~(size_t)3);
    } else {
      off += 4;
    }
  }
  return 0;
}

static void expect_err(const uint8_t *b, size_t len, int want, const char *what)
{
  struct fdt_info f;
  int err = parse_exact(b, len, &f);
  CHECK(err == want, "%s: got %d (%s), want %d (%s)", what, err, fdt_strerror(err), want,
        fdt_strerror(want));
}

/* apply one header/token corruption to a fresh copy and expect an error */
static void corrupt(const uint8_t *blob, size_t len, size_t off, uint32_t value, int want,
                    const char *what)
{
  uint8_t *b = malloc(len);
  memcpy(b, blob, len);
  put32(b + off, value);
  expect_err(b, len, want, what);
  free(b);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rng(void)
{
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

static int mode_robust(const char *path)
{
  size_t filelen;
  uint8_t *file = read_file(path, &filelen);
  struct fdt_info f;
  uint32_t total = fdt_totalsize(file);
  CHECK(total >= FDT_HEADER_MIN && total <= filelen, "%s: bad totalsize %u", path, total);
  if (failures)
    return 1;
  size_t len = total;                        /* the blob without QEMU's padding */
  CHECK(parse_exact(file, len, &f) == FDT_OK, "%s: intact blob must parse", path);
  unsigned cases = 0;

  /* 1. every truncation: the header promises more than there is */
  for (size_t n = 0; n < len; n++, cases++)
    expect_err(file, n, n < FDT_HEADER_MIN ? FDT_ERR_SHORT
                        : get32(file) == FDT_MAGIC ? FDT_ERR_SHORT : FDT_ERR_MAGIC,
               "truncated");

  /* 2. truncations whose header was edited to agree: must still be rejected */
  uint32_t off_struct = get32(file + 8), size_struct = get32(file + 36);
  uint32_t size_strings = get32(file + 32);
  for (size_t n = off_struct + 4; n < off_struct + size_struct; n += 4, cases++) {
    uint8_t *b = malloc(len);
    memcpy(b, file, len);
    put32(b + 36, (uint32_t)(n - off_struct));   /* structure block ends early */
    int err = parse_exact(b, len, &f);
    CHECK(err == FDT_ERR_STRUCT || err == FDT_ERR_DEPTH,
          "struct block cut at %zu: got %d (%s)", n, err, fdt_strerror(err));
    free(b);
  }
  for (uint32_t s = 0; s < size_strings; s++, cases++) {
    uint8_t *b = malloc(len);
    memcpy(b, file, len);
    put32(b + 32, s);                            /* strings block ends early */
    int err = parse_exact(b, len, &f);
    CHECK(err == FDT_ERR_STRING, "strings block cut at %u: got %d (%s)", s, err,
          fdt_strerror(err));
    free(b);
  }

  /* 3. header corruptions */
  corrupt(file, len, 0, 0xd00dfeee, FDT_ERR_MAGIC, "bad magic");
  corrupt(file, len, 4, (uint32_t)len + 1, FDT_ERR_SHORT, "totalsize past the buffer");
  corrupt(file, len, 4, 0xffffffff, FDT_ERR_SHORT, "totalsize 4 GiB");
  corrupt(file, len, 4, 8, FDT_ERR_SHORT, "totalsize smaller than the header");
  corrupt(file, len, 20, 16, FDT_ERR_VERSION, "version 16");
  corrupt(file, len, 24, 18, FDT_ERR_VERSION, "last compatible version 18");
  corrupt(file, len, 8, off_struct + 2, FDT_ERR_LAYOUT, "misaligned structure block");
  corrupt(file, len, 8, (uint32_t)len, FDT_ERR_LAYOUT, "structure block past the end");
  corrupt(file, len, 36, 0xfffffff0, FDT_ERR_LAYOUT, "structure size overflowing");
  corrupt(file, len, 12, (uint32_t)len - 1, FDT_ERR_LAYOUT, "strings block past the end");
  corrupt(file, len, 32, 0xffffffff, FDT_ERR_LAYOUT, "strings size overflowing");
  corrupt(file, len, 16, 4, FDT_ERR_LAYOUT, "reservation block inside the header");
  corrupt(file, len, 16, (uint32_t)len + 8, FDT_ERR_LAYOUT, "reservation block past the end");
  corrupt(file, len, 16, (uint32_t)(len - 8) & ~7u, FDT_ERR_RSVMAP, "unterminated reservation block");
  cases += 14;

  /* 4. token corruptions */
  size_t prop = find_token(file, 3, 0);
  CHECK(prop != 0, "no property token found");
  if (prop != 0) {
    corrupt(file, len, prop + 4, 0x7ffffff0, FDT_ERR_STRUCT, "property value past the block");
    corrupt(file, len, prop + 8, size_strings, FDT_ERR_STRING, "property name past strings");
    corrupt(file, len, prop + 8, 0xffffffff, FDT_ERR_STRING, "property name offset huge");
    corrupt(file, len, prop, 0x77, FDT_ERR_STRUCT, "unknown token");
    corrupt(file, len, off_struct, 2, FDT_ERR_STRUCT, "END_NODE before any node");
    corrupt(file, len, off_struct, 3, FDT_ERR_STRUCT, "property before the root node");
    cases += 6;
  }
  size_t end_tok = off_struct + size_struct - 4;
  CHECK(get32(file + end_tok) == 9, "last token is not FDT_END");
  corrupt(file, len, end_tok, 4, FDT_ERR_STRUCT, "FDT_END replaced by NOP");
  corrupt(file, len, end_tok - 4, 4, FDT_ERR_STRUCT, "root END_NODE replaced by NOP");
  corrupt(file, len, end_tok, 1, FDT_ERR_STRUCT, "a second root node");
  cases += 3;

  /* 5. random damage: any result, but never an out-of-bounds read (ASan) */
  uint8_t *b = malloc(len);
  for (int round = 0; round < 20000; round++, cases++) {
    memcpy(b, file, len);
    int flips = 1 + (int)(rng() % 8);
    for (int i = 0; i < flips; i++) {
      size_t at = (size_t)(rng() % len);
      if (rng() % 4 == 0)                   /* header and tokens: where it hurts */
        at = (size_t)(rng() % (FDT_HEADER_MIN + 64 < len ? FDT_HEADER_MIN + 64 : len));
      b[at] ^= (uint8_t)(1u << (rng() % 8));
    }
    if (parse_exact(b, len, &f) == FDT_OK)
      check_sane(&f, "bit-flipped blob");
  }
  free(b);
  free(file);
  printf("%s: %u damaged blobs handled, %d failures\n", path, cases, failures);
  return failures != 0;
}

static int mode_expect_error(const char *path, int want)
{
  size_t len;
  uint8_t *blob = read_file(path, &len);
  expect_err(blob, len, want, path);
  free(blob);
  if (!failures)
    printf("%s: rejected with %d (%s) as expected\n", path, want, fdt_strerror(want));
  return failures != 0;
}

/* ---- memmap ---------------------------------------------------------------- */

static void expect_free(const struct fdt_region *ram, unsigned nram,
                        const struct fdt_region *holes, unsigned nholes,
                        const struct fdt_region *want, unsigned nwant, const char *what)
{
  struct fdt_region out[8];
  unsigned n = memmap_free(ram, nram, holes, nholes, out, 8);
  CHECK(n == nwant, "%s: %u ranges, want %u", what, n, nwant);
  for (unsigned i = 0; i < n && i < nwant && i < 8; i++)
    CHECK(out[i].base == want[i].base && out[i].size == want[i].size,
          "%s: range %u is 0x%llx+0x%llx, want 0x%llx+0x%llx", what, i,
          (unsigned long long)out[i].base, (unsigned long long)out[i].size,
          (unsigned long long)want[i].base, (unsigned long long)want[i].size);
}

static int mode_memmap(void)
{
  const struct fdt_region ram[] = { { 0x80000000, 0x8000000 } };
  /* no holes: all of it */
  expect_free(ram, 1, NULL, 0, ram, 1, "no holes");
  /* firmware at the bottom, kernel, FDT at the top (given out of order) */
  const struct fdt_region h1[] = {
    { 0x87e00000, 0x149e }, { 0x80000000, 0x80000 }, { 0x80200000, 0x2e000 },
  };
  const struct fdt_region w1[] = {
    { 0x80080000, 0x180000 }, { 0x8022e000, 0x87e00000 - 0x8022e000 },
    { 0x87e02000, 0x88000000 - 0x87e02000 },
  };
  expect_free(ram, 1, h1, 3, w1, 3, "firmware, kernel, fdt");
  /* overlapping and nested holes, a hole covering the end, unaligned edges */
  const struct fdt_region h2[] = {
    { 0x80001000, 0x1000 }, { 0x80000800, 0x2000 }, { 0x80100000, 0x10 },
    { 0x87000000, 0x2000000 },
  };
  const struct fdt_region w2[] = {
    { 0x80003000, 0x80100000 - 0x80003000 }, { 0x80101000, 0x87000000 - 0x80101000 },
  };
  expect_free(ram, 1, h2, 4, w2, 2, "overlapping holes");
  /* two RAM regions, a hole outside both, a hole eating a whole region */
  const struct fdt_region ram2[] = { { 0x80000000, 0x100000 }, { 0x100000000, 0x200000 } };
  const struct fdt_region h3[] = { { 0x10000000, 0x1000 }, { 0xfff00000, 0x200000 } };
  const struct fdt_region w3[] = { { 0x80000000, 0x100000 }, { 0x100100000, 0x100000 } };
  expect_free(ram2, 2, h3, 2, w3, 2, "two regions");
  const struct fdt_region h4[] = { { 0x7ff00000, 0x300000 } };
  const struct fdt_region w4[] = { { 0x100000000, 0x200000 } };
  expect_free(ram2, 2, h4, 1, w4, 1, "a region fully reserved");
  /* more ranges than room: the count is still right */
  const struct fdt_region h5[] = {
    { 0x80010000, 0x1000 }, { 0x80020000, 0x1000 }, { 0x80030000, 0x1000 },
    { 0x80040000, 0x1000 }, { 0x80050000, 0x1000 }, { 0x80060000, 0x1000 },
    { 0x80070000, 0x1000 }, { 0x80080000, 0x1000 }, { 0x80090000, 0x1000 },
  };
  struct fdt_region out[4];
  unsigned n = memmap_free(ram, 1, h5, 9, out, 4);
  CHECK(n == 10, "overflow: %u ranges, want 10", n);
  CHECK(out[3].base == 0x80031000 && out[3].size == 0xf000, "overflow: 4th range wrong");
  if (!failures)
    printf("memmap: all cases passed\n");
  return failures != 0;
}

int main(int argc, char **argv)
{
  if (argc == 3 && strcmp(argv[1], "summary") == 0)
    return mode_summary(argv[2]);
  if (argc == 3 && strcmp(argv[1], "robust") == 0)
    return mode_robust(argv[2]);
  if (argc == 4 && strcmp(argv[1], "expect-error") == 0)
    return mode_expect_error(argv[2], atoi(argv[3]));
  if (argc == 2 && strcmp(argv[1], "memmap") == 0)
    return mode_memmap();
  fprintf(stderr, "usage: fdt_test summary|robust BLOB | expect-error BLOB N | memmap\n");
  return 2;
}
