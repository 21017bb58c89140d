/* shell: a small shell on the console server (issue 15 item 5).
 *
 * It reads lines from the console (console.h: cons_read, blocking on its
 * notification) and runs the programs embedded in it (images.S) as jobs,
 * each in a new container with a limit, paid for by its own container.
 * Commands: help, tree, run NAME LIMIT, ps, kill ID, caps ID, wait MS,
 * exit.
 *
 * Slots (given by its parent, userland/init): 0 its container (write),
 * 1 the console's endpoint (write, grant, unbadged: the shell mints a
 * badged copy for each job), 2 the root container
 * (read-only: the tree's top line). A job's four capabilities sit at
 * JOB_SLOT(id): its container, cspace, process and memory cspace
 * (spawn.h). */
#include "ulib.h"
#include "spawn.h"
#include "console.h"

extern const uint8_t ticker_elf[], ticker_elf_end[];
extern const uint8_t hog_elf[], hog_elf_end[];

#define S_CONT   0u
#define S_CONS   1u
#define S_ROOT   2u
#define S_NTFN   3u
#define S_TIMER  4u
#define S_TMP    5u
#define NJOBS    8u
#define JOB_SLOT(id) (16u + 4u * ((id) - 1u))   /* ids 1 .. NJOBS: 4 slots each */

static const struct program {
  const char *name;
  const uint8_t *start, *end;
  const char *what;
} programs[] = {
  { "ticker", ticker_elf, ticker_elf_end, "prints a tick every second" },
  { "hog", hog_elf, hog_elf_end, "takes every frame its limit allows" },
};
#define NPROGRAMS (sizeof programs / sizeof programs[0])

static struct job {
  const struct program *prog;      /* 0: the id is free */
  uint64_t limit;
  int killed;
} jobs[NJOBS + 1];

#define say(...) cons_printf(S_CONS, __VA_ARGS__)

static int streq(const char *a, const char *b)
{
  while (*a && *a == *b)
    a++, b++;
  return *a == *b;
}

/* the next word of *p (NUL-terminated in place), or 0 */
static char *word(char **p)
{
  char *s = *p;
  while (*s == ' ')
    s++;
  if (!*s)
    return 0;
  char *w = s;
  while (*s && *s != ' ')
    s++;
  if (*s)
    *s++ = 0;
  *p = s;
  return w;
}

static int number(const char *s, uint64_t *v)
{
  uint64_t n = 0;
  if (!s || !*s)
    return 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9' || n > 100000000u)
      return 0;
    n = n * 10 + (uint64_t)(*s - '0');
  }
  *v = n;
  return 1;
}

static void show_container(const char *indent, const char *name, uint32_t slot)
{
  uint64_t limit = 0, usage = 0;
  long e = sys_container_info(slot, &limit, &usage);
  if (e == E_OK)
    say("%s%-14s limit %6lu  usage %6lu frames\n", indent, name, (unsigned long)limit,
        (unsigned long)usage);
  else
    say("%s%-14s %s\n", indent, name, err_name(e));
}

static void cmd_tree(void)
{
  show_container("", "root", S_ROOT);
  show_container("  ", "shell", S_CONT);
  for (uint32_t id = 1; id <= NJOBS; id++)
    if (jobs[id].prog && !jobs[id].killed) {
      char name[24];
      unsigned n = 0;
      const char *s = jobs[id].prog->name;
      name[n++] = '0' + (char)id;
      name[n++] = ':';
      while (*s && n < sizeof name - 1)
        name[n++] = *s++;
      name[n] = 0;
      show_container("    job ", name, JOB_SLOT(id));
    }
}

static void cmd_ps(void)
{
  say("ID  PROGRAM  LIMIT  USAGE  PROCESS\n");
  for (uint32_t id = 1; id <= NJOBS; id++) {
    if (!jobs[id].prog)
      continue;
    if (jobs[id].killed) {
      say("%lu   %-8s %5lu      -  killed\n", (unsigned long)id, jobs[id].prog->name,
          (unsigned long)jobs[id].limit);
      continue;
    }
    uint64_t usage = 0, type = 0;
    long ce = sys_container_info(JOB_SLOT(id), 0, &usage);
    long pe = sys_cap_resolve(JOB_SLOT(id) + 2, &type, 0, 0);
    say("%lu   %-8s %5lu  %5lu  %s\n", (unsigned long)id, jobs[id].prog->name,
        (unsigned long)jobs[id].limit, (unsigned long)usage,
        ce == E_OK && pe == E_OK ? "alive" : err_name(ce != E_OK ? ce : pe));
  }
}

