/* console.h: the console server's protocol (userland/console) and its
 * client side (cons.c). The server owns the UART: it drives it with
 * interrupts, and serves a console to other programs over IPC, through
 * an endpoint capability each client is given.
 *
 * Messages (a call; the reply's w0 is E_OK or an error unless said):
 *   CONS_WRITE   w0 = n (1 .. CONS_CHUNK), w1..w3 = the bytes
 *                -> queued for output. Each client's (each badge's)
 *                   bytes are held until its line ends (newline, 128
 *                   bytes, or its next CONS_READ: a prompt), so lines
 *                   of different programs never mix. (The server keeps
 *                   4 KiB; when it is full it waits for the UART.)
 *   CONS_READ    w0 = at most this many bytes (1 .. CONS_CHUNK)
 *                -> w0 = n bytes taken from the input (0: none yet),
 *                   w1..w3 = the bytes
 *   CONS_NOTIFY  a notification capability in the message (the
 *                endpoint capability needs the grant right)
 *                -> the server signals it (bit 0) whenever input
 *                   arrives; one reader at a time, the last to ask;
 *                   E_WRONG_TYPE for another kind of capability
 * A capability sent with any other message is dropped.
 *   CONS_IRQ     (the server's own interrupt relay only)
 * Anything else: E_BAD_ARG. A read that finds nothing does not block in
 * the server (which answers every call at once, so that one slow reader
 * holds up nobody): the client waits on its notification, with a timer
 * for a timeout (cons_read). */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stddef.h>
#include <stdint.h>

#define CONS_WRITE  0xC001u
#define CONS_READ   0xC002u
#define CONS_NOTIFY 0xC003u
#define CONS_IRQ    0xC004u
#define CONS_CHUNK  24u        /* bytes a message carries: w1..w3 */
#define CONS_RELAY_BADGE 0xC0DEu  /* the badge of the relay's endpoint capability */

/* Write n bytes: E_OK or the first error. */
long cons_write(uint32_t ep, const char *s, size_t n);
/* printf to the console (the formats of ulib's printf). */
void cons_printf(uint32_t ep, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Ask the server to signal notification ntfn (a direct capability with
 * the grant right) when input arrives. */
long cons_notify(uint32_t ep, uint32_t ntfn);
/* Read up to max bytes: what is there now, else wait (on ntfn, which
 * cons_notify registered) until some arrives or, if timeout_us != 0,
 * that many microseconds pass (timer: a timer capability armed on ntfn).
 * The number of bytes read (0: the timeout), or -(error). */
long cons_read(uint32_t ep, uint32_t ntfn, uint32_t timer, char *buf, size_t max,
               uint64_t timeout_us);

#endif
