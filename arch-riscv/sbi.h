/*
 * sbi.h: calls into the Supervisor Binary Interface firmware (OpenSBI).
 *
 * An SBI call is an ecall with the extension id in a7, the function id in
 * a6 and arguments in a0..a5; the firmware returns an error code in a0 and
 * a value in a1. Each function here is one call.
 */
#ifndef ARCH_RISCV_SBI_H
#define ARCH_RISCV_SBI_H

#include <stdint.h>

#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_BASE 0x10
#define SBI_EXT_TIME 0x54494D45   /* "TIME" */
#define SBI_EXT_HSM  0x48534D     /* "HSM"  */
#define SBI_EXT_SRST 0x53525354   /* "SRST" */

#define SBI_SUCCESS 0
#define SBI_ERR_NOT_SUPPORTED (-2)

/* sbi_hart_get_status results */
#define SBI_HSM_STARTED       0
#define SBI_HSM_STOPPED       1
#define SBI_HSM_START_PENDING 2
#define SBI_HSM_STOP_PENDING  3
#define SBI_HSM_SUSPENDED     4

/* system reset types and reasons */
#define SBI_RESET_SHUTDOWN    0
#define SBI_RESET_COLD_REBOOT 1
#define SBI_REASON_NONE       0
#define SBI_REASON_FAILURE    1

struct sbiret {
  long error;
  long value;
};

/* the legacy console: usable before the kernel has a UART driver */
void sbi_console_putchar(int c);

long sbi_spec_version(void);          /* major << 24 | minor */
long sbi_impl_id(void);               /* 1 = OpenSBI */
long sbi_impl_version(void);
int sbi_probe(long eid);              /* 1 if the extension exists */

/* Raise a supervisor timer interrupt once time >= stime (clears the pending one). */
struct sbiret sbi_set_timer(uint64_t stime);

/* Stop the calling hart (returns only on failure). */
struct sbiret sbi_hart_stop(void);
/* SBI_HSM_* state of a hart, or error */
struct sbiret sbi_hart_get_status(unsigned long hartid);

/* Shut down / reboot the system; returns only on failure. */
struct sbiret sbi_system_reset(uint32_t type, uint32_t reason);

#endif