static void cmd_run(char *rest)
{
  const char *name = word(&rest);
  uint64_t limit = 0;
  if (!name || !number(word(&rest), &limit)) {
    say("usage: run NAME LIMIT (frames)\n");
    return;
  }
  const struct program *prog = 0;
  for (unsigned i = 0; i < NPROGRAMS; i++)
    if (streq(programs[i].name, name))
      prog = &programs[i];
  if (!prog) {
    say("run: no program '%s' (try help)\n", name);
    return;
  }
  uint32_t id = 1;
  while (id <= NJOBS && jobs[id].prog && !jobs[id].killed)
    id++;
  if (id > NJOBS) {
    say("run: %u jobs already\n", NJOBS);
    return;
  }
  uint32_t base = JOB_SLOT(id);
  if (jobs[id].killed)                             /* a killed job's dead caps */
    for (uint32_t s = base; s < base + 4; s++)
      sys_cap_delete(s);
  /* the console's endpoint badged with the job's id: the console server
   * keeps each badge's lines apart */
  struct capgift gift[2] = { { base, 0, RIGHTS_ALL, 0 }, { S_CONS, 1, RIGHTS(0, 1, 0), 0x100 + id } };
  struct spawn_req q;
  const char *stage = "";
  memset(&q, 0, sizeof q);
  q.cont = S_CONT;
  q.limit = (uint32_t)limit;
  q.prio = 4;
  q.slot_cont = base;
  q.slot_cspace = base + 1;
  q.slot_proc = base + 2;
  q.slot_tmp = S_TMP;
  q.slot_mem = base + 3;
  q.image = prog->start;
  q.image_size = (uint64_t)(prog->end - prog->start);
  q.fault_ep = SLOT_NONE;
  long e = spawn_build(&q, &stage);
  if (e == E_OK) {
    q.caps = gift;
    q.ncaps = 2;
    e = spawn_start(&q, &stage);
  }
  if (e != E_OK) {
    say("run: %s: %s failed: %s\n", name, stage, err_name(e));
    sys_container_destroy(S_CONT, base);
    for (uint32_t s = base; s < base + 4; s++)
      sys_cap_delete(s);
    return;
  }
  jobs[id] = (struct job){ prog, limit, 0 };
  uint64_t usage = 0;
  sys_container_info(base, 0, &usage);
  say("job %lu: %s in a new container, limit %lu frames, %lu used to start it\n",
      (unsigned long)id, name, (unsigned long)limit, (unsigned long)usage);
}

static int job_id(char *rest, uint32_t *id)
{
  uint64_t v = 0;
  if (!number(word(&rest), &v) || v < 1 || v > NJOBS || !jobs[v].prog) {
    say("no such job (ps lists them)\n");
    return 0;
  }
  *id = (uint32_t)v;
  return 1;
}

static void cmd_kill(char *rest)
{
  uint32_t id;
  if (!job_id(rest, &id))
    return;
  if (jobs[id].killed) {
    say("job %lu: killed already\n", (unsigned long)id);
    return;
  }
  uint64_t before = 0, after = 0, its = 0;
  sys_container_info(S_CONT, 0, &before);
  sys_container_info(JOB_SLOT(id), 0, &its);
  long e = sys_container_destroy(S_CONT, JOB_SLOT(id));
  sys_container_info(S_CONT, 0, &after);
  if (e != E_OK) {
    say("kill: %s\n", err_name(e));
    return;
  }
  jobs[id].killed = 1;
  say("job %lu (%s) killed: its container held %lu frames; reclaimed %lu, with the "
      "container itself (my container's usage %lu -> %lu)\n", (unsigned long)id, jobs[id].prog->name,
      (unsigned long)its, (unsigned long)(before - after), (unsigned long)before,
      (unsigned long)after);
}

static void cmd_caps(char *rest)
{
  uint32_t id;
  if (!job_id(rest, &id))
    return;
  static const char *const what[4] = { "container", "cspace", "process", "memory" };
  sys_debug_expect_refusals(1);         /* dead capabilities are refused */
  for (uint32_t i = 0; i < 4; i++) {
    uint64_t type = 0;
    long e = sys_cap_resolve(JOB_SLOT(id) + i, &type, 0, 0);
    say("job %lu %-9s capability: %s\n", (unsigned long)id, what[i],
        e == E_OK ? "live" : err_name(e));
  }
  long c = sys_container_info(JOB_SLOT(id), 0, 0);
  say("job %lu container_info: %s\n", (unsigned long)id, err_name(c));
  sys_debug_expect_refusals(0);
}

