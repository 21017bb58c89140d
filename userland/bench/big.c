/* big: a 64 KiB program for the spawn benchmark (its data fills the
 * image); it exits at once. */
#include "ulib.h"

#define BIG_BYTES (52 * 1024)   /* with code and headers: a 64 KiB ELF */
const volatile uint8_t big_data[BIG_BYTES] = { 1, 2, 3 };

int main(void)
{
  return big_data[0] + big_data[BIG_BYTES - 1];
}
