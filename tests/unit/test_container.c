/* Unit tests: containers and accounting (create, alloc, free, info,
 * destroy), lowest-free allocation and generation retirement. */
#include "testlib.h"
#include "proc.h"

static void boot(void)
{
  kernel_init(ROOT, CS);
}

static void test_create(void)
{
  boot();
  CHECK_EQ(container_create(CS, S_ROOT, 2, 10), E_OK);
  uint32_t c = cap_obj[CS][2];
  CHECK_EQ(c, 2);                              /* lowest free frame */
  CHECK_EQ(frame_type[c], OT_CONTAINER);
  CHECK_EQ(frame_owner[c], ROOT);
  CHECK_EQ(c_depth[c], 1);
  CHECK_EQ(c_limit[c], 10);
  CHECK_EQ(c_usage[c], 0);
  CHECK_EQ(c_usage[ROOT], 3);
  CHECK_EQ(c_own[ROOT], 3);
  struct info_ret in = container_info(CS, 2);
  CHECK_EQ(in.err, E_OK);
  CHECK_EQ(in.limit, 10);
  CHECK_EQ(in.usage, 0);
  CHECK_STATE();
  /* bad input, each refused without any change */
  CHECK_REFUSED(container_create(CS, S_ROOT, 3, 0), E_BAD_ARG);
  CHECK_REFUSED(container_create(CS, S_ROOT, 3, NFRAMES + 1), E_BAD_ARG);
  CHECK_REFUSED(container_create(CS, 2, 3, 11), E_BAD_ARG);   /* > parent limit */
  CHECK_REFUSED(container_create(CS, S_CS, 3, 5), E_WRONG_TYPE);
  CHECK_REFUSED(container_create(CS, 9, 3, 5), E_EMPTY);
  CHECK_REFUSED(container_create(CS, NSLOTS, 3, 5), E_BAD_SLOT);
  CHECK_REFUSED(container_create(CS, S_ROOT, S_CS, 5), E_OCCUPIED);
  CHECK_REFUSED(container_create(CS, S_ROOT, NSLOTS, 5), E_BAD_SLOT);
  /* missing write right */
  CHECK_EQ(cap_copy(CS, 2, CS, 3, 1, 0, 1), E_OK);
  CHECK_REFUSED(container_create(CS, 3, 4, 5), E_NO_RIGHTS);
  /* guard order: dst before limit */
  CHECK_REFUSED(container_create(CS, 2, S_CS, 0), E_OCCUPIED);
  CHECK_STATE();
}

static void test_depth(void)
{
  boot();
  /* a chain root -> d1 -> ... -> d(MAXDEPTH-1); one more is too deep */
  uint32_t slot = S_ROOT;
  for (uint32_t d = 1; d < MAXDEPTH; d++) {
    CHECK_EQ(container_create(CS, slot, 1 + d, 100), E_OK);
    slot = 1 + d;
    CHECK_EQ(c_depth[cap_obj[CS][slot]], d);
  }
  CHECK_REFUSED(container_create(CS, slot, 20, 100), E_TOO_DEEP);
  /* the deepest container can still allocate objects */
  CHECK_EQ(obj_alloc(CS, slot, OT_FRAME, 20), E_OK);
  CHECK_STATE();
  /* destroying the depth-1 container takes the whole chain */
  uint32_t before = count_free_frames();
  CHECK_EQ(container_destroy(CS, S_ROOT, 2), E_OK);
  CHECK_EQ(count_free_frames(), before + (MAXDEPTH - 1) + 1);
  CHECK_EQ(c_usage[ROOT], 2);
  CHECK_STATE();
}

static void test_limits(void)
{
  boot();
  CHECK_EQ(container_create(CS, S_ROOT, 2, 3), E_OK);        /* A, limit 3 */
  CHECK_EQ(container_create(CS, 2, 3, 3), E_OK);             /* B in A, limit 3 */
  /* A holds B's frame (1); B may take 2 more before A is full */
  CHECK_EQ(obj_alloc(CS, 3, OT_FRAME, 4), E_OK);
  CHECK_EQ(obj_alloc(CS, 3, OT_ENDPOINT, 5), E_OK);
  CHECK_EQ(c_usage[cap_obj[CS][2]], 3);
  CHECK_EQ(c_usage[cap_obj[CS][3]], 2);
  CHECK_STATE();
  /* B is under its own limit (2 < 3) but A is full: refused, no change */
  CHECK_REFUSED(obj_alloc(CS, 3, OT_FRAME, 6), E_OVER_LIMIT);
  CHECK_REFUSED(obj_alloc(CS, 2, OT_FRAME, 6), E_OVER_LIMIT);
  CHECK_REFUSED(container_create(CS, 3, 6, 1), E_OVER_LIMIT);
  CHECK_REFUSED(fwd_create(CS, 3, 4, 6), E_OVER_LIMIT);
  /* freeing returns the frame and the charge */
  CHECK_EQ(obj_free(CS, 3, 4), E_OK);
  CHECK_EQ(c_usage[cap_obj[CS][2]], 2);
  CHECK_EQ(c_usage[cap_obj[CS][3]], 1);
  CHECK_EQ(obj_alloc(CS, 3, OT_FRAME, 6), E_OK);
  CHECK_STATE();
}