static long read_byte(char *c, uint64_t timeout_us);

/* Wait up to MS milliseconds for a key: the console's read with a
 * timeout (cons_read: the timer armed on my notification). */
static void cmd_wait(char *rest)
{
  uint64_t ms = 0;
  if (!number(word(&rest), &ms) || ms == 0) {
    say("usage: wait MS (milliseconds, at least 1)\n");
    return;
  }
  char c = 0;
  uint64_t t0 = clock_now();
  long k = read_byte(&c, ms * 1000);
  uint64_t waited = (clock_now() - t0) * 1000 / clock_hz();
  if (k < 0)
    say("wait: %s\n", err_name(-k));
  else if (k == 0)
    say("wait: no key in %lu ms (waited %lu ms)\n", (unsigned long)ms, (unsigned long)waited);
  else
    say("wait: key '%c' after %lu ms\n", c >= ' ' && c < 0x7f ? c : '?', (unsigned long)waited);
}

static void cmd_help(void)
{
  say("commands:\n"
      "  tree             containers: limit and usage\n"
      "  run NAME LIMIT   run a program in a new container of LIMIT frames\n"
      "  ps               the jobs\n"
      "  kill ID          destroy a job's container; what came back\n"
      "  caps ID          what a job's capabilities are now\n"
      "  wait MS          wait MS milliseconds for a key (a read with a timeout)\n"
      "  exit             leave (the system powers off)\n"
      "programs:\n");
  for (unsigned i = 0; i < NPROGRAMS; i++)
    say("  %-8s %s\n", programs[i].name, programs[i].what);
}

/* Bytes read from the console and not used yet: a read returns up to
 * CONS_CHUNK bytes, which may hold the rest of a pasted line or the next
 * one (a key for `wait`, typed ahead). */
static char ahead[CONS_CHUNK];
static unsigned ahead_n, ahead_at;

/* One byte from the console: what was read ahead, else a read (timeout_us
 * 0: wait for ever). 1, 0 (the timeout), or -(error). */
static long read_byte(char *c, uint64_t timeout_us)
{
  if (ahead_at == ahead_n) {
    long k = cons_read(S_CONS, S_NTFN, S_TIMER, ahead, sizeof ahead, timeout_us);
    if (k <= 0)
      return k;
    ahead_n = (unsigned)k;
    ahead_at = 0;
  }
  *c = ahead[ahead_at++];
  return 1;
}

/* One line from the console, echoed as typed; backspace erases. */
static long read_line(char *line, unsigned max)
{
  unsigned n = 0;
  for (;;) {
    char c;
    long k = read_byte(&c, 0);
    if (k < 0)
      return k;
    if (c == '\r' || c == '\n') {
      cons_write(S_CONS, "\n", 1);
      line[n] = 0;
      return n;
    }
    if ((c == 0x7f || c == 0x08) && n > 0) {
      n--;
      cons_write(S_CONS, "\b \b", 3);
    } else if (c >= ' ' && c < 0x7f && n < max - 1) {
      line[n++] = c;
      cons_write(S_CONS, &c, 1);
    }
  }
}

int main(void)
{
  long e = sys_obj_alloc(S_CONT, OT_NOTIFICATION, S_NTFN);
  if (e == E_OK)
    e = sys_obj_alloc(S_CONT, OT_TIMER, S_TIMER);
  if (e == E_OK)
    e = cons_notify(S_CONS, S_NTFN);
  if (e != E_OK) {
    printf("shell: cannot attach to the console: %s\n", err_name(e));
    return 1;
  }
  say("capkernel shell: type help\n");
  for (;;) {
    char line[80];
    say("shell> ");
    e = read_line(line, sizeof line);
    if (e < 0)
      return 2;
    char *rest = line;
    const char *cmd = word(&rest);
    if (!cmd)
      continue;
    if (streq(cmd, "help"))
      cmd_help();
    else if (streq(cmd, "tree"))
      cmd_tree();
    else if (streq(cmd, "ps"))
      cmd_ps();
    else if (streq(cmd, "run"))
      cmd_run(rest);
    else if (streq(cmd, "kill"))
      cmd_kill(rest);
    else if (streq(cmd, "caps"))
      cmd_caps(rest);
    else if (streq(cmd, "wait"))
      cmd_wait(rest);
    else if (streq(cmd, "exit"))
      break;
    else
      say("%s: no such command (try help)\n", cmd);
  }
  say("shell: bye\n");
  return 0;
}
