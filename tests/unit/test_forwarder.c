/* Unit tests: forwarders, cap_resolve, chains and selective revocation. */
#include "testlib.h"

static void boot(void)
{
  kernel_init(ROOT, CS);
}

static void test_resolve_direct(void)
{
  boot();
  struct resolve_ret r = cap_resolve(CS, S_ROOT);
  CHECK_EQ(r.err, E_OK);
  CHECK_EQ(r.type, OT_CONTAINER);
  CHECK_EQ(r.obj, ROOT);
  CHECK(r.read && r.write && r.grant);
  CHECK_EQ(cap_resolve(CS, NSLOTS).err, E_BAD_SLOT);
  CHECK_EQ(cap_resolve(CS, 5).err, E_EMPTY);
  CHECK_STATE();
}

static void test_forwarder_basic(void)
{
  boot();
  uint32_t free0 = count_free_frames();
  CHECK_EQ(obj_alloc(CS, S_ROOT, OT_ENDPOINT, 2), E_OK);         /* owner's ep */
  uint32_t ep = cap_obj[CS][2];
  CHECK_EQ(cap_mint(CS, 2, CS, 3, 0, 1, 1, 5), E_OK);            /* send-only, badge 5 */
  CHECK_EQ(fwd_create(CS, S_ROOT, 3, 4), E_OK);                  /* client gets slot 4 */
  uint32_t fw = cap_obj[CS][4];
  CHECK_EQ(frame_type[fw], OT_FORWARDER);
  CHECK_EQ(frame_owner[fw], ROOT);
  CHECK_EQ(cap_type[CS][4], OT_FORWARDER);
  CHECK_EQ(cap_badge[CS][4], 0);
  CHECK_EQ(cap_read[CS][4], 0);             /* the target's rights */
  CHECK_EQ(cap_write[CS][4], 1);
  CHECK_EQ(count_free_frames(), free0 - 2);
  CHECK_EQ(c_usage[ROOT], 4);
  /* resolves to the endpoint, rights intersected, target's badge */
  struct resolve_ret r = cap_resolve(CS, 4);
  CHECK_EQ(r.err, E_OK);
  CHECK_EQ(r.type, OT_ENDPOINT);
  CHECK_EQ(r.obj, ep);
  CHECK_EQ(r.read, 0);
  CHECK_EQ(r.write, 1);
  CHECK_EQ(r.grant, 1);
  CHECK_EQ(r.badge, 5);
  /* a further attenuated copy of the forwarder cap */
  CHECK_EQ(cap_copy(CS, 4, CS, 5, 1, 1, 0), E_OK);
  r = cap_resolve(CS, 5);
  CHECK_EQ(r.err, E_OK);
  CHECK_EQ(r.grant, 0);
  CHECK_EQ(r.write, 1);
  CHECK_EQ(r.read, 0);
  /* a forwarder cap is not a container cap, even over a container */
  CHECK_EQ(fwd_create(CS, S_ROOT, S_ROOT, 6), E_OK);
  CHECK_REFUSED(obj_alloc(CS, 6, OT_FRAME, 7), E_WRONG_TYPE);
  CHECK_EQ(cap_resolve(CS, 6).obj, ROOT);
  /* bad input */
  CHECK_REFUSED(fwd_create(CS, S_CS, 2, 7), E_WRONG_TYPE);
  CHECK_REFUSED(fwd_create(CS, S_ROOT, 20, 7), E_EMPTY);
  CHECK_REFUSED(fwd_create(CS, S_ROOT, NSLOTS, 7), E_BAD_SLOT);
  CHECK_REFUSED(fwd_create(CS, S_ROOT, 2, 3), E_OCCUPIED);
  CHECK_REFUSED(fwd_create(CS, S_ROOT, 2, NSLOTS), E_BAD_SLOT);
  CHECK_EQ(cap_copy(CS, S_ROOT, CS, 8, 1, 0, 1), E_OK);
  CHECK_REFUSED(fwd_create(CS, 8, 2, 7), E_NO_RIGHTS);
  CHECK_STATE();
}

static void test_revocation(void)
{
  boot();
  CHECK_EQ(obj_alloc(CS, S_ROOT, OT_ENDPOINT, 2), E_OK);   /* owner's direct cap */
  CHECK_EQ(fwd_create(CS, S_ROOT, 2, 3), E_OK);            /* handed-out cap */
  /* the client's copies, in the client's own cspace */
  CHECK_EQ(obj_alloc(CS, S_ROOT, OT_CSPACE, 4), E_OK);
  uint32_t client = cap_obj[CS][4];
  CHECK_EQ(cap_copy(CS, 3, client, 0, 1, 1, 1), E_OK);
  CHECK_EQ(cap_copy(client, 0, client, 1, 0, 1, 0), E_OK);
  CHECK_EQ(cap_resolve(client, 0).err, E_OK);
  CHECK_EQ(cap_resolve(client, 1).err, E_OK);
  /* revoke: destroy the forwarder */
  CHECK_EQ(obj_free(CS, S_ROOT, 3), E_OK);
  CHECK_EQ(cap_resolve(client, 0).err, E_STALE);
  CHECK_EQ(cap_resolve(client, 1).err, E_STALE);
  CHECK_EQ(cap_resolve(CS, 3).err, E_STALE);
  CHECK_REFUSED(cap_copy(client, 0, client, 2, 1, 1, 1), E_STALE);
  /* the owner's direct capability keeps working */
  struct resolve_ret r = cap_resolve(CS, 2);
  CHECK_EQ(r.err, E_OK);
  CHECK_EQ(r.type, OT_ENDPOINT);
  CHECK_EQ(cap_copy(CS, 2, CS, 5, 1, 1, 1), E_OK);
  /* the client can still delete its dead caps */
  CHECK_EQ(cap_delete(client, 0), E_OK);
  /* a new forwarder in the same frame does not revive the old caps */
  CHECK_EQ(fwd_create(CS, S_ROOT, 2, 6), E_OK);
  CHECK_EQ(cap_obj[CS][6], cap_obj[CS][3]);
  CHECK_EQ(cap_resolve(client, 1).err, E_STALE);
  CHECK_EQ(cap_resolve(CS, 6).err, E_OK);
  /* destroying the target kills the forwarder's resolution too */
  CHECK_EQ(obj_free(CS, S_ROOT, 2), E_OK);
  CHECK_EQ(cap_resolve(CS, 6).err, E_STALE);
  CHECK_STATE();
}

