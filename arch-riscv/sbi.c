/*
 * sbi.c: one small function per SBI call (see sbi.h). Safe before paging:
 * no globals, only register traffic.
 */
#include "sbi.h"

static struct sbiret sbi_call(long eid, long fid, long a0, long a1, long a2)
{
  register long r_a0 __asm__("a0") = a0;
  register long r_a1 __asm__("a1") = a1;
  register long r_a2 __asm__("a2") = a2;
  register long r_a6 __asm__("a6") = fid;
  register long r_a7 __asm__("a7") = eid;
  __asm__ volatile("ecall"
                   : "+r"(r_a0), "+r"(r_a1)
                   : "r"(r_a2), "r"(r_a6), "r"(r_a7)
                   : "memory");
  struct sbiret ret = { r_a0, r_a1 };
  return ret;
}

void sbi_console_putchar(int c)
{
  /* legacy extension 0x01: the character in a0, no function id */
  sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, c, 0, 0);
}

long sbi_spec_version(void)
{
  struct sbiret r = sbi_call(SBI_EXT_BASE, 0, 0, 0, 0);
  return r.error == SBI_SUCCESS ? r.value : 0;
}

long sbi_impl_id(void)
{
  struct sbiret r = sbi_call(SBI_EXT_BASE, 1, 0, 0, 0);
  return r.error == SBI_SUCCESS ? r.value : -1;
}

long sbi_impl_version(void)
{
  struct sbiret r = sbi_call(SBI_EXT_BASE, 2, 0, 0, 0);
  return r.error == SBI_SUCCESS ? r.value : 0;
}

int sbi_probe(long eid)
{
  struct sbiret r = sbi_call(SBI_EXT_BASE, 3, eid, 0, 0);
  return r.error == SBI_SUCCESS && r.value != 0;
}

struct sbiret sbi_set_timer(uint64_t stime)
{
  return sbi_call(SBI_EXT_TIME, 0, (long)stime, 0, 0);
}

struct sbiret sbi_hart_stop(void)
{
  return sbi_call(SBI_EXT_HSM, 1, 0, 0, 0);
}

struct sbiret sbi_hart_get_status(unsigned long hartid)
{
  return sbi_call(SBI_EXT_HSM, 2, (long)hartid, 0, 0);
}

struct sbiret sbi_system_reset(uint32_t type, uint32_t reason)
{
  return sbi_call(SBI_EXT_SRST, 0, type, reason, 0);
}
