/* param.h: the sizes of the kernel core, in one place (docs/MODEL.md).
 * The proof pass and the kernel use exactly these values: what is proved
 * is what runs. The Coq model takes NFRAMES and NSLOTS as parameters
 * (spec/Model.v, Sizes), and a host build of the core may choose others
 * (-DNFRAMES=.. -DNSLOTS=.. -DKCORE_TEST_SIZES): the conformance test
 * runs the model and such a build at a small size as well. */
#ifndef PARAM_H
#define PARAM_H

#ifndef NFRAMES
#define NFRAMES   1024u        /* managed 4 KiB frames: the object universe   */
#endif
#ifndef NSLOTS
#define NSLOTS    128u         /* slots per capability space (one frame's worth) */
#endif
#define MAXDEPTH  8u           /* container depths 0..MAXDEPTH-1; root is 0   */
#define MAXFWD    4u           /* longest forwarder chain a cap may resolve    */
#define GEN_MAX   0xFFFFFFFFu  /* a frame whose generation reaches it retires  */

#endif
