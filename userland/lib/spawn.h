/* spawn.h: the clean spawn. A child is made by trivial confinement: a
 * new container from the parent's, a capability space and a process
 * from that container, the program's ELF image copied into fresh frames
 * from the same container, a stack, exactly the capabilities of the
 * vector, the startup registers; then it is started. Nothing else is
 * inherited.
 *
 * Slots the parent must give: cont (its container, write right) and four
 * free slots for the child's container, cspace, process and memory
 * cspace capabilities (kept by the parent), plus one scratch slot;
 * SCRATCH_VA must be free in the parent's address space.
 *
 * The memory cspace. A mapping lives as long as the capability it was
 * made through stays in its slot (docs/SYSCALLS.md, "Mappings"):
 * deleting that capability unmaps the page. So the capability of each
 * frame the spawn maps into the child is kept, in a cspace of its own
 * allocated from the child's container (slot_mem): the page's capability
 * goes to its slot k (k = 0, 1, ... over the code, data, images and
 * stack pages, in that order) once the page is mapped. The child's own
 * cspace stays as the capability vector makes it (the child may use all
 * its slots), and the child's memory dies with its container: destroying
 * it frees the memory cspace and so unmaps every page. A child holds at
 * most CSPACE_SLOTS (128) such pages: past that the spawn fails with
 * E_NO_MEMORY at stage "memory cspace full". The parent deletes its
 * slot_mem capability when it cleans up the child, as slot_cspace. */
#ifndef SPAWN_H
#define SPAWN_H

#include <stdint.h>

#define SCRATCH_VA  0x40000000ul    /* a page a parent may map to look at one */
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
  uint32_t slot_mem;          /* parent slot: the child's memory cspace */
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
 * *stage (if stage != 0) to the step that failed. A failed spawn leaves
 * the child half built: destroying its container (slot_cont) and
 * deleting the four slots undoes it. */
long spawn(const struct spawn_req *r, const char **stage);
long spawn_build(const struct spawn_req *r, const char **stage);
long spawn_start(const struct spawn_req *r, const char **stage);

/* Where the loader puts the pages it makes: frames from container cont,
 * each allocated into the parent's scratch slot tmp, filled, mapped into
 * process proc (a slot or SLOT_SELF), and its capability moved to slot
 * next of the cspace in the parent's slot mem (next counts up). full is
 * set when a page found the memory cspace full (next == CSPACE_SLOTS). */
struct loader {
  uint32_t cont, proc, tmp, mem;
  uint32_t next;
  int full;
};

/* Copy len bytes to fresh frames mapped at va (memsz bytes, rounded up
 * to pages; the rest zero), perm as SYS_MAP. */
long load_bytes(struct loader *l, uint64_t va, const uint8_t *src, uint64_t len,
                uint64_t memsz, uint32_t perm);

/* Load an ELF64 image; *entry gets its entry point. */
long elf_load(struct loader *l, const uint8_t *img, uint64_t size, uint64_t *entry);

#endif
