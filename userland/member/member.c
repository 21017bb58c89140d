/* member: one node of the hierarchy A{B, C{D, E}}, spawned canonically by
 * its parent (the root task spawns A). a0 = its role, a1 = the size of
 * its own program image, mapped at IMAGES_VA when it has children to
 * spawn. Startup protocol: spawn the children its role names, wait for
 * each one's hello, send its own hello to the parent, then serve its
 * endpoint until told to shut down. */
#include "ulib.h"
#include "spawn.h"
#include "proto.h"

static char role;
static uint64_t image_size;
static int alive[2];
static char kids[3];

static const char *children_of(char r)
{
  return r == 'A' ? "BC" : r == 'C' ? "DE" : "";
}

static void fail(const char *what, long e)
{
  printf("member %c: %s failed: %s\n", role, what, err_name(e));
  exit(100 + e);
}

/* Canonical creation of child i with role r: its container (a limit)
 * from mine, its cspace and process from that container, my image, a
 * service endpoint from its own container, and exactly three
 * capabilities: its container, my endpoint (badged with its role, to say
 * hello), its endpoint. Its faults and exit come to my endpoint. */
static void spawn_child(int i, char r)
{
  uint32_t base = M_CHILD(i);
  const char *stage = "";
  struct spawn_req q;
  memset(&q, 0, sizeof q);
  q.cont = M_CONT;
  q.limit = r == 'C' ? 256u : 64u;
  q.prio = 4;
  q.slot_cont = base;
  q.slot_cspace = base + 1;
  q.slot_proc = base + 2;
  q.slot_tmp = M_TMP;
  q.slot_mem = base + 4;
  q.image = (const uint8_t *)IMAGES_VA;
  q.image_size = image_size;
  if (children_of(r)[0]) {
    q.extra = (const uint8_t *)IMAGES_VA;
    q.extra_size = image_size;
  }
  q.arg[0] = (uint64_t)r;
  q.arg[1] = image_size;
  q.fault_ep = M_EP;
  q.fault_badge = CHILD_FAULT_BADGE(i);
  long e = spawn_build(&q, &stage);
  if (e != E_OK)
    fail(stage, e);
  e = sys_obj_alloc(base, OT_ENDPOINT, base + 3);
  if (e != E_OK)
    fail("child endpoint", e);
  struct capgift gifts[3] = {
    { base, M_CONT, RIGHTS_ALL, 0 },
    { M_EP, M_PARENT, RIGHTS(0, 1, 1), (uint64_t)r },
    { base + 3, M_EP, RIGHTS_ALL, 0 },
  };
  q.caps = gifts;
  q.ncaps = 3;
  e = spawn_start(&q, &stage);
  if (e != E_OK)
    fail(stage, e);
  alive[i] = 1;
}

/* wait for the hello of the child with role r; keep its words */
static struct msg await_hello(char r)
{
  for (;;) {
    struct msg m = sys_recv(M_EP);
    if (m.err != E_OK)
      fail("recv hello", m.err);
    if (m.label == L_HELLO && m.badge == (uint64_t)r)
      return m;
    printf("member %c: unexpected label 0x%lx badge 0x%lx while waiting for %c\n",
           role, (unsigned long)m.label, (unsigned long)m.badge, r);
  }
}

static uint64_t my_usage(void)
{
  uint64_t usage = 0;
  sys_container_info(M_CONT, 0, &usage);
  return usage;
}

/* C's part of the isolation law: D cannot reach its sibling E until C,
 * their common ancestor, gives D a capability to E's endpoint. */
