/* driver.c: run a trace of kernel-core operations on the host build of
 * kernel/ (library kcore) and print, after every step, the result and a
 * canonical dump of the abstract state. The OCaml conformance test
 * (conform.ml) prints the same line from the extracted Coq spec and
 * compares. Trace format: one operation per line, its C name followed by
 * its arguments in decimal, as in core.h; plus one test-only step,
 * "set_gen f g", which writes frame_gen[f] (to reach retirement without
 * four billion frees; the generator uses it only on free frames).
 *
 * Output line: "<results> |<dump>", results "e=<code>" plus the extra
 * results of queries; the dump lists every frame that is not free or whose
 * generation is not 0, with the fields MODEL.md says are meaningful for its
 * type (see dump_frame). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "state.h"

static void dump_cap(char tag, unsigned idx, unsigned type, unsigned obj,
                     unsigned gen, unsigned r, unsigned w, unsigned g,
                     uint64_t badge)
{
  printf(":%c%u=%u,%u,%u,%u%u%u,%" PRIu64, tag, idx, type, obj, gen, r, w, g,
         badge);
}

static void dump_frame(unsigned f)
{
  unsigned t = frame_type[f];
  if (t == OT_FREE && frame_gen[f] == 0)
    return;
  printf(" %u:%u:%u", f, t, (unsigned)frame_gen[f]);
  if (t == OT_FREE || t == OT_RETIRED)
    return;
  printf(":o%u", (unsigned)frame_owner[f]);
  if (t == OT_CONTAINER) {
    printf(":l%u:u%u:w%u:d%u:a", (unsigned)c_limit[f], (unsigned)c_usage[f],
           (unsigned)c_own[f], (unsigned)c_depth[f]);
    for (unsigned d = 0; d <= c_depth[f] && d < MAXDEPTH; d++)
      printf("%s%u", d ? "," : "", (unsigned)c_anc[f][d]);
  } else if (t == OT_CSPACE) {
    for (unsigned s = 0; s < NSLOTS; s++)
      if (cap_type[f][s] != OT_FREE)
        dump_cap('s', s, cap_type[f][s], cap_obj[f][s], cap_gen[f][s],
                 cap_read[f][s], cap_write[f][s], cap_grant[f][s],
                 cap_badge[f][s]);
  } else if (t == OT_FORWARDER) {
    dump_cap('F', 0, fw_type[f], fw_obj[f], fw_gen[f], fw_read[f],
             fw_write[f], fw_grant[f], fw_badge[f]);
  }
}

static void dump_state(void)
{
  printf(" |");
  for (unsigned f = 0; f < NFRAMES; f++)
    dump_frame(f);
  printf("\n");
}

#define MAXARGS 8

int main(int argc, char **argv)
{
  FILE *in = argc > 1 ? fopen(argv[1], "r") : stdin;
  if (!in) {
    perror(argv[1]);
    return 2;
  }
  char line[512];
  unsigned lineno = 0;
  while (fgets(line, sizeof line, in)) {
    lineno++;
    char op[32];
    unsigned long long a[MAXARGS] = {0};
    int n = sscanf(line, "%31s %llu %llu %llu %llu %llu %llu %llu %llu", op,
                   &a[0], &a[1], &a[2], &a[3], &a[4], &a[5], &a[6], &a[7]);
    if (n < 1)
      continue;
    uint32_t u[MAXARGS];
    for (int i = 0; i < MAXARGS; i++)
      u[i] = (uint32_t)a[i];
    if (!strcmp(op, "kernel_init")) {
      kernel_init(u[0], u[1]);
      printf("e=0");
    } else if (!strcmp(op, "set_gen")) {
      frame_gen[u[0] % NFRAMES] = u[1];
      printf("e=0");
    } else if (!strcmp(op, "container_create")) {
      printf("e=%d", container_create(u[0], u[1], u[2], u[3]));
    } else if (!strcmp(op, "obj_alloc")) {
      printf("e=%d", obj_alloc(u[0], u[1], u[2], u[3]));
    } else if (!strcmp(op, "obj_free")) {
      printf("e=%d", obj_free(u[0], u[1], u[2]));
    } else if (!strcmp(op, "container_destroy")) {
      printf("e=%d", container_destroy(u[0], u[1], u[2]));
    } else if (!strcmp(op, "container_info")) {
      struct info_ret r = container_info(u[0], u[1]);
      printf("e=%d l=%u u=%u", r.err, (unsigned)r.limit, (unsigned)r.usage);
    } else if (!strcmp(op, "cap_copy")) {
      printf("e=%d", cap_copy(u[0], u[1], u[2], u[3], u[4], u[5], u[6]));
    } else if (!strcmp(op, "cap_mint")) {
      printf("e=%d", cap_mint(u[0], u[1], u[2], u[3], u[4], u[5], u[6],
                              (uint64_t)a[7]));
    } else if (!strcmp(op, "cap_move")) {
      printf("e=%d", cap_move(u[0], u[1], u[2], u[3]));
    } else if (!strcmp(op, "cap_delete")) {
      printf("e=%d", cap_delete(u[0], u[1]));
    } else if (!strcmp(op, "cap_identify")) {
      struct identify_ret r = cap_identify(u[0], u[1], u[2]);
      printf("e=%d same=%u b=%" PRIu64, r.err, (unsigned)r.same, r.badge);
    } else if (!strcmp(op, "fwd_create")) {
      printf("e=%d", fwd_create(u[0], u[1], u[2], u[3]));
    } else if (!strcmp(op, "cap_resolve")) {
      struct resolve_ret r = cap_resolve(u[0], u[1]);
      printf("e=%d t=%u o=%u r=%u%u%u b=%" PRIu64, r.err, (unsigned)r.type,
             (unsigned)r.obj, (unsigned)r.read, (unsigned)r.write,
             (unsigned)r.grant, r.badge);
    } else {
      fprintf(stderr, "driver: line %u: unknown operation '%s'\n", lineno, op);
      return 2;
    }
    dump_state();
  }
  return 0;
}
