/*
 * fdt.c: bounds-checked flattened device tree reader (see fdt.h).
 *
 * The blob is a header, a memory reservation block (pairs of big-endian
 * u64 address/size ending in 0,0), a structure block (a token stream:
 * BEGIN_NODE name, PROP len nameoff value, END_NODE, NOP, END) and a
 * strings block holding property names. We first check the header's
 * offsets against totalsize, then walk the token stream with a cursor that
 * checks every read against the end of the structure block.
 *
 * Written for the early boot path: no globals, no tables of pointers and
 * no switch statements (which may compile to absolute jump tables), so it
 * runs correctly at the physical load address before paging.
 */
#include "fdt.h"

#define TOK_BEGIN_NODE 1u
#define TOK_END_NODE   2u
#define TOK_PROP       3u
#define TOK_NOP        4u
#define TOK_END        9u

#define CELLS_INVALID 0xffffffffu

static uint32_t be32(const uint8_t *p)
{
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
  return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static uint64_t align4(uint64_t x) { return (x + 3) & ~(uint64_t)3; }

/* length of the NUL-terminated string at p, or max if no NUL in p[0..max) */
static uint64_t bounded_strlen(const uint8_t *p, uint64_t max)
{
  uint64_t n = 0;
  while (n < max && p[n] != 0)
    n++;
  return n;
}

static int str_eq(const char *a, const char *b)
{
  while (*a != 0 && *a == *b) {
    a++;
    b++;
  }
  return *a == *b;
}

/* does the property value (len bytes) equal the string s, NUL included? */
static int prop_is(const char *val, uint32_t len, const char *s)
{
  uint32_t i = 0;
  for (; i < len; i++) {
    if (val[i] != s[i])
      return 0;
    if (s[i] == 0)
      return i + 1 == len;
  }
  return 0;
}

/* is s one of the NUL-separated strings of a stringlist property? */
static int strlist_has(const char *val, uint32_t len, const char *s)
{
  uint32_t start = 0;
  while (start < len) {
    uint32_t n = (uint32_t)bounded_strlen((const uint8_t *)val + start, len - start);
    if (n == len - start)
      return 0;              /* unterminated last string: ignore it */
    if (prop_is(val + start, n + 1, s))
      return 1;
    start += n + 1;
  }
  return 0;
}

/* ---- the validated view of a blob ---------------------------------------- */

struct view {
  const uint8_t *b;
  uint64_t total;
  uint64_t st_off, st_end;     /* structure block [st_off, st_end) */
  uint64_t str_off, str_size;  /* strings block */
  uint64_t rsv_off;            /* memory reservation block */
};

uint32_t fdt_totalsize(const void *blob)
{
  const uint8_t *b = blob;
  if (b == 0 || be32(b) != FDT_MAGIC)
    return 0;
  return be32(b + 4);
}

static int view_init(struct view *v, const void *blob, size_t len)
{
  const uint8_t *b = blob;
  if (b == 0 || len < FDT_HEADER_MIN)
    return FDT_ERR_SHORT;
  if (be32(b) != FDT_MAGIC)
    return FDT_ERR_MAGIC;
  uint64_t total = be32(b + 4);
  uint64_t off_struct = be32(b + 8), off_strings = be32(b + 12);
  uint64_t off_rsv = be32(b + 16);
  uint32_t version = be32(b + 20), last_comp = be32(b + 24);
  uint64_t size_strings = be32(b + 32), size_struct = be32(b + 36);

  if (total < FDT_HEADER_MIN || total > len)
    return FDT_ERR_SHORT;
  if (version < 17 || last_comp > 17)
    return FDT_ERR_VERSION;
  if ((off_struct & 3) != 0 || (off_rsv & 7) != 0)
    return FDT_ERR_LAYOUT;
  if (off_struct < FDT_HEADER_MIN || off_struct + size_struct > total)
    return FDT_ERR_LAYOUT;
  if (off_strings < FDT_HEADER_MIN || off_strings + size_strings > total)
    return FDT_ERR_LAYOUT;
  if (off_rsv < FDT_HEADER_MIN || off_rsv >= total)
    return FDT_ERR_LAYOUT;

  v->b = b;
  v->total = total;
  v->st_off = off_struct;
  v->st_end = off_struct + size_struct;
  v->str_off = off_strings;
  v->str_size = size_strings;
  v->rsv_off = off_rsv;
  return FDT_OK;
}

/* ---- the token cursor ------------------------------------------------------ */

struct token {
  uint32_t kind;        /* TOK_BEGIN_NODE, TOK_END_NODE, TOK_PROP or TOK_END */
  const char *name;     /* node or property name, NUL-terminated in the blob */
  const uint8_t *data;  /* property value */
  uint32_t len;         /* property length */
};

/* Read the token at *pos (skipping NOPs) and advance *pos past it. */
static int next_token(const struct view *v, uint64_t *pos, struct token *t)
{
  for (;;) {
    uint64_t p = *pos;
    if (p > v->st_end || v->st_end - p < 4)
      return FDT_ERR_STRUCT;        /* ran off the block without END */
    uint32_t tok = be32(v->b + p);
    p += 4;
    if (tok == TOK_NOP) {
      *pos = p;
      continue;
    }
    t->kind = tok;
    t->name = 0;
    t->data = 0;
    t->len = 0;
    if (tok == TOK_BEGIN_NODE) {
      uint64_t n = bounded_strlen(v->b + p, v->st_end - p);
      if (n == v->st_end - p)
        return FDT_ERR_STRUCT;      /* unterminated node name */
      t->name = (const char *)v->b + p;
      *pos = align4(p + n + 1);
      return FDT_OK;
    }
    if (tok == TOK_PROP) {
      if (v->st_end - p < 8)
        return FDT_ERR_STRUCT;
      uint32_t len = be32(v->b + p), nameoff = be32(v->b + p + 4);
      p += 8;
      if (len > v->st_end - p)
        return FDT_ERR_STRUCT;      /* value runs past the block */
      if (nameoff >= v->str_size)
        return FDT_ERR_STRING;
      const uint8_t *name = v->b + v->str_off + nameoff;
      if (bounded_strlen(name, v->str_size - nameoff) == v->str_size - nameoff)
        return FDT_ERR_STRING;      /* unterminated property name */
      t->name = (const char *)name;
      t->data = v->b + p;
      t->len = len;
      *pos = align4(p + len);
      return FDT_OK;
    }
    if (tok == TOK_END_NODE || tok == TOK_END) {
      *pos = p;
      return FDT_OK;
    }
    return FDT_ERR_STRUCT;          /* unknown token */
  }
}

/*
 * A walk over the whole tree that tracks nesting depth and the current
 * node's path ("/", "/soc", "/soc/serial@10000000"). A path that would not
 * fit in FDT_PATH_MAX is marked too long and never matches anything.
 */
struct walker {
  struct view v;
  uint64_t pos;
  int depth;                          /* open nodes; the root is depth 1 */
  int root_done;                      /* the root node has been closed */
  char path[FDT_PATH_MAX];
  uint32_t path_len[FDT_MAX_DEPTH + 1];   /* path length at each depth */
  int path_long;                      /* depth at which the path overflowed, 0 if none */
  int pop_pending;                    /* an END_NODE was returned; pop on the next call */
};

static void walker_init(struct walker *w, const struct view *v)
{
  w->v = *v;
  w->pos = v->st_off;
  w->depth = 0;
  w->root_done = 0;
  w->path[0] = 0;
  w->path_len[0] = 0;
  w->path_long = 0;
  w->pop_pending = 0;
}

static void path_push(struct walker *w, const char *name)
{
  uint32_t len = w->path_len[w->depth - 1];
  if (w->path_long == 0) {
    if (w->depth == 1) {
      w->path[0] = '/';
      len = 1;
    } else {
      if (len > 1) {               /* not the root: add a separator */
        if (len + 1 >= FDT_PATH_MAX)
          goto too_long;
        w->path[len++] = '/';
      }
      for (; *name != 0; name++) {
        if (len + 1 >= FDT_PATH_MAX)
          goto too_long;
        w->path[len++] = *name;
      }
    }
    w->path[len] = 0;
  }
  w->path_len[w->depth] = len;
  return;
too_long:
  w->path_long = w->depth;
  w->path_len[w->depth] = len;
}

static void path_pop(struct walker *w)
{
  if (w->path_long == w->depth)
    w->path_long = 0;
  w->depth--;
  if (w->path_long == 0)
    w->path[w->path_len[w->depth]] = 0;
}

/* the current node path, or 0 if it was too long to hold */
static const char *walker_path(const struct walker *w)
{
  return w->path_long != 0 ? 0 : w->path;
}

/*
 * Next token, with the structural rules checked and depth/path updated.
 * At an END_NODE token, depth and path still describe the node being
 * closed; they are popped at the next call.
 */
static int walker_next(struct walker *w, struct token *t)
{
  if (w->pop_pending) {
    w->pop_pending = 0;
    path_pop(w);
    if (w->depth == 0)
      w->root_done = 1;
  }
  int err = next_token(&w->v, &w->pos, t);
  if (err != FDT_OK)
    return err;
  if (t->kind == TOK_BEGIN_NODE) {
    if (w->root_done)
      return FDT_ERR_STRUCT;        /* a second root */
    if (w->depth >= FDT_MAX_DEPTH)
      return FDT_ERR_DEPTH;
    w->depth++;
    path_push(w, t->name);
  } else if (t->kind == TOK_END_NODE) {
    if (w->depth == 0)
      return FDT_ERR_STRUCT;        /* END_NODE with no open node */
    w->pop_pending = 1;
  } else if (t->kind == TOK_PROP) {
    if (w->depth == 0)
      return FDT_ERR_STRUCT;        /* property outside every node */
  } else {                          /* TOK_END */
    if (w->depth != 0 || !w->root_done)
      return FDT_ERR_STRUCT;
  }
  return FDT_OK;
}

/*
 * Find property `name` (the first namelen bytes of name) of the node at
 * `path`. Sets *found and the value; stops at the first match.
 */
static int find_prop(const struct view *v, const char *path, const char *name,
                     uint32_t namelen, int *found, const char **val, uint32_t *len)
{
  struct walker w;
  struct token t;
  int in_node = 0;                  /* depth of the matching node, 0 if none */
  walker_init(&w, v);
  *found = 0;
  for (;;) {
    int err = walker_next(&w, &t);
    if (err != FDT_OK)
      return err;
    if (t.kind == TOK_END)
      return FDT_OK;
    if (t.kind == TOK_BEGIN_NODE && in_node == 0) {
      const char *p = walker_path(&w);
      if (p != 0 && str_eq(p, path))
        in_node = w.depth;
    } else if (t.kind == TOK_END_NODE && in_node == w.depth) {
      return FDT_OK;                /* the node ended without the property */
    } else if (t.kind == TOK_PROP && in_node == w.depth && in_node != 0) {
      uint32_t i = 0;
      while (i < namelen && t.name[i] == name[i] && name[i] != 0)
        i++;
      if (i == namelen && t.name[i] == 0) {
        *found = 1;
        *val = (const char *)t.data;
        *len = t.len;
        return FDT_OK;
      }
    }
  }
}

/* copy a string property into dst (size cap), always NUL-terminated */
static void copy_str(char *dst, uint32_t cap, const char *src, uint32_t len)
{
  uint32_t i = 0;
  while (i < len && i + 1 < cap && src[i] != 0) {
    dst[i] = src[i];
    i++;
  }
  dst[i] = 0;
}

/*
 * /chosen: bootargs, and stdout-path resolved to a node path. stdout-path
 * is a path or an alias from /aliases, optionally followed by ":options".
 */
static int read_chosen(const struct view *v, struct fdt_info *out)
{
  int found, err;
  const char *val;
  uint32_t len;

  err = find_prop(v, "/chosen", "bootargs", 8, &found, &val, &len);
  if (err != FDT_OK)
    return err;
  if (found)
    copy_str(out->bootargs, FDT_ARGS_MAX, val, len);

  err = find_prop(v, "/chosen", "stdout-path", 11, &found, &val, &len);
  if (err != FDT_OK || !found)
    return err;
  uint32_t n = 0;                   /* length before ':' or the end */
  while (n < len && val[n] != 0 && val[n] != ':')
    n++;
  if (n == 0)
    return FDT_OK;
  if (val[0] == '/') {
    if (n < FDT_PATH_MAX)
      copy_str(out->stdout_path, n + 1, val, n);
    return FDT_OK;
  }
  const char *alias;
  uint32_t alias_len;
  err = find_prop(v, "/aliases", val, n, &found, &alias, &alias_len);
  if (err != FDT_OK || !found)
    return err;
  uint32_t alias_n = (uint32_t)bounded_strlen((const uint8_t *)alias, alias_len);
  if (alias_n > 0 && alias[0] == '/' && alias_n < FDT_PATH_MAX)   /* too long: no match */
    copy_str(out->stdout_path, FDT_PATH_MAX, alias, alias_len);
  return FDT_OK;
}

/* The header's memory reservation block: (address, size) pairs until 0,0. */
static int read_rsvmap(const struct view *v, struct fdt_info *out)
{
  uint64_t off = v->rsv_off;
  for (;;) {
    if (v->total - off < 16)
      return FDT_ERR_RSVMAP;
    uint64_t base = be64(v->b + off), size = be64(v->b + off + 8);
    off += 16;
    if (base == 0 && size == 0)
      return FDT_OK;
    if (size == 0)
      continue;
    if (base + size < base)
      return FDT_ERR_RSVMAP;
    if (out->nresv == FDT_MAX_RESV)
      return FDT_ERR_FULL;
    out->resv[out->nresv].base = base;
    out->resv[out->nresv].size = size;
    out->resv_source[out->nresv] = RESV_RSVMAP;
    out->nresv++;
  }
}

/* ---- the collecting walk --------------------------------------------------- */

/* What we remember about one open node until its END_NODE. */
struct node {
  const char *name;
  uint32_t addr_cells, size_cells;  /* for its children (defaults 2 and 1) */
  int translatable;                 /* its reg is a CPU physical address */
  int ranges_empty;                 /* has an empty "ranges": children translate 1:1 */
  int had_child;
  const uint8_t *reg;
  uint32_t reg_len;
  const char *compat, *status, *devtype, *mmu;
  uint32_t compat_len, status_len, devtype_len, mmu_len;
  const uint8_t *timebase;
  uint32_t timebase_len;
  uint32_t reg_shift, reg_io_width;
  const uint8_t *irqs;              /* "interrupts" */
  uint32_t irqs_len;
  const uint8_t *irqs_ext;          /* "interrupts-extended" */
  uint32_t irqs_ext_len;
  uint32_t phandle, ndev;           /* "phandle", "riscv,ndev" */
  uint32_t intc_phandle;            /* a cpu's: its interrupt-controller child's phandle */
  const char *isa, *isa_ext;        /* "riscv,isa", "riscv,isa-extensions" */
  uint32_t isa_len, isa_ext_len;
};

static void node_init(struct node *n, const char *name, int translatable)
{
  n->name = name;
  n->addr_cells = 2;
  n->size_cells = 1;
  n->translatable = translatable;
  n->ranges_empty = 0;
  n->had_child = 0;
  n->reg = 0;
  n->reg_len = 0;
  n->compat = n->status = n->devtype = n->mmu = 0;
  n->compat_len = n->status_len = n->devtype_len = n->mmu_len = 0;
  n->timebase = 0;
  n->timebase_len = 0;
  n->reg_shift = 0;
  n->reg_io_width = 1;
  n->irqs = 0;
  n->irqs_len = 0;
  n->irqs_ext = 0;
  n->irqs_ext_len = 0;
  n->phandle = n->ndev = n->intc_phandle = 0;
  n->isa = n->isa_ext = 0;
  n->isa_len = n->isa_ext_len = 0;
}

static uint32_t u32_prop(const struct token *t, uint32_t bad)
{
  return t->len == 4 ? be32(t->data) : bad;
}

static void node_prop(struct node *n, const struct token *t)
{
  const char *name = t->name;
  if (str_eq(name, "#address-cells"))
    n->addr_cells = u32_prop(t, CELLS_INVALID);
  else if (str_eq(name, "#size-cells"))
    n->size_cells = u32_prop(t, CELLS_INVALID);
  else if (str_eq(name, "ranges"))
    n->ranges_empty = t->len == 0;
  else if (str_eq(name, "reg")) {
    n->reg = t->data;
    n->reg_len = t->len;
  } else if (str_eq(name, "compatible")) {
    n->compat = (const char *)t->data;
    n->compat_len = t->len;
  } else if (str_eq(name, "status")) {
    n->status = (const char *)t->data;
    n->status_len = t->len;
  } else if (str_eq(name, "device_type")) {
    n->devtype = (const char *)t->data;
    n->devtype_len = t->len;
  } else if (str_eq(name, "mmu-type")) {
    n->mmu = (const char *)t->data;
    n->mmu_len = t->len;
  } else if (str_eq(name, "timebase-frequency")) {
    n->timebase = t->data;
    n->timebase_len = t->len;
  } else if (str_eq(name, "riscv,isa")) {
    n->isa = (const char *)t->data;
    n->isa_len = t->len;
  } else if (str_eq(name, "riscv,isa-extensions")) {
    n->isa_ext = (const char *)t->data;
    n->isa_ext_len = t->len;
  } else if (str_eq(name, "reg-shift"))
    n->reg_shift = u32_prop(t, 0);
  else if (str_eq(name, "reg-io-width"))
    n->reg_io_width = u32_prop(t, 1);
  else if (str_eq(name, "interrupts")) {
    n->irqs = t->data;
    n->irqs_len = t->len;
  } else if (str_eq(name, "interrupts-extended")) {
    n->irqs_ext = t->data;
    n->irqs_ext_len = t->len;
  } else if (str_eq(name, "phandle"))
    n->phandle = u32_prop(t, 0);
  else if (str_eq(name, "riscv,ndev"))
    n->ndev = u32_prop(t, 0);
}

static int node_enabled(const struct node *n)
{
  return n->status == 0 || prop_is(n->status, n->status_len, "okay")
         || prop_is(n->status, n->status_len, "ok");
}

/* a value of 0, 1 or 2 big-endian cells */
static uint64_t read_cells(const uint8_t *p, uint32_t cells)
{
  return cells == 0 ? 0 : cells == 1 ? be32(p) : be64(p);
}

/* Number of (address, size) entries in n's reg, decoded with the parent's cells. */
static int reg_count(const struct node *parent, const struct node *n, uint32_t *count)
{
  uint32_t ac = parent->addr_cells, sc = parent->size_cells;
  if (ac < 1 || ac > 2 || sc > 2)
    return FDT_ERR_CELLS;
  uint32_t entry = 4 * (ac + sc);
  if (n->reg_len % entry != 0)
    return FDT_ERR_REG;
  *count = n->reg_len / entry;
  return FDT_OK;
}

static int reg_entry(const struct node *parent, const struct node *n, uint32_t i,
                     uint64_t *base, uint64_t *size)
{
  uint32_t ac = parent->addr_cells, sc = parent->size_cells;
  const uint8_t *p = n->reg + (uint64_t)i * 4 * (ac + sc);
  *base = read_cells(p, ac);
  *size = read_cells(p + 4 * ac, sc);
  if (*base + *size < *base)
    return FDT_ERR_REG;
  return FDT_OK;
}

/* append every non-empty reg entry of n to a region table */
static int add_regions(const struct node *parent, const struct node *n,
                       struct fdt_region *tab, unsigned *count, unsigned max,
                       uint8_t *source)
{
  uint32_t nreg;
  int err = reg_count(parent, n, &nreg);
  if (err != FDT_OK)
    return err;
  for (uint32_t i = 0; i < nreg; i++) {
    uint64_t base, size;
    err = reg_entry(parent, n, i, &base, &size);
    if (err != FDT_OK)
      return err;
    if (size == 0)
      continue;
    if (*count == max)
      return FDT_ERR_FULL;
    tab[*count].base = base;
    tab[*count].size = size;
    if (source != 0)
      source[*count] = RESV_NODE;
    (*count)++;
  }
  return FDT_OK;
}

static void set_timebase(struct fdt_info *out, const struct node *n)
{
  if (n->timebase_len == 4)
    out->timebase_hz = be32(n->timebase);
  else if (n->timebase_len == 8)
    out->timebase_hz = be64(n->timebase);
}

/* Does the hart have the Sstc extension (its own stimecmp)? In
 * "riscv,isa" a multi-letter extension follows an underscore
 * ("rv64imafdch_zicsr_..._sstc"); "riscv,isa-extensions" lists one per
 * string. Case as written by QEMU and the bindings (lower). */
static int has_sstc(const struct node *n)
{
  for (uint32_t i = 0; n->isa && i + 5 <= n->isa_len; i++)
    if (n->isa[i] == '_' && n->isa[i + 1] == 's' && n->isa[i + 2] == 's' &&
        n->isa[i + 3] == 't' && n->isa[i + 4] == 'c' &&
        (i + 5 == n->isa_len || n->isa[i + 5] == '_' || n->isa[i + 5] == 0))
      return 1;
  for (uint32_t i = 0; n->isa_ext && i < n->isa_ext_len;) {
    uint32_t j = i;
    while (j < n->isa_ext_len && n->isa_ext[j] != 0)
      j++;
    if (j - i == 4 && n->isa_ext[i] == 's' && n->isa_ext[i + 1] == 's' &&
        n->isa_ext[i + 2] == 't' && n->isa_ext[i + 3] == 'c')
      return 1;
    i = j + 1;
  }
  return 0;
}

static int add_hart(const struct node *cpus, const struct node *n, struct fdt_info *out)
{
  uint32_t nreg;
  uint64_t id, size;
  if (reg_count(cpus, n, &nreg) != FDT_OK || nreg < 1
      || reg_entry(cpus, n, 0, &id, &size) != FDT_OK || id > 0xffffffffu)
    return FDT_OK;                  /* a cpu without a usable hart id: skip it */
  if (out->nharts == FDT_MAX_HARTS)
    return FDT_ERR_FULL;
  struct fdt_hart *h = &out->harts[out->nharts++];
  h->hartid = (uint32_t)id;
  h->enabled = (uint8_t)node_enabled(n);
  h->has_mmu = n->mmu != 0 && !prop_is(n->mmu, n->mmu_len, "riscv,none");
  h->intc_phandle = n->intc_phandle;
  h->sstc = (uint8_t)has_sstc(n);
  if (out->timebase_hz == 0)
    set_timebase(out, n);           /* timebase may sit in the cpu node */
  return FDT_OK;
}

/* A console UART candidate; the stdout-path one wins, else the first found. */
static void consider_uart(const struct node *parent, const struct node *n,
                          const char *path, struct fdt_info *out)
{
  enum uart_kind kind = UART_NONE;
  if (strlist_has(n->compat, n->compat_len, "ns16550a")
      || strlist_has(n->compat, n->compat_len, "ns16550"))
    kind = UART_NS16550;
  else if (strlist_has(n->compat, n->compat_len, "sifive,uart0"))
    kind = UART_SIFIVE;
  if (kind == UART_NONE || !node_enabled(n) || !n->translatable)
    return;
  if (n->reg_io_width != 1 && n->reg_io_width != 4)
    return;
  if (n->reg_shift > 4)
    return;
  uint32_t nreg;
  uint64_t base, size;
  if (reg_count(parent, n, &nreg) != FDT_OK || nreg < 1
      || reg_entry(parent, n, 0, &base, &size) != FDT_OK || size == 0)
    return;
  int is_stdout = path != 0 && out->stdout_path[0] != 0 && str_eq(path, out->stdout_path);
  if (out->uart.kind != UART_NONE && (out->uart.from_stdout_path || !is_stdout))
    return;                         /* keep the one we have */
  out->uart.kind = kind;
  out->uart.base = base;
  out->uart.size = size;
  out->uart.reg_shift = n->reg_shift;
  out->uart.reg_io_width = n->reg_io_width;
  out->uart.from_stdout_path = (uint8_t)is_stdout;
  copy_str(out->uart.path, FDT_PATH_MAX, path != 0 ? path : "?", FDT_PATH_MAX);
}

static void consider_test_dev(const struct node *parent, const struct node *n,
                              struct fdt_info *out)
{
  uint32_t nreg;
  uint64_t base, size;
  if (!strlist_has(n->compat, n->compat_len, "sifive,test0") || !n->translatable)
    return;
  if (reg_count(parent, n, &nreg) == FDT_OK && nreg >= 1
      && reg_entry(parent, n, 0, &base, &size) == FDT_OK && size >= 4)
    out->test_dev = base;
}

/* The kind of device a node is, for the root task (abi.h), or DEV_NONE. */
static uint32_t device_kind_of(const struct node *n)
{
  const char *c = n->compat;
  uint32_t len = n->compat_len;
  if (strlist_has(c, len, "ns16550a") || strlist_has(c, len, "ns16550"))
    return DEV_UART_NS16550;
  if (strlist_has(c, len, "sifive,uart0"))
    return DEV_UART_SIFIVE;
  if (strlist_has(c, len, "virtio,mmio"))
    return DEV_VIRTIO_MMIO;
  if (strlist_has(c, len, "sifive,test0"))
    return DEV_TEST;
  if (strlist_has(c, len, "google,goldfish-rtc"))
    return DEV_RTC_GOLDFISH;
  return DEV_NONE;
}

/* A device for the root task: a known kind, enabled, at a CPU physical
 * address, with a non-empty first reg entry. */
static void consider_device(const struct node *parent, const struct node *n,
                            struct fdt_info *out)
{
  uint32_t kind = device_kind_of(n), nreg;
  uint64_t base, size;
  if (kind == DEV_NONE || !node_enabled(n) || !n->translatable)
    return;
  if (reg_count(parent, n, &nreg) != FDT_OK || nreg < 1
      || reg_entry(parent, n, 0, &base, &size) != FDT_OK || size == 0)
    return;
  if (out->ndev == FDT_MAX_DEV) {
    out->dev_dropped++;
    return;
  }
  struct fdt_device *d = &out->dev[out->ndev++];
  d->base = base;
  d->size = size;
  d->irq = n->irqs_len >= 4 ? be32(n->irqs) : 0;
  d->kind = kind;
}

/* The PLIC: its registers, its sources and its contexts (pairs of
 * phandle and cause; a context with a phandle of 0xffffffff, "none", is
 * kept so that the indices stay those of the hardware). */
static void consider_plic(const struct node *parent, const struct node *n,
                          struct fdt_info *out)
{
  uint32_t nreg;
  uint64_t base, size;
  if (!strlist_has(n->compat, n->compat_len, "riscv,plic0") || !node_enabled(n)
      || !n->translatable || out->plic.size != 0)
    return;
  if (reg_count(parent, n, &nreg) != FDT_OK || nreg < 1
      || reg_entry(parent, n, 0, &base, &size) != FDT_OK || size == 0)
    return;
  out->plic.base = base;
  out->plic.size = size;
  out->plic.ndev = n->ndev;
  for (uint32_t i = 0; i + 8 <= n->irqs_ext_len && out->plic.nctx < FDT_MAX_PLIC_CTX; i += 8) {
    out->plic.ctx_phandle[out->plic.nctx] = be32(n->irqs_ext + i);
    out->plic.ctx_cause[out->plic.nctx] = be32(n->irqs_ext + i + 4);
    out->plic.nctx++;
  }
}

/* Act on node `d` (stack index; the root is 0) now that all its properties are known. */
static int node_done(struct node *stack, int d, const char *path, struct fdt_info *out)
{
  struct node *n = &stack[d];
  if (d == 0)
    return FDT_OK;
  struct node *parent = &stack[d - 1];

  if (d == 1 && n->devtype != 0 && prop_is(n->devtype, n->devtype_len, "memory"))
    return add_regions(parent, n, out->mem, &out->nmem, FDT_MAX_MEM, 0);
  if (d == 2 && str_eq(parent->name, "reserved-memory") && n->reg != 0)
    return add_regions(parent, n, out->resv, &out->nresv, FDT_MAX_RESV, out->resv_source);
  if (d == 1 && str_eq(n->name, "cpus")) {
    set_timebase(out, n);          /* /cpus timebase overrides a cpu node's */
    return FDT_OK;
  }
  if (d == 2 && str_eq(parent->name, "cpus") && n->devtype != 0
      && prop_is(n->devtype, n->devtype_len, "cpu"))
    return add_hart(parent, n, out);
  if (d == 3 && str_eq(stack[1].name, "cpus") && str_eq(n->name, "interrupt-controller")) {
    parent->intc_phandle = n->phandle;   /* the cpu node ends after its children */
    return FDT_OK;
  }
  if (n->compat != 0) {
    consider_plic(parent, n, out);
    consider_uart(parent, n, path, out);
    consider_test_dev(parent, n, out);
    consider_device(parent, n, out);
  }
  return FDT_OK;
}

static int collect(const struct view *v, struct fdt_info *out)
{
  struct walker w;
  struct token t;
  struct node stack[FDT_MAX_DEPTH];
  walker_init(&w, v);
  for (;;) {
    int err = walker_next(&w, &t);
    if (err != FDT_OK)
      return err;
    if (t.kind == TOK_END)
      return FDT_OK;
    if (t.kind == TOK_BEGIN_NODE) {
      int d = w.depth - 1;
      int translatable = 1;
      if (d > 0) {
        struct node *parent = &stack[d - 1];
        parent->had_child = 1;
        translatable = parent->translatable && (d == 1 || parent->ranges_empty);
      }
      node_init(&stack[d], t.name, translatable);
    } else if (t.kind == TOK_PROP) {
      struct node *n = &stack[w.depth - 1];
      if (n->had_child)
        return FDT_ERR_STRUCT;      /* properties must precede subnodes */
      node_prop(n, &t);
    } else {                        /* TOK_END_NODE: path is still this node's */
      err = node_done(stack, w.depth - 1, walker_path(&w), out);
      if (err != FDT_OK)
        return err;
    }
  }
}

static void info_clear(struct fdt_info *out)
{
  uint8_t *p = (uint8_t *)out;
  for (size_t i = 0; i < sizeof *out; i++)
    p[i] = 0;
}

int fdt_parse(const void *blob, size_t len, struct fdt_info *out)
{
  struct view v;
  int err;
  info_clear(out);
  err = view_init(&v, blob, len);
  if (err != FDT_OK)
    return err;
  out->totalsize = (uint32_t)v.total;
  err = read_rsvmap(&v, out);
  if (err != FDT_OK)
    return err;
  err = read_chosen(&v, out);
  if (err != FDT_OK)
    return err;
  err = collect(&v, out);
  if (err != FDT_OK)
    return err;
  if (out->nmem == 0)
    return FDT_ERR_NOMEM;
  return FDT_OK;
}

const char *fdt_strerror(int err)
{
  if (err == FDT_OK) return "ok";
  if (err == FDT_ERR_SHORT) return "blob shorter than its header or totalsize";
  if (err == FDT_ERR_MAGIC) return "bad magic";
  if (err == FDT_ERR_VERSION) return "unsupported version";
  if (err == FDT_ERR_LAYOUT) return "block outside the blob or misaligned";
  if (err == FDT_ERR_RSVMAP) return "bad memory reservation block";
  if (err == FDT_ERR_STRUCT) return "malformed structure block";
  if (err == FDT_ERR_DEPTH) return "nodes nested too deep";
  if (err == FDT_ERR_STRING) return "bad property name offset";
  if (err == FDT_ERR_CELLS) return "unusable #address-cells/#size-cells";
  if (err == FDT_ERR_REG) return "malformed reg property";
  if (err == FDT_ERR_FULL) return "too many regions or harts";
  if (err == FDT_ERR_NOMEM) return "no memory region";
  return "unknown error";
}
