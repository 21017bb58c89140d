/* Unit test: random operation sequences. After every step the whole state
 * is checked (state_violations: accounting equation recomputed from the
 * frame table, limits, tree shape, slot well-formedness), and every
 * refused operation must leave every table unchanged. This is the runtime
 * evidence for the part of the accounting invariant WP does not prove
 * (proofs/ASSUMPTIONS.md). Deterministic: fixed seeds. */
#include "testlib.h"

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
  rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
  return (uint32_t)(rng_state >> 33) % n;
}

/* Mostly valid arguments, sometimes out of range. */
static uint32_t slot_arg(void) { return rnd(16) ? rnd(NSLOTS) : NSLOTS + rnd(3); }
static uint32_t bit_arg(void)  { return rnd(10) ? rnd(2) : 2 + rnd(5); }

/* A slot of cs holding a capability (of type t, or any if t == OT_FREE),
 * most of the time; otherwise any slot argument. */
static uint32_t full_slot(uint32_t cs, uint32_t t)
{
  uint32_t cands[NSLOTS], n = 0;
  for (uint32_t s = 0; s < NSLOTS; s++)
    if (cap_type[cs][s] != OT_FREE && (t == OT_FREE || cap_type[cs][s] == t))
      cands[n++] = s;
  return (n && rnd(8)) ? cands[rnd(n)] : slot_arg();
}

/* An empty slot of cs most of the time. */
static uint32_t empty_slot(uint32_t cs)
{
  uint32_t cands[NSLOTS], n = 0;
  for (uint32_t s = 0; s < NSLOTS; s++)
    if (cap_type[cs][s] == OT_FREE)
      cands[n++] = s;
  return (n && rnd(8)) ? cands[rnd(n)] : slot_arg();
}

/* The cspaces the test may use: the root cspace and live ones it made. */
static uint32_t pick_cspace(void)
{
  uint32_t cands[8], n = 0;
  cands[n++] = CS;
  for (uint32_t f = 0; f < NFRAMES && n < 8; f++)
    if (f != CS && frame_type[f] == OT_CSPACE)
      cands[n++] = f;
  return cands[rnd(n)];
}

static int step(void)
{
  uint32_t cs = pick_cspace(), cs2 = pick_cspace();
  uint32_t op = rnd(12);
  kerr_t e = E_OK;
  snap_take(&snap_before);
  switch (op) {
  case 0: e = container_create(cs, full_slot(cs, OT_CONTAINER), empty_slot(cs), rnd(40)); break;
  case 1: {
    static const uint32_t types[] = { OT_CSPACE, OT_FRAME, OT_ENDPOINT,
                                      OT_NOTIFICATION, OT_CONTAINER, 77 };
    e = obj_alloc(cs, full_slot(cs, OT_CONTAINER), types[rnd(6)], empty_slot(cs));
    break;
  }
  case 2: e = obj_free(cs, full_slot(cs, OT_CONTAINER), full_slot(cs, OT_FREE)); break;
  case 3: e = rnd(3) ? E_BAD_ARG : container_destroy(cs, full_slot(cs, OT_CONTAINER), full_slot(cs, OT_CONTAINER)); break;
  case 4: e = cap_copy(cs, full_slot(cs, OT_FREE), cs2, empty_slot(cs2), bit_arg(), bit_arg(), bit_arg()); break;
  case 5: e = cap_mint(cs, full_slot(cs, OT_FREE), cs2, empty_slot(cs2), bit_arg(), bit_arg(), bit_arg(), rnd(5)); break;
  case 6: e = cap_move(cs, full_slot(cs, OT_FREE), cs2, empty_slot(cs2)); break;
  case 7: e = rnd(3) ? E_BAD_ARG : cap_delete(cs, full_slot(cs, OT_FREE)); break;
  case 8: e = fwd_create(cs, full_slot(cs, OT_CONTAINER), full_slot(cs, OT_FREE), empty_slot(cs)); break;
  case 9: {
    struct resolve_ret r = cap_resolve(cs, full_slot(cs, OT_FREE));
    CHECK(snap_same(&snap_before));
    if (r.err == E_OK)
      CHECK(r.obj < NFRAMES && frame_type[r.obj] == r.type &&
            r.type != OT_FORWARDER && live_frame(r.obj));
    return 0;
  }
  case 10: {
    struct identify_ret id = cap_identify(cs, full_slot(cs, OT_FREE), full_slot(cs, OT_FREE));
    CHECK(snap_same(&snap_before));
    CHECK(id.same <= 1);
    return 0;
  }
  default: {
    struct info_ret in = container_info(cs, full_slot(cs, OT_CONTAINER));
    CHECK(snap_same(&snap_before));
    if (in.err == E_OK)
      CHECK(in.usage <= in.limit);
    return 0;
  }
  }
  if (e != E_OK)
    CHECK(snap_same(&snap_before));
  return e == E_OK;
}

int main(void)
{
  uint32_t ok = 0, steps = 0;
  for (uint64_t seed = 1; seed <= 6; seed++) {
    rng_state = seed;
    kernel_init(ROOT, CS);
    for (int i = 0; i < 600; i++) {
      ok += (uint32_t)step();
      steps++;
      int bad = state_violations();
      CHECK_EQ(bad, 0);
      if (bad) {
        fprintf(stderr, "seed %llu step %d\n", (unsigned long long)seed, i);
        return summary("test_random");
      }
    }
  }
  printf("test_random: %u steps, %u state-changing operations succeeded\n", steps, ok);
  CHECK(ok > steps / 10);    /* the generator does reach the interesting cases */
  return summary("test_random");
}
