/* proto.h: the protocol between the root task and the programs it
 * spawns (message labels, startup slots, roles). */
#ifndef PROTO_H
#define PROTO_H

/* labels */
#define L_HELLO    0x4e11u  /* child -> parent at startup: w0 = role ...   */
#define L_PING     0x9196u  /* -> reply label = role                        */
#define L_INFO     0x1bf0u  /* -> reply w0 = own container usage, w1 = live children */
#define L_SHUTDOWN 0x5d0eu  /* cooperative destruction: reply, then exit    */
#define L_REAPED   0x4ea9u  /* member -> parent: child w0 exited, was destroyed; w1 = my usage */
#define L_PROBE    0x960bu  /* member: call slot M_PEER with PING; reply w0 = error, w1 = label */
#define L_TOUCH    0x70c4u  /* probe 'm' -> root task: w0 = the word it read last; the
                               reply: read the word at w0 next */
#define L_TOUCH_WR 0x70c5u  /* the reply: store w1 at w0 first, then read it */

/* a member's startup slots */
#define M_CONT   0u   /* its own container (write)                           */
#define M_PARENT 1u   /* the parent's endpoint, badged with this member's role */
#define M_EP     2u   /* its own service endpoint                           */
#define M_TMP    4u
#define M_CHILD(i) (8u + 6u * (i))  /* +0 cont, +1 cspace, +2 proc, +3 ep, */
                                    /* +4 memory cspace (spawn.h)          */
#define M_PEER   20u  /* a sibling's endpoint, when the parent connects them */
#define M_RECV0  21u
#define M_RECV1  22u

/* the badge a member's children use on its endpoint for exits / faults */
#define CHILD_FAULT_BADGE(i) (0x100u + (i))

/* a probe's startup slots: 0 = own container, 1 = the capability under
 * test, 2 = a second one (if any), 3 = scratch */
#define P_CONT 0u
#define P_CAP  1u
#define P_CAP2 2u
#define P_TMP  3u

#endif
