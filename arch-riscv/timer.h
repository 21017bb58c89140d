/*
 * timer.h: the periodic supervisor timer, through the SBI TIME extension.
 */
#ifndef ARCH_RISCV_TIMER_H
#define ARCH_RISCV_TIMER_H

#include <stdint.h>

/* Tick `hz` times a second; the time CSR counts at timebase_hz. */
void timer_start(uint64_t timebase_hz, uint64_t hz);
void timer_stop(void);
/* the timer interrupt: count, print "tick N", arm the next one */
void timer_interrupt(void);
uint64_t timer_ticks(void);

#endif
