/* spawn.h: the clean spawn. A child is made by trivial confinement: a
 * new container from the parent's, a capability space and a process
 * from that container, the program's ELF image copied into fresh frames
 * from the same container, a stack, exactly the capabilities of the
 * vector, the startup registers; then it is started. Nothing else is
 * inherited.
 *
 * Slots the parent must give: cont (its container, write right) and three
 * free slots for the child's container, cspace and process capabilities
 * (kept by the parent), plus one scratch slot; SCRATCH_VA must be free in
 * the parent's address space. */
#ifndef SPAWN_H
#define SPAWN_H

#include <stdint.h>

#define SCRATCH_VA  0x40000000ul    /* where the parent maps a page to fill it */
#define IMAGES_VA   0x20000000ul    /* where a child may get program images    */
#define STACK_TOP   0x80000000ul
#define STACK_PAGES 4u

/* One capability for the child: copy parent slot src into child slot dst
 * with rights (RIGHTS(r, w, g)); badge != 0 mints a badged copy. */
struct capgift {
  uint32_t src, dst;
  uint32_t rights;
  uint64_t badge;
};

struct spawn_req {
  uint32_t cont;              /* parent's container slot                */
  uint32_t limit;             /* the child container's limit, frames    */
  uint32_t prio;
  uint32_t slot_cont, slot_cspace, slot_proc, slot_tmp;  /* parent slots */
  const uint8_t *image;       /* the child's ELF                        */
  uint64_t image_size;
  const uint8_t *extra;       /* optional bytes mapped read-only at     */
  uint64_t extra_size;        /*   IMAGES_VA in the child (0: none)     */
  const struct capgift *caps;
  unsigned ncaps;
  uint64_t arg[3];            /* a0..a2 at start                        */
  uint32_t fault_ep;          /* parent slot of the fault endpoint, or  */
                              /*   SLOT_NONE                            */
  uint64_t fault_badge;       /* != 0: the child's faults and exit come */
                              /*   through a copy minted with it        */
};

/* spawn = spawn_build + spawn_start. Between the two the parent may
 * allocate objects from the child's container (slot_cont) to put in the
 * capability vector. Each returns 0 (E_OK) or the first error, and sets
 * *stage (if stage != 0) to the step that failed. */
long spawn(const struct spawn_req *r, const char **stage);
long spawn_build(const struct spawn_req *r, const char **stage);
long spawn_start(const struct spawn_req *r, const char **stage);

/* Copy len bytes to a fresh frame mapping in process `proc` (a slot or
 * SLOT_SELF) at va; frames from container slot cont, perm as SYS_MAP. */
long load_bytes(uint32_t cont, uint32_t proc, uint32_t tmp, uint64_t va,
                const uint8_t *src, uint64_t len, uint64_t memsz, uint32_t perm);

/* Load an ELF64 image into process `proc`; *entry gets its entry point. */
long elf_load(uint32_t cont, uint32_t proc, uint32_t tmp, const uint8_t *img,
              uint64_t size, uint64_t *entry);

#endif
