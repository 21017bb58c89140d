/* proc_test: host unit test of the process / IPC core (kernel/proc.c,
 * sched.c, ipc.c) on top of the kernel core, built with ASan + UBSan.
 * Drives the operations the way the syscall layer does (registers in
 * p_regs) and checks every result and state change. */
#include <stdio.h>
#include <stdlib.h>
#include "proc.h"
#include "internal.h"

static int failures;
#define CHECK(c) do { if (!(c)) { printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); failures++; } } while (0)

enum { ROOT = 0, RCS = 1 };

/* a process made the way user_start makes the root task */
static uint32_t boot_proc(uint32_t slot)
{
  struct frame_ret f = kobj_alloc(ROOT, OT_PROCESS);
  CHECK(f.err == E_OK);
  proc_make(f.frame, ROOT, RCS, NPRIO - 1);
  slot_set(RCS, slot, OT_PROCESS, f.frame, frame_gen[f.frame], 1, 1, 1, 0);
  return f.frame;
}

/* a send as the syscall layer does it: find, then deliver */
static kerr_t send(uint32_t p, uint32_t slot, uint32_t is_call)
{
  struct send_ret r = ipc_send(p, slot, is_call);
  if (r.err == E_OK && r.partner != NO_PROC)
    ipc_send_to(p, r.partner, is_call);
  return r.err;
}

static void set_msg(uint32_t p, uint64_t label, uint64_t w0, uint64_t caps)
{
  p_regs[REG(p, 11)] = label;
  p_regs[REG(p, 12)] = w0;
  p_regs[REG(p, 16)] = caps;
}

static void test_create(void)
{
  uint32_t me = boot_proc(2);
  CHECK(obj_alloc(RCS, 0, OT_CSPACE, 3) == E_OK);
  CHECK(proc_create(RCS, me, 0, 3, 4, NPRIO) == E_BAD_ARG);        /* prio */
  CHECK(proc_create(RCS, me, 0, 1, 4, 1) == (kerr_t)E_NOT_EMPTY);  /* my cspace */
  CHECK(proc_create(RCS, me, 3, 3, 4, 1) == E_WRONG_TYPE);
  CHECK(proc_create(RCS, me, 0, 3, 40, 1) == E_BAD_SLOT);
  uint32_t usage = c_usage[ROOT];
  CHECK(proc_create(RCS, me, 0, 3, 4, 1) == E_OK);
  CHECK(c_usage[ROOT] == usage + 1);
  uint32_t child = cap_obj[RCS][4];
  CHECK(frame_type[child] == OT_PROCESS && p_state[child] == PS_SUSPENDED);
  CHECK(p_cspace[child] == cap_obj[RCS][3]);
  CHECK(proc_resume(RCS, 4) == E_OK && p_state[child] == PS_READY);
  CHECK(proc_resume(RCS, 4) == (kerr_t)E_BAD_STATE);
  CHECK(proc_write_reg(RCS, 4, 5, 7) == (kerr_t)E_BAD_STATE);       /* ready */
  CHECK(proc_suspend(RCS, 4) == E_OK && p_state[child] == PS_SUSPENDED);
  CHECK(proc_write_reg(RCS, 4, 5, 7) == E_OK);
  CHECK(proc_write_reg(RCS, 4, 33, 7) == E_BAD_ARG);
  struct reg_ret r = proc_read_reg(RCS, 4, 5);
  CHECK(r.err == E_OK && r.value == 7);
  /* destroy it: obj_free, then the reaper retires its state */
  CHECK(obj_free(RCS, 0, 4) == E_OK);
  proc_reap();
  CHECK(p_state[child] == PS_NONE && !proc_live(child));
  CHECK(proc_resume(RCS, 4) == E_STALE);
}

