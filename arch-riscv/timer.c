/*
 * timer.c: periodic ticks (see timer.h). sbi_set_timer() both programs
 * the next deadline and clears the pending timer interrupt.
 */
#include "timer.h"
#include "console.h"
#include "riscv.h"
#include "sbi.h"

static uint64_t interval;           /* time-CSR units between ticks */
static volatile uint64_t ticks;

void timer_start(uint64_t timebase_hz, uint64_t hz)
{
  interval = timebase_hz / hz;
  if (interval == 0)
    interval = 1;
  sbi_set_timer(r_time() + interval);
  s_sie(SIE_STIE);
}

void timer_stop(void)
{
  c_sie(SIE_STIE);
  sbi_set_timer(UINT64_MAX);
}

void timer_interrupt(void)
{
  ticks++;
  kprintf("tick %lu\n", (unsigned long)ticks);
  sbi_set_timer(r_time() + interval);
}

uint64_t timer_ticks(void)
{
  return ticks;
}