static void test_alloc(void)
{
  boot();
  static const uint32_t ok_types[] = { OT_CSPACE, OT_FRAME, OT_ENDPOINT, OT_NOTIFICATION };
  for (uint32_t i = 0; i < 4; i++) {
    CHECK_EQ(obj_alloc(CS, S_ROOT, ok_types[i], 2 + i), E_OK);
    CHECK_EQ(cap_type[CS][2 + i], ok_types[i]);
    CHECK_EQ(cap_obj[CS][2 + i], 2 + i);       /* lowest free frame each time */
    CHECK_EQ(frame_owner[2 + i], ROOT);
    CHECK(cap_read[CS][2 + i] && cap_write[CS][2 + i] && cap_grant[CS][2 + i]);
  }
  /* a new cspace is empty */
  for (uint32_t s = 0; s < NSLOTS; s++)
    CHECK_EQ(cap_type[2][s], OT_FREE);
  static const uint32_t bad_types[] = { OT_FREE, OT_CONTAINER, OT_FORWARDER,
                                        OT_PROCESS, OT_PAGETABLE, OT_RETIRED,
                                        OT_COUNT, 0xFFFFFFFFu };
  for (uint32_t i = 0; i < sizeof bad_types / sizeof bad_types[0]; i++)
    CHECK_REFUSED(obj_alloc(CS, S_ROOT, bad_types[i], 10), E_BAD_ARG);
  /* guard order: container, then type, then destination */
  CHECK_REFUSED(obj_alloc(CS, S_CS, OT_FRAME, 10), E_WRONG_TYPE);
  CHECK_REFUSED(obj_alloc(CS, S_ROOT, 99, S_CS), E_BAD_ARG);
  CHECK_REFUSED(obj_alloc(CS, S_ROOT, OT_FRAME, S_CS), E_OCCUPIED);
  CHECK_REFUSED(obj_alloc(CS, 20, OT_FRAME, 10), E_EMPTY);
  /* a notification in a reused frame starts with no bits pending */
  CHECK_EQ(obj_alloc(CS, S_ROOT, OT_NOTIFICATION, 11), E_OK);
  uint32_t nf = cap_obj[CS][11];
  n_bits[nf] = 0x5;                       /* as if signalled */
  CHECK_EQ(obj_free(CS, S_ROOT, 11), E_OK);
  CHECK_EQ(cap_delete(CS, 11), E_OK);
  CHECK_EQ(obj_alloc(CS, S_ROOT, OT_NOTIFICATION, 11), E_OK);
  CHECK_EQ(cap_obj[CS][11], nf);
  CHECK_EQ(n_bits[nf], 0);
  CHECK_EQ(obj_free(CS, S_ROOT, 11), E_OK);
  CHECK_EQ(cap_delete(CS, 11), E_OK);
  /* the lowest free frame is reused after a free */
  CHECK_EQ(obj_free(CS, S_ROOT, 3), E_OK);
  CHECK_EQ(obj_alloc(CS, S_ROOT, OT_ENDPOINT, 10), E_OK);
  CHECK_EQ(cap_obj[CS][10], 3);
  CHECK_EQ(frame_gen[3], 1);
  CHECK_STATE();
}