static void sibling_test(uint64_t *before, uint64_t *after)
{
  struct msg m = sys_call(M_CHILD(0) + 3, L_PROBE, 0, 0, 0, 0, CAPS0);
  *before = m.err == E_OK ? m.w[0] : 1000 + (uint64_t)m.err;
  long e = sys_cap_copy(M_CHILD(1) + 3, M_CHILD(0) + 2, M_PEER, RIGHTS(0, 1, 0));
  if (e != E_OK)
    fail("connect D to E", e);
  m = sys_call(M_CHILD(0) + 3, L_PROBE, 0, 0, 0, 0, CAPS0);
  *after = m.err == E_OK ? m.w[1] : 1000 + (uint64_t)m.err;
}

static void serve(void)
{
  struct msg m = sys_recv(M_EP);
  for (;;) {
    if (m.err != E_OK)
      fail("recv", m.err);
    if (m.badge >= CHILD_FAULT_BADGE(0) && m.badge <= CHILD_FAULT_BADGE(1) &&
        (m.label == LABEL_EXIT || m.label == LABEL_FAULT)) {
      /* a child asks for forced destruction (exit) or faulted */
      int i = (int)(m.badge - CHILD_FAULT_BADGE(0));
      long e = sys_container_destroy(M_CONT, M_CHILD(i));
      if (e == E_OK)
        alive[i] = 0;
      for (uint32_t s = 0; s < 5; s++)
        sys_cap_delete(M_CHILD(i) + s);
      /* tell my parent (it waits for this when it started the shutdown) */
      sys_send(M_PARENT, L_REAPED, (uint64_t)kids[i], my_usage(), 0, 0, CAPS0);
      m = sys_recv(M_EP);      /* no reply: the caller is gone */
      continue;
    }
    if (m.label == L_PING) {
      m = sys_reply_recv(M_EP, (uint64_t)role, 0, 0, 0, 0, CAPS0);
    } else if (m.label == L_INFO) {
      m = sys_reply_recv(M_EP, L_INFO, my_usage(), (uint64_t)(alive[0] + alive[1]),
                         0, 0, CAPS0);
    } else if (m.label == L_PROBE) {
      /* before my parent connects me, this call is refused: on purpose */
      sys_debug_expect_refusals(1);
      struct msg r = sys_call(M_PEER, L_PING, 0, 0, 0, 0, CAPS0);
      sys_debug_expect_refusals(0);
      m = sys_reply_recv(M_EP, L_PROBE, (uint64_t)r.err, r.label, 0, 0, CAPS0);
    } else if (m.label == L_SHUTDOWN) {
      /* cooperative destruction: tear down, answer, then ask the parent
       * (through the exit message) to destroy my container */
      for (int i = 0; i < 2; i++)
        if (alive[i])
          sys_container_destroy(M_CONT, M_CHILD(i));
      sys_reply(L_SHUTDOWN, 0, 0, 0, 0, CAPS0);
      exit(0);
    } else {
      m = sys_reply_recv(M_EP, 0xbad, 0, 0, 0, 0, CAPS0);
    }
  }
}

int main(uint64_t r, uint64_t size)
{
  uint64_t w1 = 0, w2 = 0, w3 = 0, caps = CAPS0;
  role = (char)r;
  image_size = size;
  const char *c = children_of(role);
  for (int i = 0; c[i]; i++) {
    kids[i] = c[i];
    if (role == 'A' && c[i] == 'C')
      w1 = my_usage();         /* before C: forced destruction must return here */
    spawn_child(i, c[i]);
    struct msg h = await_hello(c[i]);
    if (role == 'A' && c[i] == 'C') {
      w2 = h.w[2];             /* C's sibling test, passed up */
      w3 = h.w[3];
    }
  }
  if (role == 'C')
    sibling_test(&w2, &w3);
  if (role == 'A')
    caps = CAPS2(M_CHILD(1), M_CHILD(0) + 3);   /* C's container, B's endpoint */
  printf("member %c: up, container usage %lu frames\n", role, (unsigned long)my_usage());
  long e = sys_send(M_PARENT, L_HELLO, (uint64_t)role, w1, w2, w3, caps);
  if (e != E_OK)
    fail("hello", e);
  serve();
  return 0;
}
