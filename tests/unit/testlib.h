/* testlib.h: a tiny assertion helper and state checkers for the host unit
 * tests of the kernel core. No framework: each test program counts its
 * checks, prints a summary and exits non-zero on any failure. */
#ifndef TESTLIB_H
#define TESTLIB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core.h"

static int checks_run, checks_failed;

#define CHECK(cond) do {                                                   \
    checks_run++;                                                          \
    if (!(cond)) {                                                         \
      checks_failed++;                                                     \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                      \
  } while (0)

#define CHECK_EQ(a, b) do {                                                \
    unsigned long long va_ = (unsigned long long)(a);                     \
    unsigned long long vb_ = (unsigned long long)(b);                     \
    checks_run++;                                                          \
    if (va_ != vb_) {                                                      \
      checks_failed++;                                                     \
      fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %llu, expected %s == %llu\n", \
              __FILE__, __LINE__, #a, va_, #b, vb_);                       \
    }                                                                      \
  } while (0)

/* Boot layout used by every test: root container in frame 0, root cspace in
 * frame 1; slot 0 = root container cap, slot 1 = cspace cap. */
#define ROOT 0u
#define CS   1u
#define S_ROOT 0u
#define S_CS   1u

static inline int live_frame(uint32_t f)
{
  return frame_type[f] != OT_FREE && frame_type[f] != OT_RETIRED;
}

static inline uint32_t count_free_frames(void)
{
  uint32_t n = 0;
  for (uint32_t f = 0; f < NFRAMES; f++)
    n += frame_type[f] == OT_FREE;
  return n;
}

static inline int in_subtree_c(uint32_t x, uint32_t c)
{
  return c_depth[x] >= c_depth[c] && c_depth[c] < MAXDEPTH &&
         c_anc[x][c_depth[c]] == c;
}

/* Recompute the accounting from the frame table and check the invariant of
 * MODEL.md for every live container: c_own[c] = number of live frames
 * owned by c; c_usage[c] = c_own[c] + sum of its children's usage;
 * c_usage[c] <= c_limit[c]; plus the shape facts the proofs rely on.
 * Returns the number of violations (printed). */
static inline int state_violations(void)
{
  int bad = 0;
  static uint32_t own[MAXFRAMES], usage[MAXFRAMES];
  memset(own, 0, sizeof own);
  memset(usage, 0, sizeof usage);
  for (uint32_t f = 0; f < NFRAMES; f++) {
    if (frame_type[f] > OT_RETIRED) {
      fprintf(stderr, "frame %u: bad type %u\n", f, frame_type[f]); bad++;
    }
    if (!live_frame(f)) continue;
    uint32_t o = frame_owner[f];
    if (o >= NFRAMES || frame_type[o] != OT_CONTAINER) {
      fprintf(stderr, "frame %u: owner %u not a live container\n", f, o); bad++;
      continue;
    }
    own[o]++;
  }
  /* usage = frames owned by any container in the subtree: sum own over
   * the subtree, which equals own + children's usage by induction. */
  for (uint32_t c = 0; c < NFRAMES; c++) {
    if (frame_type[c] != OT_CONTAINER) continue;
    for (uint32_t k = 0; k < NFRAMES; k++)
      if (frame_type[k] == OT_CONTAINER && in_subtree_c(k, c))
        usage[c] += own[k];
  }
  for (uint32_t c = 0; c < NFRAMES; c++) {
    if (frame_type[c] != OT_CONTAINER) continue;
    uint32_t kids = 0;
    for (uint32_t k = 0; k < NFRAMES; k++)
      if (frame_type[k] == OT_CONTAINER && c_depth[k] == c_depth[c] + 1 &&
          in_subtree_c(k, c))
        kids += c_usage[k];
    if (c_own[c] != own[c]) {
      fprintf(stderr, "container %u: c_own %u, owns %u frames\n", c, c_own[c], own[c]); bad++;
    }
    if (c_usage[c] != usage[c] || c_usage[c] != c_own[c] + kids) {
      fprintf(stderr, "container %u: c_usage %u, subtree holds %u, own+kids %u\n",
              c, c_usage[c], usage[c], c_own[c] + kids); bad++;
    }
    if (c_usage[c] > c_limit[c]) {
      fprintf(stderr, "container %u: usage %u > limit %u\n", c, c_usage[c], c_limit[c]); bad++;
    }
    if (c_depth[c] >= MAXDEPTH || c_anc[c][c_depth[c]] != c) {
      fprintf(stderr, "container %u: bad depth/path\n", c); bad++;
      continue;
    }
    for (uint32_t d = 0; d < c_depth[c]; d++) {
      uint32_t a = c_anc[c][d];
      if (a >= NFRAMES || frame_type[a] != OT_CONTAINER || c_depth[a] != d) {
        fprintf(stderr, "container %u: ancestor %u at depth %u not live\n", c, a, d); bad++;
      }
    }
    uint32_t parent = c_depth[c] ? c_anc[c][c_depth[c] - 1] : c;
    if (frame_owner[c] != parent) {
      fprintf(stderr, "container %u: owner %u, parent %u\n", c, frame_owner[c], parent); bad++;
    }
  }
  for (uint32_t cs = 0; cs < NFRAMES; cs++)
    for (uint32_t s = 0; s < NSLOTS; s++)
      if (cap_type[cs][s] >= OT_RETIRED || cap_obj[cs][s] >= NFRAMES ||
          cap_read[cs][s] > 1 || cap_write[cs][s] > 1 || cap_grant[cs][s] > 1) {
        fprintf(stderr, "slot %u/%u malformed\n", cs, s); bad++;
      }
  return bad;
}

#define CHECK_STATE() CHECK(state_violations() == 0)

/* A copy of every table, to show that a refused operation changed nothing. */
struct snapshot {
  uint8_t  frame_type[MAXFRAMES];
  uint32_t frame_owner[MAXFRAMES], frame_gen[MAXFRAMES];
  uint32_t c_limit[MAXFRAMES], c_usage[MAXFRAMES], c_own[MAXFRAMES], c_depth[MAXFRAMES];
  uint32_t c_anc[MAXFRAMES][MAXDEPTH];
  uint8_t  cap_type[MAXFRAMES][NSLOTS];
  uint32_t cap_obj[MAXFRAMES][NSLOTS], cap_gen[MAXFRAMES][NSLOTS];
  uint8_t  cap_read[MAXFRAMES][NSLOTS], cap_write[MAXFRAMES][NSLOTS], cap_grant[MAXFRAMES][NSLOTS];
  uint64_t cap_badge[MAXFRAMES][NSLOTS];
  uint8_t  fw_type[MAXFRAMES];
  uint32_t fw_obj[MAXFRAMES], fw_gen[MAXFRAMES];
  uint8_t  fw_read[MAXFRAMES], fw_write[MAXFRAMES], fw_grant[MAXFRAMES];
  uint64_t fw_badge[MAXFRAMES];
};

#define SNAP_FIELDS(X) X(frame_type) X(frame_owner) X(frame_gen) X(c_limit) \
  X(c_usage) X(c_own) X(c_depth) X(c_anc) X(cap_type) X(cap_obj) X(cap_gen) \
  X(cap_read) X(cap_write) X(cap_grant) X(cap_badge) X(fw_type) X(fw_obj)   \
  X(fw_gen) X(fw_read) X(fw_write) X(fw_grant) X(fw_badge)

static inline void snap_take(struct snapshot *s)
{
#define TAKE(f) memcpy(s->f, f, sizeof s->f);
  SNAP_FIELDS(TAKE)
#undef TAKE
}

/* 1 if the state equals the snapshot; otherwise names the first table. */
static inline int snap_same(const struct snapshot *s)
{
#define SAME(f) if (memcmp(s->f, f, sizeof s->f) != 0) { \
    fprintf(stderr, "table %s changed\n", #f); return 0; }
  SNAP_FIELDS(SAME)
#undef SAME
  return 1;
}

static struct snapshot snap_before;

/* Run a call that must be refused with `err` and change nothing. */
#define CHECK_REFUSED(call, err) do {            \
    snap_take(&snap_before);                     \
    CHECK_EQ((call), (err));                     \
    CHECK(snap_same(&snap_before));              \
  } while (0)

static inline int summary(const char *name)
{
  printf("%s: %d checks, %d failed\n", name, checks_run, checks_failed);
  return checks_failed ? 1 : 0;
}

#endif
