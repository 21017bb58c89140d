/*
 * power.c: shutdown and failure exit (see power.h).
 */
#include "power.h"
#include "riscv.h"
#include "sbi.h"

/* sifive,test0 "finisher": low 16 bits a command, high 16 bits an exit code */
#define FINISHER_FAIL 0x3333u
#define FINISHER_EXIT_CODE 1u

static uint64_t test_device;

void power_set_test_device(uint64_t addr)
{
  test_device = addr;
}

long power_off(void)
{
  struct sbiret r = sbi_system_reset(SBI_RESET_SHUTDOWN, SBI_REASON_NONE);
  return r.error;
}

void power_fail(void)
{
  if (test_device != 0)
    *(volatile uint32_t *)(uintptr_t)test_device = FINISHER_EXIT_CODE << 16 | FINISHER_FAIL;
  sbi_system_reset(SBI_RESET_SHUTDOWN, SBI_REASON_FAILURE);
  intr_off();
  for (;;)
    wait_for_interrupt();
}
