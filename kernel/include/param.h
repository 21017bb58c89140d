/* param.h: the sizes of the kernel core, in one place (docs/MODEL.md).
 * The proofs are about exactly these values: what is proved is what runs. */
#ifndef PARAM_H
#define PARAM_H

#define NFRAMES   1024u        /* managed 4 KiB frames: the object universe   */
#define NSLOTS    128u         /* slots per capability space (one frame's worth) */
#define MAXDEPTH  8u           /* container depths 0..MAXDEPTH-1; root is 0   */
#define MAXFWD    4u           /* longest forwarder chain a cap may resolve    */
#define GEN_MAX   0xFFFFFFFFu  /* a frame whose generation reaches it retires  */

#endif