static void test_ipc(void)
{
  uint32_t me = boot_proc(5);
  /* two processes sharing the root cspace is enough for the core */
  uint32_t server = boot_proc(6), client = boot_proc(7);
  CHECK(obj_alloc(RCS, 0, OT_ENDPOINT, 8) == E_OK);
  uint32_t ep = cap_obj[RCS][8];
  CHECK(cap_mint(RCS, 8, RCS, 9, 0, 1, 1, 0x55) == E_OK);          /* badged send cap */
  proc_ready(server);
  proc_ready(client);
  (void)me;
  /* server receives first: blocks */
  CHECK(ipc_recv(server, 8) == E_OK && p_state[server] == PS_RECV && p_wait[server] == ep);
  /* client calls with label 7, w0 = 42, through the badged cap */
  set_msg(client, 7, 42, 0);
  CHECK(send(client, 9, 1) == E_OK);
  CHECK(p_state[server] == PS_READY && p_state[client] == PS_REPLY);
  CHECK(p_regs[REG(server, 11)] == 0x55 && p_regs[REG(server, 12)] == 7 &&
        p_regs[REG(server, 13)] == 42);
  CHECK(p_reply_to[server] == client);
  /* reply with label 9 */
  set_msg(server, 9, 1, 0);
  CHECK(ipc_reply(server) == E_OK && p_state[client] == PS_READY);
  CHECK(p_regs[REG(client, 12)] == 9 && p_regs[REG(client, 10)] == E_OK);
  CHECK(ipc_reply(server) == (kerr_t)E_NO_REPLY);                   /* one shot */
  /* a sender without a receiver queues; the receiver takes the oldest */
  set_msg(client, 1, 0, 0);
  CHECK(send(client, 9, 0) == E_OK && p_state[client] == PS_SEND);
  CHECK(ipc_recv(server, 8) == E_OK && p_state[client] == PS_READY &&
        p_regs[REG(server, 12)] == 1);
  /* refused sends change nothing */
  set_msg(client, 1, 0, 3);
  CHECK(send(client, 9, 0) == E_BAD_ARG);
  set_msg(client, 1, 0, 1 + 4 * 8);                                 /* cap in slot 8 */
  CHECK(send(client, 9, 0) == E_OK);                            /* 9 has grant */
  CHECK(p_state[client] == PS_SEND);
  p_rslot[MC(server, 0)] = 20;
  CHECK(ipc_recv(server, 8) == E_OK && p_regs[REG(server, 17)] == 1);
  CHECK(cap_type[RCS][20] == OT_ENDPOINT && cap_obj[RCS][20] == ep);
  CHECK(ipc_recv(server, 3) == E_EMPTY);
  CHECK(send(client, 0, 0) == E_WRONG_TYPE);       /* a container */
  /* a caller blocked on a server that dies is cancelled */
  CHECK(ipc_recv(server, 8) == E_OK && p_state[server] == PS_RECV);
  set_msg(client, 1, 0, 0);
  CHECK(send(client, 9, 1) == E_OK && p_state[client] == PS_REPLY);
  CHECK(obj_free(RCS, 0, 6) == E_OK);                               /* the server */
  proc_reap();
  CHECK(p_state[client] == PS_READY && p_regs[REG(client, 10)] == E_CANCELLED);
  /* notifications */
  CHECK(obj_alloc(RCS, 0, OT_NOTIFICATION, 10) == E_OK);
  CHECK(ntfn_signal(RCS, 10, 0) == E_BAD_ARG);
  CHECK(ntfn_signal(RCS, 10, 4) == E_OK && ntfn_signal(RCS, 10, 1) == E_OK);
  CHECK(ntfn_wait(client, 10) == E_OK && p_regs[REG(client, 11)] == 5);
  CHECK(ntfn_wait(client, 10) == E_OK && p_state[client] == PS_NOTIF);
  CHECK(ntfn_signal(RCS, 10, 2) == E_OK && p_state[client] == PS_READY &&
        p_regs[REG(client, 11)] == 2);
  /* suspend cancels a blocked call */
  CHECK(ipc_recv(client, 8) == E_OK && p_state[client] == PS_RECV);
  CHECK(proc_suspend(RCS, 7) == E_OK && p_regs[REG(client, 10)] == E_CANCELLED);
  /* faults: no fault endpoint stops the process */
  CHECK(proc_resume(RCS, 7) == E_OK);
  CHECK(ipc_fault(client, LABEL_FAULT, 13, 8, 0x100) == 0 && p_state[client] == PS_STOPPED);
}

static void test_sched(void)
{
  kernel_init(ROOT, RCS);
  for (uint32_t f = 0; f < NFRAMES; f++)
    p_state[f] = PS_NONE;
  uint32_t a = boot_proc(2), b = boot_proc(3), c = boot_proc(4);
  p_prio[c] = 1;
  proc_ready(a);
  proc_ready(b);
  proc_ready(c);
  CHECK(sched_pick() == a);            /* highest priority, oldest ticket */
  sched_tick();
  CHECK(sched_pick() == b);            /* round robin */
  sched_tick();
  CHECK(sched_pick() == a);
  p_state[a] = PS_SUSPENDED;
  p_state[b] = PS_SUSPENDED;
  CHECK(sched_pick() == c);            /* lower priority only when alone */
  p_state[c] = PS_SUSPENDED;
  CHECK(sched_pick() == NO_PROC);
}

int main(void)
{
  kernel_init(ROOT, RCS);
  test_create();
  kernel_init(ROOT, RCS);
  test_ipc();
  test_sched();
  printf("proc_test: %s (%d failures)\n", failures ? "FAIL" : "ok", failures);
  return failures != 0;
}
