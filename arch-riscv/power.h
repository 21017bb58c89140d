/*
 * power.h: ending the run. A clean shutdown asks the SBI firmware (SRST);
 * a failure makes QEMU exit non-zero, through its sifive,test0 device
 * when the device tree has one (QEMU virt), else SRST with reason
 * "system failure". Early-safe (no pointers stored, no console use).
 */
#ifndef ARCH_RISCV_POWER_H
#define ARCH_RISCV_POWER_H

#include <stdint.h>

/* QEMU's exit device: physical address before paging, direct-map VA after */
void power_set_test_device(uint64_t addr);

/* Clean shutdown. Returns only if the firmware refused: its SBI error. */
long power_off(void);

/* Failure shutdown; if nothing can power off, stops this hart for good. */
void __attribute__((noreturn)) power_fail(void);

#endif
