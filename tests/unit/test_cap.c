/* Unit tests: capability slot operations (copy, mint, move, delete,
 * identify) with good and bad input. */
#include "testlib.h"

static void boot(void)
{
  kernel_init(ROOT, CS);
  CHECK_STATE();
}

static void test_init(void)
{
  boot();
  CHECK_EQ(frame_type[ROOT], OT_CONTAINER);
  CHECK_EQ(frame_type[CS], OT_CSPACE);
  CHECK_EQ(c_usage[ROOT], 2);
  CHECK_EQ(c_own[ROOT], 2);
  CHECK_EQ(c_limit[ROOT], NFRAMES);
  CHECK_EQ(cap_type[CS][S_ROOT], OT_CONTAINER);
  CHECK_EQ(cap_obj[CS][S_ROOT], ROOT);
  CHECK_EQ(cap_type[CS][S_CS], OT_CSPACE);
  CHECK_EQ(cap_obj[CS][S_CS], CS);
  CHECK_EQ(count_free_frames(), NFRAMES - 2);
}

static void test_copy(void)
{
  boot();
  /* good copy, all rights */
  CHECK_EQ(cap_copy(CS, S_ROOT, CS, 2, 1, 1, 1), E_OK);
  CHECK_EQ(cap_type[CS][2], OT_CONTAINER);
  CHECK_EQ(cap_obj[CS][2], ROOT);
  CHECK_EQ(cap_gen[CS][2], cap_gen[CS][S_ROOT]);
  CHECK(cap_read[CS][2] && cap_write[CS][2] && cap_grant[CS][2]);
  /* rights only shrink: copy of a read-only copy asking for all rights */
  CHECK_EQ(cap_copy(CS, S_ROOT, CS, 3, 1, 0, 0), E_OK);
  CHECK_EQ(cap_copy(CS, 3, CS, 4, 1, 1, 1), E_OK);
  CHECK_EQ(cap_read[CS][4], 1);
  CHECK_EQ(cap_write[CS][4], 0);
  CHECK_EQ(cap_grant[CS][4], 0);
  /* the copy is co-equal: it survives deleting the original */
  CHECK_EQ(cap_delete(CS, 3), E_OK);
  CHECK_EQ(container_info(CS, 4).err, E_OK);
  /* the read-only copy cannot allocate (write right needed) */
  CHECK_REFUSED(obj_alloc(CS, 4, OT_ENDPOINT, 10), E_NO_RIGHTS);
  /* bad rights argument */
  CHECK_REFUSED(cap_copy(CS, S_ROOT, CS, 5, 2, 0, 0), E_BAD_ARG);
  CHECK_REFUSED(cap_copy(CS, S_ROOT, CS, 5, 0, 7, 0), E_BAD_ARG);
  CHECK_REFUSED(cap_copy(CS, S_ROOT, CS, 5, 0, 0, 0xFFFFFFFFu), E_BAD_ARG);
  /* bad source slot, empty source, occupied / bad destination */
  CHECK_REFUSED(cap_copy(CS, NSLOTS, CS, 5, 1, 1, 1), E_BAD_SLOT);
  CHECK_REFUSED(cap_copy(CS, 0xFFFFFFFFu, CS, 5, 1, 1, 1), E_BAD_SLOT);
  CHECK_REFUSED(cap_copy(CS, 20, CS, 5, 1, 1, 1), E_EMPTY);
  CHECK_REFUSED(cap_copy(CS, S_ROOT, CS, S_CS, 1, 1, 1), E_OCCUPIED);
  CHECK_REFUSED(cap_copy(CS, S_ROOT, CS, S_ROOT, 1, 1, 1), E_OCCUPIED);
  CHECK_REFUSED(cap_copy(CS, S_ROOT, CS, NSLOTS, 1, 1, 1), E_BAD_SLOT);
  /* guard order: bad rights before bad slot */
  CHECK_REFUSED(cap_copy(CS, NSLOTS, CS, NSLOTS, 2, 0, 0), E_BAD_ARG);
  /* guard order: source before destination */
  CHECK_REFUSED(cap_copy(CS, 20, CS, NSLOTS, 1, 1, 1), E_EMPTY);
  /* stale source */
  CHECK_EQ(obj_alloc(CS, S_ROOT, OT_ENDPOINT, 6), E_OK);
  CHECK_EQ(cap_copy(CS, 6, CS, 7, 1, 1, 1), E_OK);
  CHECK_EQ(obj_free(CS, S_ROOT, 6), E_OK);
  CHECK_REFUSED(cap_copy(CS, 7, CS, 8, 1, 1, 1), E_STALE);
  /* copy into another cspace */
  CHECK_EQ(obj_alloc(CS, S_ROOT, OT_CSPACE, 9), E_OK);
  uint32_t cs2 = cap_obj[CS][9];
  CHECK_EQ(cap_copy(CS, S_ROOT, cs2, 0, 1, 0, 1), E_OK);
  CHECK_EQ(cap_obj[cs2][0], ROOT);
  CHECK_EQ(cap_write[cs2][0], 0);
  CHECK_STATE();
}

