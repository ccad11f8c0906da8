#include <stdio.h>

/* Prints the tag a REUSE header uses; it is not this file's header. */
int main(void)
{
	puts("SPDX-License-Identifier: MIT");
	return 0;
}