static void test_no_memory(void)
{
  /* The root's limit is NFRAMES, so with every frame usable the root's
   * limit is reached exactly when RAM is full: E_OVER_LIMIT comes first. */
  boot();
  uint32_t made = 0;
  kerr_t e;
  while ((e = obj_alloc(CS, S_ROOT, OT_FRAME, 2)) == E_OK) {
    made++;
    CHECK_EQ(cap_delete(CS, 2), E_OK);   /* object stays, cap dropped */
  }
  CHECK_EQ(e, E_OVER_LIMIT);
  CHECK_EQ(made, NFRAMES - 2);
  CHECK_EQ(count_free_frames(), 0);
  CHECK_EQ(c_usage[ROOT], NFRAMES);
  CHECK_STATE();

  /* With a retired frame, RAM runs out below the root's limit. */
  boot();
  frame_gen[2] = GEN_MAX - 1;
  CHECK_EQ(obj_alloc(CS, S_ROOT, OT_ENDPOINT, 2), E_OK);
  CHECK_EQ(obj_free(CS, S_ROOT, 2), E_OK);
  CHECK_EQ(frame_type[2], OT_RETIRED);
  CHECK_EQ(cap_delete(CS, 2), E_OK);                       /* the stale cap */
  CHECK_EQ(obj_alloc(CS, S_ROOT, OT_ENDPOINT, 3), E_OK);   /* kept for fwd */
  made = 0;
  while ((e = obj_alloc(CS, S_ROOT, OT_FRAME, 2)) == E_OK) {
    made++;
    CHECK_EQ(cap_delete(CS, 2), E_OK);
  }
  CHECK_EQ(e, E_NO_MEMORY);
  CHECK_EQ(made, NFRAMES - 4);
  CHECK_EQ(count_free_frames(), 0);
  CHECK_EQ(c_usage[ROOT], NFRAMES - 1);
  CHECK_REFUSED(obj_alloc(CS, S_ROOT, OT_CSPACE, 2), E_NO_MEMORY);
  CHECK_REFUSED(container_create(CS, S_ROOT, 2, 1), E_NO_MEMORY);
  CHECK_REFUSED(fwd_create(CS, S_ROOT, 3, 2), E_NO_MEMORY);
  CHECK_STATE();
}

static void test_free(void)
{
  boot();
  CHECK_EQ(container_create(CS, S_ROOT, 2, 10), E_OK);   /* A */
  CHECK_EQ(container_create(CS, S_ROOT, 3, 10), E_OK);   /* B, sibling of A */
  CHECK_EQ(container_create(CS, 2, 4, 5), E_OK);         /* A1 in A */
  CHECK_EQ(obj_alloc(CS, 4, OT_ENDPOINT, 5), E_OK);      /* from A1 */
  CHECK_EQ(cap_copy(CS, 5, CS, 6, 1, 1, 1), E_OK);
  /* B did not pay for it: not the owner */
  CHECK_REFUSED(obj_free(CS, 3, 5), E_NOT_OWNER);
  /* containers are destroyed with container_destroy */
  CHECK_REFUSED(obj_free(CS, S_ROOT, 2), E_WRONG_TYPE);
  CHECK_REFUSED(obj_free(CS, S_ROOT, NSLOTS), E_BAD_SLOT);
  CHECK_REFUSED(obj_free(CS, S_ROOT, 20), E_EMPTY);
  CHECK_REFUSED(obj_free(CS, S_CS, 5), E_WRONG_TYPE);
  /* read-only container cap cannot free */
  CHECK_EQ(cap_copy(CS, 2, CS, 7, 1, 0, 0), E_OK);
  CHECK_REFUSED(obj_free(CS, 7, 5), E_NO_RIGHTS);
  /* A (an ancestor of the paying container A1) may free it */
  uint32_t ep = cap_obj[CS][5];
  uint32_t gen = frame_gen[ep];
  CHECK_EQ(obj_free(CS, 2, 5), E_OK);
  CHECK_EQ(frame_type[ep], OT_FREE);
  CHECK_EQ(frame_gen[ep], gen + 1);
  /* every capability to it is dead at once */
  CHECK_REFUSED(cap_copy(CS, 6, CS, 8, 1, 1, 1), E_STALE);
  CHECK_REFUSED(obj_free(CS, 2, 6), E_STALE);
  CHECK_EQ(cap_resolve(CS, 6).err, E_STALE);
  /* a new object in the same frame is not reachable by the old caps */
  CHECK_EQ(obj_alloc(CS, 4, OT_ENDPOINT, 8), E_OK);
  CHECK_EQ(cap_obj[CS][8], ep);
  CHECK_EQ(cap_resolve(CS, 6).err, E_STALE);
  CHECK_STATE();
  /* freeing a cspace empties it, even the one being used */
  CHECK_EQ(obj_alloc(CS, S_ROOT, OT_CSPACE, 9), E_OK);
  uint32_t cs2 = cap_obj[CS][9];
  CHECK_EQ(cap_copy(CS, S_ROOT, cs2, 0, 1, 1, 1), E_OK);
  CHECK_EQ(cap_copy(CS, 9, cs2, 1, 1, 1, 1), E_OK);
  CHECK_EQ(obj_free(cs2, 0, 1), E_OK);    /* cs2 frees itself */
  CHECK_EQ(cap_type[cs2][0], OT_FREE);
  CHECK_EQ(cap_type[cs2][1], OT_FREE);
  CHECK_STATE();
}