static void test_chains(void)
{
  boot();
  CHECK_EQ(obj_alloc(CS, S_ROOT, OT_NOTIFICATION, 2), E_OK);
  uint32_t nt = cap_obj[CS][2];
  /* fw1 over the notification, fw2 over fw1, ... fwMAXFWD */
  uint32_t slot = 2;
  for (uint32_t k = 1; k <= MAXFWD; k++) {
    CHECK_EQ(fwd_create(CS, S_ROOT, slot, 2 + k), E_OK);
    slot = 2 + k;
    struct resolve_ret r = cap_resolve(CS, slot);
    CHECK_EQ(r.err, E_OK);
    CHECK_EQ(r.obj, nt);
    CHECK_EQ(r.type, OT_NOTIFICATION);
  }
  /* one more would make a chain of MAXFWD + 1 forwarders */
  CHECK_REFUSED(fwd_create(CS, S_ROOT, slot, 10), E_TOO_DEEP);
  /* rights intersect along the chain: narrow the middle link */
  CHECK_EQ(cap_copy(CS, 3, CS, 11, 1, 0, 1), E_OK);          /* fw1, read-only */
  CHECK_EQ(fwd_create(CS, S_ROOT, 11, 12), E_OK);            /* fw over it */
  struct resolve_ret r = cap_resolve(CS, 12);
  CHECK_EQ(r.err, E_OK);
  CHECK_EQ(r.write, 0);
  CHECK_EQ(r.read, 1);
  /* cut the chain in the middle: everything above it is revoked, the
   * links below still resolve */
  CHECK_EQ(obj_free(CS, S_ROOT, 4), E_OK);                    /* fw2 */
  CHECK_EQ(cap_resolve(CS, 3).err, E_OK);
  CHECK_EQ(cap_resolve(CS, 4).err, E_STALE);
  CHECK_EQ(cap_resolve(CS, 5).err, E_STALE);
  CHECK_EQ(cap_resolve(CS, 2 + MAXFWD).err, E_STALE);
  CHECK_EQ(cap_resolve(CS, 12).err, E_OK);
  /* a chain with a dead link does not count against the depth bound */
  CHECK_EQ(fwd_create(CS, S_ROOT, 2 + MAXFWD, 13), E_OK);
  CHECK_EQ(cap_resolve(CS, 13).err, E_STALE);
  CHECK_STATE();
}

static void test_too_deep_resolve(void)
{
  /* Chains longer than MAXFWD cannot be built through fwd_create; build
   * one by aiming a forwarder's stored target at another forwarder (white
   * box), to check that resolution stays bounded and says E_TOO_DEEP,
   * even around a cycle. */
  boot();
  CHECK_EQ(obj_alloc(CS, S_ROOT, OT_ENDPOINT, 2), E_OK);
  CHECK_EQ(fwd_create(CS, S_ROOT, 2, 3), E_OK);
  uint32_t fw = cap_obj[CS][3];
  fw_type[fw] = OT_FORWARDER;   /* aim it at itself */
  fw_obj[fw] = fw;
  fw_gen[fw] = frame_gen[fw];
  CHECK_EQ(cap_resolve(CS, 3).err, E_TOO_DEEP);
  CHECK_REFUSED(fwd_create(CS, S_ROOT, 3, 4), E_TOO_DEEP);
  struct identify_ret id = cap_identify(CS, 2, 3);
  CHECK_EQ(id.err, E_OK);
  CHECK_EQ(id.same, 0);
  CHECK_STATE();
}

static void test_destroy_owner_of_forwarder(void)
{
  /* A server hands a client a forwarder paid for by a child container;
   * destroying the child revokes the client; the server keeps its cap. */
  boot();
  CHECK_EQ(obj_alloc(CS, S_ROOT, OT_ENDPOINT, 2), E_OK);
  CHECK_EQ(container_create(CS, S_ROOT, 3, 10), E_OK);
  CHECK_EQ(fwd_create(CS, 3, 2, 4), E_OK);
  CHECK_EQ(cap_resolve(CS, 4).err, E_OK);
  CHECK_EQ(container_destroy(CS, S_ROOT, 3), E_OK);
  CHECK_EQ(cap_resolve(CS, 4).err, E_STALE);
  CHECK_EQ(cap_resolve(CS, 2).err, E_OK);
  CHECK_STATE();
}

int main(void)
{
  test_resolve_direct();
  test_forwarder_basic();
  test_revocation();
  test_chains();
  test_too_deep_resolve();
  test_destroy_owner_of_forwarder();
  return summary("test_forwarder");
}