static void test_mint(void)
{
  boot();
  CHECK_EQ(obj_alloc(CS, S_ROOT, OT_ENDPOINT, 2), E_OK);
  CHECK_EQ(cap_mint(CS, 2, CS, 3, 0, 1, 0, 42), E_OK);
  CHECK_EQ(cap_badge[CS][3], 42);
  CHECK_EQ(cap_obj[CS][3], cap_obj[CS][2]);
  CHECK_EQ(cap_read[CS][3], 0);
  CHECK_EQ(cap_write[CS][3], 1);
  /* a badge is never rewritten: minting a badged cap is refused */
  CHECK_REFUSED(cap_mint(CS, 3, CS, 4, 0, 1, 0, 7), E_BAD_ARG);
  /* but copying it keeps the badge */
  CHECK_EQ(cap_copy(CS, 3, CS, 4, 1, 1, 1), E_OK);
  CHECK_EQ(cap_badge[CS][4], 42);
  CHECK_EQ(cap_read[CS][4], 0);
  CHECK_REFUSED(cap_mint(CS, 2, CS, 5, 3, 1, 0, 1), E_BAD_ARG);
  CHECK_REFUSED(cap_mint(CS, NSLOTS, CS, 5, 1, 1, 0, 1), E_BAD_SLOT);
  CHECK_REFUSED(cap_mint(CS, 6, CS, 5, 1, 1, 0, 1), E_EMPTY);
  CHECK_REFUSED(cap_mint(CS, 2, CS, 3, 1, 1, 0, 1), E_OCCUPIED);
  /* guard order: destination checked before the badge */
  CHECK_REFUSED(cap_mint(CS, 3, CS, 4, 1, 1, 0, 1), E_OCCUPIED);
  CHECK_EQ(obj_free(CS, S_ROOT, 2), E_OK);
  CHECK_REFUSED(cap_mint(CS, 2, CS, 5, 1, 1, 0, 1), E_STALE);
  CHECK_STATE();
}

static void test_move_delete(void)
{
  boot();
  CHECK_EQ(cap_mint(CS, S_ROOT, CS, 2, 1, 1, 0, 9), E_OK);
  CHECK_EQ(cap_move(CS, 2, CS, 3), E_OK);
  CHECK_EQ(cap_type[CS][2], OT_FREE);
  CHECK_EQ(cap_type[CS][3], OT_CONTAINER);
  CHECK_EQ(cap_badge[CS][3], 9);
  CHECK_EQ(cap_grant[CS][3], 0);
  CHECK_REFUSED(cap_move(CS, 2, CS, 4), E_EMPTY);
  CHECK_REFUSED(cap_move(CS, 3, CS, 3), E_OCCUPIED);
  CHECK_REFUSED(cap_move(CS, 3, CS, S_ROOT), E_OCCUPIED);
  CHECK_REFUSED(cap_move(CS, NSLOTS + 5, CS, 4), E_BAD_SLOT);
  CHECK_REFUSED(cap_move(CS, 3, CS, NSLOTS), E_BAD_SLOT);
  /* delete */
  CHECK_EQ(cap_delete(CS, 3), E_OK);
  CHECK_EQ(cap_type[CS][3], OT_FREE);
  CHECK_REFUSED(cap_delete(CS, 3), E_EMPTY);
  CHECK_REFUSED(cap_delete(CS, NSLOTS), E_BAD_SLOT);
  /* a stale capability may be deleted, but not moved */
  CHECK_EQ(obj_alloc(CS, S_ROOT, OT_NOTIFICATION, 4), E_OK);
  CHECK_EQ(cap_copy(CS, 4, CS, 5, 1, 1, 1), E_OK);
  CHECK_EQ(obj_free(CS, S_ROOT, 4), E_OK);
  CHECK_REFUSED(cap_move(CS, 5, CS, 6), E_STALE);
  CHECK_EQ(cap_delete(CS, 5), E_OK);
  CHECK_STATE();
}

static void test_identify(void)
{
  boot();
  /* server endpoint in slot 2; a client copy minted with badge 77 */
  CHECK_EQ(obj_alloc(CS, S_ROOT, OT_ENDPOINT, 2), E_OK);
  CHECK_EQ(cap_mint(CS, 2, CS, 3, 0, 1, 0, 77), E_OK);
  struct identify_ret id = cap_identify(CS, 2, 3);
  CHECK_EQ(id.err, E_OK);
  CHECK_EQ(id.same, 1);
  CHECK_EQ(id.badge, 77);
  /* an unrelated endpoint is not the same object */
  CHECK_EQ(obj_alloc(CS, S_ROOT, OT_ENDPOINT, 4), E_OK);
  CHECK_EQ(cap_mint(CS, 4, CS, 5, 0, 1, 0, 77), E_OK);
  id = cap_identify(CS, 2, 5);
  CHECK_EQ(id.err, E_OK);
  CHECK_EQ(id.same, 0);
  CHECK_EQ(id.badge, 0);
  /* through a forwarder: still the server's endpoint, with the badge */
  CHECK_EQ(fwd_create(CS, S_ROOT, 3, 6), E_OK);
  id = cap_identify(CS, 2, 6);
  CHECK_EQ(id.same, 1);
  CHECK_EQ(id.badge, 77);
  /* bad input */
  CHECK_EQ(cap_identify(CS, NSLOTS, 3).err, E_BAD_SLOT);
  CHECK_EQ(cap_identify(CS, 2, 20).err, E_EMPTY);
  CHECK_EQ(cap_identify(CS, 20, NSLOTS).err, E_EMPTY);
  /* after the forwarder dies the client's capability no longer matches */
  CHECK_EQ(cap_copy(CS, 6, CS, 7, 1, 1, 1), E_OK);
  CHECK_EQ(obj_free(CS, S_ROOT, 6), E_OK);
  CHECK_EQ(cap_identify(CS, 2, 7).err, E_STALE);  /* cap to the dead forwarder */
  /* stale server cap */
  CHECK_EQ(obj_free(CS, S_ROOT, 2), E_OK);
  CHECK_EQ(cap_identify(CS, 2, 3).err, E_STALE);
  CHECK_STATE();
}

int main(void)
{
  test_init();
  test_copy();
  test_mint();
  test_move_delete();
  test_identify();
  return summary("test_cap");
}