static void test_destroy(void)
{
  boot();
  uint32_t free0 = count_free_frames();
  CHECK_EQ(container_create(CS, S_ROOT, 2, 50), E_OK);   /* A */
  CHECK_EQ(container_create(CS, 2, 3, 20), E_OK);        /* A1 */
  CHECK_EQ(container_create(CS, 3, 4, 10), E_OK);        /* A11 */
  CHECK_EQ(container_create(CS, S_ROOT, 5, 50), E_OK);   /* B */
  CHECK_EQ(obj_alloc(CS, 2, OT_ENDPOINT, 6), E_OK);      /* from A */
  CHECK_EQ(obj_alloc(CS, 3, OT_CSPACE, 7), E_OK);        /* from A1 */
  CHECK_EQ(obj_alloc(CS, 4, OT_FRAME, 8), E_OK);         /* from A11 */
  CHECK_EQ(obj_alloc(CS, 5, OT_NOTIFICATION, 9), E_OK);  /* from B */
  CHECK_EQ(fwd_create(CS, 4, 9, 10), E_OK);              /* A11 fw over B's */
  CHECK_EQ(fwd_create(CS, 5, 6, 11), E_OK);              /* B fw over A's ep */
  /* objects in use: a cap to A's endpoint inside A1's cspace */
  uint32_t cs_a1 = cap_obj[CS][7];
  CHECK_EQ(cap_copy(CS, 6, cs_a1, 0, 1, 1, 1), E_OK);
  CHECK_STATE();
  uint32_t a = cap_obj[CS][2], a1 = cap_obj[CS][3], a11 = cap_obj[CS][4];
  uint32_t b = cap_obj[CS][5];
  uint32_t usage_a = c_usage[a];
  CHECK_EQ(usage_a, 2 + 2 + 2);            /* A1, ep | A11, cs | frame, fw */
  uint32_t root_usage = c_usage[ROOT];
  uint32_t freed_frames_expected = usage_a + 1;

  /* bad input */
  CHECK_REFUSED(container_destroy(CS, S_ROOT, S_ROOT), E_ROOT);
  CHECK_REFUSED(container_destroy(CS, 2, S_ROOT), E_ROOT);
  CHECK_REFUSED(container_destroy(CS, 5, 2), E_NOT_OWNER);    /* B over A */
  CHECK_REFUSED(container_destroy(CS, 3, 2), E_NOT_OWNER);    /* child over parent */
  CHECK_REFUSED(container_destroy(CS, S_ROOT, 6), E_WRONG_TYPE);
  CHECK_REFUSED(container_destroy(CS, S_CS, 2), E_WRONG_TYPE);
  CHECK_REFUSED(container_destroy(CS, S_ROOT, NSLOTS), E_BAD_SLOT);
  CHECK_REFUSED(container_destroy(CS, S_ROOT, 30), E_EMPTY);
  CHECK_EQ(cap_copy(CS, 2, CS, 12, 1, 0, 1), E_OK);
  CHECK_REFUSED(container_destroy(CS, S_ROOT, 12), E_NO_RIGHTS);
  CHECK_REFUSED(container_destroy(CS, 12, 3), E_NO_RIGHTS);

  /* destroy A from the root: A, A1, A11 and everything they paid for */
  uint32_t free_before = count_free_frames();
  CHECK_EQ(container_destroy(CS, S_ROOT, 2), E_OK);
  CHECK_EQ(count_free_frames(), free_before + freed_frames_expected);
  CHECK_EQ(c_usage[ROOT], root_usage - freed_frames_expected);
  CHECK_EQ(frame_type[a], OT_FREE);
  CHECK_EQ(frame_type[a1], OT_FREE);
  CHECK_EQ(frame_type[a11], OT_FREE);
  CHECK_EQ(frame_type[b], OT_CONTAINER);
  /* every capability to the subtree's objects is dead */
  for (uint32_t s = 2; s <= 10; s++) {
    if (s == 5 || s == 9) continue;           /* B and B's notification */
    CHECK_EQ(cap_resolve(CS, s).err, E_STALE);
  }
  CHECK_EQ(cap_resolve(CS, 12).err, E_STALE);
  /* B's objects live on; B's forwarder over A's endpoint is cut off */
  CHECK_EQ(cap_resolve(CS, 5).err, E_OK);
  CHECK_EQ(cap_resolve(CS, 9).err, E_OK);
  CHECK_EQ(cap_resolve(CS, 11).err, E_STALE);
  /* the cspace that held a cap is dead (no operation accepts it); when
   * its frame is reused as a cspace it starts empty */
  CHECK_EQ(frame_type[cs_a1], OT_FREE);
  CHECK_STATE();
  uint32_t reused = 0;
  for (uint32_t s = 20; s < NSLOTS && !reused; s++) {
    CHECK_EQ(obj_alloc(CS, S_ROOT, OT_CSPACE, s), E_OK);
    if (cap_obj[CS][s] == cs_a1) reused = 1;
  }
  CHECK(reused);
  for (uint32_t s = 0; s < NSLOTS; s++)
    CHECK_EQ(cap_type[cs_a1][s], OT_FREE);
  for (uint32_t s = 20; s < NSLOTS; s++)
    if (cap_type[CS][s] != OT_FREE) {
      CHECK_EQ(obj_free(CS, S_ROOT, s), E_OK);
      CHECK_EQ(cap_delete(CS, s), E_OK);
    }
  CHECK_STATE();
  /* a container may destroy itself */
  CHECK_EQ(container_destroy(CS, 5, 5), E_OK);
  CHECK_EQ(frame_type[b], OT_FREE);
  CHECK_EQ(count_free_frames(), free0);
  CHECK_EQ(c_usage[ROOT], 2);
  CHECK_EQ(c_own[ROOT], 2);
  CHECK_STATE();
  /* the frames are reusable */
  CHECK_EQ(cap_delete(CS, 2), E_OK);
  CHECK_EQ(container_create(CS, S_ROOT, 2, 5), E_OK);
  CHECK_EQ(cap_obj[CS][2], 2);
  CHECK_STATE();
}

