/* hostile: garbage from user space. Every call must come back with its
 * documented error, the kernel must stay up. Returns the number of
 * answers that were not the expected ones (0 = all as documented) and
 * prints each unexpected one. */
#include "ulib.h"
#include "proto.h"

static long bad, checks;

static void expect(const char *what, long got, long want)
{
  checks++;
  if (got != want) {
    printf("hostile: %s: got %s, expected %s\n", what, err_name(got), err_name(want));
    bad++;
  }
}

/* a condition that must hold */
static void expect_true(const char *what, int ok)
{
  checks++;
  if (!ok) {
    printf("hostile: %s: not as expected\n", what);
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

/* ---- SYS_FRAME_WRITE (docs/SYSCALLS.md row 39) ---------------------------
 * frame_write(frame, off, src, len): the capability (a user frame, through
 * forwarders, with the write right), the range (off + len <= 4096), the
 * source (every byte readable to me, else E_FAULT and nothing written).
 * The destination D is checked byte by byte against a model M of what it
 * must hold: M is a frame of mine mapped read-write, updated before each
 * write that must succeed (from the source as it is before the write, so
 * a source inside D itself is modelled too, for ranges that do not
 * overlap). D is looked at through a mapping: made for the check and
 * removed (phase 1: a frame I do not have mapped, as a loader's), or kept
 * (phase 2: a frame I have mapped, read-write or read-only). */
#define PG       4096ul
#define FW_VA_M  0x50008000ul  /* the model                                   */
#define FW_VA_D  0x50010000ul  /* D when mapped; the page after it unmapped   */
#define FW_VA_S  0x50020000ul  /* two source pages S0, S1; the page before    */
                               /* and the page after (FW_VA_S + 2 PG) unmapped */
enum {
  FD = 40, FS0, FS1, FM, FRO, FWO, FNONE, FRG, FF1, FF2, FROF1, FFRO, FFRO2,
  FEP, FNT, FCS, FTM, FFEP, FX, FDEAD, FDEAD2, FDEADF, FNEW, FDEVRO, FDEVF,
  FEMPTY, FLAST
};

static volatile uint8_t *const fw_m = (volatile uint8_t *)FW_VA_M;
static volatile uint8_t *const fw_d = (volatile uint8_t *)FW_VA_D;

static uint8_t fw_pat(uint64_t i)
{
  return (uint8_t)((i * 151u) ^ (i >> 8) ^ 0x5au);
}

/* a write that must succeed: the model first, then the call */
static void fw_ok(const char *what, uint64_t slot, uint64_t off, uint64_t src, uint64_t len)
{
  const volatile uint8_t *s = (const volatile uint8_t *)src;
  for (uint64_t i = 0; i < len; i++)
    fw_m[off + i] = s[i];
  expect(what, sys_frame_write(slot, off, (const void *)src, len), E_OK);
}

/* D (mapped at FW_VA_D) holds exactly the model: every byte, those
 * outside the ranges written too. After a difference (the first one
 * printed) the model takes D's bytes, so that the next checks see only
 * what changes after this one. */
static void fw_same(const char *what)
{
  checks++;
  for (uint64_t i = 0; i < PG; i++)
    if (fw_d[i] != fw_m[i]) {
      printf("hostile: %s: byte %lu of the frame is 0x%x, expected 0x%x\n", what,
             (unsigned long)i, (unsigned)fw_d[i], (unsigned)fw_m[i]);
      bad++;
      for (uint64_t j = 0; j < PG; j++)
        fw_m[j] = fw_d[j];
      return;
    }
}

/* D, not mapped: map it read-only to look, unmap */
static void fw_check(const char *what)
{
  long e = sys_map(SLOT_SELF, FD, FW_VA_D, RIGHTS(1, 0, 0));
  expect("fw: map D read-only to check it", e, E_OK);
  if (e != E_OK)
    return;
  fw_same(what);
  expect("fw: unmap D", sys_unmap(SLOT_SELF, FW_VA_D), E_OK);
}

/* the write is refused with want (D is looked at by the fw_check or
 * fw_same after it: nothing written) */
static void fw_refused(const char *what, uint64_t slot, uint64_t off, uint64_t src, uint64_t len,
                       long want)
{
  expect(what, sys_frame_write(slot, off, (const void *)src, len), want);
}

static void frame_write_tests(void)
{
  long bad0 = bad, checks0 = checks;
  uint64_t u0 = 0, u1 = 0, type = 0;
  sys_container_info(P_CONT, 0, &u0);
  expect("fw: alloc D", sys_obj_alloc(P_CONT, OT_FRAME, FD), E_OK);
  expect("fw: alloc S0", sys_obj_alloc(P_CONT, OT_FRAME, FS0), E_OK);
  expect("fw: alloc S1", sys_obj_alloc(P_CONT, OT_FRAME, FS1), E_OK);
  expect("fw: alloc M", sys_obj_alloc(P_CONT, OT_FRAME, FM), E_OK);
  expect("fw: map M", sys_map(SLOT_SELF, FM, FW_VA_M, RIGHTS(1, 1, 0)), E_OK);
  expect("fw: map S0", sys_map(SLOT_SELF, FS0, FW_VA_S, RIGHTS(1, 1, 0)), E_OK);
  expect("fw: map S1", sys_map(SLOT_SELF, FS1, FW_VA_S + PG, RIGHTS(1, 1, 0)), E_OK);
  if (bad != bad0) {
    printf("hostile: frame_write: set-up failed, its tests not run\n");
    goto out;
  }
  for (uint64_t i = 0; i < 2 * PG; i++)
    ((volatile uint8_t *)FW_VA_S)[i] = fw_pat(i);
  fw_check("fw: a new frame is zeroed");      /* the model is a new frame too */

  /* success, D not mapped: the word path (both ends 8-aligned), full pages */
  fw_ok("fw: off 0 len 4096 (words)", FD, 0, FW_VA_S, PG);
  fw_check("fw: a full page written");
  fw_ok("fw: off 0 len 4096, source across S0 and S1", FD, 0, FW_VA_S + 0x800, PG);
  fw_check("fw: a full page from two source pages");
  /* the byte path (an odd end) and the mixed ones: the bytes outside
   * [off, off + len) stay as they were */
  fw_ok("fw: odd off, odd src, odd len", FD, 3, FW_VA_S + 5, 1001);
  fw_check("fw: odd off, odd src, odd len: only those bytes");
  fw_ok("fw: aligned off, odd src", FD, 8, FW_VA_S + 1, 100);
  fw_ok("fw: odd off, aligned src", FD, 1, FW_VA_S + 8, 77);
  fw_ok("fw: words and a tail", FD, 1200, FW_VA_S + 0x1100, 8 * 17 + 5);
  fw_ok("fw: words from two source pages", FD, 16, FW_VA_S + 0xf08, 1000);
  fw_ok("fw: one byte from each source page", FD, 2999, FW_VA_S + 0xfff, 2);
  fw_ok("fw: the first byte", FD, 0, FW_VA_S + 0x1234, 1);
  fw_check("fw: partial writes: only their bytes");

  /* the range: off + len <= 4096, in 64 bits (no wrap-around) */
  fw_ok("fw: off 4096 len 0", FD, PG, FW_VA_S, 0);
  fw_refused("fw: off 4096 len 1", FD, PG, FW_VA_S, 1, E_BAD_ARG);
  fw_ok("fw: off 4095 len 1 (the last byte)", FD, PG - 1, FW_VA_S + 0x777, 1);
  fw_refused("fw: off 1 len 4096", FD, 1, FW_VA_S, PG, E_BAD_ARG);
  fw_refused("fw: off 0 len 4097", FD, 0, FW_VA_S, PG + 1, E_BAD_ARG);
  fw_refused("fw: off 4097 len 0", FD, PG + 1, FW_VA_S, 0, E_BAD_ARG);
  fw_refused("fw: off 2^63 len 0", FD, 1ul << 63, FW_VA_S, 0, E_BAD_ARG);
  fw_refused("fw: off 2^63 len 1", FD, 1ul << 63, FW_VA_S, 1, E_BAD_ARG);
  fw_refused("fw: off 0 len 2^64-1", FD, 0, FW_VA_S, ~0ul, E_BAD_ARG);
  fw_refused("fw: off 1 len 2^64-1 (sum wraps to 0)", FD, 1, FW_VA_S, ~0ul, E_BAD_ARG);
  fw_refused("fw: off 4096 len 2^64-4096 (sum wraps to 0)", FD, PG, FW_VA_S, 0ul - PG, E_BAD_ARG);
  fw_refused("fw: off 2^64-1 len 1 (sum wraps to 0)", FD, ~0ul, FW_VA_S, 1, E_BAD_ARG);
  fw_refused("fw: off 2^64-1 len 0", FD, ~0ul, FW_VA_S, 0, E_BAD_ARG);
  fw_refused("fw: off 0 len 2^63", FD, 0, FW_VA_S, 1ul << 63, E_BAD_ARG);
  fw_refused("fw: bad range before a bad source", FD, PG, 0, 1, E_BAD_ARG);
  fw_check("fw: the range checks");

  /* the source: every byte readable to me, else E_FAULT and not one byte
   * written (D checked after each) */
  fw_refused("fw: src unmapped", FD, 0, 0x5000000, 16, E_FAULT);
  fw_check("fw: src unmapped: nothing written");
  fw_refused("fw: src 0", FD, 0, 0, 1, E_FAULT);
  fw_check("fw: src 0: nothing written");
  fw_refused("fw: src a kernel address", FD, 0, 0xffffffc000000000ul, 64, E_FAULT);
  fw_check("fw: src a kernel address: nothing written");
  fw_refused("fw: src the kernel image", FD, 0, 0xffffffff80000000ul, 8, E_FAULT);
  fw_check("fw: src the kernel image: nothing written");
  fw_refused("fw: src across the top of user space", FD, 0, 0x3ffffffff8ul, 16, E_FAULT);
  fw_check("fw: src across the top: nothing written");
  fw_refused("fw: src wrapping around 2^64", FD, 0, ~0ul - 3, 8, E_FAULT);
  fw_check("fw: src wrapping: nothing written");
  /* a source that ends where the mapped pages end is whole */
  fw_ok("fw: src up to the end of S1 (unmapped after it)", FD, 500, FW_VA_S + 2 * PG - 64, 64);
  fw_ok("fw: src all of S1 (unmapped after it)", FD, 0, FW_VA_S + PG, PG);
  fw_check("fw: src up to an unmapped page");
  fw_refused("fw: src mapped, then unmapped (last byte)", FD, 0, FW_VA_S + PG + 1, PG, E_FAULT);
  fw_check("fw: src mapped then unmapped: nothing written");
  fw_refused("fw: src mapped, then unmapped (short)", FD, 100, FW_VA_S + 2 * PG - 10, 20, E_FAULT);
  fw_check("fw: src mapped then unmapped, short: nothing written");
  fw_refused("fw: src unmapped, then mapped", FD, 8, FW_VA_S - 8, 16, E_FAULT);
  fw_check("fw: src unmapped then mapped: nothing written");
  /* len 0 reads nothing: any source is fine */
  fw_ok("fw: len 0, src 0", FD, 0, 0, 0);
  fw_ok("fw: len 0, src a kernel address", FD, 5, 0xffffffc000000000ul, 0);
  fw_ok("fw: len 0, src unmapped", FD, 4000, 0x5000000, 0);
  fw_check("fw: len 0: nothing written");
  /* an execute-only page is not readable: E_FAULT, alone and after a
   * readable one; mapped read-only it is a source like any */
  expect("fw: alloc X", sys_obj_alloc(P_CONT, OT_FRAME, FX), E_OK);
  expect("fw: map X execute-only", sys_map(SLOT_SELF, FX, FW_VA_S + 2 * PG, RIGHTS(0, 0, 1)), E_OK);
  fw_refused("fw: src execute-only", FD, 0, FW_VA_S + 2 * PG, 8, E_FAULT);
  fw_check("fw: src execute-only: nothing written");
  fw_refused("fw: src readable, then execute-only", FD, 0, FW_VA_S + 2 * PG - 4, 8, E_FAULT);
  fw_check("fw: src readable then execute-only: nothing written");
  expect("fw: unmap X", sys_unmap(SLOT_SELF, FW_VA_S + 2 * PG), E_OK);
  expect("fw: map X read-only", sys_map(SLOT_SELF, FX, FW_VA_S + 2 * PG, RIGHTS(1, 0, 0)), E_OK);
  fw_ok("fw: src read-only (zeroes), across S1 and X", FD, 500, FW_VA_S + 2 * PG - 50, 300);
  expect("fw: unmap X", sys_unmap(SLOT_SELF, FW_VA_S + 2 * PG), E_OK);
  /* my own code (read-execute) */
  fw_ok("fw: src my code", FD, 1000, (uint64_t)(uintptr_t)&frame_write_tests, 64);
  fw_check("fw: sources read-only and code");

  /* the capability: lookup errors, each with the exact code */
  fw_refused("fw: slot CSPACE_SLOTS", CSPACE_SLOTS, 0, FW_VA_S, 8, E_BAD_SLOT);
  fw_refused("fw: slot SLOT_SELF", SLOT_SELF, 0, FW_VA_S, 8, E_BAD_SLOT);
  fw_refused("fw: slot D + 2^32", (1ul << 32) | FD, 0, FW_VA_S, 8, E_BAD_SLOT);
  fw_refused("fw: slot D + 2^63", (1ul << 63) | FD, 0, FW_VA_S, 8, E_BAD_SLOT);
  fw_refused("fw: slot 2^64-1", ~0ul, 0, FW_VA_S, 8, E_BAD_SLOT);
  fw_refused("fw: empty slot", FEMPTY, 0, FW_VA_S, 8, E_EMPTY);
  fw_refused("fw: empty slot, len 0", FEMPTY, 0, FW_VA_S, 0, E_EMPTY);
  /* the type: a user frame only */
  fw_refused("fw: a container", P_CONT, 0, FW_VA_S, 8, E_WRONG_TYPE);
  expect("fw: alloc ep", sys_obj_alloc(P_CONT, OT_ENDPOINT, FEP), E_OK);
  expect("fw: alloc ntfn", sys_obj_alloc(P_CONT, OT_NOTIFICATION, FNT), E_OK);
  expect("fw: alloc cspace", sys_obj_alloc(P_CONT, OT_CSPACE, FCS), E_OK);
  expect("fw: alloc timer", sys_obj_alloc(P_CONT, OT_TIMER, FTM), E_OK);
  expect("fw: forwarder to the ep", sys_fwd_create(P_CONT, FEP, FFEP), E_OK);
  fw_refused("fw: an endpoint", FEP, 0, FW_VA_S, 8, E_WRONG_TYPE);
  fw_refused("fw: a notification", FNT, 0, FW_VA_S, 8, E_WRONG_TYPE);
  fw_refused("fw: a cspace", FCS, 0, FW_VA_S, 8, E_WRONG_TYPE);
  fw_refused("fw: a timer", FTM, 0, FW_VA_S, 8, E_WRONG_TYPE);
  fw_refused("fw: a forwarder to an endpoint", FFEP, 0, FW_VA_S, 8, E_WRONG_TYPE);
  fw_refused("fw: an endpoint, len 0", FEP, 0, FW_VA_S, 0, E_WRONG_TYPE);
  fw_refused("fw: an endpoint, bad range", FEP, PG, FW_VA_S, 1, E_WRONG_TYPE);
  expect("fw: revoke the ep's forwarder", sys_obj_free(P_CONT, FFEP), E_OK);
  expect("fw: free ep", sys_obj_free(P_CONT, FEP), E_OK);
  expect("fw: free ntfn", sys_obj_free(P_CONT, FNT), E_OK);
  expect("fw: free cspace", sys_obj_free(P_CONT, FCS), E_OK);
  expect("fw: free timer", sys_obj_free(P_CONT, FTM), E_OK);
  /* the write right, before the range and the source */
  expect("fw: read-only copy of D", sys_cap_copy(FD, SLOT_SELF, FRO, RIGHTS(1, 0, 0)), E_OK);
  expect("fw: write-only copy of D", sys_cap_copy(FD, SLOT_SELF, FWO, RIGHTS(0, 1, 0)), E_OK);
  expect("fw: copy of D with no rights", sys_cap_copy(FD, SLOT_SELF, FNONE, 0), E_OK);
  expect("fw: read+grant copy of D", sys_cap_copy(FD, SLOT_SELF, FRG, RIGHTS(1, 0, 1)), E_OK);
  fw_refused("fw: read-only", FRO, 0, FW_VA_S, 8, E_NO_RIGHTS);
  fw_refused("fw: read-only, len 0", FRO, 0, FW_VA_S, 0, E_NO_RIGHTS);
  fw_refused("fw: read-only, bad range", FRO, PG, FW_VA_S, 1, E_NO_RIGHTS);
  fw_refused("fw: read-only, bad source", FRO, 0, 0, 8, E_NO_RIGHTS);
  fw_refused("fw: no rights", FNONE, 0, FW_VA_S, 8, E_NO_RIGHTS);
  fw_refused("fw: read and grant", FRG, 0, FW_VA_S, 8, E_NO_RIGHTS);
  fw_check("fw: refused capabilities: nothing written");
  fw_ok("fw: write-only capability", FWO, 2222, FW_VA_S + 0x333, 33);
  fw_check("fw: through the write-only capability");
  /* forwarders: a chain with the write right works; the read-only
   * capability behind one, or a read-only copy of one, does not; a
   * revoked one is E_STALE, and so is every chain through it */
  expect("fw: forwarder F1 to D", sys_fwd_create(P_CONT, FD, FF1), E_OK);
  expect("fw: forwarder F2 to F1", sys_fwd_create(P_CONT, FF1, FF2), E_OK);
  expect("fw: read-only copy of F1", sys_cap_copy(FF1, SLOT_SELF, FROF1, RIGHTS(1, 0, 0)), E_OK);
  expect("fw: forwarder to the read-only D", sys_fwd_create(P_CONT, FRO, FFRO), E_OK);
  expect("fw: forwarder to that one", sys_fwd_create(P_CONT, FFRO, FFRO2), E_OK);
  fw_ok("fw: through F1", FF1, 10, FW_VA_S + 0x100, 40);
  fw_ok("fw: through F2, F1", FF2, 60, FW_VA_S + 0x201, 41);
  fw_refused("fw: a read-only copy of F1", FROF1, 0, FW_VA_S, 8, E_NO_RIGHTS);
  fw_refused("fw: forwarder to read-only", FFRO, 0, FW_VA_S, 8, E_NO_RIGHTS);
  fw_refused("fw: two forwarders to read-only", FFRO2, 0, FW_VA_S, 8, E_NO_RIGHTS);
  expect("fw: revoke F1", sys_obj_free(P_CONT, FF1), E_OK);
  fw_refused("fw: revoked F1", FF1, 0, FW_VA_S, 8, E_STALE);
  fw_refused("fw: revoked F1, len 0", FF1, 0, FW_VA_S, 0, E_STALE);
  fw_refused("fw: F2 over revoked F1", FF2, 0, FW_VA_S, 8, E_STALE);
  fw_refused("fw: read-only copy of revoked F1", FROF1, 0, FW_VA_S, 8, E_STALE);
  fw_check("fw: forwarders: only the allowed writes");
  fw_ok("fw: D itself after its forwarder's revocation", FD, 4000, FW_VA_S + 0x1fa0, 96);
  fw_check("fw: D after the revocation");
  /* a freed frame: its capability, a copy, a forwarder all E_STALE; the
   * frame reused for a new one gets nothing through them */
  expect("fw: alloc a frame to free", sys_obj_alloc(P_CONT, OT_FRAME, FDEAD), E_OK);
  expect("fw: copy of it", sys_cap_copy(FDEAD, SLOT_SELF, FDEAD2, RIGHTS_ALL), E_OK);
  expect("fw: forwarder to it", sys_fwd_create(P_CONT, FDEAD, FDEADF), E_OK);
  expect("fw: write it while it lives", sys_frame_write(FDEAD, 0, (const void *)FW_VA_S, 8), E_OK);
  expect("fw: free it", sys_obj_free(P_CONT, FDEAD), E_OK);
  fw_refused("fw: freed frame", FDEAD, 0, FW_VA_S, 8, E_STALE);
  fw_refused("fw: freed frame, len 0", FDEAD, 0, FW_VA_S, 0, E_STALE);
  fw_refused("fw: freed frame, bad range", FDEAD, PG, FW_VA_S, 1, E_STALE);
  fw_refused("fw: copy of the freed frame", FDEAD2, 0, FW_VA_S, 8, E_STALE);
  fw_refused("fw: forwarder to the freed frame", FDEADF, 0, FW_VA_S, 8, E_STALE);
  expect("fw: alloc a new frame", sys_obj_alloc(P_CONT, OT_FRAME, FNEW), E_OK);
  fw_refused("fw: freed frame, after a new one", FDEAD2, 0, FW_VA_S, PG, E_STALE);
  if (sys_map(SLOT_SELF, FNEW, FW_VA_D, RIGHTS(1, 0, 0)) == E_OK) {
    long nz = 0;
    for (uint64_t i = 0; i < PG; i++)
      nz += fw_d[i] != 0;
    expect_true("fw: the new frame is all zeroes", nz == 0);
    sys_unmap(SLOT_SELF, FW_VA_D);
  } else {
    expect_true("fw: map the new frame", 0);
  }
  expect("fw: revoke the freed frame's forwarder", sys_obj_free(P_CONT, FDEADF), E_OK);
  expect("fw: free the new frame", sys_obj_free(P_CONT, FNEW), E_OK);

  /* a device page (the root task gives me one in P_CAP): never a
   * destination (E_WRONG_TYPE, before the rights and the range), and
   * never a source (E_FAULT: the kernel reads no device register for me,
   * docs/DEVICES.md) */
  if (sys_cap_resolve(P_CAP, &type, 0, 0) == E_OK && type == OT_DEVICE) {
    fw_refused("fw: a device page", P_CAP, 0, FW_VA_S, 8, E_WRONG_TYPE);
    fw_refused("fw: a device page, len 0", P_CAP, 0, FW_VA_S, 0, E_WRONG_TYPE);
    fw_refused("fw: a device page, bad range", P_CAP, PG, FW_VA_S, 1, E_WRONG_TYPE);
    expect("fw: read-only copy of the device page",
           sys_cap_copy(P_CAP, SLOT_SELF, FDEVRO, RIGHTS(1, 0, 0)), E_OK);
    expect("fw: forwarder to the device page", sys_fwd_create(P_CONT, P_CAP, FDEVF), E_OK);
    fw_refused("fw: a read-only device page", FDEVRO, 0, FW_VA_S, 8, E_WRONG_TYPE);
    fw_refused("fw: a forwarder to a device page", FDEVF, 0, FW_VA_S, 8, E_WRONG_TYPE);
    expect("fw: map the device page read-only", sys_map(SLOT_SELF, FDEVRO, FW_VA_S + 2 * PG,
                                                        RIGHTS(1, 0, 0)), E_OK);
    fw_refused("fw: src a device page", FD, 0, FW_VA_S + 2 * PG, 8, E_FAULT);
    fw_check("fw: src a device page: nothing written");
    fw_refused("fw: src RAM, then a device page", FD, 0, FW_VA_S + 2 * PG - 8, 16, E_FAULT);
    fw_check("fw: src RAM then a device page: nothing written");
    expect("fw: unmap the device page", sys_unmap(SLOT_SELF, FW_VA_S + 2 * PG), E_OK);
    expect("fw: revoke the device page's forwarder", sys_obj_free(P_CONT, FDEVF), E_OK);
    sys_cap_delete(FDEVRO);
    sys_cap_delete(FDEVF);
    sys_cap_delete(P_CAP);
  } else {
    printf("hostile: frame_write: no device page given, its device-page checks skipped\n");
  }

  /* phase 2: D mapped read-write in my own address space; the writes
   * show through the mapping at once */
  expect("fw: map D read-write", sys_map(SLOT_SELF, FD, FW_VA_D, RIGHTS(1, 1, 0)), E_OK);
  fw_same("fw: D mapped: as modelled");
  fw_ok("fw: D mapped: a write", FD, 100, FW_VA_S + 7, 50);
  fw_same("fw: D mapped: the write shows through the mapping");
  fw_d[99] = 0xa5;                             /* my store, then the kernel's */
  fw_m[99] = 0xa5;
  fw_ok("fw: D mapped: a write next to my store", FD, 98, FW_VA_S + 0x1ff, 1);
  fw_same("fw: D mapped: my store and the kernel's");
  /* the source in D itself, ranges apart: the bytes as they were */
  fw_ok("fw: src in D, after it", FD, 2048, FW_VA_D, 1024);
  fw_ok("fw: src in D, before it", FD, 0, FW_VA_D + 3000, 1000);
  fw_ok("fw: src in D, odd", FD, 1001, FW_VA_D + 2001, 999);
  fw_ok("fw: src in D, adjacent", FD, 2048, FW_VA_D + 2040, 8);
  fw_same("fw: src in D: as modelled");
  fw_refused("fw: src in D, then the unmapped page after it", FD, 0, FW_VA_D + 4000, 200, E_FAULT);
  fw_same("fw: src in D then unmapped: nothing written");
  /* overlapping ranges: the bytes in the range are not specified, the
   * others stay */
  expect("fw: src in D, overlapping", sys_frame_write(FD, 8, (const void *)FW_VA_D, 1024), E_OK);
  for (uint64_t i = 8; i < 8 + 1024; i++)
    fw_m[i] = fw_d[i];
  fw_same("fw: src in D, overlapping: the rest unchanged");
  expect("fw: src in D, overlapping, lower", sys_frame_write(FD, 0, (const void *)(FW_VA_D + 8), 1024),
         E_OK);
  for (uint64_t i = 0; i < 1024; i++)
    fw_m[i] = fw_d[i];
  fw_same("fw: src in D, overlapping lower: the rest unchanged");
  expect("fw: unmap D", sys_unmap(SLOT_SELF, FW_VA_D), E_OK);
  /* mapped read-only, the capability read-write: the write is allowed */
  expect("fw: map D read-only", sys_map(SLOT_SELF, FD, FW_VA_D, RIGHTS(1, 0, 0)), E_OK);
  fw_ok("fw: D mapped read-only: a write", FD, 300, FW_VA_S + 0x1003, 10);
  fw_ok("fw: D mapped read-only: src in D", FD, 3500, FW_VA_D + 10, 500);
  fw_same("fw: D mapped read-only: the writes show");
  expect("fw: unmap D", sys_unmap(SLOT_SELF, FW_VA_D), E_OK);
  fw_check("fw: D unmapped again: as modelled");

out:
  sys_unmap(SLOT_SELF, FW_VA_S);
  sys_unmap(SLOT_SELF, FW_VA_S + PG);
  sys_unmap(SLOT_SELF, FW_VA_M);
  sys_obj_free(P_CONT, FF2);
  sys_obj_free(P_CONT, FFRO2);
  sys_obj_free(P_CONT, FFRO);
  sys_obj_free(P_CONT, FX);
  sys_obj_free(P_CONT, FD);
  sys_obj_free(P_CONT, FS0);
  sys_obj_free(P_CONT, FS1);
  sys_obj_free(P_CONT, FM);
  for (uint64_t s = FD; s < FLAST; s++)
    sys_cap_delete(s);
  sys_container_info(P_CONT, 0, &u1);
  expect_true("fw: every frame back", u1 == u0);
  if (u1 != u0)
    printf("hostile: frame_write: usage %lu after, %lu before\n", (unsigned long)u1,
           (unsigned long)u0);
  printf("hostile: frame_write: %ld checks, %ld failed\n", checks - checks0, bad - bad0);
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

  /* SYS_FRAME_WRITE (after the maps above: its pages share their page
   * tables, so that every frame it takes comes back) */
  frame_write_tests();

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
