/* hostile: garbage from user space. Every call must come back with its
 * documented error, the kernel must stay up. Returns the number of
 * answers that were not the expected ones (0 = all as documented) and
 * prints each unexpected one. */
#include "ulib.h"
#include "proto.h"

static long bad;

static void expect(const char *what, long got, long want)
{
  if (got != want) {
    printf("hostile: %s: got %s, expected %s\n", what, err_name(got), err_name(want));
    bad++;
  }
}

static uint64_t rng = 0x9e3779b97f4a7c15ul;
static uint64_t rnd(void)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

long hostile(void)
{
  sys_debug_expect_refusals(1);            /* refusals are what I am after */
  /* garbage syscall numbers */
  for (uint64_t nr = SYS_COUNT; nr < SYS_COUNT + 40; nr++)
    expect("unknown syscall", (long)syscall7(nr, 1, 2, 3, 4, 5, 6, 7).r[0], E_BAD_SYSCALL);
  expect("syscall -1", (long)syscall7(~0ul, 0, 0, 0, 0, 0, 0, 0).r[0], E_BAD_SYSCALL);

  /* stale and forged slots */
  expect("delete empty slot", sys_cap_delete(5), E_EMPTY);
  expect("delete slot CSPACE_SLOTS", sys_cap_delete(CSPACE_SLOTS), E_BAD_SLOT);
  expect("delete last slot, empty", sys_cap_delete(CSPACE_SLOTS - 1), E_EMPTY);
  expect("copy to the last slot", sys_cap_copy(P_CONT, SLOT_SELF, CSPACE_SLOTS - 1, RIGHTS_ALL),
         E_OK);
  expect("copy to a slot past it", sys_cap_copy(P_CONT, SLOT_SELF, CSPACE_SLOTS, RIGHTS_ALL),
         E_BAD_SLOT);
  expect("delete the last slot", sys_cap_delete(CSPACE_SLOTS - 1), E_OK);
  expect("delete slot 2^40", sys_cap_delete(1ul << 40), E_BAD_SLOT);
  expect("copy from empty", sys_cap_copy(7, SLOT_SELF, 8, RIGHTS_ALL), E_EMPTY);
  expect("copy bad rights", sys_cap_copy(P_CONT, SLOT_SELF, 8, 8), E_BAD_ARG);
  expect("copy to bad cspace", sys_cap_copy(P_CONT, 31, 8, RIGHTS_ALL), E_EMPTY);
  expect("copy into container", sys_cap_copy(P_CONT, P_CONT, 8, RIGHTS_ALL), E_WRONG_TYPE);
  expect("send on container", sys_send(P_CONT, 1, 0, 0, 0, 0, CAPS0), E_WRONG_TYPE);
  expect("alloc bad type", sys_obj_alloc(P_CONT, 77, 9), E_BAD_ARG);
  expect("alloc process type", sys_obj_alloc(P_CONT, OT_PROCESS, 9), E_BAD_ARG);
  expect("alloc into occupied", sys_obj_alloc(P_CONT, OT_ENDPOINT, P_CONT), E_OCCUPIED);
  /* a stale capability: free an endpoint, then use it */
  expect("alloc ep", sys_obj_alloc(P_CONT, OT_ENDPOINT, 9), E_OK);
  expect("copy ep", sys_cap_copy(9, SLOT_SELF, 10, RIGHTS_ALL), E_OK);
  expect("free ep", sys_obj_free(P_CONT, 9), E_OK);
  expect("send on stale", sys_send(10, 1, 0, 0, 0, 0, CAPS0), E_STALE);
  expect("recv on stale", sys_recv(10).err, E_STALE);
  sys_cap_delete(9);
  sys_cap_delete(10);
  /* bad message descriptors */
  expect("alloc ep2", sys_obj_alloc(P_CONT, OT_ENDPOINT, 9), E_OK);
  expect("3 caps", sys_send(9, 1, 0, 0, 0, 0, 3), E_BAD_ARG);
  expect("caps from empty slot", sys_send(9, 1, 0, 0, 0, 0, CAPS1(30)), E_EMPTY);
  expect("huge descriptor", sys_send(9, 1, 0, 0, 0, 0, ~0ul), E_BAD_ARG);
  expect("reply with nobody", sys_reply(0, 0, 0, 0, 0, CAPS0), E_NO_REPLY);

  /* SLOT_SELF is a destination cspace (cap_copy/mint/move) and the
   * process of map/unmap, nothing else: a process call on myself needs
   * a capability to me (abi.h) */
  expect("suspend SLOT_SELF", sys_proc_suspend(SLOT_SELF), E_BAD_SLOT);
  expect("resume SLOT_SELF", sys_proc_resume(SLOT_SELF), E_BAD_SLOT);
  expect("read reg SLOT_SELF", sys_proc_read_reg(SLOT_SELF, 1, 0), E_BAD_SLOT);
  expect("write reg SLOT_SELF", sys_proc_write_reg(SLOT_SELF, 1, 0), E_BAD_SLOT);
  expect("set fault SLOT_SELF", sys_proc_set_fault(SLOT_SELF, 9), E_BAD_SLOT);
  expect("send SLOT_SELF", sys_send(SLOT_SELF, 1, 0, 0, 0, 0, CAPS0), E_BAD_SLOT);
  /* a destination cspace through a forwarder: it works while the
   * forwarder lives, and is E_STALE once it is revoked */
  expect("alloc cspace", sys_obj_alloc(P_CONT, OT_CSPACE, 12), E_OK);
  expect("forwarder to it", sys_fwd_create(P_CONT, 12, 13), E_OK);
  expect("copy via forwarder", sys_cap_copy(9, 13, 0, RIGHTS_ALL), E_OK);
  expect("revoke forwarder", sys_obj_free(P_CONT, 13), E_OK);
  expect("copy via revoked", sys_cap_copy(9, 13, 1, RIGHTS_ALL), E_STALE);
  expect("free cspace", sys_obj_free(P_CONT, 12), E_OK);
  sys_cap_delete(12);
  sys_cap_delete(13);
  /* the decode (kernel/decode.c, proved): a slot register is 64 bits
   * and its low half never counts alone; the destination needs the write
   * right along the whole chain */
  expect("copy to SLOT_SELF + 2^32", sys_cap_copy(P_CONT, (1ul << 32) | SLOT_SELF, 8, RIGHTS_ALL),
         E_BAD_SLOT);
  expect("copy from slot + 2^32", sys_cap_copy((1ul << 32) | P_CONT, SLOT_SELF, 8, RIGHTS_ALL),
         E_BAD_SLOT);
  expect("copy to slot 8 + 2^32", sys_cap_copy(P_CONT, SLOT_SELF, (1ul << 32) | 8, RIGHTS_ALL),
         E_BAD_SLOT);
  expect("slot 8 still empty", sys_cap_delete(8), E_EMPTY);
  expect("map into SLOT_SELF + 2^32", sys_map((1ul << 32) | SLOT_SELF, 9, 0x50000000, RIGHTS(1, 0, 0)),
         E_BAD_SLOT);
  expect("alloc cspace", sys_obj_alloc(P_CONT, OT_CSPACE, 12), E_OK);
  expect("read-only copy of it", sys_cap_copy(12, SLOT_SELF, 14, RIGHTS(1, 0, 1)), E_OK);
  expect("copy into read-only cspace", sys_cap_copy(9, 14, 0, RIGHTS_ALL), E_NO_RIGHTS);
  expect("forwarder to the read-only one", sys_fwd_create(P_CONT, 14, 13), E_OK);
  expect("copy through it", sys_cap_copy(9, 13, 0, RIGHTS_ALL), E_NO_RIGHTS);
  expect("forwarder on the forwarder", sys_fwd_create(P_CONT, 13, 15), E_OK);
  expect("copy two forwarders down", sys_cap_copy(9, 15, 0, RIGHTS_ALL), E_NO_RIGHTS);
  /* moving the capability that names the destination: it lands there */
  expect("move the cspace cap into its cspace", sys_cap_move(12, 12, 0), E_OK);
  expect("its slot is empty", sys_cap_delete(12), E_EMPTY);
  uint64_t same = 0, badge = 0;
  expect("the read-only copy still names it", sys_cap_identify(14, 14, &same, &badge), E_OK);
  sys_cap_delete(15);
  sys_cap_delete(13);
  expect("free the cspace", sys_obj_free(P_CONT, 14), E_OK);
  sys_cap_delete(14);

  /* unmapped and kernel buffers */
  expect("write unmapped", sys_debug_write((const char *)0x5000000, 4), E_FAULT);
  expect("write null", sys_debug_write(0, 4), E_FAULT);
  expect("write kernel", sys_debug_write((const char *)0xffffffff80000000ul, 4), E_FAULT);
  expect("write huge", sys_debug_write("x", 1ul << 40), E_BAD_ARG);

  /* mapping abuse */
  expect("alloc frame", sys_obj_alloc(P_CONT, OT_FRAME, 11), E_OK);
  expect("map kernel va", sys_map(SLOT_SELF, 11, 0xffffffc000000000ul, RIGHTS(1, 1, 0)), E_BAD_ARG);
  expect("map unaligned", sys_map(SLOT_SELF, 11, 0x50000123, RIGHTS(1, 1, 0)), E_BAD_ARG);
  expect("map page 0", sys_map(SLOT_SELF, 11, 0, RIGHTS(1, 0, 0)), E_BAD_ARG);
  expect("map W without R", sys_map(SLOT_SELF, 11, 0x50000000, 2), E_BAD_ARG);
  expect("map no perm", sys_map(SLOT_SELF, 11, 0x50000000, 0), E_BAD_ARG);
  expect("map over my code", sys_map(SLOT_SELF, 11, 0x10000, RIGHTS(1, 0, 0)), E_MAPPED);
  expect("map ok", sys_map(SLOT_SELF, 11, 0x50000000, RIGHTS(1, 1, 0)), E_OK);
  expect("map twice", sys_map(SLOT_SELF, 11, 0x50001000, RIGHTS(1, 1, 0)), E_MAPPED);
  *(volatile uint64_t *)0x50000000 = 42;
  expect("copy frame read-only", sys_cap_copy(11, SLOT_SELF, 12, RIGHTS(1, 0, 0)), E_OK);
  expect("unmap", sys_unmap(SLOT_SELF, 0x50000000), E_OK);
  expect("unmap again", sys_unmap(SLOT_SELF, 0x50000000), E_NOT_MAPPED);
  expect("map RO cap writable", sys_map(SLOT_SELF, 12, 0x50000000, RIGHTS(1, 1, 0)), E_NO_RIGHTS);
  expect("map freed frame", (sys_obj_free(P_CONT, 11), sys_map(SLOT_SELF, 12, 0x50000000, RIGHTS(1, 0, 0))), E_STALE);

  /* process operations on myself and on garbage */
  expect("resume container", sys_proc_resume(P_CONT), E_WRONG_TYPE);
  expect("read reg of nothing", sys_proc_read_reg(25, 1, 0), E_EMPTY);
  expect("proc_create non-empty cspace", (sys_obj_alloc(P_CONT, OT_CSPACE, 13),
         sys_cap_copy(P_CONT, 13, 0, RIGHTS_ALL),
         sys_proc_create(P_CONT, 13, 14, 0)), E_NOT_EMPTY);
  expect("proc_create prio above mine", (sys_cap_delete(14), sys_obj_alloc(P_CONT, OT_CSPACE, 14),
         sys_proc_create(P_CONT, 14, 15, NPRIO)), E_BAD_ARG);

  /* random garbage in every argument of every call (blocking ones and
   * exit left out): any error is fine, the kernel must stay up */
  for (int i = 0; i < 300; i++) {
    uint64_t nr = rnd() % SYS_COUNT;
    if (nr == SYS_EXIT || nr == SYS_RECV || nr == SYS_CALL || nr == SYS_SEND ||
        nr == SYS_REPLY_RECV || nr == SYS_NOTIFY_WAIT || nr == SYS_PROC_SUSPEND ||
        nr == SYS_CONTAINER_DESTROY || nr == SYS_OBJ_FREE || nr == SYS_UNMAP ||
        nr == SYS_MAP)
      continue;
    uint64_t a[7];
    for (int j = 0; j < 7; j++)
      a[j] = rnd() % 4 == 0 ? rnd() : rnd() % 40;
    syscall7(nr, a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
    if (nr == SYS_DEBUG_EXPECT_REFUSALS)
      sys_debug_expect_refusals(1);          /* a 0 there turned it off */
  }

  /* exhaustion: frames until my container's limit says no */
  long n = 0, e;
  for (;;) {
    e = sys_obj_alloc(P_CONT, OT_FRAME, 16);
    if (e != E_OK)
      break;
    sys_cap_delete(16);       /* the frame stays allocated, charged to me */
    n++;
    if (n > 2000)
      break;
  }
  expect("exhaust frames", e, E_OVER_LIMIT);
  /* depth: containers inside containers until E_TOO_DEEP (or the limit) */
  uint64_t lim = 0;
  sys_container_info(P_CONT, &lim, 0);
  printf("hostile: %ld frames allocated before E_OVER_LIMIT (limit %lu)\n", n, (unsigned long)lim);
  return bad;
}