static void test_retire(void)
{
  boot();
  /* the lowest free frame is 2; give it the last generation but one */
  frame_gen[2] = GEN_MAX - 2;
  CHECK_EQ(obj_alloc(CS, S_ROOT, OT_ENDPOINT, 2), E_OK);
  CHECK_EQ(cap_obj[CS][2], 2);
  CHECK_EQ(cap_gen[CS][2], GEN_MAX - 2);
  CHECK_EQ(obj_free(CS, S_ROOT, 2), E_OK);
  CHECK_EQ(frame_type[2], OT_FREE);
  CHECK_EQ(frame_gen[2], GEN_MAX - 1);
  CHECK_EQ(obj_alloc(CS, S_ROOT, OT_ENDPOINT, 3), E_OK);
  CHECK_EQ(cap_obj[CS][3], 2);
  CHECK_EQ(obj_free(CS, S_ROOT, 3), E_OK);
  /* generation reached GEN_MAX: retired, never reused */
  CHECK_EQ(frame_type[2], OT_RETIRED);
  CHECK_EQ(frame_gen[2], GEN_MAX);
  CHECK_EQ(cap_resolve(CS, 3).err, E_STALE);
  CHECK_EQ(cap_resolve(CS, 2).err, E_STALE);
  CHECK_EQ(obj_alloc(CS, S_ROOT, OT_ENDPOINT, 4), E_OK);
  CHECK_EQ(cap_obj[CS][4], 3);
  CHECK_EQ(c_usage[ROOT], 3);
  CHECK_STATE();
  /* a retired frame inside a destroyed subtree stays retired */
  frame_gen[4] = GEN_MAX - 1;
  CHECK_EQ(container_create(CS, S_ROOT, 5, 5), E_OK);   /* frame 4 */
  CHECK_EQ(cap_obj[CS][5], 4);
  CHECK_EQ(container_destroy(CS, S_ROOT, 5), E_OK);
  CHECK_EQ(frame_type[4], OT_RETIRED);
  CHECK_STATE();
}

int main(void)
{
  test_create();
  test_depth();
  test_limits();
  test_alloc();
  test_no_memory();
  test_free();
  test_destroy();
  test_retire();
  return summary("test_container");
}
